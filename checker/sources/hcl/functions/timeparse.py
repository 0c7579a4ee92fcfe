"""RFC 3339 timestamps and Go durations, read and written as Terraform's Go does.

cty reads a timestamp strictly (Go's `time` fast path: two-digit fields, `.` before a
fraction, `Z` or a `±hh:mm` offset below 24:00); Go's general layout parser, which
`time.Parse(time.RFC3339)` falls back on, also takes a one-digit hour, a `,` before a
fraction and an offset up to ±24:60. A moment is its Unix seconds, nanoseconds and the
offset it was written in; dates are proleptic Gregorian, any year.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.sources.hcl.valuemodel import EvalError

NS = 1_000_000_000
_UNITS = {b"ns": 1, b"us": 1_000, "µs".encode(): 1_000, "μs".encode(): 1_000,
          b"ms": 1_000_000, b"s": NS, b"m": 60 * NS, b"h": 3600 * NS}


class Moment(NamedTuple):
    """An instant and the UTC offset (seconds) it is shown in."""

    seconds: int  # since 1970-01-01T00:00:00Z
    nanos: int
    offset: int


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _civil(days: int) -> tuple[int, int, int]:
    """The proleptic Gregorian (year, month, day) of days since 1970-01-01."""
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, doy - (153 * mp + 2) // 5 + 1


def _days_in(month: int, year: int) -> int:
    """Days of a month."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _moment(date: tuple[int, int, int], clock: tuple[int, int, int], nanos: int,
            offset: int) -> Moment:
    """The instant of a local date and time written with *offset*."""
    local = _days_from_civil(*date) * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
    return Moment(local - offset, nanos, offset)


def _digits(raw: bytes) -> int | None:
    """*raw* as an unsigned decimal (every byte a digit), or None."""
    return int(raw) if raw and all(0x30 <= c <= 0x39 for c in raw) else None


def _nanoseconds(fraction: bytes) -> int:
    """The digits after the `.` or `,` as nanoseconds (beyond nine, cut off)."""
    return int(fraction[:9].ljust(9, b"0"))


def _fraction_length(rest: bytes, separators: bytes) -> int:
    """How long the fraction at the start of *rest* is (separator and digits), or 0."""
    if len(rest) < 2 or rest[0] not in separators or not 0x30 <= rest[1] <= 0x39:
        return 0
    n = 2
    while n < len(rest) and 0x30 <= rest[n] <= 0x39:
        n += 1
    return n


def _field(raw: bytes, low: int, high: int) -> int | None:
    """A fixed-width field within [low, high], or None."""
    value = _digits(raw)
    return value if value is not None and low <= value <= high else None


def parse_strict(text: str) -> Moment | None:
    """An RFC 3339 timestamp as cty (and Go's fast path) reads it, or None."""
    s = text.encode("utf-8")
    if len(s) < 19 or (s[4], s[7], s[10], s[13], s[16]) != (0x2D, 0x2D, 0x54, 0x3A, 0x3A):
        return None
    year, month = _field(s[0:4], 0, 9999), _field(s[5:7], 1, 12)
    if year is None or month is None:
        return None
    fields = (_field(s[8:10], 1, _days_in(month, year)), _field(s[11:13], 0, 23),
              _field(s[14:16], 0, 59), _field(s[17:19], 0, 59))
    if None in fields:
        return None
    day, hour, minute, second = (int(f or 0) for f in fields)
    rest = s[19:]
    n = _fraction_length(rest, b".")
    nanos, rest = (_nanoseconds(rest[1:n]), rest[n:]) if n else (0, rest)
    offset = 0
    if rest != b"Z":
        if len(rest) != 6 or rest[0] not in b"+-" or rest[3] != 0x3A:
            return None
        hours, minutes = _field(rest[1:3], 0, 23), _field(rest[4:6], 0, 59)
        if hours is None or minutes is None:
            return None
        offset = (hours * 60 + minutes) * 60 * (-1 if rest[0] == 0x2D else 1)
    return _moment((year, month, day), (hour, minute, second), nanos, offset)


def _two(s: bytes, fixed: bool) -> tuple[int, bytes] | None:
    """Go's `getnum`: one or two digits (two when *fixed*) and the rest."""
    if not s or not 0x30 <= s[0] <= 0x39:
        return None
    if len(s) < 2 or not 0x30 <= s[1] <= 0x39:
        return None if fixed else (s[0] - 0x30, s[1:])
    return int(s[:2]), s[2:]


def _expect(s: bytes, literal: bytes) -> bytes | None:
    """The rest of *s* after *literal*, or None."""
    return s[len(literal):] if s.startswith(literal) else None


