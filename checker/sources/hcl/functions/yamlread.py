"""`yamldecode`: YAML read as Terraform reads it (go-cty-yaml over a port of libyaml).

libyaml's parser (through PyYAML's binding) gives the events; what go-cty-yaml makes of
them is here: its YAML 1.1-flavoured resolution of plain scalars (`yes` is true, `0x1F`
31, `2001-12-14` a timestamp string), tags, anchors and merge keys, one document only,
mappings as objects and sequences as tuples. The type is worked out beside the value,
as go-cty-yaml does in a first pass, and the value converted to it: a block scalar is a
string even when its text reads as a number.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from fractions import Fraction

import yaml

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.functions.texts import b64decode, nfc
from checker.sources.hcl.valuemodel import EvalError

_TAG = "tag:yaml.org,2002:"
_STR, _BINARY, _BOOL, _INT, _FLOAT = (_TAG + t for t in ("str", "binary", "bool", "int", "float"))
_NULL, _TIMESTAMP, _MAP, _SEQ = (_TAG + t for t in ("null", "timestamp", "map", "seq"))
_RESOLVABLE = frozenset(("", _STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP, _BINARY))
_HINTS = {**dict.fromkeys("+-", "S"), **dict.fromkeys("0123456789", "D"),
          **dict.fromkeys("yYnNtTfFoO~", "M"), ".": "."}
_WORDS: dict[str, object] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"),
                    True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"),
                    False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
_INTEGER = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOATING = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BIG = re.compile(r"([-+]?)(\d+\.?\d*|\.\d+)(?:([eEpP])([-+]?\d+))?")
_GO_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)")
_STAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})"
                    r"(?:[.,]\d+)?(Z|[-+]\d{2}:\d{2})?)?")
_MERGE = object()  # the `<<` key
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml itself when PyYAML has it
Type = object  # "string", "number", "bool", "dynamic", a list (tuple) or a dict (object)


def _number(text: str) -> object:
    """`cty.ParseNumberVal`: Go's big.ParseFloat in base 10 (a `p` exponent is binary), or
    None when *text* is not a number."""
    if text in ("inf", "Inf", "+inf", "+Inf", "-inf", "-Inf"):
        return float("-inf") if text[0] == "-" else float("inf")
    match = _BIG.fullmatch(text)
    if match is None or (match.group(4) and abs(int(match.group(4))) > numbers.MAX_EXPONENT):
        return None
    sign, mantissa, mark, exponent = match.groups()
    q = Fraction(mantissa if not mantissa.endswith(".") else mantissa[:-1])
    if mark:
        q *= Fraction(10 if mark in "eE" else 2) ** int(exponent)
    value = numbers.make(-q if sign == "-" else q)
    budget.number(value)
    return value


def _go_int(text: str) -> int | None:
    """Go's strconv.ParseInt(text, 0, 64), else ParseUint: None when neither reads it."""
    match = _GO_INT.fullmatch(text)
    if match is None:
        return None
    sign, digits = match.groups()
    base = {"x": 16, "o": 8, "b": 2}.get(digits[1:2].lower(), 8 if len(digits) > 1 else 10)
    body = digits[2:] if digits[1:2].lower() in ("x", "o", "b") else digits
    value = int(body, base) * (-1 if sign == "-" else 1)
    return value if -(1 << 63) <= value < (1 << 64) and not (sign and value >= 1 << 63) else None


def _timestamp(text: str) -> str | None:
    """A timestamp in one of the layouts go-cty-yaml accepts, as RFC 3339 (no fraction)."""
    match = _STAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, t_sep, space, hour, minute, second, zone = match.groups()
    if (t_sep and zone is None) or (space and zone is not None):
        return None
    y, mo, d = int(year), int(month), int(day)
    h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y or 2000, mo)[1]
            and h < 24 and mi < 60 and s < 60):
        return None
    if zone is not None and zone != "Z" and (int(zone[1:3]) > 24 or int(zone[4:]) > 60):
        return None
    offset = "Z" if zone in (None, "Z", "+00:00", "-00:00") else zone
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{offset}"


