"""Bounds on the YAML tablespec reads (specs and waiver files), and how a message names a
value without dumping it.

A spec of 10,000 tables is about 3 MiB and 280,000 values; the bounds leave room for
larger ones and stop anything that would take more than seconds or a few hundred MB.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from checker.errors import RunError

MAX_BYTES = 8 * 1024 * 1024  # a file; 16,000 tables written out are 4.6 MiB
MAX_VALUES = 500_000  # every scalar, mapping and list, aliases expanded
MAX_ALIAS_VALUES = 100_000  # values that aliases (and `<<` merges) copy in
MAX_DEPTH = 32  # nesting of mappings and lists; a spec needs 7
MAX_NUMBER_CHARS = 1000  # the text of one number
MAX_SHOWN = 50  # problems listed by `spec validate`; the rest are counted


def brief(value: Any, limit: int = 40) -> str:
    """*value* as a message names it: repr, cut to *limit* characters, on one line."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        return repr(value) if math.isfinite(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, int):
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else 4300
        return str(value) if digits <= 20 else f"a {digits}-digit number"
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else _one_line(text)
    shown = repr(text[:limit]) if isinstance(value, str) else _one_line(text[:limit])
    return f"{shown}... ({len(text)} characters)"


def closest(value: str, known: list[str]) -> str | None:
    """The known name *value* most likely misspells (a did-you-mean), or None."""
    import difflib  # only on a bad name

    hint = difflib.get_close_matches(value, known, n=1)
    return hint[0] if hint else None


def kind_of(value: Any) -> str:
    """What *value* is, as "expected X, got Y" says it: a float by its value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float):
        return brief(value)
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def number_text(x: float) -> str:
    """A bound as a message writes it: 8784, 1e+108."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else f"{x:g}"


def _one_line(text: str) -> str:
    return text if text.isprintable() else repr(text)


def key_text(key: Any) -> str:
    """A mapping key as a path segment: itself when short and printable, else brief."""
    if isinstance(key, str) and key.isprintable() and 0 < len(key) <= 64:
        return key
    return brief(key)


def read_limited(path: str | Path, what: str, missing: str) -> str:
    """The UTF-8 text of *path*, at most MAX_BYTES; RunError (naming *what*) otherwise."""
    name = str(path)
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RunError(f"{name}: {missing}") from None
    except OSError as err:
        raise RunError(f"{name}: cannot read {what}: {err.strerror or type(err).__name__}") \
            from None
    if len(raw) > MAX_BYTES:
        raise RunError(f"{name}: {what} is larger than {MAX_BYTES // (1024 * 1024)} MiB; "
                       "split it or remove what it does not need")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise RunError(f"{name}:{line}: {what} is not UTF-8 text") from None
