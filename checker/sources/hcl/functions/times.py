"""Date and time functions: formatdate, timeadd, timecmp.

`formatdate` and `timeadd` are cty's: the timestamp read strictly, the duration as Go's
`time.ParseDuration`, `timeadd`'s result written as Go's `Format(time.RFC3339)` (whole
seconds, in the timestamp's offset). `timecmp` is Terraform's own, which reads with Go's
`time.Parse(time.RFC3339)`: strictly first, then Go's more lenient layout parser.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.functions.timeparse import (
    NS,
    Moment,
    local,
    parse_duration,
    parse_lenient,
    parse_strict,
    rfc3339,
    zone,
)
from checker.sources.hcl.numbers import Wide
from checker.sources.hcl.valuemodel import EvalError

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MAX_TOKEN = 65_536  # Go's bufio.Scanner gives up (silently, for cty) on a longer token


def _timestamp(text: str, name: str) -> Moment:
    """A strict RFC 3339 timestamp; EvalError otherwise."""
    moment = parse_strict(text)
    if moment is None:
        raise EvalError(f"{name}: not a valid RFC3339 timestamp")
    return moment


def _token(fmt: bytes, start: int) -> int:
    """The end of the format token at *start* (cty's `splitDateFormat`): a quoted literal
    (`''` is a quote), a run of one letter, or other text up to a letter or a quote."""
    first = fmt[start]
    if first == 0x27:
        if fmt[start + 1:start + 2] == b"'":
            return start + 2
        i = start + 1
        while i < len(fmt):
            if fmt[i] == 0x27:
                if fmt[i + 1:i + 2] != b"'":
                    return i + 1
                i += 1
            i += 1
        return len(fmt)
    end = start + 1
    if _letter(first):
        while end < len(fmt) and fmt[end] == first:
            end += 1
        return end
    while end < len(fmt) and fmt[end] != 0x27 and not _letter(fmt[end]):
        end += 1
    return end


def _letter(byte: int) -> bool:
    """An ASCII letter: the start of a format verb."""
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


_VERBS: dict[str, dict[int, Callable[[Moment], str]]] = {
    "Y": {2: lambda m: f"{local(m)[0][0] % 100:02d}", 4: lambda m: f"{local(m)[0][0]:04d}"},
    "M": {1: lambda m: str(local(m)[0][1]), 2: lambda m: f"{local(m)[0][1]:02d}",
          3: lambda m: _MONTHS[local(m)[0][1] - 1][:3], 4: lambda m: _MONTHS[local(m)[0][1] - 1]},
    "D": {1: lambda m: str(local(m)[0][2]), 2: lambda m: f"{local(m)[0][2]:02d}"},
    "E": {3: lambda m: _DAYS[local(m)[4]][:3], 4: lambda m: _DAYS[local(m)[4]]},
    "h": {1: lambda m: str(local(m)[1]), 2: lambda m: f"{local(m)[1]:02d}"},
    "H": {1: lambda m: str((local(m)[1] + 11) % 12 + 1),
          2: lambda m: f"{(local(m)[1] + 11) % 12 + 1:02d}"},
    "A": {2: lambda m: "PM" if local(m)[1] >= 12 else "AM"},
    "a": {2: lambda m: "pm" if local(m)[1] >= 12 else "am"},
    "m": {1: lambda m: str(local(m)[2]), 2: lambda m: f"{local(m)[2]:02d}"},
    "s": {1: lambda m: str(local(m)[3]), 2: lambda m: f"{local(m)[3]:02d}"},
    "Z": {1: lambda m: "Z" if m.offset == 0 else zone(m.offset, True),
          3: lambda m: "UTC" if m.offset == 0 else zone(m.offset, False),
          4: lambda m: zone(m.offset, False), 5: lambda m: zone(m.offset, True)},
}


def _quoted(token: bytes) -> bytes:
    """A quoted literal's text: its quotes dropped, `''` inside it made one quote."""
    if token[-1:] != b"'" or len(token) == 1:
        raise EvalError("formatdate: unterminated literal '")
    if len(token) == 2:
        return b"'"
    out, raw, i = bytearray(), token[1:-1], 0
    while i < len(raw):
        out.append(raw[i])
        i += 2 if raw[i] == 0x27 else 1
    return bytes(out)


def _formatdate(spec: object, time: object) -> str:
    """`formatdate(spec, time)`."""
    moment = parse_strict(str(time))
    if moment is None:
        raise EvalError("formatdate: not a valid RFC3339 timestamp")
    fmt, out, size, start = str(spec).encode("utf-8"), [], 0, 0
    while start < len(fmt):
        end = _token(fmt, start)
        token = fmt[start:end]
        if (token[0] == 0x27 or _letter(token[0])) and end - start + (end < len(fmt)) > _MAX_TOKEN:
            break  # Go's scanner stops; cty keeps what it has
        if token[0] == 0x27:
            piece = _quoted(token)
        elif _letter(token[0]):
            verb = _VERBS.get(chr(token[0]), {}).get(len(token))
            if verb is None:
                raise EvalError("formatdate: invalid date format verb")
            piece = verb(moment).encode("ascii")
        else:
            piece = token
        size += len(piece)
        if size > budget.MAX_STRING:
            budget.text(size)
        out.append(piece)
        start = end
    return unicodedata.normalize("NFC", b"".join(out).decode("utf-8", "replace"))


def _timeadd(timestamp: object, duration: object) -> str:
    """`timeadd(timestamp, duration)`, shown in the timestamp's offset, whole seconds."""
    moment = _timestamp(str(timestamp), "timeadd")
    seconds, nanos = divmod(moment.seconds * NS + moment.nanos + parse_duration(str(duration)),
                            NS)
    return rfc3339(Moment(seconds, nanos, moment.offset))


def _timecmp(timestamp_a: object, timestamp_b: object) -> Wide:
    """`timecmp(a, b)`: -1, 0 or 1 as a is before, at or after b."""
    moments = []
    for text in (str(timestamp_a), str(timestamp_b)):
        moment = parse_strict(text) or parse_lenient(text)
        if moment is None:
            raise EvalError("timecmp: not a valid RFC3339 timestamp")
        moments.append((moment.seconds, moment.nanos))
    return Wide((moments[0] > moments[1]) - (moments[0] < moments[1]), 64)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "formatdate": _formatdate,
    "timeadd": _timeadd,
    "timecmp": _timecmp,
}
