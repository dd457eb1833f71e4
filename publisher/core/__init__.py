"""The base every stage stands on: problems and errors, hashing, plain text, dates, slugs, the spool.

Imports nothing else from publisher."""
