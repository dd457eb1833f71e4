"""Liquid (Jekyll, Eleventy) and Nunjucks tags in bodies rewritten into publisher's shortcode syntax.

`{{ x | f: a }}` -> `{{ x | f(a) }}`, `{% tag a b %}` -> `{{ tag(a, b) }}`, a block tag ->
`{% call tag(a) %}…{% endcall %}`, `{% highlight lang %}` -> fenced code, `{% include x.html k=v %}`
-> `{{ x(k=v) }}`, `{% post_url f %}` and `{% link f %}` -> `{{ post_url("f") }}`, `page.` -> `post.`.
Publisher never evaluates code, so Jekyll's `{% raw %}` around code samples is dropped inside code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.importing.bodies import (
    Place,
    call,
    identifier,
    known_filters,
    parse_arguments,
    protect,
    rewrite_outside_code,
)
from publisher.importing.report import Report

_TOKEN = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<expr>.*?)-?\}\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*%\}\n?(?P<code>.*?)\n?"
                        r"\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}(?P<text>.*?)\{%-?\s*endcomment\s*-?%\}", re.DOTALL)
_STRUCTURE = {"if", "elsif", "else", "endif", "for", "endfor", "unless", "endunless", "assign", "capture",
              "endcapture", "case", "when", "endcase", "break", "continue", "set", "endset", "elif"}
_VARIABLE_ROOTS = {"page", "post", "site", "include", "forloop", "metadata"}


@dataclass
class LiquidRewriter:
    """Rewrites the bodies of one site; collects the includes it turned into shortcodes."""

    includes_dir: Path | None
    report: Report
    data: dict[str, Any] = field(default_factory=dict)  # the source's global data by dotted root: constants
    includes: dict[str, str] = field(default_factory=dict)  # shortcode name -> its template, translated
    _known: frozenset[str] = field(default_factory=known_filters)
    _highlighted: set[str] = field(default_factory=set)  # code of `{% highlight %}` blocks, which no source runs

    def body(self, body: str, place: Place) -> str:
        body = _HIGHLIGHT.sub(self._fence, body)
        body = _COMMENT.sub(lambda m: self._count("comment", "{% if false %}{% raw %}" + m.group("text")
                                                  + "{% endraw %}{% endif %}"), body)
        paired = set(re.findall(r"\{%-?\s*end(\w+)", body)) - {"raw", "if", "for", "unless", "capture", "case"}
        guarded = [m.span() for m in _RAW.finditer(body)]

        def code(text: str, offset: int) -> str:
            """Code as written; a code span whose Liquid the source ran (outside `{% raw %}`) is noted."""
            span = "\n" not in text.strip() and text.strip() not in self._highlighted
            unguarded = re.search(r"\{\{|\{%", _RAW.sub("", text)) and not any(a <= offset < b for a, b in guarded)
            if span and unguarded:
                self.report.notes.append(f"{place.path}:{place.line(body, offset)}: template code in code "
                                         f"(`{text.strip()[:50]}`): the source evaluated it; publisher shows it as "
                                         "written (write the value if that was meant)")
            return _unescape_code(text)

        return rewrite_outside_code(body, lambda text, offset: self._text(body, text, offset, place, paired), code)

    def _text(self, body: str, text: str, offset: int, place: Place, paired: set[str]) -> str:
        out, done = [], 0
        for raw in _RAW.finditer(text):  # raw regions come through as they are
            out += [self._tokens(body, text[done:raw.start()], offset + done, place, paired), raw.group(0)]
            done = raw.end()
        out.append(self._tokens(body, text[done:], offset + done, place, paired))
        return "".join(out)

    def _tokens(self, body: str, text: str, offset: int, place: Place, paired: set[str]) -> str:
        def one(found: re.Match[str]) -> str:
            line = place.line(body, offset + found.start())
            if found.group("expr") is not None:
                expr = _front_matter_names(found.group("expr"), place.fields)
                return "{{ " + _absent_as_empty(self.expression(expr, place.path, line), place.written) + " }}"
            args = _front_matter_names(found.group("args").strip(), place.fields)
            return _absent_as_empty(self.tag(found.group("tag"), args, paired, place.path, line), place.written)

        return _TOKEN.sub(one, text)

    def expression(self, expr: str, path: str, line: int) -> str:
        """`x | f: a, b | g` -> `x | f(a, b) | g`; unknown filters reported."""
        head, *filters = _split_outside_quotes(expr.strip(), "|")
        constant = self._constant(head.strip())
        if constant is not None:
            head = constant
            self.report.count("data value written in")
        elif re.match(r"(site\.data\.(?!authors\b)|metadata\.(?!(title|url|description|language)\b))", head.strip()):
            self.report.cannot_map(path, line, "{{ " + expr.strip() + " }}", "",
                                   "the source's data file has no such value: write it in its place")
        parts = [_variables_in(head.strip())]
        for item in filters:
            name, _, args = item.strip().partition(":")
            name = name.strip()
            if name not in self._known and name not in self.includes:
                self.report.cannot_map(path, line, "{{ " + expr.strip() + " }}", name)
            positional, named = parse_arguments(args, _variable) if args.strip() else ([], [])
            parts.append(call(name, positional, named) if args.strip() else name)
            self.report.count("filter with arguments" if args.strip() else "filter")
        return " | ".join(parts)

    def _constant(self, dotted: str) -> str | None:
        """A value of the source's global data files (constant for the whole build) as a literal."""
        if re.fullmatch(r"metadata\.(title|url|description|language)", dotted):
            return None  # the site's own settings: `site.title`, which follows publisher.toml
        for root, values in self.data.items():
            if dotted.startswith(root + "."):
                value: Any = values
                for key in dotted[len(root) + 1:].split("."):
                    value = value.get(key) if isinstance(value, dict) else None
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    return json.dumps(value, ensure_ascii=False)
        return None

    def tag(self, name: str, args: str, paired: set[str], path: str, line: int) -> str:
        if name in ("raw", "endraw"):  # a raw region cut by code: kept, Jinja2 reads it the same
            return "{% " + name + " %}"
        if name in _STRUCTURE:
            return self._count("if/for/assign/capture", _statement(name, args))
        if name in ("include", "include_relative", "render"):
            return self._include(args, path, line)
        if name in ("post_url", "link"):
            target = args.strip().strip("'\"").rsplit("/", 1)[-1]
            target = re.sub(r"\.(md|markdown|html)$", "", target)
            return self._count(name, '{{ post_url("' + target + '") }}')
        if name.startswith("end") and name[3:] in paired:
            return self._count("paired tag", "{% endcall %}")
        if name not in self._known and name not in self.includes:
            self.report.cannot_map(path, line, f"{{% {name} {args} %}}", name)
        positional, named = parse_arguments(args, _variable)
        if name == "image" and positional and re.fullmatch(r'"[^/"][^:"]*"', positional[0]):
            positional[0] = '"/' + positional[0][1:]  # Eleventy's images are relative to the site's root
        if name in paired:
            return self._count("paired tag", "{% call " + call(name, positional, named) + " %}")
        return self._count("tag", "{{ " + call(name, positional, named) + " }}")

    def _include(self, args: str, path: str, line: int) -> str:
        file_name, _, rest = args.strip().partition(" ")
        file_name = file_name.rstrip(",").strip("'\"")
        source = self.includes_dir / file_name if self.includes_dir else None
        if source is not None and source.is_file() and source.suffix not in (".html", ".liquid", ".njk", ".md"):
            return self._count("include of a file, inlined", protect(_inline(source)))
        name = identifier(file_name)
        if source is not None and source.is_file():
            self._translate_include(name, source)
        else:
            self.report.cannot_map(path, line, f"{{% include {args} %}}", name)
        positional, named = parse_arguments(rest.replace(",", " "), _variable)
        return self._count("include", "{{ " + call(name, positional, named) + " }}")

    def _translate_include(self, name: str, source: Path) -> None:
        if name in self.includes:
            return
        self.includes[name] = "…"  # reserved: an include that includes itself is not translated twice
        template = source.read_text(encoding="utf-8")
        converted = self.body(template, Place(str(source.name), 1))
        self.includes[name] = re.sub(r"\binclude\.(\w+)", r"\1", converted)

    def _fence(self, found: re.Match[str]) -> str:
        self.report.count("highlight block")
        code = found.group("code")
        self._highlighted.add(code.strip())
        ticks = "~~~~" if "```" in code else "```"
        return f"{ticks}{found.group('lang')}\n{code}\n{ticks}"

    def _count(self, construct: str, result: str) -> str:
        self.report.count(construct)
        return result


