"""hclsyntax's token reader and expression parser (`peeker.go`, `parser.go`), ported only to
find the errors Terraform's parser reports, and where.

It builds nothing: each method reads tokens as the Go method does, adds the same diagnostics
(start offset, summary, the kind of token found) and recovers the same way, `recovery`
staying on once set, as there, so that the errors Terraform leaves out are left out here
too. Collections, `for` and templates: `templates`; bodies and blocks, and the first
error of all (Terraform shows its diagnostics sorted by position): `errors`.
"""

from __future__ import annotations

from checker.sources.hcl.hclsyntax.tokens import (
    CH,
    COMMENT,
    CQ,
    CTRL,
    EOF,
    ID,
    INTERP,
    NL,
    NUM,
    OH,
    OQ,
    SEQEND,
    number_ok,
)

_BINARY = frozenset(("||", "&&", "==", "!=", ">", ">=", "<", "<=", "+", "-", "*", "/", "%"))
_OPPOSITE = {"}": "{", "]": "[", ")": "(", CQ: OQ, CH: OH, SEQEND: INTERP}


class ExprParser:
    """The token reader (hclsyntax's peeker) and the expression parser."""

    def __init__(self, data: bytes, kinds: list[str], starts: list[int], ends: list[int]
                 ) -> None:
        self.data = data
        self.kinds = kinds
        self.starts = starts
        self.ends = ends
        self.idx = 0
        self.newlines = [True]
        self.recovery = False
        self.diags: list[tuple[int, str, str | None]] = []
        self.seen: tuple[int, bool, int, str] = (-1, True, 0, EOF)  # the last `next` answer

    # -- the peeker ------------------------------------------------------------------
    def next(self) -> tuple[int, str]:
        """(index, kind) of the next token read as the peeker does: comments skipped (a line
        comment is the newline it ends with), newlines skipped where they do not count."""
        include, i = self.newlines[-1], self.idx
        if self.seen[0] == i and self.seen[1] == include:  # peeked, then read: one walk
            return self.seen[2], self.seen[3]
        kinds = self.kinds
        found, kind = len(kinds) - 1, EOF
        while i < found:
            if kinds[i] == COMMENT:
                if include and self.data[self.ends[i] - 1] == 0x0A:
                    found, kind = i, NL
                    break
            elif kinds[i] != NL or include:
                found, kind = i, kinds[i]
                break
            i += 1
        self.seen = (self.idx, include, found, kind)
        return found, kind

    def peek(self) -> str:
        """The kind of the next token."""
        return self.next()[1]

    def read(self) -> tuple[int, str]:
        """The next token, consumed."""
        i, kind = self.next()
        self.idx = i + 1
        return i, kind

    def at(self, i: int) -> int:
        """Token *i*'s start offset."""
        return self.starts[i]

    def diag(self, i: int, summary: str, kind: str | None = None) -> None:
        """Add an error at token *i* (the kind of token found, when it says what was found)."""
        self.diags.append((self.starts[i], summary, kind))

    def text(self, i: int) -> bytes:
        """Token *i*'s bytes."""
        return self.data[self.starts[i]:self.ends[i]]

    def word(self, i: int, word: bytes) -> bool:
        """Whether token *i* is the identifier *word* (a keyword such as `for`)."""
        return self.kinds[i] == ID and self.text(i) == word

    # -- recovery --------------------------------------------------------------------
    def recover(self, end: str) -> int:
        """Skip to the token *end* closing the current bracket (or EOF); its index."""
        start = _OPPOSITE.get(end)
        self.recovery = True
        nest = 0
        while True:
            i, kind = self.read()
            if end == SEQEND and kind == CTRL:
                kind = INTERP
            if kind == start:
                nest += 1
            elif kind == end:
                if nest < 1:
                    return i
                nest -= 1
            elif kind == EOF:
                return i

    def recover_over(self, start: str) -> None:
        """Skip past the next bracketed sequence opened by *start*."""
        while self.read()[1] not in (start, EOF):
            pass
        self.recover({"(": ")", "{": "}", "[": "]"}[start])

    # -- expressions -----------------------------------------------------------------
    def expression(self) -> bool:
        """parseTernaryConditional; whether it added errors."""
        n0 = len(self.diags)
        if self.binary() and self.recovery:
            return True
        if self.peek() != "?":
            return len(self.diags) > n0
        self.read()
        if self.expression() and self.recovery:
            return True
        i, kind = self.next()
        if kind != ":":
            self.diag(i, "Missing false expression in conditional", kind)
            return True
        self.read()
        self.expression()
        return len(self.diags) > n0

    def binary(self) -> bool:
        """parseBinaryOps over every level at once (the same tokens read, the same stops)."""
        n0 = len(self.diags)
        if self.operand() and self.recovery:
            return True
        while self.peek() in _BINARY:
            self.read()
            if self.operand() and self.recovery:
                return True
        return len(self.diags) > n0

    def operand(self) -> bool:
        """parseExpressionWithTraversals."""
        n0 = len(self.diags)
        self.term()
        self.traversals()
        return len(self.diags) > n0

    def traversals(self) -> None:
        """parseExpressionTraversals: `.name`, `.0`, `.*`, `[key]`, `[*]`."""
        while True:
            kind = self.peek()
            if kind == ".":
                self.read()
                i, attr = self.next()
                if attr == ID:
                    self.read()
                elif attr == NUM:
                    self.read()
                    self.legacy_index(i, i)
                elif attr == "*":
                    self.read()
                    self.attr_splat(i)
                else:
                    self.diag(i, "Invalid attribute name", attr)
                    self.recovery = True
            elif kind == "[":
                self.read()
                if self.peek() == "*":
                    self.read()
                    _i, close = self.read()
                    if close != "]" and not self.recovery:
                        # hclsyntax's subject is `&close.Range` with `close` then set to
                        # the token recovery stops at: the error is shown there
                        self.diag(self.recover("]"), "Missing close bracket on splat index")
                    continue
                self.newlines.append(False)
                if self.expression() and self.recovery:
                    self.recover("]")
                else:
                    _i, close = self.read()
                    if close != "]" and not self.recovery:  # shown where recovery stops
                        self.diag(self.recover("]"), "Missing close bracket on index")
                self.newlines.pop()
            else:
                return

    def legacy_index(self, i: int, subject: int) -> None:
        """A number after a dot (`foo.0`): two at once (`foo.0.1`) is refused."""
        text = self.text(i)
        if b"." in text:
            self.diag(subject, "Invalid legacy index syntax")
        elif not number_ok(text):
            self.diag(i, "Invalid number literal")

    def attr_splat(self, star: int) -> None:
        """The rest of `foo.*.bar.baz` (a number there is an index, as in `foo.*.bar.0`)."""
        while self.peek() == ".":
            self.read()
            i, kind = self.next()
            if kind == NUM:
                self.read()
                self.legacy_index(i, star)
                continue
            if kind != ID:
                if not self.recovery:
                    if kind == "*":
                        self.diag(i, "Nested splat expression not allowed", kind)
                    else:
                        self.diag(star, "Invalid attribute name")
                self.recovery = True
                return
            self.read()

    def term(self) -> None:
        """parseExpressionTerm."""
        i, kind = self.next()
        if kind == "(":
            self.read()
            self.newlines.append(False)
            if self.expression():
                self.recover(")")
                self.newlines.pop()
                return
            j, close = self.next()
            if close != ")":
                self.diag(j, "Unbalanced parentheses", close)
                self.recovery = True
            self.read()
            self.newlines.pop()
        elif kind == NUM:
            self.read()
            if not number_ok(self.text(i)):
                self.diag(i, "Invalid number literal")
        elif kind == ID:
            self.read()
            if self.peek() in ("(", "::"):
                self.call(i)
        elif kind in (OQ, OH):
            self.read()
            self.template(CQ if kind == OQ else CH)
        elif kind in ("-", "!"):
            self.read()
            self.operand()
        elif kind == "[":
            self.collection("]")
        elif kind == "{":
            self.collection("}")
        else:
            if not self.recovery:
                if kind == EOF:
                    self.diag(i, "Missing expression", kind)
                else:
                    self.diag(i, "Invalid expression", kind)
            self.recovery = True

    def call(self, name: int) -> None:
        """finishParsingFunctionCall, the name read."""
        j, opener = self.read()
        while opener == "::":
            k, ident = self.read()
            if ident != ID:
                self.diag(k, "Missing function name", ident)
                self.recover_over("(")
                return
            j, opener = self.read()
        if opener != "(":
            self.diag(j, "Missing open parenthesis", opener)
            self.recover_over("(")
            return
        self.newlines.append(False)
        while True:
            if self.peek() == ")":
                self.read()
                break
            if self.expression() and self.recovery:
                self.recover(")")
                break
            k, sep = self.read()
            if sep == ")":
                break
            if sep == "...":
                if self.peek() != ")":
                    if not self.recovery:
                        self.diag(k, "Missing closing parenthesis")
                    self.recover(")")
                else:
                    self.read()
                break
            if sep != ",":
                if sep == EOF:
                    self.diag(name, "Unterminated function call")
                else:
                    self.diag(k, "Missing argument separator", sep)
                self.recover(")")
                break
            if self.peek() == ")":
                self.read()
                break
        self.newlines.pop()

    def collection(self, close: str) -> None:
        """A tuple (`[`) or object (`{`) constructor, or a `for` expression (`templates`)."""
        raise NotImplementedError

    def template(self, end: str) -> None:
        """parseTemplateInner after its opening quote or heredoc marker (`templates`)."""
        raise NotImplementedError
