"""regex, regexall and replace's `/pattern/`: RE2 patterns, read as Python's re can run them.

A pattern is parsed as Go's regexp/syntax parses it (Perl flags: the same errors for
backreferences, lookaround, bad escapes, repeats over 1000), then written for Python's `re`
with the same meaning: `\\d \\w \\s \\b` are ASCII, `$` is the end of the text, `.` `^` `$`
follow the `s` and `m` flags explicitly, classes are written code point by code point.
Both engines pick the leftmost-first match, so the matches are RE2's; Go's rules for
successive and empty matches are replayed by `regexall` and `replace`.

Python's re backtracks where RE2 does not: before a pattern runs, the work it could take on
the string is bounded (`re2cost`), and beyond a budget the call is an Unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from checker.sources.hcl import budget
from checker.sources.hcl.functions.re2classes import DOTALL, normal
from checker.sources.hcl.functions.re2cost import cost, loop_groups, size
from checker.sources.hcl.functions.re2syntax import Node, parse
from checker.sources.hcl.functions.texts import nfc
from checker.sources.hcl.valuemodel import EvalError, TfList


def _esc(cp: int) -> str:
    """Code point *cp* as Python's re reads it literally."""
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _python(node: Node) -> str:
    """*node* written for Python's re."""
    kind = node.kind
    if kind == "lit":
        return _esc(node.ranges[0][0])
    if kind == "class":  # folded already when case-insensitive
        body = "".join(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}"
                       for lo, hi in normal(node.ranges))
        return f"[{'^' * node.neg}{body}]" if body else ("(?s:.)" if node.neg else "(?!)")
    simple = {"bol": "(?m:^)", "eol": "(?m:$)", "bot": "\\A", "eot": "\\Z", "wb": "(?a:\\b)",
              "nwb": "(?a:\\B)", "empty": "", "any": "(?s:.)" if node.flags & DOTALL else "[^\\n]"}
    if kind in simple:
        return simple[kind]
    inner = [_python(sub) for sub in node.subs]
    if kind == "cap":
        return f"({inner[0]})"
    if kind == "cat":
        return "".join(inner)
    if kind == "alt":
        return f"(?:{'|'.join(inner)})"
    counts = {(0, -1): "*", (1, -1): "+", (0, 1): "?"}.get((node.lo, node.hi)) or (
        f"{{{node.lo},}}" if node.hi < 0 else f"{{{node.lo},{node.hi}}}")
    return f"(?:{inner[0]}){counts}{'' if node.greedy else '?'}"


@dataclass(frozen=True, slots=True)
class Compiled:
    """A pattern: RE2's parse, Python's compiled form, its groups' names."""

    root: Node
    regex: re.Pattern[str]
    names: tuple[str | None, ...]
    size: int
    loop_groups: frozenset[int]

    def check(self, m: re.Match[str]) -> re.Match[str]:
        """*m*, unless a group in an empty-matching repeat captured empty (see
        `re2cost.loop_groups`): then BudgetExceeded, as Go's answer may differ."""
        if any(m.start(g) == m.end(g) >= 0 for g in self.loop_groups):
            raise budget.BudgetExceeded("is not evaluated: its regular expression repeats "
                                        "a group that can match empty, whose capture "
                                        "Python's re records differently from Go's")
        return m


