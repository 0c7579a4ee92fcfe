"""Parse an IAM resource-based policy document into frozen, typed statements.

`parse_policy` takes the JSON text, or the already-decoded object (a plan's or
`jsonencode(...)`'s value), and gives a `Policy` or an `Unknown` whose one-line reason never
quotes the document (a policy can hold account ids, ARNs, even secrets pasted by mistake).

A decoded object may hold `Unknown` leaves (values known only at apply). Each becomes a
*hole*: a string no policy writes, the same for two references to the same attribute, which
the judgments never take as a fixed value, an account or a wildcard.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Final, Literal

from checker.unknown import Unknown

# DynamoDB takes policies of up to 20 KB; anything past 64 KiB is not a policy to read.
MAX_BYTES: Final = 64 * 1024
# The deepest JSON an IAM policy has: policy > Statement list > statement > Condition >
# operator block > list of values (Principal > AWS list is shallower). Containers counted.
MAX_DEPTH: Final = 6
PRINCIPAL_TYPES: Final = ("AWS", "Service", "Federated", "CanonicalUser")
_HOLE: Final = "\x00"
_ACCOUNT_ARN: Final = re.compile(r"arn:aws(?:-[a-z]+)*:(?:iam|sts)::(\d{12}):\S+")
_ACCOUNT_ID: Final = re.compile(r"\d{12}")

Effect = Literal["Allow", "Deny"]


@dataclass(frozen=True)
class Principals:
    """A Principal (or NotPrincipal) element; `anyone` for "*" and {"AWS": "*"}."""

    anyone: bool
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One key of one condition operator: the operator as written, the key lower-cased."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """One statement; `index` is its 0-based position in the document."""

    index: int
    sid: str | None
    effect: Effect
    principal: Principals | None
    not_principal: Principals | None
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Policy:
    """A parsed policy document: its statements, in document order."""

    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Attached:
    """A resource-based policy attached to a table or to its stream; *where* names what
    holds it (a resource address and line, an API call) for messages."""

    on: Literal["table", "stream"]
    where: str
    document: Policy | Unknown


def account_of(principal: str) -> str | None:
    """The account of an AWS principal: a 12-digit id or an IAM/STS ARN, any partition."""
    if _ACCOUNT_ID.fullmatch(principal):
        return principal
    match = _ACCOUNT_ARN.fullmatch(principal)
    return match.group(1) if match else None


def named_accounts(doc: Policy) -> frozenset[str]:
    """The accounts a policy names: in its principals and in the account conditions that
    keep a caller in them."""
    found: set[str | None] = set()
    for st in doc.statements:
        for who in (st.principal, st.not_principal):
            found.update(account_of(a) for a in (who.aws if who else ()))
        for c in st.conditions:
            if c.key in ("aws:principalaccount", "aws:sourceaccount", "aws:principalarn"):
                found.update(account_of(v) for v in c.values)
    return frozenset(a for a in found if a is not None)


def is_hole(value: str) -> bool:
    """True for a value known only at apply (see the module's docstring)."""
    return value.startswith(_HOLE)


def _hole(value: Unknown) -> str:
    origin = value.origin
    if origin is not None:
        return f"{_HOLE}{origin.type} {origin.address}.{origin.attr}"
    return f"{_HOLE}{id(value)}"


def _filled(value: object) -> object:
    """*value* with each Unknown leaf made a hole (the depth is bounded before)."""
    if isinstance(value, Unknown):
        return _hole(value)
    if isinstance(value, dict):
        return {k: _filled(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_filled(v) for v in value]
    return value


class _Malformed(Exception):
    """The document is not of the shape IAM accepts; the message is the one-line reason."""


def parse_policy(raw: object) -> Policy | Unknown:
    """The policy *raw* (JSON text or decoded object) holds, or Unknown saying why not."""
    value: object = raw
    if isinstance(raw, str):
        if len(raw) > MAX_BYTES or len(raw.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            return Unknown("the policy document is larger than 64 KiB")
        try:
            value = json.loads(raw, parse_constant=_no_constant)
        except RecursionError:
            return Unknown("the policy document is nested deeper than any IAM policy")
        except ValueError:
            return Unknown("the policy document is not valid JSON")
    problem = _out_of_bounds(value, sized=not isinstance(raw, str))
    if problem is not None:
        return Unknown(problem)
    if not isinstance(value, dict):
        return Unknown("the policy document is not a JSON object")
    try:
        return _policy(_filled(value))
    except _Malformed as e:
        return Unknown(str(e))


def _no_constant(name: str) -> object:
    raise ValueError("NaN and Infinity are not JSON")


def _out_of_bounds(value: object, sized: bool) -> str | None:
    """Why *value* is too deep (or, when *sized*, about larger as JSON text than 64 KiB)
    to be a policy, walking it without recursion and stopping as soon as it knows."""
    size = 0
    limit = MAX_BYTES if sized else math.inf
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            if depth > MAX_DEPTH:
                return "the policy document is nested deeper than any IAM policy"
            size += 2
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                size += 1 + (len(key) + 3 if isinstance(key, str) else 0)
                if size > limit:
                    return "the policy document is larger than 64 KiB"
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            size += len(item) + 2
        else:
            size += 4  # true, null, a number: a lower bound is enough to stop a huge one
        if size > limit:
            return "the policy document is larger than 64 KiB"
    return None


def _policy(doc: object) -> Policy:
    assert isinstance(doc, dict)
    if "Statement" not in doc:
        raise _Malformed("the policy has no Statement")
    raw = doc["Statement"]
    if isinstance(raw, str) and is_hole(raw):
        raise _Malformed("the policy's Statement is known only after apply")
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items:
        raise _Malformed("the policy's Statement is not an object or a non-empty list")
    return Policy(tuple(_statement(i, s) for i, s in enumerate(items)))


def _statement(index: int, raw: object) -> Statement:
    where = f"statement {index + 1}"
    if isinstance(raw, str) and is_hole(raw):
        raise _Malformed(f"{where} is known only after apply")
    if not isinstance(raw, dict):
        raise _Malformed(f"{where} is not a JSON object")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise _Malformed(f"{where}: Sid is not a string")
    effect_raw = raw.get("Effect")
    for element in ("Effect", "Principal", "NotPrincipal", "Condition"):
        if isinstance(raw.get(element), str) and is_hole(raw[element]):
            raise _Malformed(f"{where}: its {element} is known only after apply")
    if effect_raw not in ("Allow", "Deny"):
        raise _Malformed(f"{where}: Effect is missing or is not Allow or Deny")
    effect: Effect = "Allow" if effect_raw == "Allow" else "Deny"
    principal = _principals(raw, "Principal", where)
    not_principal = _principals(raw, "NotPrincipal", where)
    if principal is not None and not_principal is not None:
        raise _Malformed(f"{where} has both Principal and NotPrincipal")
    actions, not_actions = _pair(raw, "Action", where)
    resources, not_resources = _pair(raw, "Resource", where)
    return Statement(index, sid, effect, principal, not_principal, actions, not_actions,
                     resources, not_resources, _conditions(raw, where))


def _strings(value: object) -> tuple[str, ...] | None:
    """A string or a list of strings as a tuple; None for any other shape."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if isinstance(v, str))
    return None


def _pair(raw: dict[object, object], name: str,
          where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The element *name* and its Not-form (Action/NotAction, Resource/NotResource)."""
    out: list[tuple[str, ...]] = []
    for element in (name, f"Not{name}"):
        if element not in raw:
            out.append(())
            continue
        values = _strings(raw[element])
        if values is None:
            raise _Malformed(f"{where}: {element} is not a string or a list of strings")
        out.append(values)
    if out[0] and out[1]:
        raise _Malformed(f"{where} has both {name} and Not{name}")
    return out[0], out[1]


def _principals(raw: dict[object, object], element: str, where: str) -> Principals | None:
    if element not in raw:
        return None
    value = raw[element]
    if value == "*":
        return Principals(anyone=True)
    if not isinstance(value, dict) or not value:
        raise _Malformed(f'{where}: {element} is neither "*" nor an object of principals')
    found: dict[str, tuple[str, ...]] = {}
    for kind, names in value.items():
        if not isinstance(kind, str) or kind not in PRINCIPAL_TYPES:
            raise _Malformed(f"{where}: {element} has a principal type IAM does not know")
        values = _strings(names)
        if values is None:
            raise _Malformed(f"{where}: {element} {kind} is not a string or a list of strings")
        found[kind] = values
    aws = found.get("AWS", ())
    return Principals(anyone="*" in aws, aws=tuple(a for a in aws if a != "*"),
                      service=found.get("Service", ()), federated=found.get("Federated", ()),
                      canonical_user=found.get("CanonicalUser", ()))


def _conditions(raw: dict[object, object], where: str) -> tuple[Condition, ...]:
    if "Condition" not in raw:
        return ()
    block = raw["Condition"]
    if not isinstance(block, dict):
        raise _Malformed(f"{where}: Condition is not an object")
    out: list[Condition] = []
    for operator, keys in block.items():
        if not isinstance(operator, str) or not operator:
            raise _Malformed(f"{where}: a Condition operator is not a string")
        if isinstance(keys, str) and is_hole(keys):
            raise _Malformed(f"{where}: a Condition block is known only after apply")
        if not isinstance(keys, dict):
            raise _Malformed(f"{where}: a Condition operator's block is not an object")
        for key, values in keys.items():
            if not isinstance(key, str) or not key:
                raise _Malformed(f"{where}: a Condition key is not a string")
            items = values if isinstance(values, list) else [values]
            out.append(Condition(operator, key.lower(),
                                 tuple(_condition_value(v, where) for v in items)))
    return tuple(out)


def _condition_value(value: object, where: str) -> str:
    """A condition value as IAM compares it: strings as they are, true/false, numbers."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            raise _Malformed(f"{where}: a Condition value is a number too long") from None
    if isinstance(value, float) and math.isfinite(value):
        return json.dumps(value)
    raise _Malformed(f"{where}: a Condition value is not a string, number or boolean")
