"""The command line: build, check, serve, share preview, init and new. The only place that prints."""
