"""Site settings: `publisher.toml` read once into a frozen `SiteConfig`."""
