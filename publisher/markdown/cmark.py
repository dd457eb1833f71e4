"""Markdown to HTML with cmark-gfm: the opt-in fast engine (`markdown.engine = "cmark"`).

`CmarkConverter` is a drop-in alternative to `publisher.markdown.PythonMarkdownConverter`:
same constructor, same `render()` result (`RenderedMarkdown`), same Pygments
markup, heading ids, permalink anchors, table of contents, footnote markup,
excerpt and word count. cmark-gfm (C, via the `cmarkgfm` package) parses and
renders; a few regex passes over its output then reshape the parts a theme
styles (code blocks, headings, footnotes, table alignment) into exactly what
Python-Markdown produces for the same source. On a ~1,500-word post with
headings, lists, a table, a footnote and a 13-line Python block it renders in
about 4 ms against 29 ms (about 7x; 10-20x for posts without code, since the
Pygments highlighting both engines share is most of what is left).

Known differences from the default (Python-Markdown) engine
-----------------------------------------------------------

Parsing follows CommonMark + GFM rather than Python-Markdown's rules:

- Nested lists: a sub-list only has to line up with its parent item's text
  (2 spaces under `- `); Python-Markdown needs 4 spaces and flattens 2-space
  sub-lists into the parent list.
- A list may start directly under a paragraph line, without a blank line
  (Python-Markdown keeps such lines in the paragraph), and `1)` starts an
  ordered list as `1.` does.
- Raw HTML blocks end at the first blank line, so Markdown after a blank line
  inside `<div>...</div>` is rendered; Python-Markdown passes the whole block
  through untouched. Raw HTML is otherwise kept as-is in both engines (GFM's
  "tagfilter" is off, so `<script>`, `<iframe>`, `<style>` pass through too).
- A backslash at the end of a line is a hard line break (`<br />`).
- Emphasis, link and entity edge cases follow the CommonMark spec.
- Fenced code blocks also work inside lists and blockquotes, unclosed fences run
  to the end of the document, a closing fence may be longer than the opening
  one, and an info string fenced_code rejects (```` ```python title="x" ````)
  still selects the language from its first word (the default engine does not
  see a code block in any of these cases).

GFM features the default engine does not have:

- `~~strike~~` renders as `<del>` (a single `~` stays literal).
- Bare URLs, `www.` addresses and bare email addresses become links
  (`journal@example.com` becomes a `mailto:` link; the default engine leaves
  it as text).
- Task list items `- [ ]` / `- [x]` render a disabled checkbox
  (`<input type="checkbox" disabled="" />`) instead of the literal brackets.

Smart punctuation (cmark's, for smarty):

- Curly quotes, dashes and ellipses come out as UTF-8 characters (“ ” ‘ ’ – — …)
  instead of named entities (`&ldquo;` ...): identical on the page.
- Image alt text is smartened too (`alt="a “pillar” circle"`); the default
  engine keeps straight quotes there.
- Quote-direction heuristics may differ in rare cases.

Footnotes (markup rewritten to the default engine's `<sup id="fnref:x">`,
`<div class="footnote"><hr><ol>`, `&#160;` + `&#8617;` backlinks titled
"Back to reference N"), except:

- Notes are numbered and listed in order of first reference; the default engine
  uses the order of the definitions. Definitions never referenced are dropped
  (the default engine lists them).
- A label containing a space (`[^my note]`) is not a footnote.
- Labels match case-insensitively; a multi-paragraph note's continuation
  paragraphs follow CommonMark indentation (4 spaces, as usual).
- The `///Footnotes Go Here///` placement marker is not supported; notes are
  always at the end.

Headings and table of contents:

- Ids, de-duplication (`_1`, `_2`), permalink anchors, `toc_html` and heading
  counts are the same, and so is a `[TOC]` paragraph (replaced by the table of
  contents). `[TOC]` inside a list item or other block is left as text.
- attr_list is supported on headings only: `## Title {#id .class key="v"}`
  (including `data-toc-label`). Attribute lists on anything else (paragraphs
  `{: .lead}`, images and links `{width=300}`, list items, table cells) are not
  supported and stay in the text.

Code blocks:

- Highlighted markup is identical, including `lang`, `.lang`, `hl_lines="..."`
  and `{.lang .class linenums="1" hl_lines="2"}` info strings and the
  `#!lang` / `:::lang` first line of indented blocks.

Markup-only differences (the page looks the same):

- XHTML-style void elements (`<br />`, `<hr />`, `<img ... />`), `<img>`
  attribute order (`src` before `alt`), `&quot;` for `"` in text and code spans,
  blank lines between blocks, character references decoded (`&copy;` is
  written as `©`).
- Email autolinks (`<me@example.com>`) are plain `mailto:` links; the default
  engine obfuscates them with character references.

Neither engine supports definition lists, abbreviations or admonitions
(the default engine does not enable those extensions).
"""

