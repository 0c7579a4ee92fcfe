"""Waivers that expire: reason, owner and date, matched to findings by table and rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from checker import rules
from checker.errors import RunError, located
from checker.findings import Finding, Status, Waived
from checker.spec.limits import brief, read_limited
from checker.spec.shape import Doc, Either, Obj, Problem, Scalar, Seq, refuse, validate
from checker.spec.yamlread import LineDict, LineList, read_yaml


def _date_problem(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return f"{brief(value)} is not a date (YYYY-MM-DD)"
    return None


def _rule_problem(value: Any) -> str | None:
    if value in rules.BY_ID or value in rules.checks():
        return None
    return f"{brief(value)} is neither a rule id (e.g. TS-TTL-002) nor a check family"


_TEXT = Scalar(str, "non-empty text", pattern=r"[\s\S]*\S[\s\S]*")
WAIVER_SHAPE = Obj(
    required={
        "table": Doc(Scalar(str, "a table name"), "The logical table.",
                     example="player-rewards"),
        "rule": Doc(Scalar(str, "a rule id or check family", test=_rule_problem),
                    "A rule id (docs/rules.md) or a check family.", example="TS-TTL-002"),
        "reason": Doc(_TEXT, "Why the finding may fail for now.",
                      example="rewards archive migration, TICKET-123"),
        "owner": Doc(_TEXT, "Who answers for it.", example="alice@example.com"),
        "expires": Doc(Scalar((dt.date, str), "a date (YYYY-MM-DD)", test=_date_problem),
                       "After this date the finding fails again.", example="2027-01-31"),
    },
    optional={"environment": Doc(Scalar(str, "an environment name"),
                                 "Only in this environment (default: every one)."),
              "region": Doc(Scalar(str, "an AWS region", pattern=r"[a-z]{2}(-[a-z]+)+-\d+"),
                            "Only in this region: one replica of a global table (default: "
                            "every region).", example="eu-west-1")},
)
WAIVERS_SHAPE = Either(
    (
        (lambda v: isinstance(v, dict), Obj(required={"waivers": Seq(WAIVER_SHAPE)})),
        (lambda v: isinstance(v, list), Seq(WAIVER_SHAPE)),
    ),
    label="a mapping with `waivers:` (a list of waivers)",
)


@dataclass(frozen=True)
class Waiver:
    """Permission for findings of one rule (or family) on one table to fail, until a date."""

    table: str
    rule: str
    reason: str
    owner: str
    expires: dt.date
    environment: str | None = None
    source: str = ""
    region: str | None = None

    def matches(self, f: Finding) -> bool:
        """True when *f* is covered (expired or not)."""
        return (f.table == self.table and self.rule in (f.rule_id, f.check)
                and self.environment in (None, f.environment)
                and self.region in (None, f.region))

    def describe(self) -> str:
        """One line naming the waiver."""
        env = f" in {self.environment}" if self.environment else ""
        env += f" ({self.region})" if self.region else ""
        return (f"{self.rule} on {self.table}{env} ({self.owner}, expires {self.expires}, "
                f"{self.source})")


def _build(items: list[Any], path: str) -> list[Waiver]:
    lines = items.item_lines if isinstance(items, LineList) else [None] * len(items)
    out = []
    for item, line in zip(items, lines, strict=True):
        expires = item["expires"]
        out.append(Waiver(
            table=item["table"], rule=item["rule"], reason=item["reason"].strip(),
            owner=item["owner"].strip(),
            expires=expires if isinstance(expires, dt.date) else dt.date.fromisoformat(expires),
            environment=item.get("environment"), source=f"{path}:{line}" if line else path,
            region=item.get("region"),
        ))
    return out


def parse_waivers(data: Any, path: str, environments: tuple[str, ...] = ()) -> list[Waiver]:
    """Validate waiver data (a list, or a mapping with `waivers:`)."""
    problems: list[Problem] = validate(data, WAIVERS_SHAPE)
    items = data.get("waivers", []) if isinstance(data, dict) else data
    if not problems and environments:
        lines = items.item_lines if isinstance(items, LineList) else [None] * len(items)
        for i, (item, line) in enumerate(zip(items, lines, strict=True)):
            env = item.get("environment")
            if env is not None and env not in environments:
                problems.append(Problem(line, f"waivers[{i}].environment",
                                        f"{brief(env)} is not an environment of the spec"))
    if problems:
        raise refuse(problems, path)
    return _build(items, path)


def load_waivers(path: str, environments: tuple[str, ...] = ()) -> list[Waiver]:
    """Read a waiver file; exit 2 with file and line when it is malformed."""
    text = read_limited(path, "the waiver file", "waiver file not found")
    data = read_yaml(path, text)
    if data is None:
        raise RunError(located(path, None, "the waiver file is empty"))
    if not isinstance(data, LineDict | LineList):
        raise RunError(located(path, 1, "expected a mapping with `waivers:`"))
    return parse_waivers(data, path, environments)


@dataclass
class WaiverResult:
    """Findings after waivers, and the waivers that matched nothing."""

    findings: list[Finding]
    stale: list[Waiver]


def apply_waivers(findings: list[Finding], waivers: list[Waiver],
                  today: dt.date | None = None) -> WaiverResult:
    """Waive failing and unknown findings that an unexpired waiver covers."""
    today = today or dt.date.today()
    by_table: dict[str, list[tuple[int, Waiver]]] = {}  # many waivers x many findings
    for i, w in enumerate(waivers):
        by_table.setdefault(w.table, []).append((i, w))
    used: set[int] = set()
    out = []
    for f in findings:
        if f.status not in (Status.FAIL, Status.UNKNOWN):
            out.append(f)
            continue
        hits = [(i, w) for i, w in by_table.get(f.table, ()) if w.matches(f)]
        used.update(i for i, _ in hits)
        live = [w for _, w in hits if w.expires >= today]
        if live:
            w = live[0]
            msg = f"waived until {w.expires} ({w.owner}): {w.reason} [was: {f.message}]"
            out.append(replace(f, status=Status.WAIVED, message=msg,
                               waiver=Waived(w.owner, w.expires.isoformat(), w.reason)))
        elif hits:
            w = max((w for _, w in hits), key=lambda w: w.expires)
            msg = f"{f.message} (waiver expired on {w.expires} ({w.owner}))"
            out.append(replace(f, message=msg))
        else:
            out.append(f)
    stale = [w for i, w in enumerate(waivers) if i not in used]
    return WaiverResult(out, stale)
