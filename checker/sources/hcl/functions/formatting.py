"""format and formatlist: Go's fmt verbs as Terraform's format defines them.

A verb is `%`, flags (`0 # - + space`), a width, a `.precision`, an argument index `[n]`
and a letter. `%v` shows a string as is, a number as Go's `%g` at its precision and
anything else as JSON (`%#v` always JSON); `%t` a bool; `%b %d %o %x %X` a whole number
(Go's big.Int verbs: `#` adds a base prefix, a precision pads with zeros); `%e %E %f %g %G`
a number (Go's big.Float verbs, exact decimal rounding); `%s` a string and `%q` it
JSON-quoted (a precision truncates, widths count grapheme clusters). Widths and
precisions are checked against the budget before anything is built.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.functions.encoding import cty_json
from checker.sources.hcl.functions.gobig import Verb, go_float, go_int, go_number
from checker.sources.hcl.functions.graphemes import grapheme_count, graphemes
from checker.sources.hcl.functions.texts import nfc
from checker.sources.hcl.valuemodel import EvalError, TfList, Unknown, type_name

# What big.ParseFloat(s, 10, ...) reads: decimal, a binary exponent `p`, or an infinity.
_NUMBER = re.compile(r"([-+]?)(?:(\d+\.?\d*|\.\d+)(?:([eEpP])([-+]?\d+))?|([Ii]nf))")
_MAX_DIGITS = 18  # a width, precision or index longer than this is beyond any budget


def _digits(text: str, at: int) -> tuple[int, int]:
    """The decimal number at *text[at:]* (as a Go int would hold it) and where it ends."""
    end = at
    while end < len(text) and text[end].isascii() and text[end].isdigit():
        end += 1
    if end - at > _MAX_DIGITS:
        budget.width(10 ** _MAX_DIGITS)
    return (int(text[at:end]) if end > at else 0), end


def _scan(fmt: str, at: int, arg: int) -> tuple[Verb, int]:
    """The verb starting at `fmt[at] == '%'`, and where the text after it starts."""
    i = at + 1
    verb = Verb("", arg)
    while i < len(fmt) and fmt[i] in "0#-+ ":
        flag = {"0": "zero", "#": "sharp", "-": "minus", "+": "plus", " ": "space"}[fmt[i]]
        setattr(verb, flag, True)
        i += 1
    if i < len(fmt) and "1" <= fmt[i] <= "9":
        verb.width, i = _digits(fmt, i)
    if i < len(fmt) and fmt[i] == ".":
        verb.prec, i = _digits(fmt, i + 1)
    if i < len(fmt) and fmt[i] == "[":
        if i + 1 >= len(fmt) or not "1" <= fmt[i + 1] <= "9":
            raise EvalError(f"invalid format string: bad argument index at offset {at}")
        verb.arg, i = _digits(fmt, i + 1)
        if i >= len(fmt) or fmt[i] != "]":
            raise EvalError(f"invalid format string: bad argument index at offset {at}")
        i += 1
    if i >= len(fmt):
        raise EvalError(f"invalid format string starting at offset {at}")
    if not (fmt[i].isascii() and fmt[i].isalpha()):
        raise EvalError(f"unrecognized format character {fmt[i]!r} at offset {i}")
    verb.mode, verb.raw = fmt[i], fmt[at:i + 1]
    return verb, i + 1


def format_text(fmt: str, args: tuple[object, ...]) -> str:
    """`format(fmt, args...)`: EvalError where Terraform's format fails."""
    out: list[str] = []
    size, i, next_arg, highest = 0, 0, 1, 0
    while i < len(fmt):
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        if fmt.startswith("%%", j):
            out.append("%")
            i = j + 2
            continue
        verb, i = _scan(fmt, j, next_arg)
        highest = max(highest, verb.arg)
        piece = _apply(verb, args)
        size += len(piece)
        if size > budget.MAX_STRING:
            budget.text(size)
        out.append(piece)
        next_arg = verb.arg + 1
    if highest < len(args):
        if highest == 0:
            raise EvalError("too many arguments; no verbs in format string")
        raise EvalError(f"too many arguments; only {highest} used by format string")
    return nfc("".join(out))


def _apply(verb: Verb, args: tuple[object, ...]) -> str:
    """The text one verb makes of its argument."""
    if verb.arg > len(args):
        raise EvalError(f"not enough arguments for {verb.raw!r}: need index {verb.arg} "
                        f"but have {len(args)} total")
    arg = args[verb.arg - 1]
    if arg is None and verb.mode != "v":
        raise EvalError(f"unsupported value for {verb.raw!r}: null value cannot be formatted")
    if verb.width >= 0:
        budget.width(verb.width)
    mode = verb.mode
    if mode == "v":
        if not verb.sharp and isinstance(arg, str):
            return _pad(verb, arg)
        if not verb.sharp and numbers.is_number(arg):
            return _pad(verb, go_float(_number(arg, verb), "g", -1))
        return _pad(verb, cty_json(arg))
    if mode == "t":
        if arg in ("true", "1") or arg is True:
            return "true"
        if arg in ("false", "0") or arg is False:
            return "false"
        raise EvalError(f"unsupported value for {verb.raw!r}: a bool is required")
    if mode in "bdoxXeEfgG":
        return _numeric(verb, _number(arg, verb))
    if mode in "sq":
        return _string(verb, _text(arg, verb))
    raise EvalError(f"unsupported format verb {mode!r} in {verb.raw!r}")


