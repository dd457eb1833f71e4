"""Hugo shortcodes in bodies rewritten into publisher's syntax; Go template code elsewhere kept as text.

`{{< figure src=… >}}` -> `{{ figure(…) }}`, `{{< youtube id >}}`, `{{< vimeo id >}}`, `{{< ref "x.md" >}}`
and `relref` -> `{{ post_url("x.md") }}`, `{{< highlight go >}}…{{< /highlight >}}` -> fenced code,
a site's own `{{< name a k=v >}}` -> `{{ name(a, k=v) }}`, and paired ones (`{{< note >}}…{{< /note >}}`,
`{{% note %}}…{{% /note %}}`) -> `{% call note() %}…{% endcall %}`. A site's simple shortcode templates
(`.Get`, `.Inner`, `with`/`if`) are translated; the rest are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from publisher.importing.bodies import Place, call, identifier, parse_arguments, protect, rewrite_outside_code
from publisher.importing.report import Report

# `{{< name a k=v >}}`, its closing `{{< /name >}}`, self-closed `{{< name a />}}` (Hugo's form for a shortcode
# whose template reads `.Inner`, given none), or escaped as `{{</* name */>}}`
_SHORTCODE = re.compile(r"\{\{(?P<open>[<%])(?P<comment>/\*)?\s*(?P<close>/)?\s*(?P<name>[\w./-]+)(?P<args>.*?)"
                        r"(?P<selfclosed>\s/)?(?(comment)\*/)\s*[>%]\}\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{\{[<%]\s*highlight\s+(?P<lang>[\w+#.-]+)[^>%]*[>%]\}\}\n?(?P<code>.*?)\n?"
                        r"\{\{[<%]\s*/highlight\s*[>%]\}\}", re.DOTALL)


@dataclass
class HugoRewriter:
    """Rewrites the bodies of one Hugo site; translates the site's shortcode templates it can."""

    shortcodes_dir: Path | None
    report: Report
    templates: dict[str, str] = field(default_factory=dict)  # name -> publisher template
    _untranslatable: set[str] = field(default_factory=set)

    def body(self, body: str, place: Place) -> str:
        body = _HIGHLIGHT.sub(self._fence, body)
        paired = {m.group("name") for m in _SHORTCODE.finditer(body) if m.group("close") and not m.group("comment")}
        def code(text: str, offset: int) -> str:
            if any(not m.group("comment") for m in _SHORTCODE.finditer(text)):
                self.report.notes.append(f"{place.path}:{place.line(body, offset)}: a shortcode in code: Hugo "
                                         "ran it; publisher shows it as written")
            return _uncomment(text)

        return rewrite_outside_code(body, lambda text, offset: self._text(body, text, offset, place, paired), code)

    def _text(self, body: str, text: str, offset: int, place: Place, paired: set[str]) -> str:
        out, done = [], 0
        for found in _SHORTCODE.finditer(text):
            out += [protect(text[done:found.start()]),
                    self._shortcode(found, paired, place.path, place.line(body, offset + found.start()))]
            done = found.end()
        out.append(protect(text[done:]))
        return "".join(out)

    def _shortcode(self, found: re.Match[str], paired: set[str], path: str, line: int) -> str:
        name, args = found.group("name"), found.group("args").strip()
        if found.group("comment"):  # `{{</* x */>}}`: Hugo shows `{{< x >}}`
            words = " ".join(word for word in (f"{'/' if found.group('close') else ''}{name}", args) if word)
            return protect(f"{{{{{found.group('open')} {words} {'>' if found.group('open') == '<' else '%'}}}}}")
        if found.group("close"):
            return self._count("paired shortcode", "{% endcall %}")
        positional, named = parse_arguments(args, lambda word: None)
        built_in = _built_in(name, positional, dict(named))
        if built_in is not None:
            return self._count(f"{{{{< {name} >}}}}", "{{ " + built_in + " }}")
        ident = identifier(name)
        self._template(name, ident, path, line, found.group(0))
        if name in paired:
            ending = "{% endcall %}" if found.group("selfclosed") else ""  # given no inner text
            return self._count("paired shortcode", "{% call " + call(ident, positional, named) + " %}" + ending)
        return self._count("shortcode", "{{ " + call(ident, positional, named) + " }}")

    def _template(self, name: str, ident: str, path: str, line: int, written: str) -> None:
        """Translate `layouts/shortcodes/<name>.html` once; report each use when it cannot be."""
        if ident not in self.templates and ident not in self._untranslatable:
            source = self.shortcodes_dir / f"{name}.html" if self.shortcodes_dir else None
            translated = translate_go_template(source.read_text(encoding="utf-8")) if source and source.is_file() \
                else None
            if translated is None:
                self._untranslatable.add(ident)
            else:
                self.templates[ident] = translated
        if ident in self._untranslatable:
            self.report.cannot_map(path, line, written, ident)

    def _fence(self, found: re.Match[str]) -> str:
        self.report.count("highlight block")
        return f"```{found.group('lang')}\n{found.group('code')}\n```"

    def _count(self, construct: str, result: str) -> str:
        self.report.count(construct)
        return result


