"""RSA private keys as Terraform's rsadecrypt reads them, and PKCS#1 v1.5 decryption.

Terraform reads the key with golang.org/x/crypto/ssh's ParseRawPrivateKey: the first PEM
block, then by its type PKCS#1 (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`) or OpenSSH's
own format (`OPENSSH PRIVATE KEY`, unencrypted); an encrypted key, another kind of key
or a key that does not hold together (Go's `rsa.PrivateKey.Validate`) is an error. The
DER reading is as strict as Go's encoding/asn1 (minimal lengths and integers).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from checker.sources.hcl.valuemodel import EvalError

_PEM = re.compile(r"-----BEGIN ([^\n-]*)-----\r?\n(.*?)\n?-----END \1-----", re.S)
_HEADER = re.compile(r"^[^:\n]+:[^\n]*$", re.M)
_RSA_OID = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1
_OPENSSH = b"openssh-key-v1\x00"
_INT, _OCTETS, _OID, _SEQUENCE = 0x02, 0x04, 0x06, 0x30


@dataclass(frozen=True)
class Key:
    """An RSA private key: modulus, exponents and primes."""

    n: int
    e: int
    d: int
    primes: tuple[int, ...]


def _bad(why: str) -> EvalError:
    """rsadecrypt's error about the key."""
    return EvalError(f"rsadecrypt: invalid private key: {why}")


