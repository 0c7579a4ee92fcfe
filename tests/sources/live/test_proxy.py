"""Faults on the wire: tablespec audit through a fault-injecting proxy in front of moto.

Each test runs the audit once with faults on several calls, tables and regions at a time
(tests/support/faultproxy.py: a reset, a stall, an empty, garbage, cut or truncated answer, a field
dropped or of the wrong type, pages that never end), and holds the report to the promise:
every spec table is in it; exactly the findings that read what a failed call tells are
unknown, with that call's reason; every other finding is what a calm run gives; the exit
code; and the run ends within its bound (timeouts x attempts + slack: that it ended, not a
benchmark). The timeouts are kept small with the options users have (`--call-timeout`,
`--max-attempts`, `--max-pages`, `--timeout`).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.specfile.model import Spec
from tests.support.audit_compare import (
    ALARMS,
    DESCRIBE_TABLE,
    PITR,
    SAMPLES,
    TAGS,
    TTL,
    Entry,
    Expect,
    groups,
    hit,
    holds,
    one_line_no_body,
)
from tests.support.audit_helpers import SPEC, Guard, audit_json
from tests.support.audit_world import TABLES, World, seed, use
from tests.support.faultproxy import FaultProxy

ACCOUNT = "100000000007"  # this file's own account on the shared moto server
OTHER_ACCOUNT = "100000000008"
HOME, OTHER, THIRD = "eu-west-3", "us-west-1", "ap-northeast-2"
AT_HOME, AT_OTHER, AT_THIRD = (f"{ACCOUNT}/{r}" for r in (HOME, OTHER, THIRD))
SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"
FAST = ("--call-timeout", "1", "--max-attempts", "2", "--max-pages", "5")
BOUND = 2 * (1 + 1) + 1  # one call at most: 2 attempts x (connect + read timeout) + backoff
SLACK = 25.0  # moto, the audit's other calls, a loaded machine


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture(scope="module")
def worlds(moto_endpoint: str, spec: Spec) -> dict[str, World]:
    """The spec's prod tables, compliant, in three regions of this file's account."""
    return {r: seed(moto_endpoint, r, spec, account=ACCOUNT) for r in (HOME, OTHER, THIRD)}


@pytest.fixture
def proxy(moto_endpoint: str, worlds: dict[str, World], aws: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """The proxy in front of moto, as the audit's endpoint, with the account's credentials."""
    use(worlds[HOME], monkeypatch)
    server = FaultProxy(moto_endpoint).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    try:
        yield server
    finally:
        server.stop()


def audit(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], float]:
    """The audit through the CLI: exit code, JSON report, seconds it took."""
    started = time.monotonic()
    code, report = audit_json(tmp_path, *args)
    return code, report, time.monotonic() - started


def regions(*names: str) -> list[str]:
    return [arg for name in names for arg in ("--region", name)]


_CALM: dict[tuple[str, ...], dict[str, Any]] = {}


def calm(tmp_path: Path, *args: str) -> dict[str, Any]:
    """The report of the same audit with no fault (once per arguments: the worlds do not
    change)."""
    if args not in _CALM:
        code, report, _ = audit(tmp_path, *args)
        assert code == 0, [f for f in report["findings"] if f["status"] != "pass"]
        _CALM[args] = report
    return _CALM[args]


def test_a_reset_a_stall_and_a_truncated_answer_hide_only_what_each_call_tells(
    proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = (*regions(HOME), *FAST)
    before = calm(tmp_path, *args)
    rules = [proxy.add("reset", "DescribeTimeToLive", mentioning=TABLES[REWARDS]),
             proxy.add("stall", "DescribeContinuousBackups", mentioning=TABLES[EVENTS], arg=60),
             proxy.add("truncate", "ListTagsOfResource", mentioning=TABLES[SESSIONS])]
    code, report, took = audit(tmp_path, *args)
    assert code == 1 and took < 3 * BOUND + SLACK
    # TS-TTL-002 (critical: the rewards must persist) is unknown, never a pass
    holds(before, report, {**hit(before, TTL, REWARDS, AT_HOME, "api_error"),
                           **hit(before, PITR, EVENTS, AT_HOME, "timeout"),
                           **hit(before, TAGS, SESSIONS, AT_HOME, "malformed_response")})
    assert [r.hits for r in rules] == [2, 2, 2]  # each call: its two attempts, no more
    one_line_no_body(report)
    assert capsys.readouterr().err == ""


def alarms_unknown(calm: dict[str, Any], region: str, reason: str) -> Expect:
    """Every alarm finding of *region* unknown: TS-ALARM-001 with *reason*; TS-ALARM-002 and
    003 answer `not_evaluated` ("no alarm to check") where alarms are required, as the rules
    do today when the alarms could not be read (checker/rules/alarms.py `_each_alarm`)."""
    def later(entries: list[Entry]) -> bool:
        return all(e[0] == "unknown" and e[1] in (reason, "not_evaluated") for e in entries)
    return {**hit(calm, ALARMS - {"TS-ALARM-001"}, None, f"{ACCOUNT}/{region}", later),
            **hit(calm, frozenset({"TS-ALARM-001"}), None, f"{ACCOUNT}/{region}", reason)}


def _ranged(entries: list[Entry]) -> bool:
    """KMS SSE whose key could not be classified: at least AWS managed, which passes."""
    return all(e[0] == "pass" and e[3].startswith("aws_managed..customer_managed")
               for e in entries)


def test_malformed_answers_are_unknown_never_a_verdict_nor_a_crash(
    proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = (*regions(HOME, OTHER, THIRD), *FAST, "--sample-items", "3")
    before = calm(tmp_path, *args)
    proxy.add("empty", "DescribeTimeToLive", region=HOME, mentioning=TABLES[REWARDS])
    proxy.add("drop", "DescribeTable", region=HOME, mentioning=TABLES[EVENTS],
              arg="Table.KeySchema")
    proxy.add("retype", "DescribeContinuousBackups", region=HOME, mentioning=TABLES[SESSIONS],
              arg=("ContinuousBackupsDescription.PointInTimeRecoveryDescription."
                   "PointInTimeRecoveryStatus", True))
    proxy.add("garbage", "Scan", region=HOME, mentioning=TABLES[SESSIONS])
    proxy.add("drop", "DescribeAlarms", region=HOME, arg="MetricAlarms")
    proxy.add("garbage", "DescribeTable", region=OTHER, mentioning=TABLES[REWARDS])
    proxy.add("cut", "DescribeAlarms", region=OTHER)
    proxy.add("garbage", "DescribeKey", region=OTHER)
    proxy.add("retype", "ListTagsOfResource", region=OTHER, mentioning=TABLES[EVENTS],
              arg=("Tags", "Environment"))
    proxy.add("retype", "ListTables", region=THIRD, arg=("TableNames", TABLES[REWARDS]))
    code, report, took = audit(tmp_path, *args)
    assert code == 1 and took < 3 * BOUND + SLACK
    bad = "malformed_response"
    holds(before, report, unreadable={AT_THIRD: bad}, expect={
        **hit(before, TTL, REWARDS, AT_HOME, bad),
        **hit(before, DESCRIBE_TABLE | SAMPLES, EVENTS, AT_HOME, bad),
        **hit(before, PITR | SAMPLES, SESSIONS, AT_HOME, bad),
        **alarms_unknown(before, HOME, bad),
        **hit(before, frozenset({"TS-SSE-001"}), None, AT_OTHER, _ranged),
        **hit(before, DESCRIBE_TABLE, REWARDS, AT_OTHER, bad),
        **alarms_unknown(before, OTHER, bad),
        **hit(before, TAGS, EVENTS, AT_OTHER, bad)})
    one_line_no_body(report)
    assert capsys.readouterr().err == ""


def test_a_region_that_cannot_be_listed_is_one_unknown_and_the_others_are_as_calm(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    args = ("--env", "prod", *regions(HOME, OTHER, THIRD), *FAST)
    before = calm(tmp_path, *args)
    listing = proxy.add("reset", "ListTables", region=OTHER)
    proxy.add("reset", "DescribeTimeToLive", region=THIRD)
    code, report, took = audit(tmp_path, *args)
    assert code == 1 and took < 3 * BOUND + SLACK
    # never "absent": the tables of the region that could not be listed are not failed
    holds(before, report, hit(before, TTL, None, AT_THIRD, "api_error"),
          unreadable={AT_OTHER: "api_error"})
    assert not [f for f in report["findings"] if f["status"] == "fail"]
    assert listing.hits == 2


def test_pages_that_never_end_stop_as_malformed(proxy: FaultProxy, tmp_path: Path) -> None:
    args = (*regions(HOME, OTHER, THIRD), *FAST)
    before = calm(tmp_path, *args)
    loops = [proxy.add("loop", "ListTables", region=HOME, arg="new"),  # names not rising: 2
             proxy.add("loop", "DescribeAlarms", region=OTHER, arg="new"),  # page bound: 5
             proxy.add("loop", "DescribeAlarms", region=THIRD, arg="same")]  # token seen: 2
    proxy.add("loop", "ListTagsOfResource", region=THIRD, mentioning=TABLES[REWARDS],
              arg="same")
    code, report, took = audit(tmp_path, *args)
    assert code == 1 and took < SLACK
    bad = "malformed_response"
    holds(before, report, {**alarms_unknown(before, OTHER, bad),
                           **alarms_unknown(before, THIRD, bad),
                           **hit(before, TAGS, REWARDS, AT_THIRD, bad)},
          unreadable={AT_HOME: bad})
    assert [r.hits for r in loops] == [2, 5, 2]
    says = {f["message"] for f in report["findings"] if f["status"] == "unknown"}
    assert any("more than 5 pages (--max-pages)" in m for m in says)
    assert any("already seen (a page loop)" in m for m in says)
    assert any("do not come after" in m for m in says)


def test_a_role_sts_cannot_assume_is_its_account_unknown_the_other_read(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/tablespec-audit"
    other = f"arn:aws:iam::{OTHER_ACCOUNT}:role/tablespec-audit"
    before = calm(tmp_path, *regions(HOME), *FAST, "--role-arn", role)
    proxy.add("reset", "AssumeRole", mentioning=OTHER_ACCOUNT)
    code, report, took = audit(tmp_path, *regions(HOME), *FAST, "--role-arn", role,
                               "--role-arn", other)
    assert code == 1 and took < BOUND + SLACK
    stormy = dict(report, findings=[f for f in report["findings"]
                                    if f":{OTHER_ACCOUNT}:" not in f["resource"]])
    assert groups(stormy) == groups(before)
    (theirs,) = [f for f in report["findings"] if f":{OTHER_ACCOUNT}:" in f["resource"]]
    assert (theirs["rule_id"], theirs["status"], theirs["reason"]) == (
        "TS-ACCESS-001", "unknown", "api_error")
    assert f"cannot assume {other}" in theirs["message"]


def test_the_deadline_reports_what_was_read_and_the_rest_unknown(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    args = (*regions(HOME), "--call-timeout", "30", "--max-attempts", "2")
    before = calm(tmp_path, *args)
    proxy.add("stall", "DescribeContinuousBackups", region=HOME, arg=60)
    code, report, took = audit(tmp_path, *args, "--timeout", "3")
    assert code == 1 and took < 3 + 5, took  # not the 2 x 30 s a stalled call may take
    late = "timeout"  # PITR stalled; the tags, asked after it, were never asked
    holds(before, report, {**hit(before, PITR, None, AT_HOME, late),
                           **hit(before, TAGS, None, AT_HOME, late)})
    assert any(n["kind"] == "not_read" and "deadline (--timeout 3) passed" in n["message"]
               for n in report["notes"])
    assert proxy.count("ListTagsOfResource") == len(TABLES)  # the calm run's only


def test_the_cli_process_ends_by_its_deadline_while_a_call_still_waits(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    """The report is out at the deadline, and the process ends then: a call still waiting for
    its answer (here for 30 s more) does not keep it up."""
    proxy.add("stall", "DescribeContinuousBackups", region=HOME, arg=60)
    out = tmp_path / "late.json"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "audit", "--spec", SPEC, *regions(HOME),
         "--call-timeout", "30", "--timeout", "3", "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=60, check=False)
    took = time.monotonic() - started
    assert done.returncode == 1 and done.stderr == "", done.stderr
    assert took < 3 + 10, took  # interpreter start and imports included
    assert '"reason": "timeout"' in out.read_text()


def test_an_unreadable_answer_to_who_the_caller_is_ends_with_exit_2_in_one_line(
    proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the caller's account there is no place to report: the one exit 2 a fault
    gives (the answer's XML never reaches the line)."""
    proxy.add("garbage", "GetCallerIdentity")
    code, report, took = audit(tmp_path, *regions(HOME), *FAST)
    err = capsys.readouterr().err
    assert code == 2 and report == {} and took < BOUND + SLACK
    assert err == ("tablespec: sts:GetCallerIdentity answered with a body that cannot be "
                   "parsed (ResponseParserError)\n")