def parse_lenient(text: str) -> Moment | None:
    """An RFC 3339 timestamp as Go's general `time.Parse` reads it, or None."""
    s: bytes | None = text.encode("utf-8")
    if s is None or len(s) < 4 or _digits(s[:4]) is None:
        return None
    year, s = int(s[:4]), _expect(s[4:], b"-")
    values: list[int] = []
    for fixed, high, after in ((True, 12, b"-"), (True, 31, b"T"), (False, 23, b":"),
                               (True, 59, b":"), (True, 59, b"")):
        got = _two(s, fixed) if s is not None else None
        if got is None or got[0] > high or (high == 12 and got[0] == 0):
            return None
        values.append(got[0])
        s = _expect(got[1], after)
    assert s is not None
    n = _fraction_length(s, b".,")
    nanos, s = (_nanoseconds(s[1:n]), s[n:]) if n else (0, s)
    month, day, hour, minute, second = values
    if s == b"Z":
        offset = 0
    elif len(s) == 6 and s[0] in b"+-" and s[3] == 0x3A:
        hours, minutes = _two(s[1:3], True), _two(s[4:6], True)
        if hours is None or minutes is None or hours[0] > 24 or minutes[0] > 60:
            return None
        offset = (hours[0] * 60 + minutes[0]) * 60 * (-1 if s[0] == 0x2D else 1)
    else:
        return None
    if not 1 <= day <= _days_in(month, year):
        return None
    return _moment((year, month, day), (hour, minute, second), nanos, offset)


def parse_duration(text: str) -> int:
    """Go's `time.ParseDuration`: nanoseconds; EvalError when Go refuses it."""
    s, orig = text.encode("utf-8"), text
    bad = EvalError(f"timeadd: invalid duration {orig[:40]!r}")
    neg = s[:1] == b"-"
    s = s[1:] if s[:1] in (b"-", b"+") else s
    if s == b"0":
        return 0
    if not s:
        raise bad
    total = 0
    while s:
        if not (s[0] == 0x2E or 0x30 <= s[0] <= 0x39):
            raise bad
        i = 0
        whole = 0
        while i < len(s) and 0x30 <= s[i] <= 0x39:
            whole = whole * 10 + s[i] - 0x30
            if whole > 1 << 63:
                raise bad
            i += 1
        pre, s = i > 0, s[i:]
        frac, scale, post, overflow = 0, 1.0, False, False
        if s[:1] == b".":
            s = s[1:]
            while s[:1].isdigit():  # Go's leadingFraction: digits past 2**63 are ignored
                digit = s[0] - 0x30
                overflow = overflow or frac > ((1 << 63) - 1) // 10 or frac * 10 + digit > 1 << 63
                if not overflow:
                    frac, scale = frac * 10 + digit, scale * 10
                s, post = s[1:], True
        if not pre and not post:
            raise bad
        i = 0
        while i < len(s) and not (s[i] == 0x2E or 0x30 <= s[i] <= 0x39):
            i += 1
        unit = _UNITS.get(s[:i])
        if unit is None or whole > (1 << 63) // unit:
            raise bad
        s, whole = s[i:], whole * unit
        if frac:
            whole += int(float(frac) * (float(unit) / scale))
            if whole > 1 << 63:
                raise bad
        total = (total + whole) & ((1 << 64) - 1)
        if total > 1 << 63:
            raise bad
    if not neg and total > (1 << 63) - 1:
        raise bad
    return -total if neg else total


def local(moment: Moment) -> tuple[tuple[int, int, int], int, int, int, int]:
    """The date, hour, minute, second and weekday (0 is Sunday) where it was written."""
    days, secs = divmod(moment.seconds + moment.offset, 86400)
    return _civil(days), secs // 3600, secs // 60 % 60, secs % 60, (days + 4) % 7


def _pad(value: int, width: int) -> str:
    """Go's `appendInt`: the sign, then at least *width* digits."""
    return ("-" if value < 0 else "") + str(abs(value)).zfill(width)


def zone(offset: int, colon: bool) -> str:
    """`-0700` / `-07:00` of an offset."""
    minutes = abs(offset) // 60
    sign, separator = "-" if offset < 0 else "+", ":" if colon else ""
    return f"{sign}{minutes // 60:02d}{separator}{minutes % 60:02d}"


def rfc3339(moment: Moment) -> str:
    """Go's `Format(time.RFC3339)`."""
    (year, month, day), hour, minute, second, _ = local(moment)
    shown = "Z" if moment.offset == 0 else zone(moment.offset, True)
    return (f"{_pad(year, 4)}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
            + shown)
