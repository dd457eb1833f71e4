"""Theme loading and the Jinja2 environment every page, feed and share template is rendered with."""
