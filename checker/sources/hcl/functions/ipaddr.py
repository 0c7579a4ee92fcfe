"""IP addresses and networks as Terraform reads and writes them.

Read with Terraform's fork of Go 1.16's parsing (`internal/ipaddr`: octets with leading
zeros are decimal, an IPv6 address may end in an IPv4 one), written as Go's `net` writes
them (RFC 5952 for IPv6, an IPv4-mapped address as IPv4). An address is its bytes: 4 or
16 (an IPv4 one parsed is 16, the IPv4-mapped form, until a network is made of it); b""
is Go's nil.
"""

from __future__ import annotations

from checker.sources.hcl.valuemodel import EvalError

_V4_PREFIX = bytes(10) + b"\xff\xff"
V4_ZERO = _V4_PREFIX + bytes(4)
V6_ZERO = bytes(16)
_BIG = 0xFFFFFF

Net = tuple[bytes, bytes]  # (address, mask)


def _dtoi(s: bytes) -> tuple[int, int, bool]:
    """Leading decimal digits: (value, digits read, ok)."""
    n = i = 0
    while i < len(s) and 0x30 <= s[i] <= 0x39:
        n = n * 10 + s[i] - 0x30
        if n >= _BIG:
            return _BIG, i, False
        i += 1
    return (n, i, True) if i else (0, 0, False)


def _xtoi(s: bytes) -> tuple[int, int, bool]:
    """Leading hexadecimal digits: (value, digits read, ok)."""
    n = i = 0
    while i < len(s) and chr(s[i]) in "0123456789abcdefABCDEF":
        n = n * 16 + int(chr(s[i]), 16)
        if n >= _BIG:
            return 0, i, False
        i += 1
    return (n, i, True) if i else (0, 0, False)


def _parse_v4(s: bytes) -> bytes | None:
    """d.d.d.d (leading zeros allowed, read as decimal), in its IPv4-mapped form."""
    octets = bytearray()
    for i in range(4):
        if not s:
            return None
        if i:
            if s[0] != 0x2E:
                return None
            s = s[1:]
        n, used, ok = _dtoi(s)
        if not ok or n > 0xFF:
            return None
        s = s[used:]
        octets.append(n)
    return None if s else _V4_PREFIX + bytes(octets)


def _parse_v6(s: bytes) -> bytes | None:
    """An IPv6 address (RFC 4291, an IPv4 tail allowed), as Go 1.16's `net` reads it."""
    ip = bytearray(16)
    ellipsis = -1
    if s[:2] == b"::":
        ellipsis, s = 0, s[2:]
        if not s:
            return bytes(ip)
    i = 0
    while i < 16:
        n, used, ok = _xtoi(s)
        if not ok or n > 0xFFFF:
            return None
        if used < len(s) and s[used] == 0x2E:  # an IPv4 tail
            if (ellipsis < 0 and i != 12) or i + 4 > 16:
                return None
            ip4 = _parse_v4(s)
            if ip4 is None:
                return None
            ip[i:i + 4] = ip4[12:]
            s, i = b"", i + 4
            break
        ip[i], ip[i + 1] = n >> 8, n & 0xFF
        i, s = i + 2, s[used:]
        if not s:
            break
        if s[0] != 0x3A or len(s) == 1:
            return None
        s = s[1:]
        if s[0] == 0x3A:
            if ellipsis >= 0:
                return None
            ellipsis, s = i, s[1:]
            if not s:
                break
    if s:
        return None
    if i < 16:
        if ellipsis < 0:
            return None
        gap = 16 - i
        ip[ellipsis + gap:16] = ip[ellipsis:i]
        ip[ellipsis:ellipsis + gap] = bytes(gap)
    elif ellipsis >= 0:
        return None
    return bytes(ip)


