"""The syntax error Terraform reports first in a file, found by a port of its own parser.

tree-sitter recovers from an error in its own way, so the place where it stops can be far
from the place Terraform names, and it reads some files Terraform refuses (a newline inside
a quoted string). So every file is first read as hclsyntax reads it (`ParseConfig`): its
scanner (`tokens`), its parser with the same recovery (`exprs`, `templates`, bodies and
blocks here). Terraform shows the diagnostics sorted by position; the first becomes one
line `file:line: syntax error at column C: <what hclsyntax says>, found <the kind of
token>` (never the file's text), or, for an argument set twice, `the argument NAME is set
twice`.
"""

from __future__ import annotations

import re

from checker.errors import RunError
from checker.sources.hcl.hclsyntax.templates import TemplateParser
from checker.sources.hcl.hclsyntax.tokens import (
    BADUTF8,
    CH,
    CLOSERS,
    COMMENT,
    CQ,
    CTRL,
    EOF,
    ID,
    INTERP,
    INVALID,
    NL,
    NUM,
    OH,
    OPENERS,
    OQ,
    QLIT,
    QNL,
    SEQEND,
    SLIT,
    lexer_error,
    scan,
)

_BOM = b"\xef\xbb\xbf"
_WORDS = {ID: "a name", NUM: "a number", QLIT: "a string", SLIT: "a string", OQ: "a quote",
          CQ: "a quote", OH: "a heredoc", CH: "a heredoc's end marker", INTERP: "'${'",
          CTRL: "'%{'", SEQEND: "'}'", NL: "a newline", QNL: "a newline",
          EOF: "the end of the file", INVALID: "a character Terraform does not use",
          BADUTF8: "bytes that are not UTF-8", COMMENT: "a comment"}
_REDEFINED = "Attribute redefined"
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def shown_name(text: str) -> str:
    """*text* (a label, a name) as an error line may show it: a plain name, else `...`."""
    return text if _NAME.fullmatch(text) else "..."


def describe(kind: str) -> str:
    """What a token of *kind* is, in words (never its text)."""
    return _WORDS.get(kind, repr(kind))


