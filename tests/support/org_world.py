"""The organization on the moto server and the hub (examples/org/terraform applied to it):
what the tests know of them. The fixtures that make them are in tests/support/org_fixtures.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from checker import terraform
from tests.support.audit_world import World, credentials
from tests.support.moto import session_for
from tests.support.org_moto import StepFunctionsGaps
from tests.support.paths import REPO

ORG = REPO / "examples" / "org"
MANAGEMENT = "500000000001"  # holds the organization and the hub; audits nothing itself
HUB_REGION = "eu-west-1"
REGIONS = ("eu-north-1", "us-east-2")  # audited in every member account
MEMBERS = ("good", "drifted", "quiet", "spare")
# The hub's functions and their handlers (the contract of checker.lambdas)
HANDLERS = {"list-shards": "checker.lambdas.fanout.list_shards",
            "shard": "checker.lambdas.scheduled.handler",
            "merge": "checker.lambdas.fanout.merge"}
# Terraform's AWS SDK retries a 5xx up to 25 times; against the stand-in one attempt is enough
# to see a fault.
MOTO_PROVIDER = 'provider "aws" {\n  max_retries = 1\n}\n'


@dataclass(frozen=True)
class Org:
    """The organization: `good` has the spec's prod tables in both regions, `drifted` in the
    first region with PITR off on interaction-events, `quiet` and `spare` have none."""

    accounts: dict[str, str]  # member name -> account id
    good: list[World]
    drifted: World

    @property
    def shards(self) -> list[tuple[str, str]]:
        """(account, region) of every member account and audited region, sorted."""
        return sorted((a, r) for a in self.accounts.values() for r in REGIONS)

    @property
    def with_tables(self) -> set[tuple[str, str]]:
        return {(w.account, w.region) for w in [*self.good, self.drifted]}


@dataclass(frozen=True)
class Hub:
    """examples/org/terraform as applied to the moto server, read back."""

    root: Path
    tf: terraform.Terraform
    outputs: dict[str, Any]
    state_machine_role: str  # the role the Terraform-made state machine runs as
    described_definition: str  # the definition moto holds for it
    gaps: StepFunctionsGaps

    @property
    def definition(self) -> str:
        """`terraform output -raw state_machine_definition`."""
        return self.tf.run(self.root, "output", "-raw", "state_machine_definition")

    @cached_property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Every resource of the applied state (`terraform show -json`), by address."""
        state = json.loads(self.tf.run(self.root, "show", "-json"))
        return {r["address"]: r["values"] for r in state["values"]["root_module"]["resources"]}


def mgmt_session(endpoint: str) -> Any:
    """A boto3 session of the management account."""
    return session_for(credentials(endpoint, MANAGEMENT))