def _built_in(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    """Hugo's own shortcodes as publisher's built-ins."""
    first = positional[0] if positional else None
    if name == "figure":
        caption = named.get("caption") or named.get("title") or '""'
        return call("figure", [named.get("src") or first or '""'], [("alt", named.get("alt") or '""'),
                                                                     ("caption", caption)])
    if name == "youtube":
        return call("youtube", [named.get("id") or first or '""'], [("title", named["title"])] if "title" in named
                    else [])
    if name == "vimeo" and (named.get("id") or first):
        return call("embed", ['"https://vimeo.com/' + (named.get("id") or first or "").strip('"') + '"'], [])
    if name in ("ref", "relref") and first:
        target, _, anchor = first.strip('"').partition("#")
        return call("post_url", [f'"{_imported_name(target)}"'], []) + (f' ~ "#{anchor}"' if anchor else "")
    if name == "gist" and len(positional) >= 2:
        user, gist = (p.strip('"') for p in positional[:2])
        return call("embed", [f'"https://gist.github.com/{user}/{gist}"'], [])
    return None


def _imported_name(target: str) -> str:
    """The file a `ref` names, as the import writes it: a page bundle (`posts/launch/index.md`, `posts/launch/`) is
    its folder's name (`launch.md`), anything else its own file name."""
    parts = [part for part in target.split("/") if part]
    if len(parts) > 1 and parts[-1] in ("index.md", "index", "_index.md", "index.markdown"):
        parts.pop()
    return parts[-1] if parts else target


_GO_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)


def translate_go_template(text: str) -> str | None:
    """A Hugo shortcode template as publisher's, when it uses only `.Get`, `.Inner`, `with`, `if`, `else`
    and `end` (with `relURL`, `absURL`, `markdownify`); None when it needs more."""
    blocks: list[str] = []

    def action(found: re.Match[str]) -> str:
        code = found.group(1)
        if code.startswith("/*"):
            return ""
        get = re.fullmatch(r"(with|if)\s+\.Get\s+(\"\w+\"|\d+)", code)
        if get:
            blocks.append("with" if get.group(1) == "with" else "if")
            blocks_var = _get(get.group(2))
            return "{% set _it = " + blocks_var + " %}{% if _it %}" if get.group(1) == "with" else \
                "{% if " + blocks_var + " %}"
        if code == "end" and blocks:
            blocks.pop()
            return "{% endif %}"
        if code == "else" and blocks:
            return "{% else %}"
        value = _go_value(code)
        if value is None:
            raise LookupError(code)
        return "{{ " + value + " }}"

    text = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", text, flags=re.DOTALL)  # comments may hold `}}`
    try:
        return _GO_ACTION.sub(action, text).strip() + "\n"
    except LookupError:
        return None


def _go_value(code: str) -> str | None:
    head, *pipes = [part.strip() for part in code.split("|")]
    if head == ".":
        value = "_it"
    elif head in (".Inner", ".Inner.Markdownify"):
        value = "body | markdown" if head.endswith("Markdownify") else "caller()"
    else:
        found = re.fullmatch(r"\.Get\s+(\"\w+\"|\d+)", head)
        if found is None:
            return None
        value = _get(found.group(1))
    for pipe in pipes:
        mapped = {"relURL": "url", "absURL": "absolute_url", "markdownify": "markdown",
                  ".Page.RenderString": "markdown", "safeHTML": None}.get(pipe, "?")
        if mapped == "?":
            return None
        if mapped == "markdown" and value == "caller()":
            value = "body | markdown"
        elif mapped:
            value += f" | {mapped}"
    return value


def _get(key: str) -> str:
    """`.Get 0` -> `args[0]`; `.Get "title"` -> the keyword argument, empty when not given."""
    if key.isdigit():
        return f"(args[{key}] if args|length > {key} else '')"
    return f"{key.strip(chr(34))} | default('')"


def _uncomment(code: str) -> str:
    """In code, Hugo's escaped form `{{</* x */>}}` shows as `{{< x >}}`."""
    return re.sub(r"\{\{([<%])/\*\s*(.*?)\s*\*/([>%])\}\}", r"{{\1 \2 \3}}", code, flags=re.DOTALL)
