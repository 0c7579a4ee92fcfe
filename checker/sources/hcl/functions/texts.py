"""Strings as cty holds them, and bytes as Go's base64 writes and reads them.

cty keeps every string in Unicode's normal form C, so each string a function makes from
bytes (a decoded file, JSON, base64) is normalised the same way; a Go string cannot hold
a lone surrogate, so one becomes U+FFFD on its way to bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from checker.sources.hcl import budget
from checker.sources.hcl.valuemodel import EvalError

_BASE64 = re.compile(r"[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_SURROGATE = re.compile("[\ud800-\udfff]")


def nfc(text: str) -> str:
    """*text* as cty keeps a string: in Unicode's normal form C."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def utf8(text: str) -> bytes:
    """*text* as cty holds it, as UTF-8 bytes: in normal form C (a string literal is
    normalised when Terraform reads it), a lone surrogate (which Go cannot hold) as
    U+FFFD."""
    return nfc(_SURROGATE.sub("\ufffd", text)).encode("utf-8")


def decode_utf8(data: bytes, what: str) -> str:
    """*data* as a string; EvalError naming *what* when it is not UTF-8."""
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise EvalError(f"{what}: the result is not valid UTF-8") from None


def b64decode(text: str, what: str) -> bytes:
    """The bytes of standard, padded base64 as Go's decoder reads it (line breaks are
    skipped); EvalError naming *what* otherwise."""
    compact = text.replace("\r", "").replace("\n", "")
    if len(compact) % 4 or not _BASE64.fullmatch(compact):
        raise EvalError(f"{what}: the string is not valid base64 (standard alphabet, padded)")
    budget.step(len(compact) // 256 + 1)
    try:
        return base64.b64decode(compact, validate=True)
    except binascii.Error:
        raise EvalError(f"{what}: the string is not valid base64") from None


def b64encode(data: bytes) -> str:
    """*data* as standard, padded base64, its length checked against the budget first."""
    budget.text((len(data) + 2) // 3 * 4)
    return base64.b64encode(data).decode("ascii")


__all__ = ["b64decode", "b64encode", "decode_utf8", "nfc", "utf8"]