@lru_cache(maxsize=256)
def compile_re2(pattern: str) -> Compiled:
    """*pattern* (RE2 syntax) compiled; EvalError where Go's regexp refuses it."""
    budget.step(1 + len(pattern) // 16)
    root, names = parse(pattern)
    parts = size(root)
    if parts > 100_000:
        raise budget.BudgetExceeded("is not evaluated: its regular expression is larger "
                                    "than tablespec's budget of 100,000 parts")
    try:
        compiled = re.compile(_python(root))
    except (re.error, RecursionError, OverflowError) as exc:
        raise budget.BudgetExceeded(f"is not evaluated: tablespec could not run its "
                                    f"regular expression ({exc})") from None
    return Compiled(root, compiled, names, parts, frozenset(loop_groups(root)))


def _compile(pattern: str) -> Compiled:
    """*pattern* compiled, in normal form C (budget spent each time)."""
    budget.step(1 + len(pattern) // 16)
    return compile_re2(nfc(pattern))


def _shape(pattern: Compiled) -> str:
    """What a match gives: `string`, `tuple` (unnamed groups) or `object` (named)."""
    if not pattern.names:
        return "string"
    named = sum(name is not None for name in pattern.names)
    if named and named < len(pattern.names):
        raise EvalError("invalid regexp pattern: cannot mix both named and unnamed capture "
                        "groups")
    return "object" if named else "tuple"


def _result(pattern: Compiled, shape: str, m: re.Match[str]) -> object:
    """One match as Terraform gives it."""
    if shape == "string":
        return m[0]
    groups = list(m.groups())
    if shape == "tuple":
        return groups
    return {name: value for name, value in zip(pattern.names, groups, strict=True)
            if name is not None}


def _matches(pattern: Compiled, text: str) -> Iterator[re.Match[str]]:
    """Go's successive matches: an empty match right after a match is skipped."""
    pos, prev_end = 0, -1
    while pos <= len(text):
        m = pattern.regex.search(text, pos)
        if m is None:
            return
        start, end = m.span()
        accept = not (end == pos and start == prev_end)
        pos = pos + 1 if end == pos else end
        prev_end = end
        if accept:
            yield m


def _regex(pattern: str, value: str) -> object:
    """`regex(pattern, string)`: the first match; EvalError when there is none."""
    compiled, text = _compile(pattern), nfc(value)
    shape = _shape(compiled)
    cost(compiled.root, compiled.size, len(text))
    m = compiled.regex.search(text)
    if m is None:
        raise EvalError("pattern did not match any part of the given string")
    return _result(compiled, shape, compiled.check(m))


def _regexall(pattern: str, value: str) -> TfList:
    """`regexall(pattern, string)`: every match, as a list."""
    compiled, text = _compile(pattern), nfc(value)
    shape = _shape(compiled)
    cost(compiled.root, compiled.size, len(text))
    found = list(_matches(compiled, text))
    budget.elements(len(found) * max(len(compiled.names), 1))
    return TfList(_result(compiled, shape, compiled.check(m)) for m in found)


def _expand(template: str, pattern: Compiled, m: re.Match[str]) -> str:
    """Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`; `$$` is `$`; a `$` that
    starts no name is itself."""
    out: list[str] = []
    i = 0
    while (j := template.find("$", i)) >= 0:
        out.append(template[i:j])
        i = j + 1
        if template.startswith("$", i):
            out.append("$")
            i += 1
            continue
        brace = template.startswith("{", i)
        end = start = i + brace
        while end < len(template) and (template[end] == "_" or template[end].isalpha()
                                       or template[end].isdecimal()):
            end += 1
        if end == start or (brace and not template.startswith("}", end)):
            out.append("$")
            continue
        out.append(_group_text(template[start:end], pattern, m))
        i = end + brace
    out.append(template[i:])
    return "".join(out)


def _group_text(name: str, pattern: Compiled, m: re.Match[str]) -> str:
    """The text of group *name* (a number or a name); empty when there is none."""
    if name.isascii() and name.isdigit() and (name == "0" or name[0] != "0") and len(name) < 10:
        index = int(name)
        return (m[index] or "") if index <= len(pattern.names) else ""
    for index, group_name in enumerate(pattern.names, 1):
        if group_name == name and m[index] is not None:
            return m[index]
    return ""


def replace_all(pattern: str, text: str, template: str) -> str:
    """`replace(text, "/pattern/", template)`: Go's ReplaceAllString."""
    compiled = _compile(pattern)
    cost(compiled.root, compiled.size, len(text))
    out: list[str] = []
    size, last_end, search = 0, 0, 0
    while search <= len(text):
        m = compiled.regex.search(text, search)
        if m is None:
            break
        start, end = m.span()
        pieces = [text[last_end:start]]
        if end > last_end or start == 0:
            pieces.append(_expand(template, compiled, compiled.check(m)))
        size += sum(map(len, pieces))
        if size > budget.MAX_STRING:
            budget.text(size)
        out += pieces
        last_end = end
        width = 1 if search < len(text) else 0
        search = search + width if search + width > end else search + 1 if search + 1 > end \
            else end
    out.append(text[last_end:])
    return "".join(out)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "regex": _regex,
    "regexall": _regexall,
}


__all__ = ["FUNCTIONS", "Compiled", "compile_re2", "replace_all"]
