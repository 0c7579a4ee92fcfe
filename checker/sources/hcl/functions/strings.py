"""String functions: case, trimming, splitting, joining, substrings.

Terraform's strings are Unicode in normal form C. `upper`, `lower` and `title` map each
character on its own, by Unicode's simple case mappings, as Go's `unicode` package does
(`upper("ß")` stays `ß`, `lower("ΑΣ")` has no final sigma); `substr` and `strrev` count
grapheme clusters (`graphemes`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from checker.sources.hcl import budget
from checker.sources.hcl.functions.graphemes import grapheme_count, graphemes
from checker.sources.hcl.functions.texts import nfc
from checker.sources.hcl.valuemodel import EvalError, TfList

# Go's unicode.IsSpace: Python's str.isspace also takes U+001C..U+001F.
GO_SPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
            "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


# Case: Python's str methods give full mappings (`ß` -> `SS`); Go maps one rune to one.
_SIMPLE_UPPER = {**{chr(c): chr(c + 8) for base in (0x1F80, 0x1F90, 0x1FA0)
                    for c in range(base, base + 8)},
                 "\u1fb3": "\u1fbc", "\u1fc3": "\u1fcc", "\u1ff3": "\u1ffc"}
_SIMPLE_LOWER = {"\u0130": "i"}


def _one(method: Callable[[str], str], exceptions: dict[str, str]) -> Callable[[str], str]:
    """A character's simple mapping by *method* (itself where the full mapping is longer)."""
    @lru_cache(maxsize=4096)
    def mapped(ch: str) -> str:
        """The mapping of one character."""
        out = exceptions.get(ch) or method(ch)
        return out if len(out) == 1 else ch
    return mapped


_UPPER_CHAR = _one(str.upper, _SIMPLE_UPPER)
_LOWER_CHAR = _one(str.lower, _SIMPLE_LOWER)
_TITLE_CHAR = _one(str.title, _SIMPLE_UPPER)


def _upper(text: str) -> str:
    """Go's strings.ToUpper."""
    text = nfc(text)
    return text.upper() if text.isascii() else nfc("".join(map(_UPPER_CHAR, text)))


def _lower(text: str) -> str:
    """Go's strings.ToLower."""
    text = nfc(text)
    return text.lower() if text.isascii() else nfc("".join(map(_LOWER_CHAR, text)))


def _separator(ch: str) -> bool:
    """Go's strings.Title word separator: not a letter, digit or `_` (beyond ASCII, only a
    space separates)."""
    if ch.isascii():
        return not (ch.isalnum() or ch == "_")
    cat = unicodedata.category(ch)
    return cat[0] != "L" and cat != "Nd" and ch in GO_SPACE


def _title(text: str) -> str:
    """Go's strings.Title: the first letter of each word in title case, the rest as is."""
    out: list[str] = []
    after_separator = True
    for ch in nfc(text):
        out.append(_TITLE_CHAR(ch) if after_separator else ch)
        after_separator = _separator(ch)
    return nfc("".join(out))


def whole(value: object, what: str) -> int:
    """*value* as a Go int; EvalError when it is not a whole number that fits one."""
    if isinstance(value, int) and -(1 << 63) <= value < (1 << 63):
        return value
    if isinstance(value, int):
        raise EvalError(f"{what}: value must fit in a 64-bit integer")
    raise EvalError(f"{what}: value must be a whole number")


def _substr(value: str, offset: object, length: object) -> str:
    """`substr(str, offset, length)` in grapheme clusters, as cty's SubstrFunc."""
    text = nfc(value)
    start, count = whole(offset, "offset"), whole(length, "length")
    parts = graphemes(text)
    if start < 0:
        start = max(start + len(parts), 0)  # still negative: from the start
    elif count == 0:
        return ""
    if start >= len(parts):
        return ""
    rest = parts[start:]
    # A length of 0 after a negative offset takes the rest, as cty does.
    return "".join(rest if count <= 0 else rest[:count])


def _indent(spaces: object, value: str) -> str:
    """`indent(n, str)`: n spaces after each newline."""
    n = whole(spaces, "spaces")
    if n < 0:
        raise EvalError("spaces: must not be negative")
    text = nfc(value)
    budget.text(n)
    budget.text(len(text) + text.count("\n") * n)
    return text.replace("\n", "\n" + " " * n)


def _join(sep: str, *lists: object) -> str:
    """`join(sep, lists...)`: null elements are errors."""
    if not lists:
        raise EvalError("at least one list is required")
    items: list[str] = []
    for li, items_of in enumerate(lists):
        assert isinstance(items_of, list)
        for ei, item in enumerate(items_of):
            if item is None:
                where = f"element {ei} of list {li + 1}" if len(lists) > 1 else f"element {ei}"
                raise EvalError(f"{where} is null; cannot concatenate null values")
            assert isinstance(item, str)
            items.append(item)
    budget.text(sum(map(len, items)) + len(sep) * max(len(items) - 1, 0))
    return nfc(sep.join(items))


def _split(sep: str, value: str) -> TfList:
    """`split(sep, str)`: an empty separator splits into characters (code points)."""
    text, sep = nfc(value), nfc(sep)
    if not sep:
        budget.elements(len(text))
        return TfList(text)
    budget.elements(text.count(sep) + 1)
    return TfList(text.split(sep))


def _replace(value: str, old: str, new: str) -> str:
    """`replace(str, substr, replacement)`: a substring, or a `/regexp/` (RE2)."""
    text, old, new = nfc(value), nfc(old), nfc(new)
    if len(old.encode("utf-8")) > 1 and old[0] == "/" and old[-1] == "/":
        from checker.sources.hcl.functions import regex  # RE2 only when a pattern is used

        return nfc(regex.replace_all(old[1:-1], text, new))
    times = len(text) + 1 if not old else text.count(old)
    budget.text(len(text) + times * (len(new) - len(old)))
    return nfc(text.replace(old, new))


def _strrev(value: str) -> str:
    """`strrev(str)`: its grapheme clusters in reverse order."""
    return nfc("".join(reversed(graphemes(nfc(value)))))


def _chomp(value: str) -> str:
    """`chomp(str)`: every newline (CR, LF, CRLF) at its end removed."""
    return nfc(value).rstrip("\r\n")


def _text(fn: Callable[..., object]) -> Callable[..., object]:
    """*fn* given its string arguments in normal form C."""
    return lambda *args: fn(*(nfc(a) if isinstance(a, str) else a for a in args))


FUNCTIONS: dict[str, Callable[..., object]] = {
    "chomp": _chomp,
    "endswith": _text(str.endswith),
    "indent": _indent,
    "join": _join,
    "lower": _lower,
    "replace": _replace,
    "split": _split,
    "startswith": _text(str.startswith),
    "strcontains": _text(str.__contains__),
    "strrev": _strrev,
    "substr": _substr,
    "title": _title,
    "trim": _text(lambda s, cutset: s.strip(cutset)),
    "trimprefix": _text(str.removeprefix),
    "trimsuffix": _text(str.removesuffix),
    "trimspace": _text(lambda s: s.strip(GO_SPACE)),
    "upper": _upper,
}

__all__ = ["FUNCTIONS", "GO_SPACE", "grapheme_count", "graphemes", "whole"]
