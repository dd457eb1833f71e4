"""`publisher import`: Jekyll, Hugo and Eleventy sites and WordPress and Ghost exports read, their bodies
rewritten, written as a publisher site."""

# What `publisher import` reads (here, so the command line knows them without importing the importers).
GENERATORS = ("jekyll", "hugo", "eleventy", "wordpress", "ghost")
