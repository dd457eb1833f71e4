"""`publisher import`: Jekyll, Hugo and Eleventy sites read, their bodies rewritten, written as a publisher site."""
