"""ttl: TTL on the spec's attribute, none where data persists, sampled values that expire."""

from __future__ import annotations

import time

from checker.findings import Status
from checker.model import TTL_OFF, Ttl, TtlKind, TtlSample, TtlSamples
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, REWARDS, SESSIONS, Case, run, states

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
NOW = time.time()
HOUR = 3600.0


def seconds(at: float) -> TtlSample:
    """A sampled item whose TTL is *at*, in epoch seconds."""
    return TtlSample("k", TtlKind.SECONDS, at, f"N {int(at)}")


def sampled(*items: TtlSample) -> dict[str, TtlSamples]:
    """The changes that give a table these sampled TTL values, read now."""
    return {"ttl_samples": TtlSamples("ttl", NOW, items)}


# The spec's horizon for the TTL tables is 72h plus 24h of slack.
CASES = [
    Case("TS-TTL-001", PASS, SESSIONS, "ttl.attribute_name"),
    Case("TS-TTL-001", FAIL, SESSIONS, "ttl.attribute_name", {"ttl": Ttl(True, "expires")}),
    Case("TS-TTL-001", FAIL, SESSIONS, "ttl.enabled", {"ttl": TTL_OFF}),
    Case("TS-TTL-001", UNKNOWN, EVENTS, "ttl", {"ttl": Unknown("ttl known after apply")}),
    Case("TS-TTL-001", UNKNOWN, EVENTS, "ttl.attribute_name",
         {"ttl": Ttl(True, Unknown("attribute_name known after apply"))}),
    Case("TS-TTL-002", PASS, REWARDS, "ttl.enabled"),
    Case("TS-TTL-002", FAIL, REWARDS, "ttl.enabled", {"ttl": Ttl(True, "ttl")}),
    Case("TS-TTL-002", UNKNOWN, REWARDS, "ttl.enabled", {"ttl": Ttl(Unknown("enabled"), None)}),
    Case("TS-TTL-003", PASS, SESSIONS, "ttl.values", sampled(seconds(NOW + 95 * HOUR))),
    Case("TS-TTL-003", PASS, SESSIONS, "ttl.values", sampled()),
    Case("TS-TTL-003", FAIL, SESSIONS, "ttl.values.horizon", sampled(seconds(NOW + 97 * HOUR))),
    Case("TS-TTL-003", FAIL, SESSIONS, "ttl.values.past", sampled(seconds(1000.0))),
    Case("TS-TTL-003", FAIL, SESSIONS, "ttl.values.missing",
         sampled(TtlSample("k", TtlKind.MISSING, shown="missing"))),
    Case("TS-TTL-003", FAIL, SESSIONS, "ttl.values.type",
         sampled(TtlSample("k", TtlKind.WRONG_TYPE, shown='S "1767225600"'))),
    Case("TS-TTL-003", FAIL, SESSIONS, "ttl.values.milliseconds",
         sampled(TtlSample("k", TtlKind.MILLISECONDS, shown="N 1767225600000"))),
    Case("TS-TTL-003", UNKNOWN, SESSIONS, "ttl.values",
         {"ttl_samples": Unknown("reading it needs dynamodb:Scan")}),
]


def ttl_values(spec: Spec, samples: TtlSamples | Unknown | None) -> list[tuple[str, str]]:
    """(status, message) of TS-TTL-003 on player-sessions with *samples*."""
    found = run(spec, states(spec, **{SESSIONS: {"ttl_samples": samples}}))
    return [(f.status.value, f.message) for f in found
            if f.rule_id == "TS-TTL-003" and f.table == SESSIONS]


def test_without_samples_the_values_rule_is_silent(spec: Spec) -> None:
    assert ttl_values(spec, None) == []


def test_slack_widens_the_horizon(spec: Spec) -> None:
    from dataclasses import replace

    from tests.rules.harness import with_tables

    table = spec.tables[SESSIONS]
    assert table.ttl is not None and table.ttl.horizon_hours == 72
    late = TtlSamples("ttl", NOW, (seconds(NOW + 90 * HOUR),))
    assert [s for s, _ in ttl_values(spec, late)] == ["pass"]  # 72h + 24h slack
    tight = with_tables(spec)
    tight.tables[SESSIONS] = replace(table, ttl=replace(table.ttl, slack_hours=0.0))
    got = ttl_values(tight, late)
    assert [s for s, _ in got] == ["fail"]
    assert got[0][1].startswith("1 of 1 sampled items expire later than the spec's horizon")


def test_each_kind_of_bad_value_is_counted_and_shown(spec: Spec) -> None:
    bad = TtlSamples("ttl", NOW, (
        seconds(NOW + 97 * HOUR), TtlSample("k=2", TtlKind.MILLISECONDS, shown="N 1e13"),
        seconds(NOW + HOUR)))
    got = ttl_values(spec, bad)
    assert [s for s, _ in got] == ["fail", "fail"]
    assert got[0][1] == "1 of 3 sampled items hold a TTL in milliseconds (or finer), so they " \
                        "never expire: k=2: N 1e13"
    assert got[1][1].startswith("1 of 3 sampled items expire later than the spec's horizon")
