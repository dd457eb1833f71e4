"""What Pinterest's own bulk upload (business accounts: Settings → Import content) takes of a Pin.

Its CSV file has the header `Title, Media URL, Pinterest board, Thumbnail, Description, Link, Publish date,
Keywords`, at most 200 rows. Title (at most 100 characters), Media URL and the board are required: a Pin is an
image, and Pinterest fetches it from the Media URL, a direct JPEG or PNG file. The board is the account's board
by name, or `Board/Section`. Thumbnail is for a video Pin's cover only. Publish date is `yyyy-mm-ddThh:mm:ss` in
UTC, in the future. A Link repeated in one file is refused ("Duplicate Pin link"), and rows sharing a Media URL
have been seen to fail after the first.

Sources: Pinterest Help, "Bulk upload Pins" (help.pinterest.com/en/business/article/bulk-upload-video-pins), as
public exporters quote it, and the InsightPins CSV checker's rules from its uploads (October 2026).
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

BOARD_SETTING = "share.networks.pinterest.board"
HEADER = ("Title", "Media URL", "Pinterest board", "Thumbnail", "Description", "Link", "Publish date", "Keywords")
MAX_ROWS = 200
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"  # read as UTC


def pin_image_problem(image: str) -> str:
    """Why Pinterest's bulk upload would refuse a Pin with this image as its Media URL ("" when it takes it): it
    has none, or it is not an absolute http(s) URL of a JPEG or PNG file (by its name: one named without a type,
    as image CDNs serve them, is taken at its word)."""
    if not image:
        return "has no image, and a Pin is an image"
    parts = urlsplit(image)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"its image {image} is not an absolute URL Pinterest can fetch"
    suffix = posixpath.splitext(parts.path.lower())[1]
    if suffix and suffix not in IMAGE_SUFFIXES:  # none: another site's image served by its address (a CDN's)
        return f"its image {image} is not a JPEG or PNG file, which is what Pinterest's bulk upload takes"
    return ""
