"""Errors that stop a command with one line and exit code 2."""


class UsageError(Exception):
    """A problem with the command itself: missing input folder, unwritable output, bad option."""
