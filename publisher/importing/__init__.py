"""`publisher import`: Jekyll, Hugo and Eleventy sites read, their bodies rewritten, written as a publisher site."""

GENERATORS = ("jekyll", "hugo", "eleventy")  # what `publisher import` reads (here, so the command line knows them
# without importing the importers)