def _resolve(tag: str, text: str, style: str) -> object:
    """go-cty-yaml's resolveScalar: the value of a scalar (`_MERGE` for a plain `<<`)."""
    if tag not in _RESOLVABLE:
        raise EvalError(f"yamldecode: unsupported tag {tag[:40]!r}")
    hint = _HINTS.get(text[:1], "") if text else "N"
    if hint and tag not in (_STR, _BINARY):
        if style in ("'", '"'):
            return text
        if text in _WORDS:
            word = _WORDS[text]
            if isinstance(word, float):
                budget.number(word)  # an infinity: beyond the budget of a number
            return word
        if tag == "" and text in (".nan", ".NaN", ".NAN"):
            raise EvalError("yamldecode: floating point NaN is not supported")
        if hint == ".":
            number = _number(text)
            if number is not None:
                return number
        elif hint in "DS":
            stamp = _timestamp(text) if tag in ("", _TIMESTAMP) else None
            if stamp is not None:
                return stamp
            if _INTEGER.fullmatch(text):
                tag = _INT
            elif _FLOATING.fullmatch(text):
                tag = _FLOAT
    if tag == "" and text == "<<":
        return _MERGE
    if tag in (_STR, _BINARY, ""):
        if tag == _BINARY:
            b64decode(text, "yamldecode")
        return text
    if tag == _BOOL and isinstance(_WORDS.get(text, 0), bool):
        return _WORDS[text]
    if tag in (_INT, _FLOAT):
        plain = text.replace("_", "")
        found = _number(plain)
        if found is None:
            found = _go_int(plain)
        if found is not None:
            return found
    if tag == _TIMESTAMP and _timestamp(text) is not None:
        return _timestamp(text)
    if tag == _NULL:
        return None
    raise EvalError(f"yamldecode: cannot parse {text[:40]!r} as {tag}")


class _Reader:
    """go-cty-yaml's walk over the parser's events: values, their types, anchors."""

    def __init__(self, events: Iterator[yaml.Event]) -> None:
        self.events = events
        self.pending: dict[str, int] = {}
        self.anchors: dict[str, tuple[object, Type, int]] = {}

    def next(self) -> yaml.Event:
        """The next event."""
        budget.step()
        return next(self.events)

    def node(self, event: yaml.Event) -> tuple[object, Type, int]:
        """(value, type, size) of the node *event* starts."""
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event.anchor or "")
        if isinstance(event, yaml.DocumentStartEvent):
            raise EvalError("yamldecode: only a single document is allowed")
        anchor = getattr(event, "anchor", None)
        if anchor:
            self.pending[anchor] = self.pending.get(anchor, 0) + 1
        if isinstance(event, yaml.ScalarEvent):
            found = self.scalar(event)
        elif isinstance(event, yaml.MappingStartEvent):
            found = self.mapping(event)
        elif isinstance(event, yaml.SequenceStartEvent):
            found = self.sequence(event)
        else:
            raise EvalError("yamldecode: expecting a value")
        if anchor:
            self.pending[anchor] -= 1
            if not self.pending[anchor]:
                del self.pending[anchor]
            self.anchors[anchor] = found
        return found

    def alias(self, name: str) -> tuple[object, Type, int]:
        """`*name`: the anchored node's value again (its size spent again)."""
        if name in self.pending:
            raise EvalError("yamldecode: cannot refer to an anchor from inside its own "
                            "definition")
        if name not in self.anchors:
            raise EvalError("yamldecode: reference to an undefined anchor")
        found = self.anchors[name]
        budget.step(found[2])
        budget.volume(found[2] * budget.ELEMENT_BYTES)
        return found

    def scalar(self, event: yaml.ScalarEvent) -> tuple[object, Type, int]:
        """A scalar: its resolved value and type (`<<` as a string here)."""
        tag = event.tag or ""
        value = _resolve(tag, event.value, event.style or "")
        if value is _MERGE:
            value = "<<"
        if tag == "" and not event.implicit[0]:
            return value, "string", 1
        return value, _type_of(value), 1

    def mapping(self, event: yaml.MappingStartEvent) -> tuple[object, Type, int]:
        """A mapping: an object, keys as strings, `<<` merging another mapping in."""
        if event.tag not in (None, _MAP):
            raise EvalError("yamldecode: a mapping cannot have that tag")
        values: dict[str, object] = {}
        types: dict[str, Type] = {}
        size = 1
        while not isinstance(key := self.next(), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):
                raise EvalError("yamldecode: only strings are allowed as mapping keys")
            name = _resolve(key.tag or "", key.value, key.style or "")
            value, ty, n = self.node(self.next())
            size += n
            if name is _MERGE:
                if not isinstance(value, dict) or not isinstance(ty, dict):
                    raise EvalError("yamldecode: only a mapping can be merged into a mapping")
                values.update(value)
                types.update(ty)
                continue
            if name is None:
                raise EvalError("yamldecode: a mapping key cannot be null")
            text = _text(name)
            values[text], types[text] = value, ty
        budget.elements(len(values))
        return values, types, size

    def sequence(self, event: yaml.SequenceStartEvent) -> tuple[object, Type, int]:
        """A sequence: a tuple."""
        if event.tag not in (None, _SEQ):
            raise EvalError("yamldecode: a sequence cannot have that tag")
        values: list[object] = []
        types: list[Type] = []
        size = 1
        while not isinstance(item := self.next(), yaml.SequenceEndEvent):
            value, ty, n = self.node(item)
            values.append(value)
            types.append(ty)
            size += n
        budget.elements(len(values))
        return values, types, size


