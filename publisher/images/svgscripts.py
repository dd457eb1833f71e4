"""Scripts in the SVG files a site publishes from `static/`.

An SVG is a document of its own: opened at its URL (a link to it, a reader's "open image in new tab", its URL sent
to someone), its `<script>`, its event handlers (`onload=`, `onclick=`…) and its `javascript:` links run as a page
of the site's own origin, with the site's cookies, storage and forms: an SVG taken from elsewhere is an XSS hole.
Pages that show it in an `<img>` never run them, so the page looks right and nothing tells the writer. Each is a
warning naming the file and line (`--strict` makes them fail the build), what svgo's `removeScripts` plugin removes
(svgo 4; `removeScriptElement` in svgo 3): script elements, event attributes, `javascript:` links.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from pathlib import Path
from xml.parsers import expat

from publisher.core.errors import Problem

# What browsers skip before a URL's scheme, and drop inside it (the URL standard: `java\tscript:` is `javascript:`).
_SKIPPED_BEFORE = re.compile(r"^[\x00-\x20]+")
_DROPPED_INSIDE = re.compile(r"[\t\n\r]")


def script_places(svg: bytes) -> list[tuple[int, str]]:
    """(line, what) for each script an SVG holds, in order; what comes before a parse error too (browsers may show
    and run the part of a damaged SVG before its error). Read by expat: no external entity is fetched."""
    found: list[tuple[int, str]] = []
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attributes: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if _local(name) == "script":
            found.append((line, "a <script> element"))
        for attribute, value in attributes.items():
            if _local(attribute).startswith("on"):
                found.append((line, f"an event handler ({attribute}=)"))
            elif any(is_javascript_url(part) for part in value.split(";")):  # `values="a;javascript:…"` animates to it
                found.append((line, f"a javascript: URL ({attribute}=)"))

    parser.StartElementHandler = start
    with contextlib.suppress(expat.ExpatError):
        parser.Parse(svg, True)
    return found


def is_javascript_url(value: str) -> bool:
    """Whether a browser reads `value` as a `javascript:` URL (case, leading spaces and tabs inside ignored)."""
    cleaned = _DROPPED_INSIDE.sub("", _SKIPPED_BEFORE.sub("", value))
    return cleaned[:11].lower() == "javascript:"


def _local(name: str) -> str:
    """An element or attribute name without its prefix (`svg:script` -> `script`), in lower case."""
    return name.rsplit(":", 1)[-1].lower()


def svg_script_warnings(files: Iterable[tuple[str, Path]]) -> list[Problem]:
    """A warning for each script in each published SVG: (path as shown, file) for each."""
    warnings = []
    for shown, file in files:
        for line, what in script_places(file.read_bytes()):
            warnings.append(Problem(shown, line, "svg", (
                f"{what}: opened at its own URL, the SVG runs it as a page of this site (its cookies, storage, "
                "forms): remove it (svgo's removeScripts plugin does); pages showing it in <img> never run it")))
    return warnings
