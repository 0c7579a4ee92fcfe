"""IP network functions: cidrhost, cidrnetmask, cidrsubnet, cidrsubnets.

As Terraform computes them: its own fork of Go 1.16's address parsing (`internal/ipaddr`:
octets with leading zeros are read as decimal), `apparentlymart/go-cidr` 1.1 for the
arithmetic, Go's `net` for how addresses and networks are written. Their quirks are kept:
a host or network number is checked by its low 64 bits only, a negative host number counts
back from the end, an IPv4-mapped IPv6 network is worked on as IPv4 in some steps and as
IPv6 in others.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.functions.ipaddr import (
    V4_ZERO,
    V6_ZERO,
    Net,
    apply_mask,
    cidr_mask,
    contains,
    ip_text,
    mask_size,
    net_text,
    parse_cidr,
    to4,
)
from checker.sources.hcl.functions.numeric import to_int64
from checker.sources.hcl.valuemodel import EvalError, TfList

_U64 = (1 << 64) - 1


def _insert(ip: bytes, num: int, prefix: int) -> bytes:
    """go-cidr's `insertNumIntoIP`: *num* ORed in below the first *prefix* bits (Go's
    big.Int arithmetic: a negative number in two's complement, the magnitude kept)."""
    total = len(ip) * 8
    shift = total - prefix
    if num and (shift < 0 or shift > total + 64):
        raise EvalError("the address is out of range")
    result = abs(int.from_bytes(ip, "big") | (num << shift))
    if result.bit_length() > total:
        raise EvalError("the address is out of range")
    return result.to_bytes(total // 8, "big")


def _low64(num: int) -> int:
    """Go's `big.Int.Uint64`: the low 64 bits of the magnitude."""
    return abs(num) & _U64


def _whole(value: object, what: str) -> int:
    """A number as Go's big.Int: whole, else EvalError."""
    if isinstance(value, int):
        return int(value)
    raise EvalError(f"{what}: value must be a whole number")


def _cidrhost(prefix: object, hostnum: object) -> str:
    """`cidrhost(prefix, hostnum)`: go-cidr's `HostBig`."""
    num = _whole(hostnum, "cidrhost")
    ip, mask = parse_cidr(str(prefix))
    parent, bits = mask_size(mask)
    max_host = (1 << (bits - parent)) - 1
    checked = _low64(num)
    checked = checked - (1 << 64) if checked >> 63 else checked  # as int64
    if num < 0:
        checked = -num - 1
        num = max_host - checked
    if checked > max_host:
        raise EvalError(f"cidrhost: prefix of {parent} does not accommodate the host number")
    return ip_text(_insert(ip, num, 32 if to4(ip) is not None else 128))


def _cidrnetmask(prefix: object) -> str:
    """`cidrnetmask(prefix)`: the mask of an IPv4 prefix, as an address."""
    ip, mask = parse_cidr(str(prefix))
    if to4(ip) is None:
        raise EvalError("cidrnetmask: IPv6 addresses cannot have a netmask")
    return ip_text(mask)


def _cidrsubnet(prefix: object, newbits: object, netnum: object) -> str:
    """`cidrsubnet(prefix, newbits, netnum)`: go-cidr's `SubnetBig`."""
    extra = to_int64(newbits, "cidrsubnet")
    num = _whole(netnum, "cidrsubnet")
    ip, mask = parse_cidr(str(prefix))
    parent, bits = mask_size(mask)
    length = parent + extra
    if length > bits:
        raise EvalError(f"cidrsubnet: insufficient address space to extend prefix of "
                        f"{parent} by {extra}")
    shift = extra & _U64  # Go: uint64(1 << uint64(newbits)) - 1
    max_net = ((1 << shift if shift < 64 else 0) - 1) & _U64
    if _low64(num) > max_net:
        raise EvalError(f"cidrsubnet: prefix extension of {extra} does not accommodate the "
                        "subnet number")
    return net_text((_insert(ip, num, length), cidr_mask(length, bits)))


def _step(ip: bytes, delta: int) -> bytes:
    """go-cidr's `Inc`/`Dec` (an IPv4-mapped address as IPv4), wrapping around."""
    ip = to4(ip) or ip
    size = len(ip) * 8
    return ((int.from_bytes(ip, "big") + delta) % (1 << size)).to_bytes(len(ip), "big")


def _last(net: Net) -> bytes:
    """The last address of a network (go-cidr's `AddressRange`)."""
    first, mask = net
    ones, bits = mask_size(mask)
    if ones == bits:
        return first
    size = len(first) * 8
    if size not in (32, 128) or size < ones:
        raise EvalError("cidrsubnets: the address is out of range")
    return (((1 << (size - ones)) - 1) | int.from_bytes(first, "big")).to_bytes(size // 8, "big")


def _is_zero(ip: bytes) -> bool:
    """Go's `ip.Equal(IPv4zero) || ip.Equal(IPv6zero)`."""
    return ip in (bytes(4), V4_ZERO, V6_ZERO)


def _next(net: Net, length: int) -> tuple[Net, bool]:
    """go-cidr's `NextSubnet`: the subnet of *length* bits after *net*, and whether the
    address space rolled over."""
    current_last = _last(net)
    mask = cidr_mask(length, 8 * len(current_last))
    last = _step(_last((apply_mask(current_last, mask), mask)), 1)
    return (apply_mask(last, mask), mask), _is_zero(last)


def _cidrsubnets(prefix: object, *newbits: object) -> list[str]:
    """`cidrsubnets(prefix, newbits...)`: consecutive subnets of the given sizes."""
    network = parse_cidr(str(prefix))
    start, _ = mask_size(network[1])
    budget.elements(len(newbits))
    if not newbits:
        return TfList()
    first = to4(network[0]) or network[0]
    mask = cidr_mask(to_int64(newbits[0], "cidrsubnets") + start, 8 * len(first))
    current: Net = (apply_mask(_step(first, -1), mask), mask)  # go-cidr's PreviousSubnet
    out: list[str] = []
    for arg in newbits:
        extra = to_int64(arg, "cidrsubnets")
        if not 1 <= extra <= 32:
            raise EvalError("cidrsubnets: must extend prefix by 1 to 32 bits")
        length = extra + start
        if length > len(network[0]) * 8:
            raise EvalError(f"cidrsubnets: would extend prefix to {length} bits, which is too "
                            "long for the address")
        current, rolled = _next(current, length)
        if rolled or not contains(network, current[0]):
            raise EvalError(f"cidrsubnets: not enough remaining address space for a subnet "
                            f"with a prefix of {length} bits")
        out.append(net_text(current))
    return TfList(out)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets,
}
