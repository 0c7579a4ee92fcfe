"""How much work Python's backtracking re could do on a pattern (RE2 never backtracks).

A bound, computed from the pattern and the length of the text: where a choice (an
alternative, one more repetition) cannot be told by the next character, each way is
counted; a repeat of something ambiguous multiplies them (`(a+)+`, `(a|a)*` explode); an
unbounded repeat followed by something that can fail may rescan the text from each start.
Beyond `MAX_WORK` the call is not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.sources.hcl import budget
from checker.sources.hcl.functions.re2classes import (
    MAX_CODE,
    Ranges,
    complement,
    normal,
)
from checker.sources.hcl.functions.re2syntax import Node

MAX_WORK = 50_000_000  # backtracking steps a pattern may be allowed on one string
CAP = 10**30


def _first(node: Node) -> tuple[Ranges, bool]:
    """The characters a match of *node* can start with, and whether it can be empty."""
    if node.memo is None:
        node.memo = (*_start(node), _shortest(node))
    return node.memo[0], node.memo[1]


def _shortest(node: Node) -> int:
    """The length of the shortest text *node* matches."""
    if node.kind in ("lit", "class", "any"):
        return 1
    lengths = [_shortest(sub) for sub in node.subs]
    if node.kind == "alt":
        return min(lengths)
    return node.lo * lengths[0] if node.kind == "rep" else sum(lengths)


def _start(node: Node) -> tuple[Ranges, bool]:
    """`_first`, computed."""
    kind = node.kind
    if kind in ("lit", "class"):  # folded already when case-insensitive
        return (complement(node.ranges) if node.neg else node.ranges), False
    if kind == "any":
        return [(0, MAX_CODE)], False
    if kind in ("cap", "rep"):
        ranges, empty = _first(node.subs[0])
        return ranges, empty or (kind == "rep" and node.lo == 0)
    if kind == "alt":
        firsts = [_first(sub) for sub in node.subs]
        return [r for f, _ in firsts for r in f], any(e for _, e in firsts)
    out: Ranges = []
    for sub in node.subs:  # cat
        ranges, empty = _first(sub)
        out += ranges
        if not empty:
            return out, False
    return out, True


def _overlap(a: Ranges, b: Ranges) -> bool:
    """True when two sets of ranges share a code point."""
    a, b = normal(a), normal(b)
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


def _ways(node: Node, follow: Ranges, n: int) -> int:
    """At most how many ways *node* can match from one position, on a text of *n*
    characters, when *follow* can come after it (a choice the next character decides is
    one way)."""
    kind = node.kind
    if kind == "cap":
        return _ways(node.subs[0], follow, n)
    if kind == "cat":
        total, after = 1, follow
        for sub in reversed(node.subs):
            total = min(total * _ways(sub, after, n), CAP)
            ranges, empty = _first(sub)
            after = ranges + after if empty else ranges
        return total
    if kind == "alt":
        starts = [(lambda f: f[0] + follow if f[1] else f[0])(_first(s)) for s in node.subs]
        ways = [_ways(sub, follow, n) for sub in node.subs]
        if any(_overlap(a, b) for i, a in enumerate(starts) for b in starts[i + 1:]):
            return min(sum(ways), CAP)
        return max(ways)
    if kind != "rep":
        return 1
    ranges, empty = _first(node.subs[0])
    body = _ways(node.subs[0], ranges + follow, n)
    _first(node.subs[0])
    assert node.subs[0].memo is not None
    most = node.lo + n // max(node.subs[0].memo[2], 1) + 1  # repetitions that can fit
    top = min(node.hi, most) if node.hi >= 0 else most
    choices = top - node.lo + 1 if empty or _overlap(ranges, follow) else 1
    if body == 1:
        return choices
    return CAP if top > 100 else min(choices * body ** top, CAP)


def _fails(node: Node) -> bool:
    """False when *node* always matches (it can be skipped)."""
    if node.kind in ("empty",) or (node.kind == "rep" and node.lo == 0):
        return False
    if node.kind in ("cap", "cat"):
        return any(_fails(sub) for sub in node.subs)
    return node.kind != "alt" or all(_fails(sub) for sub in node.subs)


def _scans(node: Node, tail: bool) -> bool:
    """True when an unbounded repeat in *node* can be followed by a failure (so a start
    position can cost a scan of the text); *tail*: nothing after *node* can fail."""
    if node.kind == "rep":
        if node.hi < 0 and not tail:
            return True
        return _scans(node.subs[0], tail and node.lo <= 1)
    if node.kind == "cat":
        return any(_scans(sub, tail and not any(_fails(s) for s in node.subs[i + 1:]))
                   for i, sub in enumerate(node.subs))
    return any(_scans(sub, tail) for sub in node.subs)


def _anchored(node: Node) -> bool:
    """True when every match of *node* starts at the start of the text."""
    if node.kind == "bot":
        return True
    if node.kind in ("cap", "cat"):
        return _anchored(node.subs[0])
    return node.kind == "alt" and all(_anchored(sub) for sub in node.subs)


def loop_groups(node: Node, inside: bool = False) -> Iterator[int]:
    """The groups inside an unbounded repeat of something that can match empty: after a
    repetition that matched, Python's re records one more that matches empty, where Go
    drops it (so such a group captured empty may not be Go's answer)."""
    if node.kind == "cap" and inside:
        yield node.lo
    inside = inside or (node.kind == "rep" and node.hi < 0 and _first(node.subs[0])[1])
    for sub in node.subs:
        yield from loop_groups(sub, inside)


def size(node: Node) -> int:
    """How many nodes *node* has."""
    return 1 + sum(size(sub) for sub in node.subs)


def cost(root: Node, parts: int, n: int) -> None:
    """BudgetExceeded when backtracking over *n* characters could take too long (*parts*:
    the pattern's size)."""
    budget.step(1 + n // 64)
    starts = 1 if _anchored(root) else n + 1
    scan = n + 1 if _scans(root, True) else 1
    work = starts * (scan + parts) * _ways(root, [], n)
    if work > MAX_WORK:
        raise budget.BudgetExceeded(
            f"is not evaluated: its regular expression could take ~{min(work, CAP):.1e} "
            f"steps to run over {n:,} characters (Python's re backtracks where Terraform's "
            f"does not), over tablespec's budget of {MAX_WORK:,}")


__all__ = ["cost", "loop_groups", "size"]