def _statement(name: str, args: str) -> str:
    args = _variables_in(args)
    if name == "assign":
        return "{% set " + args + " %}"
    if name == "capture":
        return "{% set " + args + " %}"
    if name == "endcapture":
        return "{% endset %}"
    if name == "elsif":
        return "{% elif " + _condition(args) + " %}"
    if name == "unless":
        return "{% if not (" + _condition(args) + ") %}"
    if name == "endunless":
        return "{% endif %}"
    if name in ("if",):
        return "{% if " + _condition(args) + " %}"
    if name == "for":  # a Liquid hash (site.authors) iterates as [key, value] pairs
        args = re.sub(r"\bin\s+site\.authors\b(?!\.)", "in site.authors.items()", args)
        return "{% for " + re.sub(r"\s+(limit|offset):\s*\S+", "", args) + " %}"
    return "{% " + f"{name} {args}".strip() + " %}"


def _condition(text: str) -> str:
    text = re.sub(r"(\S+)\s+contains\s+(\S+)", r"\2 in \1", text)
    return re.sub(r"\bnil\b", "none", text)


def _variable(word: str) -> str | None:
    root = word.split(".", 1)[0].split("[", 1)[0]
    return _variables_in(word) if root in _VARIABLE_ROOTS else None


_RENAMED = {"page": "post", "forloop": "loop", "metadata": "site", "site.data.authors": "site.authors",
            "authors": "site.authors"}


