"""`fileset`'s globbing: github.com/bmatcuk/doublestar v1.1.5, as Terraform 1.11 uses it.

`*`, `?`, `[class]`, `{alt,ernatives}`, `\\` escapes and `**` across directories, with
that version's own quirks kept (a directory matched by a final `**` is a match; an error
in one branch of `**` can be overwritten by the next). Directories are walked only inside
the place (`Outside` otherwise), a step of the budget for each entry.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from checker.sources.hcl import budget


class BadPattern(Exception):
    """The pattern is malformed (Go's path.ErrBadPattern)."""


class Outside(Exception):
    """The walk would read a directory outside the place."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def split(path: str, separator: str) -> list[str]:
    """doublestar's splitPathOnSeparator: split at *separator*, except where escaped."""
    if separator not in path:
        return [path]
    out: list[str] = []
    start, empty_end = 0, False
    while start < len(path):
        end = _index(path[start:], separator)
        if end == -1:
            empty_end, end = False, len(path)
        else:
            empty_end, end = True, end + start
        out.append(path[start:end])
        start = end + 1
    if empty_end:
        out.append("")
    return out


def _index(text: str, char: str) -> int:
    """doublestar's indexRuneWithEscaping: the first *char* not preceded by a backslash."""
    end = text.find(char)
    if end > 0 and text[end - 1] == "\\":
        rest = _index(text[end + 1:], char)
        return -1 if rest == -1 else rest + end + 1
    return end


def match(pattern: str, name: str) -> bool:
    """doublestar's matchComponent: *name* (one path component) against *pattern*."""
    budget.step()
    if not pattern:
        return not name
    if not name and pattern != "*":
        return False
    p = n = 0
    while p < len(pattern) and n < len(name):
        char = pattern[p]
        if char == "\\":
            p += 1
            if p >= len(pattern):
                raise BadPattern
            if pattern[p] != name[n]:
                return False
            p, n = p + 1, n + 1
        elif char == "*":
            p += 1
            if p >= len(pattern):
                return True
            return any(_quiet(pattern[p:], name[i:]) for i in range(n, len(name)))
        elif char == "[":
            end = _index(pattern[p + 1:], "]")
            if end == -1:
                raise BadPattern
            end += p + 1
            if not _in_class(pattern[p + 1:end], name[n]):
                return False
            p, n = end + 1, n + 1
        elif char == "{":
            end = _index(pattern[p + 1:], "}")
            if end == -1:
                raise BadPattern
            end += p + 1
            rest = pattern[end + 1:]
            return any(match(option + rest, name[n:])
                       for option in split(pattern[p + 1:end], ","))
        elif char in ("?", name[n]):
            p, n = p + 1, n + 1
        else:
            return False
    if p >= len(pattern) and n >= len(name):
        return True
    return (n >= len(name) and pattern[p:] == "*") or pattern[p:] == "**"


def _quiet(pattern: str, name: str) -> bool:
    """`match`, a bad pattern taken as no match (as doublestar does after a `*`)."""
    try:
        return match(pattern, name)
    except BadPattern:
        return False


def _in_class(runes: str, char: str) -> bool:
    """Whether *char* is in the bracket class *runes* (its `^` negation applied)."""
    if not runes:
        raise BadPattern
    i = 1 if runes[0] == "^" else 0
    found = False
    while i < len(runes):
        low = runes[i]
        if low == "-":
            raise BadPattern
        i += 1
        if low == "\\":
            if i >= len(runes):
                raise BadPattern
            low, i = runes[i], i + 1
        high = low
        if i < len(runes) and runes[i] == "-":
            i += 1
            if i >= len(runes) or runes[i] == "-":
                raise BadPattern
            high, i = runes[i], i + 1
            if high == "\\":
                if i >= len(runes):
                    raise BadPattern
                high, i = runes[i], i + 1
        if low <= char <= high:
            found = True
    return found != (runes[0] == "^")


def glob(pattern: str, inside: Callable[[str], bool]) -> tuple[list[str], bool]:
    """doublestar.Glob of an absolute *pattern*: (every path it matches, directories too,
    whether it fails as a bad pattern). *inside* says which directories may be read."""
    parts = split(pattern, "/")
    found: list[str] = []
    if parts[0] == "":
        bad = _walk("/", parts[1:], found, inside)
    else:
        bad = _walk(".", parts, found, inside)
    return found, bad


def _walk(base: str, parts: list[str], found: list[str], inside: Callable[[str], bool]) -> bool:
    """doublestar's doGlob: matches added to *found*; whether it ends with a bad pattern
    (each step overwrites that, as the Go code does)."""
    fixed = 0
    while fixed < len(parts) and not any(c in parts[fixed] for c in "*?[{\\"):
        fixed += 1
    if fixed:
        base = os.path.join(base, *parts[:fixed])
    if not inside(base):
        raise Outside(base)
    try:
        info = os.lstat(base)
        if fixed >= len(parts):
            found.append(base)
            return False
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(base)
        if not stat.S_ISDIR(info.st_mode):
            return False
        names = sorted(os.listdir(base))
    except OSError:
        return False
    budget.step(len(names) + 1)
    if len(found) + len(names) > budget.MAX_ELEMENTS:
        budget.elements(len(found) + len(names))
    bad = False
    last = fixed + 1 >= len(parts)
    if parts[fixed] == "**":
        for name in names:
            path = os.path.join(base, name)
            try:
                is_dir = stat.S_ISDIR(os.stat(path).st_mode)
            except OSError:
                continue
            if is_dir:
                if last:
                    found.append(path)
                bad = _walk(path, parts[fixed:], found, inside)
            elif last:
                found.append(path)
        if last:
            return bad
        fixed += 1
        last = fixed + 1 >= len(parts)
    for name in names:
        try:
            hit = match(parts[fixed], name)
        except BadPattern:
            return True
        bad = False
        if hit:
            path = os.path.join(base, name)
            if last:
                found.append(path)
            else:
                bad = _walk(path, parts[fixed + 1:], found, inside)
    return bad


__all__ = ["BadPattern", "Outside", "glob", "match", "split"]