class BodyParser(TemplateParser):
    """hclsyntax's parser of bodies, arguments and blocks, over the expression parser."""

    def __init__(self, data: bytes, kinds: list[str], starts: list[int], ends: list[int]
                 ) -> None:
        super().__init__(data, kinds, starts, ends)
        self.redefined: dict[int, tuple[str, int]] = {}  # start -> (name, first's start)

    def body(self, end: str) -> None:
        """ParseBody: items up to *end* (`}`, or EOF for the file's body)."""
        begin = self.at(self.idx - 1) if self.idx else self.at(self.next()[0])
        names: dict[bytes, int] = {}
        while True:
            i, kind = self.next()
            if kind == end:
                self.read()
                return
            if kind == NL:
                self.read()
            elif kind == ID:
                name = self.body_item()
                if name is None:
                    continue
                first = names.setdefault(self.text(name), self.at(name))
                if first != self.at(name):
                    self.diag(name, _REDEFINED)
                    self.redefined[self.at(name)] = (
                        self.text(name).decode("utf-8", "replace"), first)
            else:
                self.read()
                if not self.recovery:
                    if kind == OQ:
                        self.diag(i, "Invalid argument name", kind)
                    elif kind == EOF:
                        self.diags.append((begin, "Unclosed configuration block", None))
                    else:
                        self.diag(i, "Argument or block definition required", kind)
                self.recover(end)
                return

    def body_item(self) -> int | None:
        """ParseBodyItem at an identifier: the name token of an argument, else None."""
        ident, _ = self.read()
        kind = self.peek()
        if kind == "=":
            self.attribute(ident, single=False)
            return ident
        if kind in (OQ, "{", ID):
            self.block()
        else:
            self.recover_after_item()
            self.diag(ident, "Argument or block definition required")
        return None

    def attribute(self, ident: int, single: bool) -> None:
        """finishParsingBodyAttribute at `=`: the expression, then (unless on one line with
        its block) the newline that must end it."""
        self.read()
        if self.expression() and self.recovery:
            self.recover_after_item()
            return
        if single:
            return
        i, kind = self.next()
        if kind in (NL, EOF):
            self.read()
            return
        if not self.recovery:
            self.diag(i, "Unexpected comma after argument" if kind == ","
                      else "Missing newline after argument", kind)
        self.recover_after_item()

    def block(self) -> None:
        """finishParsingBodyBlock after the block type: labels, then its body."""
        while True:
            i, kind = self.next()
            if kind == "{":
                brace, _ = self.read()
                break
            if kind == OQ:
                self.quoted_label()
            elif kind == ID:
                self.read()
            else:
                if kind in ("=", NL) or not self.recovery:
                    self.diag(i, "Invalid block definition", kind)
                self.recover_after_item()
                return
        if self.peek() in (NL, EOF, "}"):
            self.body("}")
        else:
            self.single_attribute_body(brace)
        i, kind = self.next()
        if kind in (NL, EOF):
            self.read()
            return
        if not self.recovery:
            self.diag(i, "Missing newline after block definition", kind)
        self.recover_after_item()

    def single_attribute_body(self, brace: int) -> None:
        """parseSingleAttrBody (`foo { bar = baz }`) and the `}` that must follow."""
        i, kind = self.read()
        follows = self.peek()
        if kind == ID and follows == "=":
            self.attribute(i, single=True)
        else:
            self.recover_after_item()
            self.diag(i, "Argument definition required" if kind == ID and follows in (
                OQ, "{", ID) else "Argument or block definition required", None)
        i, kind = self.next()
        if kind == "}":
            self.read()
            return
        if kind in (",", NL):
            self.diag(i, "Invalid single-argument block definition", kind)
        elif not self.recovery:
            if kind == EOF:
                self.diags.append((self.at(brace), "Unclosed configuration block", None))
            else:
                self.diag(i, "Invalid single-argument block definition", kind)
        self.recover("}")

    def quoted_label(self) -> None:
        """parseQuotedStringLiteral: a block label, where no `${` or `%{` may appear."""
        self.read()
        while True:
            i, kind = self.read()
            if kind == CQ:
                return
            if kind == QLIT:
                self.escapes(i)
            elif kind in (INTERP, CTRL):
                self.diag(i, "Invalid string literal", kind)
                self.recover(SEQEND)
            elif kind == EOF:
                self.diag(i, "Unterminated string literal", kind)
                return
            else:
                self.diag(i, "Invalid string literal", kind)
                self.recover(CQ)
                return

    def recover_after_item(self) -> None:
        """recoverAfterBodyItem: skip to the newline ending this item, brackets balanced."""
        self.recovery = True
        opened: list[str] = []
        while True:
            _i, kind = self.read()
            if kind == NL:
                if not opened:
                    return
            elif kind == EOF:
                return
            elif kind in OPENERS:
                opened.append(kind)
            elif kind in CLOSERS:
                openers = (INTERP, CTRL) if kind == SEQEND else (CLOSERS[kind],)
                while opened and opened[-1] not in openers:
                    opened.pop()
                if opened:
                    opened.pop()


def syntax_error(data: bytes, path: str) -> RunError | None:
    """The first error Terraform's parser reports in file *data* (shown as *path*), as a
    one-line RunError; None when its parser accepts the file."""
    text = data[len(_BOM):] if data.startswith(_BOM) else data
    kinds, starts, ends = scan(text)
    parser = BodyParser(text, kinds, starts, ends)
    try:
        parser.body(EOF)
    except RecursionError:
        return RunError(f"{path}: an expression is nested too deeply to read")
    found = parser.diags
    lexed = lexer_error(kinds, starts)
    if lexed is not None:
        token = kinds[lexed[2]]
        found = [(lexed[0], lexed[1], None if token in (INVALID, BADUTF8, QNL) else token),
                 *found]
    if not found:
        return None
    start, summary, kind = min(found, key=lambda diag: diag[0])
    line = text.count(b"\n", 0, start) + 1
    if summary == _REDEFINED:
        name, first = parser.redefined[start]
        was = text.count(b"\n", 0, first) + 1
        return RunError(f"{path}:{line}: the argument {shown_name(name)} is set twice (first "
                        f"at line {was}); Terraform refuses it")
    column = len(text[text.rfind(b"\n", 0, start) + 1:start].decode("utf-8", "replace")) + 1
    said = summary[0].lower() + summary[1:]
    return RunError(f"{path}:{line}: syntax error at column {column}: {said}"
                    + (f", found {describe(kind)}" if kind else ""))
