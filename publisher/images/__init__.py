"""Facts about the site's own images (type, size) that link previews and feeds want."""
