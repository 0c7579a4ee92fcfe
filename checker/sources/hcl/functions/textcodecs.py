"""`textencodebase64` and `textdecodebase64`: the text encodings Terraform knows.

Terraform looks an encoding up by its IANA name or alias (golang.org/x/text's
`ianaindex`, case-insensitive) and supports the ones that package implements.
`textcodecs.json` holds those names and, for the single-byte character sets, the
package's own decoding tables (so an undefined byte is undefined here too). The
multi-byte East Asian encodings use the Python codecs nearest to golang.org/x/text's
(Windows-31J for Shift_JIS, 949 for EUC-KR, 950 for Big5, the euro at 0x80 in GBK):
they agree on the common characters, not on every vendor extension (EUC-JP's NEC
symbols, Big5's HKSCS duplicates). A decoded string holding U+FFFD is refused, as
Terraform refuses it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from checker.sources.hcl import budget
from checker.sources.hcl.functions.texts import b64decode, b64encode, nfc, utf8
from checker.sources.hcl.valuemodel import EvalError

_FILE = Path(__file__).with_name("textcodecs.json")
_BOM_BE, _BOM_LE = b"\xfe\xff", b"\xff\xfe"
_EURO = "tablespec-gbk-euro"  # WHATWG's GBK (and GB18030's decoder) has the euro at 0x80


def _euro(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Python's GBK codec's gap: the euro sign as byte 0x80, and back; U+FFFD otherwise."""
    if isinstance(exc, UnicodeEncodeError) and exc.object[exc.start] == "\u20ac":
        return b"\x80", exc.start + 1
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start] == 0x80:
        return "\u20ac", exc.start + 1
    if isinstance(exc, UnicodeDecodeError):
        return "\ufffd", exc.end
    raise exc


codecs.register_error(_EURO, _euro)


@cache
def _tables() -> dict[str, dict[str, str]]:
    """The aliases, the Python codecs and the character maps of `textcodecs.json`."""
    data: dict[str, dict[str, str]] = json.loads(_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _encoder(key: str) -> dict[str, int]:
    """Character -> byte of the single-byte character set *key* (first byte wins)."""
    table = _tables()["charmaps"][key]
    out: dict[str, int] = {}
    for byte, char in enumerate(table):
        if char != "\ufffd":
            out.setdefault(char, byte)
    return out


def _lookup(name: str, what: str) -> str:
    """The encoding Terraform finds for *name*; EvalError as Terraform's when none."""
    key = _tables()["aliases"].get(name.strip().lower())
    if key is None:
        raise EvalError(f"{what}: {name[:40]!r} is not a supported IANA encoding name or "
                        "alias in this Terraform version")
    return key


def _encode(text: str, key: str) -> bytes:
    """*text* in encoding *key*; EvalError for a character it cannot represent."""
    codec = _tables()["codecs"].get(key)
    try:
        if codec == "utf-8":
            return utf8(text)
        if codec == "utf-16":
            return _BOM_BE + text.encode("utf-16-be")
        if codec == "hz":  # golang.org/x/text leaves the last GB run open
            hz = text.encode(codec)
            return hz[:-2] if text and not text[-1].isascii() and hz.endswith(b"~}") else hz
        if codec is not None:
            return text.encode(codec, _EURO if codec == "gbk" else "strict")
    except UnicodeEncodeError:
        pass
    else:
        table = _encoder(key)
        out = bytearray()
        for char in text:
            byte = table.get(char)
            if byte is None:
                break
            out.append(byte)
        else:
            return bytes(out)
    raise EvalError(f"textencodebase64: the given string contains characters that cannot "
                    f"be represented in {key}")


def _decode(data: bytes, key: str) -> str:
    """*data* read in encoding *key*, U+FFFD where a byte sequence is not valid."""
    codec = _tables()["codecs"].get(key)
    if codec == "utf-16":
        codec = "utf-16-be"
        if data[:2] in (_BOM_BE, _BOM_LE):
            codec = "utf-16-be" if data[:2] == _BOM_BE else "utf-16-le"
            data = data[2:]
    if codec is not None:
        return data.decode(codec, _EURO if codec in ("gbk", "gb18030") else "replace")
    table = _tables()["charmaps"][key]
    return "".join(table[b] for b in data)


def _textencodebase64(text: str, encoding: str) -> str:
    """`textencodebase64(string, encoding)`."""
    key = _lookup(encoding, "textencodebase64")
    budget.step(len(text) // 64 + 1)
    return b64encode(_encode(nfc(text), key))


def _textdecodebase64(source: str, encoding: str) -> str:
    """`textdecodebase64(source, encoding)`."""
    key = _lookup(encoding, "textdecodebase64")
    data = b64decode(source, "textdecodebase64")
    budget.text(len(data))
    text = _decode(data, key)
    if "\ufffd" in text:
        raise EvalError(f"textdecodebase64: the given string contains symbols that are not "
                        f"defined for {key}")
    return nfc(text)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "textencodebase64": _textencodebase64,
    "textdecodebase64": _textdecodebase64,
}

__all__ = ["FUNCTIONS"]
