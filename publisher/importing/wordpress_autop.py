"""WordPress's `wpautop`, which it runs on a classic post's text when showing it: the export holds the text
as written, paragraphs as blank lines and line breaks as newlines, with no `<p>` nor `<br>` around them.

Ported from `wpautop()` in WordPress's wp-includes/formatting.php (6.x), step for step where the result
is seen (paragraphs, line breaks, block elements left unwrapped, `<pre>` left alone); a post written in
the block editor has its `<p>` already, and WordPress leaves it as it is.
"""

from __future__ import annotations

import re

_BLOCKS = (r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
           r"blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
           r"nav|figure|figcaption|details|menu|summary)")
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_NEWLINE_MARK = " <!-- wpnl --> "  # a newline inside a tag, kept out of the paragraph split (WordPress's own mark)


def wpautop(text: str) -> str:
    """`text` with its paragraphs in `<p>` and its other newlines `<br />`, as WordPress shows a classic post."""
    if not text.strip():
        return ""
    text, pres = _pre_held(text + "\n")
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<{_BLOCKS}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{_BLOCKS}>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"<[^<>]*>", lambda tag: tag.group(0).replace("\n", _NEWLINE_MARK), text)
    text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
    text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in re.split(r"\n\s*\n", re.sub(r"\n\n+", "\n\n", text))
                   if part)
    text = _unwrapped_blocks(text)
    text = _line_breaks(text)
    text = re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for mark, pre in pres.items():
        text = text.replace(mark, pre)
    return text.replace(_NEWLINE_MARK, "\n").replace(_NEWLINE_MARK.strip(), "\n")


def _pre_held(text: str) -> tuple[str, dict[str, str]]:
    """`text` with each `<pre>` replaced by a mark (its newlines are not paragraphs), and the marks."""
    pres: dict[str, str] = {}

    def hold(found: re.Match[str]) -> str:
        mark = f"<pre wp-pre-tag-{len(pres)}></pre>"
        pres[mark] = found.group(0)
        return mark

    return _PRE.sub(hold, text), pres


def _unwrapped_blocks(text: str) -> str:
    """No `<p>` around nothing, around a block element's tag, nor around a list item; a quote's inside it."""
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_BLOCKS}[^>]*>)", r"\1", text)
    return re.sub(rf"(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1", text)


def _line_breaks(text: str) -> str:
    """Each newline left inside a paragraph a `<br />`, but in scripts, styles, SVG and MathML."""
    kept = "<WPPreserveNewline />"
    text = re.sub(r"<(script|style|svg|math).*?</\1>", lambda found: found.group(0).replace("\n", kept), text,
                  flags=re.DOTALL)
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    return text.replace(kept, "\n")