def _der(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """(tag, contents, end) of the DER element at *pos*; lengths must be minimal."""
    if pos + 2 > len(data):
        raise _bad("ASN.1 data truncated")
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first & 0x80:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise _bad("ASN.1 length invalid")
        length = int.from_bytes(data[pos:pos + count], "big")
        if data[pos] == 0 or length < 0x80:
            raise _bad("ASN.1 length not minimally encoded")
        pos += count
    else:
        length = first
    if pos + length > len(data):
        raise _bad("ASN.1 data truncated")
    return tag, data[pos:pos + length], pos + length


def _elements(data: bytes) -> list[tuple[int, bytes]]:
    """The elements of a SEQUENCE's contents."""
    out: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        tag, body, pos = _der(data, pos)
        out.append((tag, body))
    return out


def _integer(element: tuple[int, bytes]) -> int:
    """A DER INTEGER, minimally encoded as Go requires."""
    tag, body = element
    if tag != _INT or not body:
        raise _bad("an ASN.1 integer is required")
    if len(body) > 1 and ((body[0] == 0 and body[1] < 0x80) or (body[0] == 0xFF
                                                                 and body[1] >= 0x80)):
        raise _bad("integer not minimally-encoded")
    return int.from_bytes(body, "big", signed=True)


def _sequence(data: bytes) -> list[tuple[int, bytes]]:
    """The elements of *data*, one SEQUENCE and nothing after it."""
    tag, body, end = _der(data, 0)
    if tag != _SEQUENCE:
        raise _bad("an ASN.1 sequence is required")
    if end != len(data):
        raise _bad("trailing data")
    return _elements(body)


def _pkcs1(der: bytes) -> Key:
    """x509.ParsePKCS1PrivateKey."""
    items = _sequence(der)
    if len(items) < 9:
        raise _bad("ASN.1 sequence truncated")
    version, n, e, d, p, q = (_integer(items[i]) for i in range(6))
    for i in range(6, 9):
        _integer(items[i])
    if version > 1:
        raise _bad("unsupported private key version")
    if e.bit_length() > 63:
        raise _bad("integer too large")
    if min(n, d, p, q) <= 0:
        raise _bad("private key contains zero or negative value")
    primes = [p, q]
    for tag, body in items[9:10]:  # version 1: the other primes
        if tag != _SEQUENCE:
            raise _bad("an ASN.1 sequence is required")
        for extra_tag, extra in _elements(body):
            if extra_tag != _SEQUENCE:
                raise _bad("an ASN.1 sequence is required")
            prime = _integer(_elements(extra)[0])
            if prime <= 0:
                raise _bad("private key contains zero or negative value")
            primes.append(prime)
    return _validate(Key(n, e, d, tuple(primes)))


def _pkcs8(der: bytes) -> Key:
    """x509.ParsePKCS8PrivateKey, for an RSA key only."""
    items = _sequence(der)
    if len(items) < 3 or items[1][0] != _SEQUENCE or items[2][0] != _OCTETS:
        raise _bad("not a PKCS#8 private key")
    _integer(items[0])
    algorithm = _elements(items[1][1])
    if not algorithm or algorithm[0][0] != _OID:
        raise _bad("not a PKCS#8 private key")
    if algorithm[0][1] != _RSA_OID:
        raise EvalError("rsadecrypt: invalid private key type: it is not an RSA key")
    return _pkcs1(items[2][1])


def _ssh_string(data: bytes, pos: int) -> tuple[bytes, int]:
    """An SSH wire-format string at *pos*, and where the next field starts."""
    if pos + 4 > len(data):
        raise _bad("ssh: short read")
    size = int.from_bytes(data[pos:pos + 4], "big")
    if pos + 4 + size > len(data):
        raise _bad("ssh: short read")
    return data[pos + 4:pos + 4 + size], pos + 4 + size


def _openssh(data: bytes) -> Key:
    """An unencrypted `openssh-key-v1` key holding an RSA key."""
    if not data.startswith(_OPENSSH):
        raise _bad("ssh: invalid openssh private key format")
    pos = len(_OPENSSH)
    cipher, pos = _ssh_string(data, pos)
    kdf, pos = _ssh_string(data, pos)
    _, pos = _ssh_string(data, pos)
    if cipher != b"none" or kdf != b"none":
        raise _bad("this private key is passphrase protected")
    if data[pos:pos + 4] != b"\x00\x00\x00\x01":
        raise _bad("ssh: multi-key files are not supported")
    _, pos = _ssh_string(data, pos + 4)
    block, _ = _ssh_string(data, pos)
    if len(block) < 8 or block[:4] != block[4:8]:
        raise _bad("ssh: malformed OpenSSH key")
    kind, at = _ssh_string(block, 8)
    if kind != b"ssh-rsa":
        raise EvalError("rsadecrypt: invalid private key type: it is not an RSA key")
    fields: list[int] = []
    for _ in range(6):
        raw, at = _ssh_string(block, at)
        fields.append(int.from_bytes(raw, "big", signed=True))
    _, at = _ssh_string(block, at)  # the comment
    padding = block[at:]
    if padding != bytes(range(1, len(padding) + 1)):
        raise _bad("ssh: padding not as expected")
    n, e, d, _iqmp, p, q = fields
    if not 0 <= e < 1 << 63:
        raise _bad("ssh: invalid exponent")
    return _validate(Key(n, e, d, (p, q)))


def _validate(key: Key) -> Key:
    """Go's rsa.PrivateKey.Validate."""
    if key.e < 2 or key.e > (1 << 31) - 1:
        raise _bad("crypto/rsa: public exponent out of range")
    product = 1
    for prime in key.primes:
        if prime <= 1:
            raise _bad("crypto/rsa: invalid prime value")
        product *= prime
    if product != key.n:
        raise _bad("crypto/rsa: invalid modulus")
    if any(key.e * key.d % (p - 1) != 1 for p in key.primes):
        raise _bad("crypto/rsa: invalid exponents")
    return key


def read_key(text: str) -> Key:
    """The RSA key in the first PEM block of *text*; EvalError as Terraform fails."""
    for match in _PEM.finditer(text):
        kind, body = match.group(1), match.group(2)
        headers, _, rest = body.rpartition("\n\n") if "\n\n" in body else ("", "", body)
        if headers and not all(_HEADER.match(h) for h in headers.split("\n")):
            continue
        try:
            der = base64.b64decode("".join(rest.split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if "Proc-Type: 4,ENCRYPTED" in headers:
            raise _bad("this private key is passphrase protected")
        if kind == "RSA PRIVATE KEY":
            return _pkcs1(der)
        if kind == "PRIVATE KEY":
            return _pkcs8(der)
        if kind == "OPENSSH PRIVATE KEY":
            return _openssh(der)
        if kind in ("EC PRIVATE KEY", "DSA PRIVATE KEY"):
            raise EvalError("rsadecrypt: invalid private key type: it is not an RSA key")
        raise _bad(f"ssh: unsupported key type {kind[:40]!r}")
    raise _bad("ssh: no key found")


def decrypt(key: Key, ciphertext: bytes) -> bytes:
    """Go's rsa.DecryptPKCS1v15 (the message after the padding); EvalError where the
    ciphertext or its padding is not right."""
    size = (key.n.bit_length() + 7) // 8
    failed = EvalError("rsadecrypt: failed to decrypt: crypto/rsa: decryption error")
    if size < 11 or len(ciphertext) > size:
        raise failed
    c = int.from_bytes(ciphertext, "big")
    if c >= key.n:
        raise failed
    em = pow(c, key.d, key.n).to_bytes(size, "big")
    zero = em.find(0, 2)
    if em[0] != 0 or em[1] != 2 or zero < 10:
        raise failed
    return em[zero + 1:]


__all__ = ["Key", "decrypt", "read_key"]
