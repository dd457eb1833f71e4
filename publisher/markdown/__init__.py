"""Markdown to HTML: the result type, the finishing every engine shares, one module per engine."""
