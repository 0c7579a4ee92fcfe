"""Encoding functions: JSON as cty writes and reads it, base64, URL and CSV.

`jsonencode` is cty's JSON (`cty_json`); `jsondecode` types the document as cty does
(objects, tuples, 512-bit numbers) before reading it; `csvdecode` reads as Go's
encoding/csv does. Text encodings are `textcodecs`, YAML `yamlemit` and `yamlread`.
Every string Terraform makes is in Unicode's NFC form, as cty keeps its strings.
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.parse
from collections.abc import Callable

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.functions import textcodecs, yamlemit, yamlread
from checker.sources.hcl.functions.texts import b64decode, b64encode, decode_utf8, nfc, utf8
from checker.sources.hcl.valuemodel import EvalError, TfList, type_name

_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                       "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(text: str) -> str:
    """A JSON string as Go's encoding/json writes it (HTML characters escaped)."""
    return json.dumps(text, ensure_ascii=False).translate(_HTML)


def cty_json(value: object) -> str:
    """*value* (wholly known, plain) as cty's JSON: compact, keys sorted, numbers as cty
    shows them; each piece counted against the budget of one string."""
    out: list[str] = []
    size = [0]

    def put(piece: str) -> None:
        """Add a piece, within the budget of one string."""
        size[0] += len(piece)
        if size[0] > budget.MAX_STRING:
            budget.text(size[0])
        out.append(piece)

    def walk(item: object) -> None:
        """Write one value."""
        budget.step()
        if item is None:
            put("null")
        elif item is True or item is False:
            put("true" if item else "false")
        elif numbers.is_number(item):
            if isinstance(item, float):
                raise EvalError("an infinite number cannot be written as JSON")
            assert isinstance(item, int | numbers.Num)
            put(numbers.text(item))
        elif isinstance(item, str):
            put(_string(item))
        elif isinstance(item, list):
            put("[")
            for i, element in enumerate(item):
                if i:
                    put(",")
                walk(element)
            put("]")
        elif isinstance(item, dict):
            put("{")
            for i, key in enumerate(sorted(item)):
                if i:
                    put(",")
                put(_string(key) + ":")
                walk(item[key])
            put("}")
        else:
            raise EvalError(f"a {type_name(item)} cannot be written as JSON")

    walk(value)
    return "".join(out)


def _base64decode(text: str) -> str:
    """`base64decode(str)`: the decoded bytes must be UTF-8."""
    return decode_utf8(b64decode(text, "base64decode"), "base64decode")


def _base64gzip(text: str) -> str:
    """`base64gzip(str)`: gzip, then base64."""
    data = utf8(text)
    budget.step(len(data) // 256 + 1)
    return b64encode(gzip.compress(data))


def _urlencode(text: str) -> str:
    """`urlencode(str)`: Go's url.QueryEscape (space as `+`)."""
    budget.text(len(text) * 9)  # at most three escapes of three characters each
    return urllib.parse.quote_plus(utf8(text), safe="")


class _Number(str):
    """A JSON number's text, read as cty reads it once its type is known."""


class _Object(list):  # type: ignore[type-arg]
    """A JSON object's (key, value) pairs, duplicates kept."""


def _refuse(text: str) -> object:
    """NaN and the infinities, which Python's decoder takes and JSON (and Go) do not."""
    raise EvalError(f"jsondecode: {text} is not JSON")


_DECODER = json.JSONDecoder(object_pairs_hook=_Object, parse_float=_Number,
                            parse_int=_Number, parse_constant=_refuse)
_WHITE = " \t\r\n"


def _json_type(node: object) -> object:
    """cty's implied type of a JSON value: "dynamic" for null, "bool", "number",
    "string", a list of element types (a tuple), or a dict of attribute types."""
    budget.step()
    if node is None:
        return "dynamic"
    if isinstance(node, bool):
        return "bool"
    if isinstance(node, _Number):
        return "number"
    if isinstance(node, str):
        return "string"
    if isinstance(node, _Object):
        return {key: _json_type(value) for key, value in node}  # the last of a key wins
    assert isinstance(node, list)
    return [_json_type(item) for item in node]


def _json_value(node: object, ty: object) -> object:
    """*node* read as type *ty*, as cty's JSON unmarshal does (an error where it fails)."""
    budget.step()
    if node is None:
        return None
    if isinstance(ty, dict):
        if not isinstance(node, _Object):
            raise EvalError("jsondecode: an object is required")
        budget.elements(len(ty))
        out: dict[str, object] = dict.fromkeys(ty)
        for key, value in node:
            if key not in ty:
                raise EvalError(f"jsondecode: unsupported attribute {key[:40]!r}")
            out[key] = _json_value(value, ty[key])
        return out
    if isinstance(ty, list):
        if not isinstance(node, list) or isinstance(node, _Object) or len(node) != len(ty):
            raise EvalError(f"jsondecode: a tuple of {len(ty)} elements is required")
        budget.elements(len(ty))
        return [_json_value(item, t) for item, t in zip(node, ty, strict=True)]
    if isinstance(node, list):
        raise EvalError(f"jsondecode: a {ty} is required")
    return _json_primitive(node, ty)


def _json_primitive(node: object, ty: object) -> object:
    """A JSON primitive read as cty primitive type *ty*."""
    if ty == "string":
        return node if not isinstance(node, bool) else ("true" if node else "false")
    if ty == "number" and isinstance(node, str):  # a JSON number, or a string of one
        parsed = numbers.parse(node) if len(node) <= 1000 else None
        if parsed is None:
            raise EvalError("jsondecode: a number is required")
        budget.number(parsed)
        return parsed
    if ty == "bool" and isinstance(node, bool):
        return node
    if (ty == "bool" and isinstance(node, str) and not isinstance(node, _Number)
            and node in ("true", "1", "false", "0")):
        return node in ("true", "1")
    raise EvalError(f"jsondecode: a {ty} is required")


def _fix_surrogates(node: object) -> object:
    """Lone surrogates of `\\ud800` escapes made U+FFFD, as Go's decoder makes them."""
    if isinstance(node, str) and not isinstance(node, _Number) and _SURROGATE.search(node):
        return nfc(node.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))
    if isinstance(node, str):
        return nfc(node)
    if isinstance(node, _Object):
        return _Object((_fix_surrogates(k), _fix_surrogates(v)) for k, v in node)
    if isinstance(node, list):
        return [_fix_surrogates(item) for item in node]
    return node