from __future__ import annotations

import ctypes
import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options, markdown_to_html_with_extensions
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.extensions.codehilite import (
    CodeHilite,
    CodeHiliteExtension,
    parse_hl_lines,
)
from markdown.extensions.toc import (
    escape_cdata,
    nest_toc_tokens,
    slugify_unicode,
    strip_tags,
    unique,
)
from markdown.serializers import RE_AMP
from markdown.util import parseBoolValue
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from publisher.config.model import MarkdownConfig
from publisher.core.text import count_words
from publisher.markdown.finishing import (
    FOOTNOTE_REF,
    MORE,
    count_headings,
    excerpt_of,
    mark_pull_quotes,
)
from publisher.markdown.result import RenderedMarkdown

if TYPE_CHECKING:  # the stubs' names for toc tokens (TypedDicts, not importable at run time)
    from markdown.extensions.toc import _FlatTocToken, _TocToken

_OPTIONS = (
    Options.CMARK_OPT_UNSAFE  # raw HTML kept, as Python-Markdown does
    | Options.CMARK_OPT_SMART
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE  # "~5 min ... ~10 min" stays text
    | Options.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    | Options.CMARK_OPT_SOURCEPOS  # tells generated blocks from raw HTML; removed again
)
_EXTENSIONS = ("table", "strikethrough", "autolink", "tasklist")

# The default engine's codehilite settings (publisher/markdown.py), with every
# other codehilite option at its default, exactly as fenced_code sees them.
_CODEHILITE: dict[str, Any] = CodeHiliteExtension(
    css_class="highlight", guess_lang=False, wrapcode=True).getConfigs()

_PERMALINK = '<a class="heading-anchor" href="#{}" title="Link to this section">#</a>'


# --- cmark-gfm itself ---------------------------------------------------------

