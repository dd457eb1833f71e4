"""The content model and the stage that reads it: discovery, front matter, posts, CTAs, links."""
