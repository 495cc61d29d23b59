"""Errors that stop a command with one line: UsageError exit code 2, RunError exit code 1."""


class UsageError(Exception):
    """A problem with the command itself: missing input folder, unwritable output, bad option."""


class RunError(Exception):
    """A run that cannot finish (a full disk, a lost scheduler); the journal is kept, so the same
    command run again goes on from where this one stopped. The message names the file or address."""


class Terminated(BaseException):
    """SIGTERM: handled like Ctrl-C (KeyboardInterrupt), with exit code 143."""
