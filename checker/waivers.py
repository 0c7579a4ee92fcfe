"""Waivers that expire: reason, owner and date, matched to findings by table and rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from checker import rules
from checker.engine import PLACE
from checker.errors import RunError, located
from checker.findings import Finding, Status, Waived
from checker.specfile.limits import brief, closest, read_limited
from checker.specfile.shape import Doc, Either, Obj, Problem, Scalar, Seq, refuse, validate
from checker.specfile.yamlread import LineDict, LineList, read_yaml


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
    return (f"{brief(value)} is neither a rule id (e.g. TS-TTL-002) nor a check family"
            f"{did_you_mean(str(value), [*rules.BY_ID, *rules.checks()])}")


def did_you_mean(value: str, known: list[str]) -> str:
    """`; did you mean X?` for the known name *value* most likely misspells (its case alone
    different, too), or nothing."""
    hint = closest(value, known) or next((k for k in known if k.lower() == value.lower()), None)
    return f"; did you mean {hint}?" if hint else ""


def _table_problem(table: str, rule: str, tables: tuple[str, ...]) -> str | None:
    """Why *table* is no table a waiver of *rule* can cover: not in the spec, unless the rule
    judges tables the spec does not have (a stray's naming) or a place not read (`*`)."""
    if table in tables:
        return None
    judging = [r for r in rules.RULES if rule in (r.id, r.check)]
    if any(r.when_stray is not None for r in judging):
        return None
    if table == PLACE and any(r.when_unread is not None for r in judging):
        return None
    hint = did_you_mean(table, list(tables)) or f" (its tables: {', '.join(tables[:8])}" + (
        ", ...)" if len(tables) > 8 else ")")
    return f"{brief(table)} is not a table of the spec{hint}"


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


def parse_waivers(data: Any, path: str, environments: tuple[str, ...] = (),
                  tables: tuple[str, ...] = ()) -> list[Waiver]:
    """Validate waiver data (a list, or a mapping with `waivers:`): its shape, and its
    environments and tables against the spec's (*environments*, *tables*; none: unchecked).
    Every problem is reported, each on its line."""
    problems: list[Problem] = validate(data, WAIVERS_SHAPE)
    items = data.get("waivers", []) if isinstance(data, dict) else data
    if isinstance(items, list):
        lines = items.item_lines if isinstance(items, LineList) else [None] * len(items)
        for i, (item, line) in enumerate(zip(items, lines, strict=True)):
            if isinstance(item, dict):
                problems += _against_spec(item, f"waivers[{i}]", line, environments, tables)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise refuse(problems, path)
    return _build(items, path)


def _against_spec(item: dict[Any, Any], where: str, line: int | None,
                  environments: tuple[str, ...], tables: tuple[str, ...]) -> list[Problem]:
    """The problems of one waiver that the spec shows: an environment or table it lacks."""
    out = []
    env = item.get("environment")
    if environments and isinstance(env, str) and env not in environments:
        out.append(Problem(line, f"{where}.environment", f"{brief(env)} is not an environment "
                           f"of the spec{did_you_mean(env, list(environments))}"))
    table, rule = item.get("table"), item.get("rule")
    if tables and isinstance(table, str) and isinstance(rule, str):
        problem = _table_problem(table, rule, tables)
        if problem is not None:
            out.append(Problem(line, f"{where}.table", problem))
    return out


def load_waivers(path: str, environments: tuple[str, ...] = (),
                 tables: tuple[str, ...] = ()) -> list[Waiver]:
    """Read a waiver file; exit 2 with file and line when it is malformed."""
    text = read_limited(path, "the waiver file", "waiver file not found")
    data = read_yaml(path, text)
    if data is None:
        raise RunError(located(path, None, "the waiver file is empty"))
    if not isinstance(data, LineDict | LineList):
        raise RunError(located(path, 1, "expected a mapping with `waivers:`"))
    return parse_waivers(data, path, environments, tables)


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
