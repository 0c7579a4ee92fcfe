"""HCL's scanner (hclsyntax's `scan_tokens.rl`), ported to find syntax errors as Terraform does.

`scan` cuts a file into the tokens Terraform's own scanner makes, in its three modes (the
file, a quoted string, a heredoc), with the same longest-match choices: a `/*` never closed
is a `/` then a `*`, a `\\r` not before `\\n` is an invalid character, a newline inside a
quoted string is a token of its own (Terraform's "Invalid multi-line string"). A token is
its kind (the names below; punctuation stands for itself) and its byte span; the parser
(`exprs`, `templates`, `errors`) reads them. `lexer_error` is hclsyntax's
`checkInvalidTokens` (the errors found in the tokens alone), `number_ok` the check of a
number token's value (`cty.ParseNumberVal`).
"""

from __future__ import annotations

import re
import unicodedata

ID, NUM, QLIT, SLIT, COMMENT, NL, EOF = "ID", "NUM", "QLIT", "SLIT", "COMMENT", "NL", "EOF"
OQ, CQ, OH, CH = "OQ", "CQ", "OH", "CH"  # quotes and heredoc markers
INTERP, CTRL, SEQEND = "${", "%{", "SEQEND"  # template sequences and their end
INVALID, BADUTF8, QNL = "INVALID", "BADUTF8", "QNL"  # a newline inside a quoted string
OPENERS = {"{": "}", "[": "]", "(": ")", OQ: CQ, OH: CH, INTERP: SEQEND, CTRL: SEQEND}
CLOSERS = {"}": "{", "]": "[", ")": "(", CQ: OQ, CH: OH, SEQEND: INTERP}

_MB = rb"[\xc0-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3}"
_MAIN = re.compile(
    rb"(?P<sp>[ \t]+)"
    rb"|(?P<com>\#[^\n]*\n?|//[^\n]*\n?)"
    rb"|(?P<num>[0-9](?:(?:[0-9.]|[eE][-+]?[0-9])*(?:[0-9]|[eE][-+]?[0-9]))?)"
    rb"|(?P<id>[A-Za-z_][A-Za-z0-9_\-]*)"
    rb"|(?P<nl>\r?\n)"
    rb"|(?P<op>\.\.\.|==|!=|>=|<=|&&|\|\||::|=>)"
    rb"|(?P<one>[\[\]().,*%+\-=>!?:&|\^;`'])")  # `/`, `<`, `~`: see `main`
_QUOTED_RUN = re.compile(
    rb"(?:\\(?:[\x00-\x09\x0b\x0c\x0e-\x7f]|" + _MB + rb")"
    rb"|[\x00-\x09\x0b\x0c\x0e-\x21\x23\x26-\x5b\x5d-\x7f]|" + _MB + rb")+")
_HEREDOC_RUN = re.compile(rb"(?:[\x00-\x09\x0b\x0c\x0e-\x23\x26-\x7f]|" + _MB + rb")*")
_EOL = re.compile(rb"\r?\n")
_NUMBER = re.compile(rb"([0-9]+)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?")
_MAX_EXP = 2**31 - 1
_NEWLINES = re.compile(rb"[\r\n]+")
_UTF8 = re.compile(rb"[\x00-\x7f]|" + _MB)
_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_START = frozenset("\u1885\u1886\u2118\u212e\u309b\u309c")
_OTHER_CONTINUE = frozenset("\u00b7\u0387\u1369\u136a\u136b\u136c\u136d\u136e\u136f\u1370"
                            "\u1371\u19da")
_START_CATS = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nl"))
_CONTINUE_CATS = _START_CATS | {"Mn", "Mc", "Nd", "Pc"}


def _char(data: bytes, at: int) -> tuple[int, str | None]:
    """(length, character) of the UTF-8 sequence at *at* as HCL's scanner reads UTF-8
    (loosely: any lead byte with its continuation bytes); (1, None) for a broken byte."""
    found = _UTF8.match(data, at)
    if found is None:
        return 1, None
    raw = found.group(0)
    if len(raw) == 1:
        return 1, chr(raw[0])
    lead = raw[0] & (0x1F, 0x0F, 0x07)[len(raw) - 2]
    value = lead
    for byte in raw[1:]:
        value = (value << 6) | (byte & 0x3F)
    return len(raw), chr(value) if value <= 0x10FFFF else "\ufffd"


def _is_id(char: str, start: bool) -> bool:
    """Whether *char* may start (or continue) an identifier: Unicode ID_Start/ID_Continue."""
    if char in _OTHER_START or (not start and char in _OTHER_CONTINUE):
        return True
    return unicodedata.category(char) in (_START_CATS if start else _CONTINUE_CATS)


