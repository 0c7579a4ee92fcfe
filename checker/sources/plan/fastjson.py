"""Plan JSON decoded by msgspec, to exactly the values the standard library's `json` reads.

msgspec decodes straight into Python objects (orjson first builds a document of its own,
which costs a plan of 12 MB about 30 MB more at its peak, for no gain in time), and it can
skip what a reading does not use (`planned_values` where `resource_changes` lists the
same resources, `relevant_attributes`, `checks`) while still checking its syntax.

Where msgspec would read anything otherwise, the standard library reads it, so the values
and every error are what `json.loads(raw, parse_int=...)` gives:

- msgspec refuses what the standard library reads beyond strict JSON (NaN and Infinity, a
  number too large for a double, a lone surrogate, a byte order mark): the standard
  library then reads it (and raises its own error on what it refuses too);
- an integer of 400 digits or more, which the standard library reads as a float here
  (`parse_int`) and msgspec as an int: any run of 400 digits goes to the standard library;
- text that is not ASCII, when parts are skipped: msgspec checks UTF-8 only in what it
  decodes;
- nesting: both count it against the interpreter's recursion limit, and msgspec is called
  that much further down (`JSON_DEPTH`), so both refuse the same depth.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

_STRIDE = 200  # any run of 400 bytes holds two sampled bytes 200 apart
_DIGITS = bytes(0x39 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digit -> "9"
_RUN = re.compile(rb"[0-9]{400}")
# msgspec called this many calls further down than json.loads refuses the nesting json.loads
# refuses (json.loads, JSONDecoder.decode and raw_decode are three, and its C scanner counts
# one level more than msgspec's decoder): both count against the interpreter's recursion
# limit. tests/sources/plan/test_fast_json.py checks it.
JSON_DEPTH = 4
REFUSED = UNSET  # what `decode` returns for what only `json.loads` may read


def parse_int(text: str) -> int | float:
    """A JSON integer; one too long for Python's int parser becomes a float (read later as
    not a number of sensible size, never a crash)."""
    return int(text) if len(text) <= 400 else float(text)


class Parts(msgspec.Struct):
    """The parts of a plan its tables are read from; the others are skipped."""

    format_version: Any = UNSET
    values: Any = UNSET  # state JSON, refused
    errored: Any = UNSET
    variables: Any = UNSET
    planned_values: msgspec.Raw | UnsetType = UNSET  # read only without resource_changes
    resource_changes: Any = UNSET
    prior_state: Any = UNSET
    configuration: Any = UNSET


def long_digit_run(raw: bytes) -> bool:
    """True when *raw* holds a run of 400 digits or more: a run that long covers two bytes
    sampled 200 apart, and only the few places where two such samples are digits are
    searched."""
    sample = raw[::_STRIDE].translate(_DIGITS)
    at = sample.find(b"99")
    while at >= 0:
        if _RUN.search(raw, max(0, at * _STRIDE - 400), at * _STRIDE + 600):
            return True
        at = sample.find(b"99", at + 1)
    return False


def _decode(frames: int, raw: bytes, into: type[Parts] | None) -> Any:
    """msgspec's decoding of *raw*, *frames* calls down from the caller (this one included)."""
    if frames > 1:
        return _decode(frames - 1, raw, into)
    return msgspec.json.decode(raw) if into is None else msgspec.json.decode(raw, type=into)


def decode(raw: bytes) -> Any:
    """The JSON value of *raw*, as `json.loads(raw, parse_int=parse_int)` reads it; REFUSED
    where that is for `json.loads` to read (or refuse), called then where this was."""
    if long_digit_run(raw):
        return REFUSED
    try:
        return _decode(JSON_DEPTH - 1, raw, None)
    except (msgspec.DecodeError, RecursionError):
        return REFUSED


def parts(raw: bytes) -> tuple[dict[str, Any], msgspec.Raw | None] | None:
    """The top-level keys of plan JSON *raw* that tables are read from, decoded as `decode`
    decodes, and its `planned_values` undecoded (None: it has none); None where the plan
    must be read whole (it is not ASCII, not an object, or msgspec refuses it). Called
    where `json.loads` would be, it refuses the same nesting."""
    if not raw.isascii() or long_digit_run(raw):
        return None
    try:
        found: Parts = _decode(JSON_DEPTH - 1, raw, Parts)
    except (msgspec.DecodeError, RecursionError):
        return None
    data = {name: value for name in Parts.__struct_fields__ if name != "planned_values"
            and (value := getattr(found, name)) is not UNSET}
    planned = found.planned_values
    return data, None if isinstance(planned, UnsetType) else planned


def loads_part(raw: msgspec.Raw) -> Any:
    """The value of a part that `parts` left undecoded (its syntax checked), as `decode`,
    else `json.loads`, reads it."""
    text = bytes(raw)
    value = decode(text)
    return json.loads(text, parse_int=parse_int) if value is REFUSED else value
