"""Where a fan-out run keeps its files in S3, and what a shard is."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.errors import RunError

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
ACCOUNT = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
ROLE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]+$")
SHARDS = "shards.json"
NOTES = "notes.json"
MERGED = "report.json"


@dataclass(frozen=True)
class ShardEvent:
    """One shard of a run: an account and a region, read through a role."""

    account: str
    region: str
    role_arn: str
    run_id: str

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> ShardEvent:
        """The shard an event names; RunError when it names none."""
        got = {k: event.get(k) for k in ("account", "region", "role_arn", "run_id")}
        if not all(isinstance(v, str) for v in got.values()):
            raise RunError(f"a shard event needs account, region, role_arn and run_id: {got}")
        shard = cls(**{k: str(v) for k, v in got.items()})
        role = ROLE.match(shard.role_arn)
        if not ACCOUNT.match(shard.account) or not REGION.match(shard.region) or not role \
                or role.group(1) != shard.account or not RUN_ID.match(shard.run_id):
            raise RunError(f"not a valid shard event: {got}")
        return shard

    def as_event(self) -> dict[str, str]:
        """The event of the shard, as shards.json lists it."""
        return {"account": self.account, "region": self.region, "role_arn": self.role_arn,
                "run_id": self.run_id}


def run_prefix(prefix: str, run_id: str) -> str:
    """The key prefix of one run's files."""
    if not RUN_ID.match(run_id):
        raise RunError(f"run_id {run_id!r}: use letters, digits, '.', '_' and '-' (at most 80)")
    return f"{prefix}{run_id}/"


def shard_key(prefix: str, shard: ShardEvent) -> str:
    """Where a shard's report goes."""
    return f"{run_prefix(prefix, shard.run_id)}{shard.account}/{shard.region}.json"


SHARD_REPORT = re.compile(r"/(\d{12})/([a-z]{2}(?:-[a-z]+)+-\d+)\.json$")
