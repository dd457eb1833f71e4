"""RSS, Atom and JSON Feed (the one place that imports feedgen), and the sitemap."""