def _jsondecode(text: str) -> object:
    """`jsondecode(str)`: anything after the value is refused, unless it starts with `]`
    or `}` (which cty, asking its decoder for "more", never sees)."""
    start = len(text) - len(text.lstrip(_WHITE))
    try:
        node, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode: not valid JSON at offset {exc.pos}") from None
    rest = text[end:].lstrip(_WHITE)
    if rest and rest[0] not in "]}":
        raise EvalError("jsondecode: extraneous data after the JSON value")
    node = _fix_surrogates(node)
    return _json_value(node, _json_type(node))


def _csv_line(text: str, pos: int) -> tuple[str, int]:
    """The line of *text* at *pos* as Go's csv reader reads it (CRLF as LF, a CR before
    the end dropped), and where the next starts."""
    end = text.find("\n", pos)
    line = text[pos:] if end < 0 else text[pos:end + 1]
    if end < 0 and line.endswith("\r"):
        line = line[:-1]
    if line.endswith("\r\n"):
        line = line[:-2] + "\n"
    return line, (len(text) if end < 0 else end + 1)


def _csv_record(text: str, pos: int) -> tuple[list[str] | None, int]:
    """The next record of *text* from *pos* (None at the end), as Go's encoding/csv reads
    it: empty lines skipped, quotes strict."""
    line = ""
    while pos < len(text):
        line, pos = _csv_line(text, pos)
        if line not in ("", "\n"):
            break
        line = ""
    if not line:
        return None, pos
    fields: list[str] = []
    at = 0  # where the next field starts in *line* (no slicing: linear in the line)
    while True:
        budget.step()
        if not line.startswith('"', at):
            comma = line.find(",", at)
            field = line[at:comma] if comma >= 0 else line[at:].removesuffix("\n")
            if '"' in field:
                raise EvalError('csvdecode: CSV parse error: bare " in non-quoted field')
            fields.append(field)
            if comma < 0:
                return fields, pos
            at = comma + 1
            continue
        at, buf = at + 1, []
        while True:
            quote = line.find('"', at)
            if quote >= 0:
                buf.append(line[at:quote])
                at = quote + 1
                if line.startswith('"', at):
                    buf.append('"')
                    at += 1
                    continue
                if line.startswith(",", at):
                    at += 1
                    break
                if at == len(line) or (at == len(line) - 1 and line[at] == "\n"):
                    fields.append("".join(buf))
                    return fields, pos
                raise EvalError('csvdecode: CSV parse error: extraneous or missing " in '
                                "quoted-field")
            if at < len(line):
                buf.append(line[at:])
                line, pos = _csv_line(text, pos) if pos < len(text) else ("", pos)
                at = 0
                continue
            raise EvalError('csvdecode: CSV parse error: extraneous or missing " in '
                            "quoted-field")
        fields.append("".join(buf))


def _csvdecode(text: str) -> object:
    """`csvdecode(str)`: a list of objects, the first record naming their attributes."""
    header, pos = _csv_record(text, 0)
    if header is None:
        raise EvalError("csvdecode: missing header line")
    if len(set(header)) != len(header):
        raise EvalError("csvdecode: duplicate column name")
    rows: list[object] = []
    while True:
        record, pos = _csv_record(text, pos)
        if record is None:
            break
        if len(record) != len(header):
            raise EvalError("csvdecode: CSV parse error: wrong number of fields")
        budget.elements(len(record))
        rows.append(dict(zip(header, (nfc(f) for f in record), strict=True)))
    budget.elements(len(rows))
    return TfList(rows)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "jsonencode": cty_json,
    "jsondecode": _jsondecode,
    "base64encode": lambda s: b64encode(utf8(s)),
    "base64decode": _base64decode,
    "base64gzip": _base64gzip,
    "urlencode": _urlencode,
    "csvdecode": _csvdecode,
    **textcodecs.FUNCTIONS,
    **yamlemit.FUNCTIONS,
    **yamlread.FUNCTIONS,
}

__all__ = ["FUNCTIONS", "cty_json"]
