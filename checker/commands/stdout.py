"""Writing a command's result to stdout, as every command does."""

from __future__ import annotations

import os
import sys

from checker.errors import RunError


def to_stdout(text: str) -> None:
    """Write *text* to stdout. A reader that went away (`| head`) only ends the output; a
    stdout that takes no more (a full disk) is a run that could not be made (exit 2).
    Either way what is left unwritten goes nowhere, so nothing tries to write it again at
    exit."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise RunError("cannot write to stdout: it is closed; redirect it to a file")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as err:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        if not isinstance(err, BrokenPipeError):
            raise RunError(f"cannot write to stdout: {err.strerror}") from None