def _pad(verb: Verb, text: str) -> str:
    """*text* padded to the verb's width in grapheme clusters (cty's formatPadWidth)."""
    if verb.width < 0:
        return text
    missing = verb.width - grapheme_count(text)
    if missing <= 0:
        return text
    pad = ("0" if verb.zero else " ") * missing
    return text + pad if verb.minus else pad + text


def _text(arg: object, verb: Verb) -> str:
    """*arg* converted to a string, as cty converts."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, bool):
        return "true" if arg else "false"
    if numbers.is_number(arg):
        assert isinstance(arg, int | float | numbers.Num)
        return numbers.text(arg)
    raise EvalError(f"unsupported value for {verb.raw!r}: a string is required, "
                    f"not {type_name(arg)}")


def _string(verb: Verb, text: str) -> str:
    """`%s` or `%q` of *text*."""
    if verb.prec > 0:
        text = "".join(graphemes(text)[: verb.prec])
    return _pad(verb, text if verb.mode == "s" else cty_json(text))


def _number(arg: object, verb: Verb) -> numbers.Number:
    """*arg* converted to a number, as cty converts (a string as big.ParseFloat reads it)."""
    if numbers.is_number(arg):
        assert isinstance(arg, int | float | numbers.Num)
        return arg
    m = _NUMBER.fullmatch(arg) if isinstance(arg, str) else None
    if m is None:
        raise EvalError(f"unsupported value for {verb.raw!r}: a number is required")
    sign, mantissa, marker, exponent, inf = m.groups()
    if inf:
        return -math.inf if sign == "-" else math.inf
    if sign == "-" and not mantissa.strip("0."):
        return -0.0  # negative zero, which cty keeps (only here, and only as a float)
    power = int(exponent or "0")
    if abs(power) > numbers.MAX_EXPONENT:
        raise budget.BudgetExceeded("makes a number beyond ±1.8e308, tablespec's budget "
                                    "for a number")
    q = Fraction(mantissa) * (Fraction(2 if marker in ("p", "P") else 10) ** power)
    value = numbers.make(-q if sign == "-" else q)
    budget.number(value)
    return value


def _numeric(verb: Verb, value: numbers.Number) -> str:
    """A number verb (`%d %x %f %e %g`...) of *value*."""
    if verb.prec >= 0:
        budget.width(verb.prec)
    if verb.mode in "bdoxX":
        value = 0 if value == 0 else value
        if not isinstance(value, int):
            raise EvalError(f"unsupported value for {verb.raw!r}: an integer is required")
        return go_int(verb, value)
    return go_number(verb, value)


def _formatlist(fmt: str, *args: object) -> TfList:
    """`formatlist(fmt, args...)`: lists, sets and tuples are iterated together."""
    if not args:
        return TfList([format_text(fmt, ())])
    length, chooser = -1, 0
    for i, arg in enumerate(args):
        if isinstance(arg, list):
            if length < 0:
                length, chooser = len(arg), i
            elif len(arg) != length:
                raise EvalError(f"argument {i + 1} has length {len(arg)}, which is "
                                f"inconsistent with argument {chooser + 1} of length {length}")
    if length == 0:
        return TfList()
    length = max(length, 1)
    budget.elements(length)
    out = TfList()
    for k in range(length):
        row = tuple(arg[k] if isinstance(arg, list) else arg for arg in args)
        try:
            text = format_text(fmt, row)
        except EvalError as exc:
            raise EvalError(f"error on format iteration {k}: {exc}") from None
        budget.text(len(text))
        out.append(text)
    return out


def _typed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
    """*fn*, unknown when an argument is null: Terraform cannot type a bare `null`
    argument and gives an unknown (a typed null would show as `null`; both are None here)."""
    def call(fmt: str, *args: object) -> object:
        """The function, or Unknown."""
        if any(arg is None for arg in args):
            return Unknown(f"{name}() has a null argument: Terraform's result is unknown "
                           "for a bare null (and shows a typed one as `null`)")
        return fn(fmt, *args)
    return call


FUNCTIONS: dict[str, Callable[..., object]] = {
    "format": _typed("format", lambda fmt, *args: format_text(fmt, args)),
    "formatlist": _typed("formatlist", _formatlist),
}

__all__ = ["FUNCTIONS", "format_text"]
