"""Plain text out of HTML fragments: for meta descriptions, summaries and word counts."""

from __future__ import annotations

import html
import re
from itertools import islice

_TAG = re.compile(r"<[^>]+>")
# Tags that end a run of text (a paragraph, a list item, a line break): a space where they stood. Inline tags
# (<code>, <strong>, <a>) vanish, so "<strong>bold</strong>." reads "bold." and not "bold .".
_BREAKING_TAG = re.compile(r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|td|th|figure|"
                           r"figcaption|section|article|aside|header|footer|img)\b[^>]*>", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# A run of white space, but a no-break space (U+00A0, narrow U+202F, figure U+2007): those hold two words together
# on purpose (French `« Bonjour »`, `10\u00a0%`), and a meta description or a share text keeps them.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")
# Scripts written without spaces between words (Thai, Hiragana and Katakana, CJK ideographs, Hangul syllables,
# whose particles join the word before): a run of them is no word, so each of their characters is a unit.
_SPACELESS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af"
_UNIT = re.compile(rf"[{_SPACELESS}]|[^\W{_SPACELESS}]+")

# Characters XML 1.0 forbids and HTML calls errors: C0 and C1 controls but tab, newline and carriage return,
# and the non-characters U+FFFE and U+FFFF. Text pasted from Word or a PDF carries them (form feeds, vertical tabs).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def counted(number: int, noun: str) -> str:
    """`number` `noun`s, or one, as a summary line says it: "1 post", "2 posts", "0 pages" (regular nouns)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, whitespace collapsed, no-break spaces kept (for meta descriptions and summaries)."""
    return collapsed(html.unescape(without_tags(_TAG, "", without_tags(_BREAKING_TAG, " ", fragment))))


def shortened(text: str, limit: int) -> str:
    """`text` (white space collapsed) in at most `limit` characters, cut at a word boundary with an ellipsis ("…",
    where Jinja2's `truncate` writes "..."): templates have it as the `shorten` filter."""
    text = collapsed(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # and the ellipsis
    if text[limit - 1] != " " and " " in cut:  # the cut is inside a word: drop the word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-") + "…"


# Template code (Liquid's and Jinja's tags, output and comments), the marks that open a Markdown line (`#`, `>`, a
# list's `-`) and its emphasis and code marks (`**`, `` ` ``): none of it is the words a reader saw.
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_LINE_MARKS = re.compile(r"^[ \t]*(?:#{1,6}|>|[-*+])[ \t]+|[*`]+|(?<!\w)__|__(?!\w)", re.MULTILINE)


def opening_words(body: str, limit: int = 80) -> str:
    """The words a page's body opens with, as a message quotes them: template code, HTML tags and Markdown's marks
    left out, cut at `limit` characters. Empty when the body has no words of its own."""
    return shortened(plain_text(_LINE_MARKS.sub("", _TEMPLATE_CODE.sub(" ", body))), limit)


def collapsed(text: str) -> str:
    """`text` with each run of white space one space, and none at either end; no-break spaces are kept."""
    if "\u00a0" not in text and "\u202f" not in text and "\u2007" not in text:
        return " ".join(text.split())  # a fifth of the time, for the text of every post
    return _BREAKING_SPACE.sub(" ", text).strip()


def count_words(fragment: str) -> int:
    """Words in an HTML fragment's text; "don't" and "long-form" count as one."""
    return len(_WORD.findall(html.unescape(without_tags(_TAG, " ", fragment))))


def without_tags(tag: re.Pattern[str], replacement: str, fragment: str) -> str:
    """`tag.sub(replacement, fragment)`, for a pattern of a tag that ends at its first `>`: run on the fragment up
    to its last `>` alone, where every `<` that starts one finds its end, so that none is tried to the end of the
    fragment (`<` 32,000 times, or `<p ` 8,000 times, took seconds: each `<` tried again up to the end)."""
    text = str(fragment)  # a Markup's slice is Markup, and a string joined to it would be escaped
    end = text.rfind(">") + 1
    return tag.sub(replacement, text[:end]) + text[end:]


def count_plain_words(text: str) -> int:
    """Words in plain text, counted as `count_words` counts them in HTML."""
    return len(_WORD.findall(text))


def text_units(text: str) -> list[str]:
    """The units a phrase is looked for by in a text: its words, and each character of a script written without
    spaces ("東京のラーメン" is 東 京 の ラ ー メ ン, so "ラーメン" is found in it, as a search engine finds it)."""
    return _UNIT.findall(text)


def written_without_spaces(char: str) -> bool:
    """Whether `char` is of a script written without spaces between words (Thai, Japanese kana, CJK ideographs,
    Hangul syllables): a line may break before or after it, as it may at a space."""
    return _SPACELESS_CHAR.fullmatch(char) is not None


_SPACELESS_CHAR = re.compile(f"[{_SPACELESS}]")


def absent_private_use(text: str, count: int) -> tuple[str, ...] | None:
    """The first `count` private-use characters (U+E000 on) that `text` does not hold, found in one pass over it: a
    marker made of them stands for something inside the text and never reads as the text's own. None when fewer
    are left (a text holding nearly all 6,400 of them)."""
    present = set(text)
    absent = tuple(islice((c for c in map(chr, range(0xE000, 0xF900)) if c not in present), count))
    return absent if len(absent) == count else None