def ident_end(data: bytes, at: int) -> int:
    """Where the identifier starting at *at* ends (*at* itself when there is none)."""
    pos = at
    first = True
    while pos < len(data):
        byte = data[pos]
        if byte < 0x80:
            ok = chr(byte).isalpha() or byte == 0x5F or (not first and (
                chr(byte).isdigit() or byte == 0x2D))
            if not ok:
                break
            pos += 1
        else:
            size, char = _char(data, pos)
            if char is None or not _is_id(char, first):
                break
            pos += size
        first = False
    return pos


def number_ok(text: bytes) -> bool:
    """Whether Go's big.ParseFloat (cty.ParseNumberVal) reads the number token *text*: one
    dot at most, one exponent, and a binary exponent that fits in 32 bits."""
    found = _NUMBER.fullmatch(text)
    if found is None:
        return False
    whole, fraction, exponent = found.group(1), found.group(2) or b"", found.group(3) or b"0"
    if len(exponent.lstrip(b"+-0")) > 19:
        return False
    power = int(exponent)
    digits = (whole + fraction).lstrip(b"0")
    if abs(power) > 2**63 - 1:
        return False
    if not digits:
        return True  # zero: read before its exponent is applied
    # the bit length of the digits as an integer (estimated for a long one: within a few
    # bits of 2**31 only, where it could matter, is out of any real file's reach)
    bits = int(digits).bit_length() if len(digits) < 1000 else int(len(digits) * 3.3219281)
    return -_MAX_EXP - 1 <= bits - len(fraction) + power <= _MAX_EXP


