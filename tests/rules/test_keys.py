"""keys: hash and range key names and types."""

from __future__ import annotations

from checker.findings import Status
from checker.model import Key
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, SESSIONS, Case

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN

CASES = [
    Case("TS-KEY-001", PASS, SESSIONS, "hash_key"),
    Case("TS-KEY-001", FAIL, SESSIONS, "hash_key", {"hash_key": Key("playerId", "N")}),
    Case("TS-KEY-001", FAIL, SESSIONS, "hash_key", {"hash_key": Key("userId", "S")}),
    Case("TS-KEY-001", UNKNOWN, SESSIONS, "hash_key",
         {"hash_key": Key(Unknown("hash_key known after apply"), Unknown("x"))}),
    Case("TS-KEY-002", PASS, REWARDS, "range_key"),
    Case("TS-KEY-002", FAIL, REWARDS, "range_key", {"range_key": None}),
    Case("TS-KEY-002", FAIL, REWARDS, "range_key", {"range_key": Key("rewardId", None)}),
    Case("TS-KEY-002", UNKNOWN, REWARDS, "range_key", {"range_key": Unknown("range_key")}),
]
