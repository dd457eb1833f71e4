"""Exit codes of a command stopped by a signal: 128 and the signal's number, as shells say."""

INTERRUPTED = 130  # SIGINT (Ctrl-C)
TERMINATED = 143  # SIGTERM
