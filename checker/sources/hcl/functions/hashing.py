"""Hash and crypto functions: md5, sha*, base64sha*, uuidv5, rsadecrypt.

A string is hashed as the UTF-8 bytes of its NFC form (as cty holds it). The file
hashes (`filemd5`...) are in `files`, over the same `digest`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.functions import rsakeys
from checker.sources.hcl.functions.texts import b64decode, b64encode, nfc, utf8
from checker.sources.hcl.valuemodel import EvalError

_NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL,
               "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}
_HEX = frozenset("0123456789abcdefABCDEF")


def digest(algorithm: str, data: bytes, base64: bool) -> str:
    """*data* hashed with *algorithm*, as hex (or base64)."""
    budget.step(len(data) // 4096 + 1)
    raw = hashlib.new(algorithm, data)
    return b64encode(raw.digest()) if base64 else raw.hexdigest()


def _hasher(algorithm: str, base64: bool = False) -> Callable[[str], str]:
    """The function hashing a string with *algorithm*."""
    def fn(text: str) -> str:
        """The hash of *text*'s UTF-8 bytes."""
        return digest(algorithm, utf8(text), base64)
    return fn


def _namespace(text: str) -> uuid.UUID:
    """google/uuid's Parse: 36 characters with dashes, 38 (any first and last character
    around them), `urn:uuid:` and 36, or 32 hex digits."""
    raw = text.encode("utf-8")
    if len(raw) == 45 and raw[:9].lower() == b"urn:uuid:":
        raw = raw[9:]
    elif len(raw) == 38:
        raw = raw[1:37]
    if len(raw) == 32:
        digits = raw.decode("latin-1")
    elif len(raw) == 36 and all(raw[i] == 0x2D for i in (8, 13, 18, 23)):
        digits = raw.decode("latin-1").replace("-", "")
    else:
        digits = ""
    if len(digits) != 32 or not set(digits) <= _HEX:
        raise EvalError(f"uuidv5() doesn't support namespace {text[:60]}")
    return uuid.UUID(hex=digits)


def _uuidv5(namespace: str, name: str) -> str:
    """`uuidv5(namespace, name)`: a name-based (SHA-1) UUID."""
    space = _NAMESPACES.get(namespace) or _namespace(namespace)
    return str(_sha1_uuid(space, utf8(name)))


def _sha1_uuid(space: uuid.UUID, data: bytes) -> uuid.UUID:
    """RFC 4122's version 5 UUID of *data* in namespace *space* (bytes, not text)."""
    budget.step(len(data) // 4096 + 1)
    hashed = bytearray(hashlib.sha1(space.bytes + data).digest()[:16])
    hashed[6] = (hashed[6] & 0x0F) | 0x50
    hashed[8] = (hashed[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(hashed))


def _rsadecrypt(ciphertext: str, privatekey: str) -> str:
    """`rsadecrypt(ciphertext, privatekey)`: base64 ciphertext, PKCS#1 v1.5 padding."""
    try:
        data = b64decode(ciphertext, "rsadecrypt")
    except EvalError:
        raise EvalError("rsadecrypt: failed to decode input: cipher text must be "
                        "base64-encoded") from None
    key = rsakeys.read_key(privatekey)
    budget.step(key.n.bit_length() // 8)
    try:
        return nfc(rsakeys.decrypt(key, data).decode("utf-8"))
    except UnicodeDecodeError:  # Terraform keeps the bytes; a string here cannot
        raise budget.BudgetExceeded("decrypts to bytes that are not UTF-8 text, which "
                                    "tablespec does not hold as a string") from None


FUNCTIONS: dict[str, Callable[..., object]] = {
    "md5": _hasher("md5"),
    "sha1": _hasher("sha1"),
    "sha256": _hasher("sha256"),
    "sha512": _hasher("sha512"),
    "base64sha256": _hasher("sha256", base64=True),
    "base64sha512": _hasher("sha512", base64=True),
    "uuidv5": _uuidv5,
    "rsadecrypt": _rsadecrypt,
}

__all__ = ["FUNCTIONS", "digest"]
