"""billing: an allowed billing mode, and capacity above zero when provisioned."""

from __future__ import annotations

from checker.findings import Status
from checker.model import Gsi, Key
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, SESSIONS, Case

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
PROVISIONED = {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}

CASES = [
    Case("TS-BILL-001", PASS, SESSIONS, "billing_mode"),
    Case("TS-BILL-001", FAIL, SESSIONS, "billing_mode", {"billing_mode": "ON_DEMAND"}),
    Case("TS-BILL-001", UNKNOWN, SESSIONS, "billing_mode", {"billing_mode": Unknown("b")},
         also=(("unknown", "TS-BILL-002", SESSIONS, "billing_mode"),)),
    Case("TS-BILL-002", PASS, SESSIONS, "capacity"),
    Case("TS-BILL-002", PASS, SESSIONS, "capacity", PROVISIONED),
    Case("TS-BILL-002", FAIL, SESSIONS, "read_capacity", {**PROVISIONED, "read_capacity": 0}),
    Case("TS-BILL-002", FAIL, SESSIONS, "write_capacity", {**PROVISIONED, "write_capacity": None}),
    Case("TS-BILL-002", UNKNOWN, SESSIONS, "read_capacity",
         {**PROVISIONED, "read_capacity": Unknown("read_capacity known after apply")}),
]

INDEX = Gsi("PlayerIdIndex", Key("playerId", "S"), Key("timestamp", "S"), "ALL", (), 0, 5)
CASES.append(Case("TS-BILL-002", FAIL, EVENTS, "global_secondary_index.PlayerIdIndex."
                  "read_capacity", {**PROVISIONED, "gsis": (INDEX,)}))
