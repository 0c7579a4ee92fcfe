"""RE2's syntax, parsed as Go's regexp/syntax parses it with Perl flags: the same
patterns accepted, the same refused (backreferences, lookaround, `\\Z`, nested repetition
operators, counts over 1000 or nested counts multiplying beyond it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.sources.hcl import budget
from checker.sources.hcl.functions.re2classes import (
    DOTALL,
    FOLD,
    MAX_CODE,
    MULTI,
    PERL,
    POSIX,
    UNGREEDY,
    Ranges,
    class_part,
    fold,
    syntax_error,
    unicode_class,
)

MAX_REPEAT = 1000  # RE2's largest count, and largest product of nested counts
MAX_DEPTH = 60  # groups nested deeper than this are not evaluated (Go allows ~1000)
_SIMPLE_ESCAPES = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
_BRACES = re.compile(r"\{(0|[1-9]\d*)(?:(,)(0|[1-9]\d*)?)?\}")
_NAMED = re.compile(r"\(\?P?<([^>]*)>")
_NAME = re.compile(r"[A-Za-z0-9_]+")
_UNICODE = re.compile(r"\\[pP](?:\{([^}]*)\}|(.)|$)", re.S)
_ESCAPE = re.compile(r"\\(?:([0-7]{2,3}|0)|x\{([0-9A-Fa-f]+)\}|x([0-9A-Fa-f]{2})|(.))", re.S)


@dataclass(slots=True)
class Node:
    """A parsed RE2 expression: `lit` `class` `any` `bol` `eol` `bot` `eot` `wb` `nwb`
    `empty` `cap` `cat` `alt` `rep`."""

    kind: str
    subs: list[Node] = field(default_factory=list)
    ranges: Ranges = field(default_factory=list)  # lit: [(c, c)]; class: what it holds
    neg: bool = False  # class: the complement of `ranges`
    flags: int = 0
    lo: int = 0  # rep: counts (hi -1: unbounded)
    hi: int = 0
    greedy: bool = True
    counted: bool = False  # rep written {n,m}
    memo: tuple[Ranges, bool, int] | None = None  # _first's answer, once asked


def _literal(cp: int, flags: int) -> Node:
    """Character *cp*; any of its cases when case-insensitive (a class, then)."""
    if flags & FOLD:
        return Node("class", ranges=fold([(cp, cp)]), flags=flags)
    return Node("lit", ranges=[(cp, cp)], flags=flags)


class _Parser:
    """Go's regexp/syntax parser (Perl flags), over a pattern's text. Case-insensitive
    characters and classes are folded here: the nodes need no flag `i`."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.flags, self.depth = text, 0, 0, 0
        self.names: list[str | None] = []

    def peek(self, ahead: int = 0) -> str:
        """The character *ahead* of the current one ("" past the end)."""
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def alternation(self) -> Node:
        """Branches up to a `)` or the end."""
        branches = [self.concatenation()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.concatenation())
        return branches[0] if len(branches) == 1 else Node("alt", branches)

    def concatenation(self) -> Node:
        """Items (each maybe repeated) up to `|`, `)` or the end."""
        items: list[Node] = []
        repeated = False
        while self.peek() not in ("", "|", ")"):
            start, c = self.pos, self.peek()
            counts = (0, -1) if c == "*" else (1, -1) if c == "+" else (0, 1) if c == "?" \
                else self.braces() if c == "{" else None
            if counts is None:
                if c == "{":
                    self.pos += 1
                    items.append(_literal(ord(c), self.flags))
                else:
                    self.item(items)
                repeated = False
                continue
            if c != "{":
                self.pos += 1
            lazy = self.peek() == "?"
            self.pos += lazy
            if repeated:
                raise syntax_error("invalid nested repetition operator", self.text[start:self.pos])
            if not items:
                raise syntax_error("missing argument to repetition operator", self.text[start:])
            lo, hi = counts
            node = Node("rep", [items[-1]], lo=lo, hi=hi, counted=c == "{",
                        greedy=lazy == bool(self.flags & UNGREEDY))
            self.nested(node)
            if node.counted and (lo >= 2 or hi >= 2) and not _repeat_ok(node, MAX_REPEAT):
                raise syntax_error("invalid repeat count", self.text[start:self.pos])
            items[-1], repeated = node, True
        return items[0] if len(items) == 1 else Node("cat", items) if items else Node("empty")

    def nested(self, node: Node | None) -> None:
        """BudgetExceeded when groups, or repeats of repeats (`a*(?i)*`), nest too deep."""
        depth = self.depth
        while node is not None and node.kind == "rep" and depth <= MAX_DEPTH:
            node, depth = node.subs[0], depth + 1
        if depth > MAX_DEPTH:
            raise budget.BudgetExceeded(f"is not evaluated: its regular expression nests "
                                        f"deeper than tablespec's budget of {MAX_DEPTH}")

    def braces(self) -> tuple[int, int] | None:
        """`{n}`, `{n,}` or `{n,m}` at the current position (consumed), else None."""
        m = _BRACES.match(self.text, self.pos)
        if m is None:
            return None
        lo = int(m[1]) if len(m[1]) < 10 else -1
        hi = lo if not m[2] else -1 if m[3] is None else int(m[3]) if len(m[3]) < 10 else -2
        if lo < 0 or lo > MAX_REPEAT or hi > MAX_REPEAT or hi == -2 or 0 <= hi < lo:
            raise syntax_error("invalid repeat count", m[0])
        self.pos = m.end()
        return lo, hi

    def item(self, items: list[Node]) -> None:
        """One item (not a repetition) appended to *items*."""
        c, flags = self.peek(), self.flags
        simple = {"^": "bol" if flags & MULTI else "bot", "$": "eol" if flags & MULTI else "eot",
                  ".": "any"}.get(c)
        if simple:
            self.pos += 1
            items.append(Node(simple, flags=flags))
        elif c == "(":
            node = self.group()
            if node is not None:
                items.append(node)
        elif c == "[":
            items.append(self.bracket())
        elif c == "\\":
            items.extend(self.escape())
        else:
            self.pos += 1
            items.append(_literal(ord(c), flags))

    def group(self) -> Node | None:
        """`( ... )`, `(?P<name> ... )`, `(?flags: ... )` or a flag change `(?flags)`."""
        start = self.pos
        name: str | None = None
        new_flags = self.flags
        capture = self.peek(1) != "?"
        if not capture:
            m = _NAMED.match(self.text, self.pos)
            if m and (self.peek(2) == "<" or self.text.startswith("(?P<", self.pos)):
                if not _NAME.fullmatch(m[1]):
                    raise syntax_error("invalid named capture", m[0])
                name, capture, self.pos = m[1], True, m.end() - 1
            else:
                new_flags, opens = self.perl_flags()
                if not opens:
                    self.flags = new_flags
                    return None
        self.pos += 1
        if capture:
            self.names.append(name)
        saved, self.flags = self.flags, new_flags
        self.depth += 1
        self.nested(None)
        inner = self.alternation()
        if self.peek() != ")":
            raise syntax_error("missing closing )", self.text[start:])
        self.pos += 1
        self.depth -= 1
        self.flags = saved
        return Node("cap", [inner], lo=len(self.names)) if capture else inner

    def perl_flags(self) -> tuple[int, bool]:
        """`(?imsU-imsU:` or `(?imsU-imsU)` from `(?`: the flags, True when a group opens
        (the current position is then at the `:`, else past the `)`)."""
        start, i = self.pos, self.pos + 2
        flags, sign, seen = self.flags, 1, False
        while i < len(self.text):
            c = self.text[i]
            if c in "imsU":
                bit = {"i": FOLD, "m": MULTI, "s": DOTALL, "U": UNGREEDY}[c]
                flags = flags | bit if sign > 0 else flags & ~bit
                seen = True
            elif c == "-" and sign > 0:
                sign, seen = -1, False
            elif c in ":)" and (sign > 0 or seen):
                self.pos = i if c == ":" else i + 1
                return flags, c == ":"
            else:
                break
            i += 1
        raise syntax_error("invalid or unsupported Perl syntax", self.text[start:i + 1])

    def escape(self) -> list[Node]:
        """A backslash sequence outside a class: an assertion, a class, or a character."""
        c, flags = self.peek(1), self.flags
        kind = {"A": "bot", "b": "wb", "B": "nwb", "z": "eot"}.get(c)
        if kind:
            self.pos += 2
            return [Node(kind, flags=flags)]
        if c == "Q":
            end = self.text.find("\\E", self.pos + 2)
            literal = self.text[self.pos + 2:] if end < 0 else self.text[self.pos + 2:end]
            self.pos = len(self.text) if end < 0 else end + 2
            return [_literal(ord(ch), flags) for ch in literal]
        if c == "C":
            raise syntax_error("invalid escape sequence", "\\C")
        group = self.named_group()
        if group is not None:
            ranges = fold(group[0]) if flags & FOLD else group[0]
            return [Node("class", ranges=ranges, neg=group[1], flags=flags)]
        return [_literal(self.character(), flags)]

    def named_group(self) -> tuple[Ranges, bool] | None:
        """`\\d`-like or `\\p{..}` at the current position (consumed): (ranges, negated)."""
        c = self.peek(1)
        if c.lower() in PERL:
            self.pos += 2
            return PERL[c.lower()], c.isupper()
        if c not in ("p", "P"):
            return None
        m = _UNICODE.match(self.text, self.pos)
        assert m is not None
        name = m[1] if m[1] is not None else m[2] or ""
        negated = c == "P"
        if name.startswith("^"):
            name, negated = name[1:], not negated
        self.pos = m.end()
        if m[0].startswith(("\\p{", "\\P{")) and m[1] is None:
            raise syntax_error("invalid character class range", m[0])
        ranges = unicode_class(name, m[0])
        return ranges, negated

    def character(self) -> int:
        """An escaped character (`\\n`, `\\x41`, `\\101`, `\\.`) at the current position."""
        m = _ESCAPE.match(self.text, self.pos)
        if m is None:
            raise syntax_error("trailing backslash at end of expression", "")
        self.pos = m.end()
        octal, braced, hex2, other = m.groups()
        if octal:
            return int(octal, 8)
        if braced or hex2:
            cp = int(braced or hex2, 16)
            if cp <= MAX_CODE:
                return cp
        elif other and other.isascii() and not other.isalnum():
            return ord(other)
        elif other in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[other]
        raise syntax_error("invalid escape sequence", m[0])

    def bracket(self) -> Node:
        """A character class `[...]`."""
        start, self.pos = self.pos, self.pos + 1
        flags = self.flags
        negated = self.peek() == "^"
        self.pos += negated
        ranges: Ranges = []
        first = True
        while first or self.peek() != "]":
            if self.peek() == "":
                raise syntax_error("missing closing ]", self.text[start:])
            first = False
            end = self.text.find(":]", self.pos + 2) \
                if self.text.startswith("[:", self.pos) and self.peek(2) else -1
            if end >= 0:
                name = self.text[self.pos + 2:end]
                if name.removeprefix("^") not in POSIX:
                    raise syntax_error("invalid character class range", name)
                self.pos = end + 2
                ranges += class_part(POSIX[name.removeprefix("^")], name[:1] == "^", flags)
                continue
            group = self.named_group() if self.peek() == "\\" else None
            if group is not None:
                ranges += class_part(*group, flags)
                continue
            lo = hi = self.class_char()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                range_start, self.pos = self.pos - 1, self.pos + 1
                hi = self.class_char()
                if hi < lo:
                    raise syntax_error("invalid character class range",
                                       self.text[range_start:self.pos])
            ranges.append((lo, hi))
        self.pos += 1
        return Node("class", ranges=fold(ranges) if flags & FOLD else ranges, neg=negated,
                    flags=flags)

    def class_char(self) -> int:
        """One character of a class (escapes allowed)."""
        if self.peek() == "\\":
            return self.character()
        self.pos += 1
        return ord(self.text[self.pos - 1])


def _repeat_ok(node: Node, n: int) -> bool:
    """Go's repeatIsValid: nested counted repeats multiply to at most *n*."""
    if node.kind == "rep" and node.counted:
        m = node.lo if node.hi < 0 else node.hi
        if m == 0:
            return True
        if m > n:
            return False
        n //= m
    return all(_repeat_ok(sub, n) for sub in node.subs)


def parse(pattern: str) -> tuple[Node, tuple[str | None, ...]]:
    """*pattern* parsed, and the names of its groups (None: unnamed); EvalError as Go's."""
    parser = _Parser(pattern)
    root = parser.alternation()
    if parser.pos < len(pattern):
        raise syntax_error("unexpected )", pattern)
    return root, tuple(parser.names)


__all__ = ["DOTALL", "FOLD", "MULTI", "UNGREEDY", "Node", "parse"]
