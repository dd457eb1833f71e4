"""publisher: a static-site generator for brand content hubs."""

__version__ = "0.1.0"