def cidr_mask(ones: int, bits: int) -> bytes:
    """Go's `net.CIDRMask` (nil when out of range)."""
    if bits not in (32, 128) or not 0 <= ones <= bits:
        return b""
    return (((1 << ones) - 1) << (bits - ones)).to_bytes(bits // 8, "big")


def to4(ip: bytes) -> bytes | None:
    """The IPv4 address of *ip*, or None."""
    if len(ip) == 4:
        return ip
    if len(ip) == 16 and ip[:12] == _V4_PREFIX:
        return ip[12:]
    return None


def apply_mask(ip: bytes, mask: bytes) -> bytes:
    """Go's `IP.Mask`."""
    if len(mask) == 16 and len(ip) == 4 and mask[:12] == b"\xff" * 12:
        mask = mask[12:]
    if len(mask) == 4 and len(ip) == 16 and ip[:12] == _V4_PREFIX:
        ip = ip[12:]
    if len(ip) != len(mask):
        return b""
    return bytes(a & b for a, b in zip(ip, mask, strict=True))


def _mask_length(mask: bytes) -> int:
    """The number of leading ones of a contiguous mask; -1 when it is not contiguous."""
    value = int.from_bytes(mask, "big")
    bits = len(mask) * 8
    ones = bits - (~value & ((1 << bits) - 1)).bit_length()
    return ones if value == ((1 << ones) - 1) << (bits - ones) else -1


def mask_size(mask: bytes) -> tuple[int, int]:
    """Go's `IPMask.Size`: (ones, bits), (0, 0) for a mask that is not contiguous."""
    ones = _mask_length(mask)
    return (0, 0) if ones < 0 else (ones, len(mask) * 8)


def parse_cidr(text: str) -> Net:
    """The network of a CIDR prefix, as Terraform's `ipaddr.ParseCIDR` reads it."""
    raw = text.encode("utf-8")
    slash = raw.find(b"/")
    if slash >= 0:
        addr, digits = raw[:slash], raw[slash + 1:]
        ip, size = _parse_v4(addr), 4
        if ip is None:
            ip, size = _parse_v6(addr), 16
        n, used, ok = _dtoi(digits)
        if ip is not None and ok and used == len(digits) and n <= 8 * size:
            mask = cidr_mask(n, 8 * size)
            return apply_mask(ip, mask), mask
    raise EvalError("invalid CIDR expression: invalid CIDR address")


def _v6_text(ip: bytes) -> str:
    """An IPv6 address as Go's `netip` writes it (RFC 5952)."""
    groups = [ip[i] << 8 | ip[i + 1] for i in range(0, 16, 2)]
    start, end = 8, 8
    for i in range(8):
        j = i
        while j < 8 and groups[j] == 0:
            j += 1
        if j - i >= 2 and j - i > end - start:
            start, end = i, j
    head = ":".join(f"{g:x}" for g in groups[:start])
    if start == 8:
        return head
    return head + "::" + ":".join(f"{g:x}" for g in groups[end:])


def ip_text(ip: bytes) -> str:
    """Go's `IP.String`."""
    if not ip:
        return "<nil>"
    if len(ip) not in (4, 16):
        return "?" + ip.hex()
    v4 = to4(ip)
    return ".".join(str(b) for b in v4) if v4 is not None else _v6_text(ip)


def _number_and_mask(net: Net) -> tuple[bytes, bytes] | None:
    """Go's `networkNumberAndMask`."""
    ip, mask = net
    number = to4(ip)
    if number is None:
        number = ip
        if len(number) != 16:
            return None
    if len(mask) == 4:
        return (number, mask) if len(number) == 4 else None
    if len(mask) == 16:
        return (number, mask[12:] if len(number) == 4 else mask)
    return None


def net_text(net: Net) -> str:
    """Go's `IPNet.String`."""
    parts = _number_and_mask(net)
    if parts is None:
        return "<nil>"
    number, mask = parts
    ones = _mask_length(mask)
    return f"{ip_text(number)}/{ones if ones >= 0 else mask.hex()}"


def contains(net: Net, ip: bytes) -> bool:
    """Go's `IPNet.Contains`."""
    number, mask = _number_and_mask(net) or (b"", b"")
    ip = to4(ip) or ip
    if len(ip) != len(number):
        return False
    return all(n & m == i & m for n, m, i in zip(number, mask, ip, strict=False))
