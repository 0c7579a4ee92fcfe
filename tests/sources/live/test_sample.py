"""`audit --sample-items N` and rule TS-TTL-003: TTL values that never expire anything."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.model import TtlKind
from checker.sources.live.clients import client_hook
from checker.sources.live.ttlsample import typed
from checker.specfile.model import Spec
from tests.support.audit_helpers import Deny, Guard, audit_json
from tests.support.audit_world import TABLES, World

NOW = time.time()
HOUR = 3600


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


def _item(session: str, ttl: dict[str, str] | None) -> dict[str, Any]:
    item: dict[str, Any] = {"playerId": {"S": "p1"}, "sessionId": {"S": session},
                            "payload": {"S": "x" * 50}}
    if ttl is not None:
        item["ttl"] = ttl
    return item


SESSION_ITEMS = {
    "good": {"N": str(int(NOW + 24 * HOUR))},
    "missing": None,
    "string": {"S": str(int(NOW))},
    "millis": {"N": str(int(NOW * 1000))},
    "far": {"N": str(int(NOW + 200 * HOUR))},  # horizon 72h + slack 24h = 96h
    "epoch": {"N": "1000"},  # 1970: DynamoDB ignores TTLs more than five years old
}


@pytest.fixture
def items(seeded: World) -> Iterator[World]:
    """Items with every kind of TTL value in player-sessions; good ones in the events."""
    ddb = seeded.writers.dynamodb
    sessions, events = TABLES["player-sessions"], TABLES["interaction-events"]
    for name, ttl in SESSION_ITEMS.items():
        ddb.put_item(TableName=sessions, Item=_item(name, ttl))
    for i in range(2):
        ddb.put_item(TableName=events, Item={"sessionId": {"S": f"s{i}"},
                                             "timestamp": {"S": "2026-01-01T00:00:00Z"},
                                             "playerId": {"S": "p1"},
                                             "ttl": {"N": str(int(NOW + HOUR))}})
    yield seeded
    for name in SESSION_ITEMS:
        ddb.delete_item(TableName=sessions, Key={"playerId": {"S": "p1"},
                                                 "sessionId": {"S": name}})
    for i in range(2):
        ddb.delete_item(TableName=events, Key={"sessionId": {"S": f"s{i}"},
                                               "timestamp": {"S": "2026-01-01T00:00:00Z"}})


def ttl_values(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule_id"] == "TS-TTL-003"]


def test_sampling_reports_each_kind_of_ttl_value_that_never_expires(
    items: World, aws: str, tmp_path: Path, read_only: Guard, spec: Spec
) -> None:
    code, report = audit_json(tmp_path, "--region", items.region, "--sample-items", "50")
    assert code == 1
    found = ttl_values(report)
    sessions = [f for f in found if f["table"] == "player-sessions"]
    events = [f for f in found if f["table"] == "interaction-events"]
    assert {f["table"] for f in found} == {"player-sessions", "interaction-events"}
    assert [f["status"] for f in events] == ["pass"]
    assert events[0]["actual"] == "2 of 2 good"
    assert {f["status"] for f in sessions} == {"fail"}
    messages = {f["message"].split(": ", 1)[0] for f in sessions}
    assert messages == {
        "1 of 6 sampled items have no TTL attribute, so they never expire",
        "1 of 6 sampled items hold a TTL that is not a Number, so they never expire",
        "1 of 6 sampled items hold a TTL in milliseconds (or finer), so they never expire",
        "1 of 6 sampled items hold a TTL more than five years in the past, which DynamoDB "
        "ignores",
        "1 of 6 sampled items expire later than the spec's horizon allows",
    }
    by_problem = {f["message"].split(": ", 1)[0].split(" ", 5)[-1]: f for f in sessions}
    assert any("sessionId=millis: N " in f["actual"] for f in by_problem.values())
    assert all(f["expected"] == "ttl: a Number, epoch seconds, at most 96h ahead"
               and f["resource"] == items.arn("player-sessions") for f in sessions)
    scans = [p for svc, op, p in read_only.params if op == "Scan"]
    ttl_tables = [t for t in spec.tables.values() if t.ttl is not None]
    assert len(scans) == len(ttl_tables) and all(p["Limit"] == 50 for p in scans)
    projected = {t: set(p["ExpressionAttributeNames"].values()) for t in TABLES.values()
                 for p in scans if p["TableName"] == t}
    assert projected == {TABLES["player-sessions"]: {"playerId", "sessionId", "ttl"},
                         TABLES["interaction-events"]: {"sessionId", "timestamp", "ttl"}}


def test_sampling_reads_at_most_n_items(items: World, aws: str, tmp_path: Path) -> None:
    _, report = audit_json(tmp_path, "--region", items.region, "--sample-items", "2")
    found = ttl_values(report)
    assert {f["table"] for f in found} == {"player-sessions", "interaction-events"}
    # six items in sessions, two in events: at most two read from each
    assert all(" of 2" in f["actual"] for f in found), [f["actual"] for f in found]


def test_scan_denied_makes_ttl_values_unknown_naming_dynamodb_scan(
    items: World, aws: str, tmp_path: Path
) -> None:
    with client_hook(Deny("dynamodb", "Scan").install):
        code, report = audit_json(tmp_path, "--region", items.region, "--sample-items", "5")
    assert code == 1
    found = ttl_values(report)
    assert {(f["table"], f["status"]) for f in found} == {("player-sessions", "unknown"),
                                                          ("interaction-events", "unknown")}
    assert all("dynamodb:Scan" in f["message"] for f in found)


def test_without_sampling_the_rule_is_silent_and_the_report_says_so(
    seeded: World, aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from checker.cli import main
    from tests.support.audit_helpers import SPEC

    _, report = audit_json(tmp_path, "--region", seeded.region)
    assert ttl_values(report) == []
    assert main(["audit", "--spec", SPEC, "--region", seeded.region]) == 0
    assert "note: TTL values not sampled: --sample-items N" in capsys.readouterr().out


@pytest.mark.parametrize(("value", "kind", "epoch"), [
    ({"N": "1767225600"}, TtlKind.SECONDS, 1767225600.0),
    ({"N": "1767225600.5"}, TtlKind.SECONDS, 1767225600.5),
    ({"N": "1767225600000"}, TtlKind.MILLISECONDS, None),
    ({"S": "1767225600"}, TtlKind.WRONG_TYPE, None),
    ({"M": {}}, TtlKind.WRONG_TYPE, None),
    (None, TtlKind.MISSING, None),
])
def test_the_source_types_each_sampled_value(value: dict[str, Any] | None, kind: TtlKind,
                                             epoch: float | None) -> None:
    sample = typed("playerId=p1", value)
    assert (sample.key, sample.kind, sample.epoch) == ("playerId=p1", kind, epoch)
    assert sample.shown == ("missing" if value is None else
                            f"{next(iter(value))} {next(iter(value.values()))}")
