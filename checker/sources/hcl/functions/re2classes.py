"""RE2's character classes: Perl's `\\d \\s \\w`, POSIX's `[:alpha:]` (all ASCII), and
Unicode's general categories `\\pL`, `\\p{Lu}` (from Python's unicodedata), as code point
ranges."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import chain

from checker.sources.hcl import budget
from checker.sources.hcl.valuemodel import EvalError

Ranges = list[tuple[int, int]]
MAX_CODE = 0x10FFFF
FOLD, MULTI, DOTALL, UNGREEDY = 1, 2, 4, 8  # the flags i, m, s and U

PERL = {"d": [(0x30, 0x39)], "s": [(9, 10), (12, 13), (32, 32)],
        "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]}
POSIX = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)], "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0, 0x7F)], "blank": [(9, 9), (32, 32)], "cntrl": [(0, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)], "graph": [(0x21, 0x7E)], "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)], "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(9, 13), (32, 32)], "upper": [(0x41, 0x5A)], "word": PERL["w"],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]}
_SCRIPT = re.compile(r"[A-Z][a-z]+(?:_[A-Z][a-z]+)*|[A-Z][a-z]+[A-Z][a-z]+|Nko|Phags_Pa")


def syntax_error(what: str, text: str) -> EvalError:
    """Go's parse error."""
    return EvalError(f"invalid regexp pattern: {what} in `{text[:40]}`")


def class_part(ranges: Ranges, negated: bool, flags: int) -> Ranges:
    """A class's part (`\\W`, `[:^alpha:]`): folded when case-insensitive, then negated."""
    if flags & FOLD:
        ranges = fold(ranges)
    return complement(ranges) if negated else ranges


@lru_cache(maxsize=1)
def _orbits() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """Go's case-folding orbits (unicode.SimpleFold): the characters equal under Unicode's
    simple case folding, by each member; and the members, sorted."""
    groups: dict[str, list[int]] = {}
    for cp in range(0x41, 0x1E944):  # Go's minFold..maxFold
        ch = chr(cp)
        upper = ch.upper() if len(ch.upper()) == 1 and ch not in "\u0130\u0131" else ch
        key = upper.lower() if len(upper.lower()) == 1 else upper
        groups.setdefault(key, []).append(cp)
    orbit = {cp: tuple(group) for group in groups.values() if len(group) > 1 for cp in group}
    return sorted(orbit), orbit


def fold(ranges: Ranges) -> Ranges:
    """*ranges* with every case of each character in them (Go's appendFoldedRange)."""
    members, orbit = _orbits()
    out = list(ranges)
    for lo, hi in ranges:
        for cp in members[bisect_left(members, lo):bisect_right(members, hi)]:
            out += [(other, other) for other in orbit[cp]]
    return normal(out)


def normal(ranges: Ranges) -> Ranges:
    """*ranges* sorted and merged."""
    out: Ranges = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def complement(ranges: Ranges) -> Ranges:
    """Every code point not in *ranges*."""
    out: Ranges = []
    nxt = 0
    for lo, hi in normal(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    return [*out, (nxt, MAX_CODE)] if nxt <= MAX_CODE else out


@lru_cache(maxsize=1)
def categories() -> dict[str, Ranges]:
    """Code point ranges of each general category (Go's unicode.Categories)."""
    runs: dict[str, Ranges] = {}
    for cp in chain(range(0x323B0), range(0xE0000, 0xE01F0)):
        cat = unicodedata.category(chr(cp))
        run = runs.setdefault(cat, [])
        if run and run[-1][1] == cp - 1:
            run[-1] = (run[-1][0], cp)
        else:
            run.append((cp, cp))
    runs["Co"] += [(0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)]
    runs.pop("Cn", None)
    for major in "CLMNPSZ":
        runs[major] = normal([r for name, rs in runs.items() if name[0] == major for r in rs])
    return runs


def unicode_class(name: str, seq: str) -> Ranges:
    """The ranges of `\\p{name}`: Any, or a general category; a script is not evaluated."""
    if name == "Any":
        return [(0, MAX_CODE)]
    found = categories().get(name) if len(name) <= 2 else None
    if found is not None:
        return found
    if len(name) > 2 and _SCRIPT.fullmatch(name):
        raise budget.BudgetExceeded(f"is not evaluated: tablespec has no table of Unicode "
                                    f"scripts for `{seq[:40]}`")
    raise syntax_error("invalid character class range", seq)


__all__ = ["DOTALL", "FOLD", "MAX_CODE", "MULTI", "PERL", "POSIX", "UNGREEDY", "Ranges",
           "class_part", "complement", "fold", "normal", "syntax_error", "unicode_class"]
