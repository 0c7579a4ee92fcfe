"""How a run ends badly: RunError (exit 2, one clear line) and a bug of ours (exit 3)."""

from __future__ import annotations

import os
import sys

DEBUG = "TABLESPEC_DEBUG"


class RunError(Exception):
    """The run could not be made: the message is the whole line the user sees."""

    def __init__(self, message: str, *, details: list[str] | None = None,
                 more: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.more = more or []  # further lines the user sees: a file's other problems


def located(path: str, line: int | None, message: str) -> str:
    """`path:line: message`, or `path: message` when there is no line."""
    where = f"{path}:{line}" if line else path
    return f"{where}: {message}"


def report_bug(what: str, tracebacks: list[str]) -> None:
    """The one line that says tablespec itself failed (exit 3); tracebacks with DEBUG set."""
    if os.environ.get(DEBUG):
        for text in tracebacks:
            print(text, file=sys.stderr, end="" if text.endswith("\n") else "\n")
        hint = "please report it"
    else:
        hint = f"rerun with {DEBUG}=1 for the traceback and report it"
    print(f"tablespec: internal error (a bug in tablespec, not in your input): {what}; {hint}",
          file=sys.stderr)
