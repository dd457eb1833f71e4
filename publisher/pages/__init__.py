"""HTML pages: views (what templates see), SEO metadata, fingerprints and the renderer."""
