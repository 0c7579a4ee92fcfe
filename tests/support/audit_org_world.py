"""The organization of the `--org` tests on the moto server: its accounts by role."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.audit_world import World

REGION = "eu-north-1"
OTHER_REGION = "eu-south-1"
MANAGEMENT = "400000000001"  # holds the organization
LEGACY = "legacy-orders"  # a table outside the spec's naming, in the `empty` account


@dataclass(frozen=True)
class Org:
    """The organization on the moto server: its accounts by role in the tests."""

    good: World  # under the OU (one level down)
    drifted: World
    locked: str  # active, but AssumeRole into it is refused
    empty: str  # active, none of the spec's tables
    closed: str  # suspended: listed, never audited
    ou: str

    @property
    def in_scope(self) -> list[str]:
        """The accounts `--org` audits by default, in the order it reports them."""
        return sorted([self.good.account, self.drifted.account, self.locked, self.empty])


def role(account: str, name: str = "tablespec-audit") -> str:
    return f"arn:aws:iam::{account}:role/{name}"
