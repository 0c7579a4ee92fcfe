"""Two audit reports compared, finding group by finding group: what a fault changed.

A group is the findings of one rule, on one table, in one account/region. A fault of one
call must change exactly the groups of the rules that read what that call tells (to
`unknown`, with the call's reason), and leave every other group as a calm run gives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.audit_world import TABLES

# The rules that read what each call tells (`field` of the TableState it feeds).
DESCRIBE_TABLE = frozenset({"TS-KEY-001", "TS-KEY-002", "TS-SSE-001", "TS-GSI-001",
                            "TS-GSI-002", "TS-GSI-003", "TS-GSI-004", "TS-BILL-001",
                            "TS-BILL-002", "TS-DEL-001"})
TTL = frozenset({"TS-TTL-001", "TS-TTL-002"})
PITR = frozenset({"TS-PITR-001"})
TAGS = frozenset({"TS-TAG-001", "TS-NAME-002"})
ALARMS = frozenset({"TS-ALARM-001", "TS-ALARM-002", "TS-ALARM-003"})
SAMPLES = frozenset({"TS-TTL-003"})

Key = tuple[str, str, str]  # (rule id, table, account/region)
Entry = tuple[str, str | None, str, str, str]  # status, reason, expected, actual, resource
Expect = dict[Key, "str | Callable[[list[Entry]], bool]"]


def place(resource: str) -> str:
    """`account/region` of an ARN."""
    parts = resource.split(":")
    return f"{parts[4]}/{parts[3]}"


def groups(report: dict[str, Any]) -> dict[Key, list[Entry]]:
    """The findings by (rule, table, place), each group sorted."""
    out: dict[Key, list[Entry]] = {}
    for f in report["findings"]:
        key = (f["rule_id"], f["table"], place(f["resource"]))
        out.setdefault(key, []).append((f["status"], f["reason"], f["expected"], f["actual"],
                                        f["resource"]))
    return {k: sorted(v) for k, v in out.items()}


def hit(calm: dict[str, Any], rules: frozenset[str], table: str | None, where: str,
        why: str | Callable[[list[Entry]], bool]) -> Expect:
    """The groups of the calm report a fault in *where* (`account/region`), on *table* or
    every table, must change: those of *rules*."""
    return {k: why for k in groups(calm)
            if k[0] in rules and k[2] == where and table in (None, k[1])}


def holds(calm: dict[str, Any], stormy: dict[str, Any], expect: Expect,
          unreadable: dict[str, str] | None = None) -> None:
    """Exactly the *expect*ed groups changed (to unknown with their reason), every other one
    is as calm, and every spec table is in the report; each place of *unreadable* is one
    TS-ACCESS-001 unknown of that reason instead of its tables."""
    unreadable = unreadable or {}
    before, after = groups(calm), groups(stormy)
    gone = {k for k in before if k[2] in unreadable}
    assert set(after) == (set(before) - gone) | {("TS-ACCESS-001", "*", p) for p in unreadable}
    for p, reason in unreadable.items():
        (entry,) = after[("TS-ACCESS-001", "*", p)]
        assert entry[:2] == ("unknown", reason), entry
    for key in set(before) - gone:
        want = expect.get(key)
        if want is None:
            assert after[key] == before[key], key
        elif callable(want):
            assert want(after[key]), (key, after[key])
        else:
            assert {e[:2] for e in after[key]} == {("unknown", want)}, (key, after[key])
    assert expect and all(k in before for k in expect)
    places = {p for *_, p in before} - set(unreadable)
    for p in places:  # every spec table, in every place read
        assert {t for _, t, q in after if q == p} >= set(TABLES), p


def messages(report: dict[str, Any]) -> list[str]:
    return [f["message"] for f in report["findings"]] + [n["message"] for n in report["notes"]]


def one_line_no_body(report: dict[str, Any]) -> None:
    """No message carries a line break, an answer's XML, or its garbage."""
    for text in messages(report):
        assert "\n" not in text and "<" not in text and "not an answer" not in text, text
