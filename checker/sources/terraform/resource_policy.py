"""aws_dynamodb_resource_policy -> each table's (and replica's) `resource_policies`.

A policy resource is the table's when its `resource_arn` is the table's ARN (or its
stream's): a reference to the table's `arn` (`stream_arn`), or a literal ARN naming the
table in its region. The policy is a JSON string (a literal, `jsonencode(...)`, a
`data.aws_iam_policy_document`'s `json`), read whole or, where values in it are known only
at apply, with those values as holes. A table whose policy resource may be another's, or
may not exist, has its policies unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from checker.iam.document import Attached, Policy, parse_policy
from checker.model import TableState
from checker.sources.terraform.body import Body, at
from checker.sources.terraform.replicas import REPLICA
from checker.sources.terraform.table import TABLE
from checker.sources.typed import string
from checker.unknown import Maybe, Unknown, invalid

POLICY = "aws_dynamodb_resource_policy"
_ARN: Final = re.compile(r"arn:[a-z-]+:dynamodb:([a-z0-9-]*):(\d{12}):table/([A-Za-z0-9_.-]+)"
                         r"(/stream/[^/]+)?")
_KEY: Final = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')
On = Literal["table", "stream"]


@dataclass(frozen=True)
class PolicyResource:
    """One aws_dynamodb_resource_policy instance."""

    target: Maybe[str | None]  # resource_arn
    document: Policy | Unknown
    region: str | None  # of its provider; None where not known
    address: str


def read_policy(body: Body, region: str | None) -> PolicyResource:
    """The PolicyResource of one instance, in the region of its provider."""
    where = at(body, "policy")
    raw = body.value("policy")
    document: Policy | Unknown
    if isinstance(raw, Unknown):
        document = raw if raw.decoded is None else _partly(parse_policy(raw.decoded), raw)
    elif isinstance(raw, str):
        document = parse_policy(raw)
    else:
        document = invalid(f"{where} is not a policy document")
    return PolicyResource(string(body.value("resource_arn"), at(body, "resource_arn")),
                          document, region, body.where)


def _partly(found: Policy | Unknown, raw: Unknown) -> Policy | Unknown:
    """A policy read with holes; where even that fails, why, after why it was partial."""
    if isinstance(found, Unknown):
        return raw.but(f"{raw.reason}; what is known of it: {found.reason}", decoded=None)
    return found


def _on(p: PolicyResource, table: TableState) -> On | Literal[False] | None:
    """What of *table* policy *p* is attached to: "table", "stream", False (not the
    table's), or None (not known)."""
    if p.region is not None and table.region is not None and p.region != table.region:
        return False
    target = p.target
    if target is None:
        return False  # invalid: no ARN, attached to nothing
    if isinstance(target, Unknown):
        origin = target.origin
        if origin is None or origin.type not in (TABLE, REPLICA):
            return None
        if origin.type == TABLE and table.replica is not None:
            return False  # the table's own ARN: a replica in a `replica` block has another
        if not _same(origin.address, table.resource, p.address):
            return False
        if origin.attr in ("arn", "stream_arn"):
            return "table" if origin.attr == "arn" else "stream"
        return None
    found = _ARN.fullmatch(target)
    if found is None:
        return False
    region, _, name, stream = found.groups()
    if table.region is not None and region != table.region:
        return False
    if isinstance(table.name, Unknown):
        return None
    if name != table.name:
        return False
    return "stream" if stream else "table"


def _same(referred: str, table: str, policy: str) -> bool:
    """Whether the reference to *referred* names the table instance *table*: the same
    address; or the resource as a whole (a plan's configuration) under a policy of the same
    instance key as the table's (a for_each over the same keys)."""
    if referred == table:
        return True
    key = _KEY.search(table)
    if key is None or _KEY.sub("", table) != referred:
        return False
    own = _KEY.search(policy)
    return own is not None and own.group(0) == key.group(0)


def link_policies(states: list[TableState], policies: list[PolicyResource],
                  undecided: Unknown | None = None) -> None:
    """Set each table's (and replica's) `resource_policies`; *undecided*: why a policy
    resource may or may not exist (its count or for_each not known)."""
    for table in states:
        if undecided is not None:
            table.resource_policies = undecided
            continue
        attached: list[Attached] = []
        for p in policies:
            on = _on(p, table)
            if on is None:
                table.resource_policies = Unknown(
                    f"{p.address} may be the table's policy: its resource_arn is not known")
                break
            if on:
                attached.append(Attached(on, p.address, p.document))
        else:
            table.resource_policies = tuple(attached)