class _CmarkMem(ctypes.Structure):
    _fields_ = [
        ("calloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t)),
        ("realloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


class _Cmark:
    """cmark-gfm's C API, reached through the library cmarkgfm ships.

    cmarkgfm's own `markdown_to_html_with_extensions` never frees the parsed
    tree nor the HTML buffer (hundreds of KB per post: a long build or `serve`
    session keeps growing), so this calls the same C functions and frees both.
    """

    def __init__(self) -> None:
        lib = ctypes.CDLL(_cmark.__file__)
        ptr = ctypes.c_void_p

        def fn(name: str, restype: Any, *argtypes: Any) -> Callable[..., Any]:
            func = lib[name]
            func.restype, func.argtypes = restype, list(argtypes)
            return func

        fn("cmark_gfm_core_extensions_ensure_registered", None)()
        find = fn("cmark_find_syntax_extension", ptr, ctypes.c_char_p)
        self._extensions = [find(name.encode()) for name in _EXTENSIONS]
        if not all(self._extensions):
            raise OSError("cmark-gfm extension missing")
        self._parser_new = fn("cmark_parser_new", ptr, ctypes.c_int)
        self._attach = fn("cmark_parser_attach_syntax_extension", ctypes.c_int, ptr, ptr)
        self._feed = fn("cmark_parser_feed", None, ptr, ctypes.c_char_p, ctypes.c_size_t)
        self._finish = fn("cmark_parser_finish", ptr, ptr)
        self._parser_extensions = fn("cmark_parser_get_syntax_extensions", ptr, ptr)
        self._render = fn("cmark_render_html", ptr, ptr, ctypes.c_int, ptr)
        self._parser_free = fn("cmark_parser_free", None, ptr)
        self._node_free = fn("cmark_node_free", None, ptr)
        self._free = fn("cmark_get_default_mem_allocator", ctypes.POINTER(_CmarkMem))().contents.free

    def to_html(self, text: str, options: int) -> str:
        data = text.encode("utf-8")
        parser = self._parser_new(options)
        if not parser:
            raise MemoryError("cmark_parser_new")
        root = None
        try:
            for extension in self._extensions:
                self._attach(parser, extension)
            self._feed(parser, data, len(data))
            root = self._finish(parser)
            out = self._render(root, options, self._parser_extensions(parser))
            try:
                return ctypes.string_at(out).decode("utf-8")
            finally:
                self._free(out)
        finally:
            self._parser_free(parser)
            if root:
                self._node_free(root)


def _leaky_to_html(text: str, options: int) -> str:
    rendered: str = markdown_to_html_with_extensions(text, options, list(_EXTENSIONS))
    return rendered


try:
    _to_html: Callable[[str, int], str] = _Cmark().to_html
except (OSError, AttributeError):  # symbols not exported by this cmarkgfm build
    _to_html = _leaky_to_html


# --- post-processing of cmark's HTML ------------------------------------------

_SOURCEPOS = re.compile(r'(<[a-z][a-z0-9]*(?: [a-z-]+="[^"<>]*")*) data-sourcepos="[0-9:-]*"')
_PRE = re.compile(
    r'<pre data-sourcepos="(\d+):(\d+)-[^"]*"><code(?: class="language-([^"]*)")?>(.*?)</code></pre>',
    re.DOTALL)
# fenced_code's reading of an info string (its FENCED_BLOCK_RE, between fence and newline).
_INFO = re.compile(
    r"""\{(?P<attrs>[^\n]*)\}
      | (?:\.?(?P<lang>[\w#.+-]*)[ ]*)?(?:hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?""",
    re.VERBOSE)
_FENCE = re.compile(r"[ ]*(`{3,}|~{3,})")
_BOOL_OPTIONS = ("linenums", "guess_lang", "noclasses", "use_pygments")

_TABLE_ALIGN = re.compile(r'(<t[hd] style="text-align: (?:left|center|right))"')

_HEADING = re.compile(r'<h([1-6]) data-sourcepos="[^"]*">(.*?)</h\1>', re.DOTALL)
_TOC_MARKER = re.compile(r'<p data-sourcepos="[^"]*">\[TOC\]</p>\n?')

_FN_REF = re.compile(
    r'<sup class="footnote-ref"><a href="#fn-([^"]*)" id="fnref-([^"]*)" data-footnote-ref>([^<]*)</a></sup>')
_FN_SECTION = '<section class="footnotes" data-footnotes>\n'
_FN_ITEM = re.compile(r'<li id="fn-([^"]*)">')
_BACKREF = (r'<a href="#fnref-([^"]*)" class="footnote-backref" data-footnote-backref '
            r'data-footnote-backref-idx="(\d+)(?:-(\d+))?" aria-label="[^"]*">'
            r'\u21a9(?:<sup class="footnote-ref">\d+</sup>)?</a>')
_BACKREF_ONE = re.compile(_BACKREF)
_BACKREF_RUN = re.compile(r"([ \n])(" + _BACKREF + "(?: " + _BACKREF + ")*)")


class CmarkConverter:
    """Renders Markdown bodies like `PythonMarkdownConverter`, with cmark-gfm."""

    def __init__(self, cfg: MarkdownConfig) -> None:
        self._words_per_minute = cfg.words_per_minute
        depth = str(cfg.toc_depth)
        if "-" in depth:  # as Python-Markdown's toc reads it
            self._toc_top, self._toc_bottom = (int(x) for x in depth.split("-"))
        else:
            self._toc_top, self._toc_bottom = 1, int(depth)

    def convert(self, text: str) -> RenderedMarkdown:
        """Render one document; the excerpt is the part before `<!--more-->`, else the first paragraph."""
        # Python-Markdown normalises line endings and expands tabs (4 columns) first.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\t" in text:
            text = text.expandtabs(4)
        out = _to_html(text, _OPTIONS)
        if "<pre" in out:
            lines = text.split("\n")
            out = _PRE.sub(lambda m: _code_block(m, lines), out)
        if "data-footnote" in out:
            out = _footnotes(out)
        if 'style="text-align' in out:
            out = _TABLE_ALIGN.sub(r'\1;"', out)
        out, toc_tokens = self._headings(out)
        if "[TOC]" in out:
            toc_div = _toc_div(toc_tokens)
            out = _TOC_MARKER.sub(lambda m: toc_div, out)
        body_html, quotes = mark_pull_quotes(_SOURCEPOS.sub(r"\1", out).strip())

        headings = count_headings(toc_tokens)
        words = count_words(body_html)
        return RenderedMarkdown(
            html=MORE.sub("", body_html),
            toc_html=_toc_div(toc_tokens) if headings >= 2 else "",
            excerpt_html=excerpt_of(body_html),
            word_count=words,
            reading_minutes=max(1, math.ceil(words / self._words_per_minute)),
            heading_count=headings,
            pull_quotes=quotes,
        )

    def _headings(self, out: str) -> tuple[str, list[_TocToken]]:
        """Ids, permalinks and toc tokens, as Python-Markdown's attr_list + toc make them."""
        found = []
        used_ids: set[str] = set()
        for match in _HEADING.finditer(out):
            inner, attrs = _heading_attrs(match.group(2))
            explicit_id = attrs.get("id")
            if explicit_id is not None:  # explicit ids are taken before any slug is made
                used_ids.add(explicit_id)
            found.append((match, int(match.group(1)), inner, attrs))
        if not found:
            return out, []

        parts: list[str] = []
        flat: list[_FlatTocToken] = []
        pos = 0
        for match, level, inner, attrs in found:
            name = strip_tags(FOOTNOTE_REF.sub("", inner))
            heading_id = attrs.get("id")
            if heading_id is None:
                heading_id = attrs["id"] = unique(slugify_unicode(html.unescape(name), "-"), used_ids)
            label = attrs.pop("data-toc-label", None)
            if label is not None:
                name = escape_cdata(strip_tags(html.unescape(label)))
            if self._toc_top <= level <= self._toc_bottom:
                flat.append({"level": level, "id": heading_id, "name": name})
            anchor = _PERMALINK.format(_attr(heading_id))
            parts += [out[pos:match.start()], f"<h{level}{_attrs_html(attrs)}>{inner}{anchor}</h{level}>"]
            pos = match.end()
        parts.append(out[pos:])
        return "".join(parts), nest_toc_tokens(flat)


# --- headings -----------------------------------------------------------------

def _heading_attrs(inner: str) -> tuple[str, dict[str, str | None]]:
    """Split a trailing `{#id .class key=value}` off a heading's HTML (attr_list's rules)."""
    if "{" not in inner:
        return inner, {}
    cut = inner.rfind(">") + 1  # attr_list only looks at the text after the last child
    tail = inner[cut:]
    match = AttrListTreeprocessor.HEADER_RE.search(tail)
    if not match:
        return inner, {}
    source = html.unescape(match.group(1))
    # Undo smart quotes inside the braces: `key="v"` came out as `key=“v”`.
    source = source.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})
    pairs, remainder = get_attrs_and_remainder(source)
    if remainder:
        return inner, {}
    attrs: dict[str, str | None] = {}
    for key, value in pairs:
        if key == ".":
            attrs["class"] = f"{attrs['class']} {value}" if attrs.get("class") else value
        else:
            attrs[AttrListTreeprocessor.NAME_RE.sub("_", key)] = value
    return inner[:cut] + tail[:match.start()].rstrip("#").rstrip(), attrs


def _attr(value: str) -> str:
    """Attribute value escaped as Python-Markdown's serializer does."""
    if "&" in value:
        value = RE_AMP.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _attrs_html(attrs: Mapping[str, str | None]) -> str:
    return "".join(f" {key}" if value is None or value == key else f' {key}="{_attr(value)}"'
                   for key, value in sorted(attrs.items()))


def _toc_div(tokens: list[_TocToken]) -> str:
    return f'<div class="toc">\n{_toc_ul(tokens)}</div>\n'


def _toc_ul(tokens: list[_TocToken]) -> str:
    if not tokens:
        return "<ul></ul>\n"
    items = "".join(
        f'<li><a href="#{_attr(token["id"])}">{token["name"]}</a>'
        f'{_toc_ul(token["children"]) if token["children"] else ""}</li>\n'
        for token in tokens)
    return f"<ul>\n{items}</ul>\n"


# --- footnotes ----------------------------------------------------------------

def _fn_label(encoded: str) -> str:
    """cmark writes labels URL-encoded and HTML-escaped; Python-Markdown writes them as typed."""
    return _attr(unquote(html.unescape(encoded)))


def _footnote_ref(match: re.Match[str]) -> str:
    label, ref_id, number = match.groups()
    suffix = ref_id[len(label) + 1:] if ref_id.startswith(label + "-") else ""  # repeats: fnref-x-2
    key = _fn_label(label)
    return f'<sup id="fnref{suffix}:{key}"><a class="footnote-ref" href="#fn:{key}">{number}</a></sup>'


def _backrefs(match: re.Match[str]) -> str:
    links = []
    for ref in _BACKREF_ONE.finditer(match.group(2)):
        href, number, repeat = ref.group(1), ref.group(2), ref.group(3) or ""
        label = href[: -len(repeat) - 1] if repeat else href
        links.append(f'<a class="footnote-backref" href="#fnref{repeat}:{_fn_label(label)}" '
                     f'title="Back to reference {number}">&#8617;</a>')
    if match.group(1) == " ":  # inside the note's last paragraph
        return "&#160;" + "".join(links)
    return "\n<p>" + "".join(links) + "</p>"  # the note ends with a list, code, ...


def _footnotes(out: str) -> str:
    out = _FN_REF.sub(_footnote_ref, out)
    start = out.rfind(_FN_SECTION)
    end = out.find("</section>", start)
    if start == -1 or end == -1:
        return out
    notes = out[start + len(_FN_SECTION):end]
    notes = _FN_ITEM.sub(lambda m: f'<li id="fn:{_fn_label(m.group(1))}">', notes)
    notes = _BACKREF_RUN.sub(_backrefs, notes)
    return f'{out[:start]}<div class="footnote">\n<hr>\n{notes}</div>{out[end + len("</section>"):]}'


# --- code blocks --------------------------------------------------------------

_lexers: dict[str | None, Any] = {}
_fast_options: dict[str, Any] = CodeHilite(
    "", **{k: v for k, v in _CODEHILITE.items() if k != "pygments_style"},
    style=_CODEHILITE["pygments_style"]).options
_formatter: HtmlFormatter[str] = HtmlFormatter(**_fast_options)  # what get_formatter_by_name("html") makes


def _lexer(lang: str | None) -> Any:
    lexer = _lexers.get(lang)
    if lexer is None:
        try:
            lexer = get_lexer_by_name(lang, **_fast_options)  # type: ignore[arg-type]
        except ValueError:
            lexer = get_lexer_by_name("text", **_fast_options)
        _lexers[lang] = lexer
    return lexer


def _hilite(code: str, lang: str | None, *, indented: bool = False,
            classes: list[str] | None = None, config: dict[str, Any] | None = None) -> str:
    """What codehilite outputs for a block (fenced_code's call, or HiliteTreeprocessor's if indented)."""
    header = indented and code.lstrip("\n").startswith(("#!", "::"))
    if not (classes or config or header):
        # The common case, without rebuilding lexer and formatter per block.
        return highlight(code.strip("\n"), _lexer(lang), _formatter)
    local = dict(_CODEHILITE)
    local.update(config or {})
    if classes:
        local["css_class"] = "{} {}".format(" ".join(classes), local["css_class"])
    style = local.pop("pygments_style", "default")
    if indented:
        return CodeHilite(code, tab_length=4, style=style, **local).hilite()
    return CodeHilite(code, lang=lang, style=style, **local).hilite(shebang=False)


def _code_block(match: re.Match[str], lines: list[str]) -> str:
    line_no, column, cmark_lang, escaped = match.groups()
    code = escaped.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    line = lines[int(line_no) - 1] if int(line_no) <= len(lines) else ""
    start = line[int(column) - 1:] if line.isascii() else \
        line.encode("utf-8")[int(column) - 1:].decode("utf-8", "replace")  # columns count bytes
    fence = _FENCE.match(start)
    if cmark_lang is None and (fence is None or start == code.split("\n", 1)[0]):
        return _hilite(code, None, indented=True)
    lang = html.unescape(cmark_lang) if cmark_lang is not None else None
    info = start[fence.end():].strip() if fence else lang or ""
    block_id = ""
    classes: list[str] = []
    config: dict[str, Any] = {}
    parsed = _INFO.fullmatch(info)
    if parsed and parsed.group("attrs") is not None:
        pairs, remainder = get_attrs_and_remainder(parsed.group("attrs"))
        if not remainder:
            block_id, classes, config = _fence_attrs(pairs)
            lang = classes.pop(0) if classes else None
    elif parsed:
        lang = parsed.group("lang") or None
        if parsed.group("hl_lines"):
            config["hl_lines"] = parse_hl_lines(parsed.group("hl_lines"))
    if config.get("use_pygments", True):
        return _hilite(code, lang, classes=classes, config=config)
    # fenced_code without Pygments (`{.lang use_pygments=false}`).
    attrs = f' id="{_attr(block_id)}"' if block_id else ""
    attrs += f' class="{_attr(" ".join(classes))}"' if classes else ""
    code_attrs = f' class="language-{_attr(lang)}"' if lang else ""
    code_attrs += "".join(f' {AttrListTreeprocessor.NAME_RE.sub("_", k)}="{_attr(str(v))}"'
                          for k, v in config.items() if k != "use_pygments")
    escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f"<pre{attrs}><code{code_attrs}>{escaped}</code></pre>"


def _fence_attrs(pairs: Sequence[tuple[str, str | None]]) -> tuple[str, list[str], dict[str, Any]]:
    """fenced_code's `handle_attrs`: (id, classes, codehilite options)."""
    block_id = ""
    classes: list[str] = []
    config: dict[str, Any] = {}
    for key, value in pairs:
        value = key if value is None else value
        if key == "id":
            block_id = value
        elif key == ".":
            classes.append(value)
        elif key == "hl_lines":
            config[key] = parse_hl_lines(value)
        elif key in _BOOL_OPTIONS:
            config[key] = parseBoolValue(value, fail_on_errors=False, preserve_none=True)
        else:
            config[key] = value
    return block_id, classes, config
