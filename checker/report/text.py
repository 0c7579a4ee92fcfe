"""The text report for people: grouped by table, failures first, coloured on a TTY."""

from __future__ import annotations

from itertools import groupby

from checker.engine import PLACE, UNNAMED, UNPLACED
from checker.findings import Finding, Reason, Status
from checker.report.model import PASSED, Report
from checker.rules import BY_ID

_MARK = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.UNKNOWN: "UNKNOWN",
         Status.WAIVED: "WAIVED"}
_COLOUR = {Status.PASS: "32", Status.FAIL: "31", Status.UNKNOWN: "33", Status.WAIVED: "36"}


def scope(resource: str) -> str:
    """`account/region` of an ARN (live findings), else empty."""
    parts = resource.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        return f"{parts[4]}/{parts[3]}"
    return ""


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def _detail(f: Finding, colour: bool) -> list[str]:
    mark = _paint(f"{_MARK[f.status]:<7}", _COLOUR[f.status], colour)
    lines = [f"  {mark} {f.rule_id:<12} {f.check:<10} [{f.severity.value}] {f.message}"]
    if f.status is Status.PASS:
        return lines
    pad = " " * 10
    lines.append(f"{pad}expected: {f.expected}")
    lines.append(f"{pad}actual:   {f.actual}")
    if f.resource:
        lines.append(f"{pad}resource: {f.resource}")
    if f.location is not None and f.location.file and f.location.line:
        lines.append(f"{pad}at:       {f.location.file}:{f.location.line}")
    rule = BY_ID.get(f.rule_id)
    if rule and f.status is Status.FAIL:
        lines.append(f"{pad}fix:      {rule.fix}")
    return lines


def _shared_unknowns(items: list[Finding]) -> dict[str, list[Finding]]:
    """Unknown findings that say the same thing (a place that could not be read), by message,
    where at least three of them do: printed once, not once per check."""
    by_message: dict[str, list[Finding]] = {}
    for f in items:
        if f.status is Status.UNKNOWN and f.reason is not Reason.NOT_EVALUATED:
            by_message.setdefault(f.message, []).append(f)
    return {m: group for m, group in by_message.items() if len(group) >= 3}


def _collapsed(same: list[Finding], colour: bool) -> list[str]:
    mark = _paint(f"{_MARK[Status.UNKNOWN]:<7}", _COLOUR[Status.UNKNOWN], colour)
    ids = ", ".join(f.rule_id for f in same)
    pad = " " * 10
    lines = [f"  {mark} {len(same)} checks: {same[0].message}", f"{pad}checks:   {ids}"]
    if same[0].resource:
        lines.append(f"{pad}resource: {same[0].resource}")
    return lines


def _environments(report: Report) -> str:
    envs = report.environments
    if not envs:
        return "no environment checked"
    return f"environment{'s' if len(envs) > 1 else ''}: {', '.join(envs)}"


def _heading(table: str, env: str, where: str) -> str:
    """`table (environment, place)`, in words where one is not known or is every table."""
    name = {PLACE: "every table", UNNAMED: "a table of unknown name"}.get(table, table)
    shown = "environment unknown" if env == UNPLACED else env
    return f"{name} ({shown}{', ' + where if where else ''})"


def render(report: Report, colour: bool = False, verbose: bool = False) -> str:
    """The whole text report."""
    out = [f"tablespec {report.version}: {report.source_kind} {report.target} "
           f"against {report.spec_path} ({_environments(report)})", ""]

    regions = report.regions

    def key(f: Finding) -> tuple[str, str, str]:
        shown = f.region if f.region and (regions or f.replica) else ""
        return (scope(f.resource) or shown, f.environment, f.table)

    for (where, env, table), group in groupby(sorted(report.findings, key=key), key=key):
        items = list(group)
        bad = [f for f in items if f.status is not Status.PASS]
        passed = len(items) - len(bad)
        head = _heading(table, env, where)
        if not bad:
            out.append(f"{_paint('PASS', '32', colour)}  {head}: all {passed} checks pass")
            if not verbose:
                continue
        else:
            out.append(f"{head}: {passed} of {len(items)} checks pass")
        order = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WAIVED: 2, Status.PASS: 3}
        absent = [f for f in items if f.reason is Reason.NOT_EVALUATED]
        shared = {} if verbose else _shared_unknowns(items)
        for f in sorted(items, key=lambda f: order[f.status]):
            if (f.status is Status.PASS and not verbose) or f in absent:
                continue
            same = shared.get(f.message, [])
            if f is (same[0] if same else None):
                out.extend(_collapsed(same, colour))
            elif f not in same:
                out.extend(_detail(f, colour))
        if absent:
            out.append(f"  {len(absent)} other check(s) not evaluated: what they judge is "
                       "absent (reported above)")
        out.append("")
    for note in report.notes:
        out.append(f"note: {note.message}")
    s = report.contract_summary()
    verdict, why = report.verdict()
    painted = _paint(verdict, "32" if verdict == PASSED else "31", colour)
    out.append(f"{s['passed']} passed, {s['failed']} failed, {s['unknown']} unknown, "
               f"{s['waived']} waived: {painted}{f' ({why})' if why else ''}")
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"
