"""Errors that end a run with exit code 2 and one clear line."""

from __future__ import annotations


class RunError(Exception):
    """The run could not be made: the message is the whole line the user sees."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


def located(path: str, line: int | None, message: str) -> str:
    """`path:line: message`, or `path: message` when there is no line."""
    where = f"{path}:{line}" if line else path
    return f"{where}: {message}"
