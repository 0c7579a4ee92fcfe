"""hclsyntax's collections, `for` expressions and templates (`parser.go`,
`parser_template.go`), ported only to find the errors Terraform's parser reports, and where.

A template is read as `parseTemplateParts` reads it (literals, `${ }` and `%{ }` sequences,
up to its closing quote or heredoc marker: a newline in a quoted string is "Unterminated
template string" there), then its `if`/`for` directives are checked for balance as
hclsyntax's templateParser does. Escapes in quoted literals are checked as
`ParseStringLiteralToken` checks them.
"""

from __future__ import annotations

import re

from checker.sources.hcl.hclsyntax.exprs import ExprParser
from checker.sources.hcl.hclsyntax.tokens import (
    CQ,
    CTRL,
    EOF,
    ID,
    INTERP,
    NL,
    OQ,
    QLIT,
    SEQEND,
    SLIT,
)

_ESCAPE = re.compile(rb"\\(?:u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|[\s\S])")
_DIRECTIVES = (b"if", b"for", b"else", b"endif", b"endfor")


class TemplateParser(ExprParser):
    """The expression parser with its collections, `for` expressions and templates."""

    def collection(self, close: str) -> None:
        """parseTupleCons (`[`) or parseObjectCons (`{`), or a `for` expression in either."""
        opener, _ = self.read()
        self.newlines.append(False)
        i, _ = self.next()
        if self.word(i, b"for"):
            self.for_expr(opener, close)
            self.newlines.pop()
            return
        if close == "}":
            self.newlines[-1] = True
        item = self.tuple_item if close == "]" else self.object_item
        while item(opener):
            pass
        self.newlines.pop()

    def tuple_item(self, opener: int) -> bool:
        """One item of a tuple constructor; whether another follows."""
        if self.peek() == "]":
            self.read()
            return False
        if self.expression() and self.recovery:
            self.recover("]")
            return False
        i, kind = self.next()
        if kind == "]":
            self.read()
            return False
        if kind != ",":
            if not self.recovery:
                if kind == EOF:
                    self.diag(opener, "Unterminated tuple constructor expression")
                else:
                    self.diag(i, "Missing item separator", kind)
            self.recover("]")
            return False
        self.read()
        return True

    def object_item(self, opener: int) -> bool:
        """One item of an object constructor; whether another follows."""
        kind = self.peek()
        if kind == NL:
            self.read()
            return True
        if kind == "}":
            self.read()
            return False
        if self.expression() and self.recovery:
            self.recover("}")
            return False
        i, kind = self.next()
        if kind not in ("=", ":"):
            if not self.recovery:
                if kind in (NL, ","):
                    self.diag(i, "Missing attribute value", kind)
                elif kind == EOF:
                    self.diag(opener, "Unterminated object constructor expression")
                else:
                    self.diag(i, "Missing key/value separator", kind)
            self.recover("}")
            return False
        self.read()
        if self.expression() and self.recovery:
            self.recover("}")
            return False
        i, kind = self.next()
        if kind == "}":
            self.read()
            return False
        if kind not in (",", NL):
            if not self.recovery:
                if kind == EOF:
                    self.diag(opener, "Unterminated object constructor expression")
                else:
                    self.diag(i, "Missing attribute separator", kind)
            self.recover("}")
            return False
        self.read()
        return True

    def for_expr(self, opener: int, close: str) -> None:
        """finishParsingForExpr, at the `for` keyword."""
        self.newlines.append(False)
        self.read()
        if not self.for_head() or self.for_body(close):
            self.recover(close)
        self.newlines.pop()

    def for_body(self, close: str) -> bool:
        """What follows `for ... :`; True where the Go code recovers to *close* and returns."""
        value = self.at(self.next()[0])
        key: int | None = None
        failed = self.expression()
        if self.peek() == "=>":
            self.read()
            key, value = value, self.at(self.next()[0])
            failed = self.expression() or failed
        if self.recovery and failed:
            return True
        i, kind = self.next()
        ellipsis = self.at(i) if kind == "..." else None
        if ellipsis is not None:
            self.read()
        i, kind = self.next()
        if self.word(i, b"if"):
            self.read()
            if self.expression() and self.recovery:
                return True
        i, kind = self.next()
        if kind == close:
            self.read()
        else:
            if not self.recovery:
                self.diag(i, "Invalid 'for' expression", kind)
            self.recover(close)
        wrong = [key, ellipsis] if close == "]" else [value if key is None else None]
        self.diags += [(at, "Invalid 'for' expression", None) for at in wrong if at is not None]
        return False

    def for_head(self, summary: str = "Invalid 'for' expression") -> bool:
        """`k, v in coll :` after `for` (in a `%{ for }` directive: no `:`); False (with its
        diagnostic) where it is not that."""
        for turn in range(2):
            i, kind = self.next()
            if kind != ID:
                if not self.recovery:
                    self.diag(i, summary, kind)
                return False
            self.read()
            if self.peek() != "," or turn == 1:
                break
            self.read()
        i, kind = self.next()
        if not self.word(i, b"in"):
            if not self.recovery:
                self.diag(i, summary, kind)
            return False
        self.read()
        if summary != "Invalid 'for' expression":
            self.expression()
            return True
        if self.expression() and self.recovery:
            return False
        i, kind = self.next()
        if kind != ":":
            if not self.recovery:
                self.diag(i, "Invalid 'for' expression", kind)
            return False
        self.read()
        return True

    def escapes(self, i: int) -> None:
        """ParseStringLiteralToken on quoted literal *i*: its invalid escape sequences."""
        text = self.text(i)
        if b"\\" not in text:
            return
        for found in _ESCAPE.finditer(text):
            seq = found.group(0)
            selector = seq[1:2]
            if selector in (b"u", b"U"):
                digits = seq[2:]
                value = int(digits, 16) if digits else -1
                ok = len(digits) == (4 if selector == b"u" else 8) and (
                    0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF)
            else:
                ok = selector in (b"n", b"r", b"t", b'"', b"\\")
            if not ok:
                self.diags.append((self.starts[i] + found.start(), "Invalid escape sequence",
                                   None))

    def template(self, end: str) -> None:
        """parseTemplateInner after its opening quote or heredoc marker."""
        begin = self.at(self.next()[0])
        parts: list[tuple[str, int]] = []
        while True:
            i, kind = self.read()
            if kind == end:
                parts.append(("end", self.at(i)))
                break
            if kind in (QLIT, SLIT):
                if kind == QLIT:
                    self.escapes(i)
                parts.append(("lit", self.at(i)))
            elif kind == INTERP:
                self.interpolation(end, begin)
                parts.append(("interp", self.at(i)))
            elif kind == CTRL:
                directive = self.directive()
                if directive:
                    parts.append((directive, self.at(i)))
            else:
                if not self.recovery:
                    self.diag(i, "Unterminated template string", kind)
                parts.append(("end", self.at(self.recover(end))))
                break
        at = 0
        while parts[at][0] != "end":
            at = self.template_item(parts, at)

    def interpolation(self, end: str, begin: int) -> None:
        """A `${ ... }` sequence, its opener read (*begin*: where the template's text starts)."""
        self.newlines.append(False)
        self.expression()
        i, close = self.next()
        if close != SEQEND:
            if not self.recovery:
                if close == EOF or (close in (CQ, OQ) and end == CQ):
                    self.diags.append((begin, "Unclosed template interpolation sequence", None))
                else:
                    self.diag(i, "Extra characters after interpolation expression", close)
            self.recover(SEQEND)
        else:
            self.read()
        self.newlines.pop()

    def directive(self) -> str | None:
        """A `%{ ... }` sequence, its opener read: the directive (if, for, else, endif,
        endfor), or None where it is not one."""
        self.newlines.append(False)
        i, kind = self.next()
        word = self.text(i) if kind == ID else b""
        if kind == ID:
            self.read()
        if word not in _DIRECTIVES or (word == b"for" and not self.for_head(
                "Invalid 'for' directive")):
            if not self.recovery and word != b"for":
                self.diag(i, "Invalid template control keyword" if kind == ID
                          else "Invalid template directive", kind)
            self.recover(SEQEND)
            self.newlines.pop()
            return None
        if word == b"if":
            self.expression()
        j, close = self.next()
        if close != SEQEND:
            if not self.recovery:
                self.diag(j, f"Extra characters in {word.decode()} marker", close)
            self.recover(SEQEND)
        else:
            self.read()
        self.newlines.pop()
        return word.decode()

    def template_item(self, parts: list[tuple[str, int]], at: int) -> int:
        """One item of hclsyntax's templateParser from *at* (an `if` or `for` with all it
        holds up to its end); the index after it."""
        kind, start = parts[at]
        if kind in ("if", "for"):
            in_else = False
            at += 1
            while True:
                item, where = parts[at]
                if item == "end":
                    self.diags.append((where, "Unexpected end of template", None))
                    return at
                if item in ("else", "endif", "endfor"):
                    at += 1
                    if kind == "if" and item == "else" and not in_else:
                        in_else = True
                        continue
                    if item != "end" + kind:
                        self.diags.append((where, f"Unexpected {item} directive", None))
                    return at
                at = self.template_item(parts, at)
        if kind in ("else", "endif", "endfor"):
            self.diags.append((start, f"Unexpected {kind} directive", None))
        return at + 1
