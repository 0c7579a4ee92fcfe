"""gsi: the spec's global secondary indexes exist with their keys and projection."""

from __future__ import annotations

from checker.findings import Status
from checker.model import Gsi, Key
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, SESSIONS, Case, only

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
INDEX = "global_secondary_index.PlayerIdIndex"
GOOD = Gsi("PlayerIdIndex", Key("playerId", "S"), Key("timestamp", "S"), "ALL")
LATER = Unknown("global_secondary_index known after apply")
EXTRA = Gsi("ByRegion", Key("region", "S"), None, "KEYS_ONLY")

CASES = [
    Case("TS-GSI-001", PASS, EVENTS, INDEX),
    Case("TS-GSI-001", FAIL, EVENTS, INDEX, {"gsis": ()}),
    Case("TS-GSI-001", UNKNOWN, EVENTS, INDEX, {"gsis": LATER},
         also=(("unknown", "TS-GSI-002", EVENTS, INDEX), ("unknown", "TS-GSI-003", EVENTS, INDEX),
               ("unknown", "TS-GSI-004", EVENTS, "global_secondary_index"))),
    Case("TS-GSI-002", PASS, EVENTS, INDEX),
    Case("TS-GSI-002", FAIL, EVENTS, f"{INDEX}.range_key",
         {"gsis": (Gsi("PlayerIdIndex", Key("playerId", "S"), Key("eventType", "S"), "ALL"),)}),
    Case("TS-GSI-002", FAIL, EVENTS, f"{INDEX}.hash_key",
         {"gsis": (Gsi("PlayerIdIndex", Key("playerId", "N"), Key("timestamp", "S"), "ALL"),)}),
    Case("TS-GSI-002", UNKNOWN, EVENTS, f"{INDEX}.hash_key",
         {"gsis": (Gsi("PlayerIdIndex", Key(LATER, LATER), Key("timestamp", "S"), "ALL"),)}),
    Case("TS-GSI-003", PASS, EVENTS, f"{INDEX}.projection_type"),
    Case("TS-GSI-003", FAIL, EVENTS, f"{INDEX}.projection_type",
         {"gsis": (Gsi("PlayerIdIndex", Key("playerId", "S"), Key("timestamp", "S"),
                       "KEYS_ONLY"),)}),
    Case("TS-GSI-003", UNKNOWN, EVENTS, f"{INDEX}.projection_type",
         {"gsis": (Gsi("PlayerIdIndex", Key("playerId", "S"), Key("timestamp", "S"), LATER),)}),
    Case("TS-GSI-004", PASS, SESSIONS, "global_secondary_index"),
    Case("TS-GSI-004", FAIL, SESSIONS, "global_secondary_index.ByRegion", {"gsis": (EXTRA,)}),
    Case("TS-GSI-004", UNKNOWN, SESSIONS, "global_secondary_index", {"gsis": LATER}),
]


def test_a_missing_index_fails_once_and_its_keys_are_not_evaluated(spec: Spec) -> None:
    from tests.rules.harness import run, states

    findings = run(spec, states(spec, **{EVENTS: {"gsis": ()}}))
    rest = {(f.rule_id, f.status.value, f.reason.value if f.reason else None)
            for f in findings if f.rule_id in ("TS-GSI-002", "TS-GSI-003")}
    assert rest == {("TS-GSI-002", "unknown", "not_evaluated"),
                    ("TS-GSI-003", "unknown", "not_evaluated")}
    assert only(spec, EVENTS, gsis=()) == [
        ("fail", "TS-GSI-001", EVENTS, INDEX), ("unknown", "TS-GSI-002", EVENTS, INDEX),
        ("unknown", "TS-GSI-003", EVENTS, INDEX)]


def test_include_projection_compares_its_attributes(spec: Spec) -> None:
    from dataclasses import replace

    from tests.rules.harness import with_tables

    wants = with_tables(spec)
    events = wants.tables[EVENTS]
    include = replace(events.gsis[0], projection="INCLUDE", non_key_attributes=("a", "b"))
    wants.tables[EVENTS] = replace(events, gsis=(include,))
    same = Gsi("PlayerIdIndex", Key("playerId", "S"), Key("timestamp", "S"), "INCLUDE",
               ("b", "a"))
    assert only(wants, EVENTS, gsis=(same,)) == []
    other = replace(same, non_key_attributes=("a",))
    assert only(wants, EVENTS, gsis=(other,)) == [
        ("fail", "TS-GSI-003", EVENTS, f"{INDEX}.projection_type")]