def _variables_in(text: str) -> str:
    """`page.title` -> `post.title`, `forloop` -> `loop`, Eleventy's `metadata` -> `site`; strings left alone."""
    pieces = _split_outside_quotes(text, None)
    renamed = r"(?<![\w.])(site\.data\.authors|page|forloop|metadata|authors)(?=\.|\b)"
    return "".join(piece if piece[:1] in "\"'" else re.sub(renamed, lambda m: _RENAMED[m.group(1)], piece)
                   for piece in pieces)


# What Jekyll and Eleventy give every page whatever its front matter (`page.excerpt`, `page.next`, Eleventy's
# `page.fileSlug`): such a name the post lacks is left as written, for the first build to name, never made empty.
_BUILT_IN_PAGE_NAMES = frozenset({
    "content", "title", "excerpt", "url", "date", "id", "categories", "collection", "tags", "dir", "name", "path",
    "next", "previous", "slug", "ext", "summary", "image", "fileSlug", "filePathStem", "inputPath", "outputPath",
    "outputFileExtension", "templateSyntax", "rawInput", "lang"})
_POST_FIELD = re.compile(r"(?<![\w.])post\.([A-Za-z_]\w*)\b(?![\w.\[(])")


def _absent_as_empty(code: str, written: frozenset[str] | None) -> str:
    """`code` with each `post.<name>` of a front-matter field the post does not have written with
    `| default("")`: Liquid writes nothing for it (a `{{ page.subtitle }}` on the posts without one), where
    publisher's bodies stop the build. Names every page has in the source are left (see above)."""
    if written is None:
        return code

    def empty_when_absent(found: re.Match[str]) -> str:
        name = found.group(1)
        return found.group(0) if name in written or name in _BUILT_IN_PAGE_NAMES else f'(post.{name} | default(""))'

    return "".join(piece if piece[:1] in "\"'" else _POST_FIELD.sub(empty_when_absent, piece)
                   for piece in _split_outside_quotes(code, None))


def _front_matter_names(text: str, fields: frozenset[str]) -> str:
    """Eleventy's bare front-matter names (`{{ title }}`) as publisher's `post.title`, outside quotes."""
    if not fields:
        return text
    names = "|".join(sorted((re.escape(f) for f in fields if re.fullmatch(r"[A-Za-z_]\w*", f)), key=len,
                            reverse=True))
    if not names:
        return text
    return "".join(piece if piece[:1] in "\"'" else re.sub(rf"(?<![\w.])({names})\b(?!\s*[=(])", r"post.\1", piece)
                   for piece in _split_outside_quotes(text, None))


def _split_outside_quotes(text: str, separator: str | None) -> list[str]:
    """`text` split at `separator` outside quotes; with None, split into quoted and unquoted pieces."""
    pieces = re.findall(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^"']+""", text)
    if separator is None:
        return pieces or [text]
    out = [""]
    for piece in pieces:
        if piece[:1] in "\"'":
            out[-1] += piece
            continue
        first, *rest = piece.split(separator)
        out[-1] += first
        out += rest
    return out


def _unescape_code(code: str) -> str:
    """Code publisher shows as written: Jekyll's `{% raw %}` guards around it are not needed."""
    return re.sub(r"\{%-?\s*(end)?raw\s*-?%\}", "", code)


def _inline(source: Path) -> str:
    text = source.read_text(encoding="utf-8", errors="replace")
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", text).strip()