def _type_of(value: object) -> Type:
    """The cty type of a resolved scalar."""
    if value is None:
        return "dynamic"
    if isinstance(value, bool):
        return "bool"
    return "string" if isinstance(value, str) else "number"


def _text(value: object) -> str:
    """A primitive converted to a string, as cty converts it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    assert isinstance(value, int | float | numbers.Num)
    return numbers.text(value)


def _convert(value: object, ty: Type) -> object:
    """*value* converted to its type: block scalars to strings; strings made NFC."""
    if value is None:
        return None
    if isinstance(ty, dict):
        assert isinstance(value, dict)
        return {nfc(k): _convert(v, ty[k]) for k, v in value.items()}
    if isinstance(ty, list):
        assert isinstance(value, list)
        return [_convert(v, t) for v, t in zip(value, ty, strict=True)]
    return nfc(_text(value)) if ty == "string" else value


def _yamldecode(text: str) -> object:
    """`yamldecode(src)`: exactly one document."""
    try:
        events = yaml.parse(text or "\n", Loader=_LOADER)
        reader = _Reader(iter(events))
        if not isinstance(reader.next(), yaml.StreamStartEvent):
            raise EvalError("yamldecode: missing stream start")
        start = reader.next()
        if not isinstance(start, yaml.DocumentStartEvent):
            raise EvalError("yamldecode: missing start of document")
        if start.version not in (None, (1, 1)):  # libyaml 0.1, as ported to Go: 1.1 only
            raise EvalError("yamldecode: found incompatible YAML document")
        value, ty, _ = reader.node(reader.next())
        end = reader.next()
        if isinstance(end, yaml.DocumentStartEvent):
            raise EvalError("yamldecode: only a single document is allowed")
        if not isinstance(end, yaml.DocumentEndEvent) or not isinstance(
                reader.next(), yaml.StreamEndEvent):
            raise EvalError("yamldecode: unexpected extra content after the value")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark is not None else ""
        raise EvalError(f"yamldecode: the string is not valid YAML{where}") from None
    return _convert(value, ty)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "yamldecode": _yamldecode,
}

__all__ = ["FUNCTIONS"]
