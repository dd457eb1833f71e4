"""The team's tools over the hub as a whole: the audit, the editorial calendar, pings to search engines.

They read what a build knows (the site, the share plan) and never change how a page renders.
"""
