"""The URLs written in CSS: each `url(...)` of a `style` attribute or a `<style>` element.

A `url()` holds its URL bare (`url(/img/bg.png)`) or quoted with `"` or `'`
(in an attribute also `&quot;`, `&apos;`, `&#34;` or `&#39;`), with optional
spaces inside the parentheses (`url( "/img/bg.png" )`); the function name is
case-insensitive. A URL that is only a `#fragment` names an
element of the page itself (CSS resolves it so, whatever the page's URL), and
is never given to the caller. A `url()` that CSS would read otherwise (an
escape, a bare URL with a quote or a space in it, a string broken by a line
end) is left alone rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# One match per url(): its URL quoted with `"` or `'`, with a quote written as a character reference (a `style`
# attribute copied from a browser holds `url(&quot;...&quot;)`, which the browser reads as `url("...")`), or
# bare. Bare URLs cannot hold spaces, quotes, parentheses or backslashes, nor start with `&`: every alternative
# stops at the first character it cannot take, so the search is linear however long or broken the CSS.
_URL = re.compile(r"""url\(\s*(?:"(?P<double>[^"\\\n]*)"|'(?P<single>[^'\\\n]*)'"""
                  r"""|(?P<reference>&(?:quot|apos|\#34|\#39);)(?P<referenced>[^&"'\\\n()]*)(?P=reference)"""
                  r"""|(?P<bare>[^\s"'()\\&][^\s"'()\\]*))\s*\)""", re.IGNORECASE)
_GROUPS = ("double", "single", "referenced", "bare")


def rewrite_css_urls(css: str, rewrite: Callable[[str], str]) -> str:
    """`css` with `rewrite` applied to the URL of each `url()` (but fragment-only ones); all else as it was."""
    if "(" not in css:  # most style attributes hold no url()
        return css
    return _URL.sub(lambda match: _rewritten(match, rewrite), css)


def _rewritten(match: re.Match[str], rewrite: Callable[[str], str]) -> str:
    """The `url()` of `match` with its URL rewritten, quotes and spaces kept."""
    group = next(name for name in _GROUPS if match[name] is not None)
    url = match[group]
    if url.startswith("#"):
        return match[0]
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    return match[0][:start] + rewrite(url) + match[0][end:]
