"""The build as named stages, its caches and the up-to-date check."""