class _Scanner:
    """One scan of one file: the tokens, and the mode stack of hclsyntax's scanner."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.kinds: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.modes = ["main"]
        self.braces = 0
        self.returns: list[int] = []  # brace levels at which a `}` ends a template sequence
        self.heredocs: list[list[object]] = []  # [marker, at the start of a line]
        self.no_comment_end = False  # no `*/` is left: a `/*` is a `/` from here on

    def emit(self, kind: str, start: int, end: int) -> None:
        """Add one token."""
        self.kinds.append(kind)
        self.starts.append(start)
        self.ends.append(end)

    def run(self) -> None:
        """Scan the whole file, then add the EOF token. The file's plain tokens (names,
        numbers, operators, spaces, line comments) are read here in one loop (the most of
        any file, and the most of the time); every other token by its mode's method."""
        data, pos, size = self.data, 0, len(self.data)
        steps = {"main": self.main, "string": self.string, "heredoc": self.heredoc}
        kinds, starts, ends, modes = self.kinds, self.starts, self.ends, self.modes
        match, named = _MAIN.match, {"com": COMMENT, "num": NUM, "id": ID, "nl": NL}
        while pos < size:
            if modes[-1] == "main":
                found = match(data, pos)
                if found is not None:
                    group, end = found.lastgroup, found.end()
                    if group == "sp":
                        pos = end
                        continue
                    if group != "id" or end == size or data[end] < 0x80:
                        kinds.append(named.get(group or "") or data[pos:end].decode("ascii"))
                        starts.append(pos)
                        ends.append(end)
                        pos = end
                        continue
            pos = steps[modes[-1]](pos)
        self.emit(EOF, size, size)

    def sequence(self, pos: int) -> int | None:
        """A `${` or `%{` (with its `~`) at *pos*: emitted, the file's mode entered."""
        two = self.data[pos:pos + 2]
        if two not in (b"${", b"%{"):
            return None
        end = pos + 3 if self.data[pos + 2:pos + 3] == b"~" else pos + 2
        self.emit(INTERP if two == b"${" else CTRL, pos, end)
        self.braces += 1
        self.returns.append(self.braces)
        if self.heredocs:
            self.heredocs[-1][1] = False
        self.modes.append("main")
        return end

    def escape(self, pos: int) -> int | None:
        """A `$` or `%` that does not open a sequence at *pos*: its end, or None at the end of
        the file (where the scanner is left mid-token)."""
        data = self.data
        if data[pos:pos + 1] not in (b"$", b"%"):
            return None
        if pos + 1 >= len(data):
            return None
        if data[pos + 1:pos + 3] in (b"${", b"%{") and data[pos] == data[pos + 1]:
            return pos + 4 if data[pos + 3:pos + 4] == b"~" else pos + 3
        return pos + 1

    def main(self, pos: int) -> int:
        """One token of the file's own mode (also inside `${ }`)."""
        data = self.data
        byte = data[pos]
        if byte == 0x7B:  # {
            self.emit("{", pos, pos + 1)
            self.braces += 1
            return pos + 1
        if byte == 0x7D or data.startswith(b"~}", pos):
            end = pos + (1 if byte == 0x7D else 2)
            closes = bool(self.returns) and self.returns[-1] == self.braces
            self.emit(SEQEND if closes or byte != 0x7D else "}", pos, end)
            self.braces -= 1
            if closes:
                self.returns.pop()
                self.modes.pop()
            return end
        if byte == 0x22:  # "
            self.emit(OQ, pos, pos + 1)
            self.modes.append("string")
            return pos + 1
        if byte == 0x3C and data.startswith(b"<<", pos):
            at = pos + 3 if data[pos + 2:pos + 3] == b"-" else pos + 2
            name_end = ident_end(data, at)
            eol = _EOL.match(data, name_end) if name_end > at else None
            if eol is not None:
                self.emit(OH, pos, eol.end())
                self.heredocs.append([data[at:name_end], True])
                self.modes.append("heredoc")
                return eol.end()
        if byte == 0x2F and data.startswith(b"/*", pos) and not self.no_comment_end:
            close = data.find(b"*/", pos + 2)
            if close >= 0:
                self.emit(COMMENT, pos, close + 2)
                return close + 2
            self.no_comment_end = True
        if byte in b"/<~":
            self.emit(chr(byte), pos, pos + 1)
            return pos + 1
        found = _MAIN.match(data, pos)
        if found is not None and found.lastgroup == "id":  # followed by non-ASCII
            end = ident_end(data, pos)
            self.emit(ID, pos, end)
            return end
        size, char = _char(data, pos)
        if char is not None and _is_id(char, True):
            end = ident_end(data, pos)
            if end > pos:
                self.emit(ID, pos, end)
                return end
        self.emit(BADUTF8 if char is None else INVALID, pos, pos + size)
        return pos + size

    def string(self, pos: int) -> int:
        """One token inside a quoted string."""
        data = self.data
        opened = self.sequence(pos)
        if opened is not None:
            return opened
        if data[pos] == 0x22:
            self.emit(CQ, pos, pos + 1)
            self.modes.pop()
            return pos + 1
        end = self.escape(pos)
        if end is None and data[pos] not in b"$%":
            run = _QUOTED_RUN.match(data, pos) or _NEWLINES.match(data, pos)
            if run is not None:
                self.emit(QLIT if run.group(0)[0] not in b"\r\n" else QNL, pos, run.end())
                return run.end()
            size, char = _char(data, pos)
            self.emit(BADUTF8 if char is None else INVALID, pos, pos + size)
            return pos + size
        if end is None:  # a `$` or `%` last in the file
            self.emit(INVALID, pos, len(data))
            return len(data)
        self.emit(QLIT, pos, end)
        return end

    def heredoc(self, pos: int) -> int:
        """One token inside a heredoc: a line (maybe its end marker) or part of one."""
        data = self.data
        opened = self.sequence(pos)
        if opened is not None:
            return opened
        top = self.heredocs[-1]
        end = self.escape(pos)
        if end is not None:
            top[1] = False
            self.emit(SLIT, pos, end)
            return end
        run_end = _HEREDOC_RUN.match(data, pos).end()  # type: ignore[union-attr]
        eol = _EOL.match(data, run_end)
        if eol is None:
            if run_end > pos:
                top[1] = False
                self.emit(SLIT, pos, run_end)
                return run_end
            if data[pos] >= 0x80 and _char(data, pos)[1] is None:
                self.emit(BADUTF8, pos, pos + 1)
                return pos + 1
            self.emit(INVALID, pos, len(data))  # nothing the scanner can match: it stops
            return len(data)
        text = data[pos:eol.end()].decode("utf-8", "replace").strip(_GO_SPACE)
        if top[1] and text.encode() == top[0]:
            self.emit(CH, pos, eol.start())
            self.emit(NL, eol.start(), eol.end())
            self.heredocs.pop()
            self.modes.pop()
        else:
            top[1] = True
            self.emit(SLIT, pos, eol.end())
        return eol.end()


def scan(data: bytes) -> tuple[list[str], list[int], list[int]]:
    """The kinds, start and end offsets of the tokens of *data* (its BOM already cut off)."""
    scanner = _Scanner(data)
    scanner.run()
    return scanner.kinds, scanner.starts, scanner.ends


_LEXER = {"&": "Unsupported operator", "|": "Unsupported operator",
          "^": "Unsupported operator", "~": "Unsupported operator",
          "`": "Invalid character", "'": "Invalid character", ";": "Invalid character",
          BADUTF8: "Invalid character encoding", QNL: "Invalid multi-line string",
          INVALID: "Invalid character"}


def lexer_error(kinds: list[str], starts: list[int]) -> tuple[int, str, int] | None:
    """(start, summary, token index) of the first error hclsyntax's `checkInvalidTokens` finds
    in the tokens alone (it may leave out later repeats, never the first)."""
    for index, kind in enumerate(kinds):
        summary = _LEXER.get(kind)
        if summary is not None:
            return starts[index], summary, index
    return None
