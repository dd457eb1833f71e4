"""The share feed over the site: the plan, its templates and its output files."""
