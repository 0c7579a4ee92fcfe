"""Reports read back and merged: one report from the JSON reports of many runs or shards.

Findings and scopes are concatenated, never dropped or de-duplicated; findings are ordered
by account and region. A place in several reports is noted. Given the shards that were
expected, each one with no report is answered for as a place that could not be read
(TS-ACCESS-001, unknown): nothing is lost silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.engine import UNPLACED, unread
from checker.errors import RunError
from checker.findings import Finding, Gate, Note, NoteKind, Reason, Severity, Status
from checker.model import Location
from checker.report.model import Report
from checker.report.text import scope as place_of
from checker.unknown import Unknown

_KEYS = ("rule_id", "check", "table", "environment", "resource", "status", "severity",
         "message", "expected", "actual")


@dataclass(frozen=True)
class Shard:
    """One (account, region) a fan-out meant to read."""

    account: str
    region: str
    partition: str = "aws"

    @property
    def where(self) -> str:
        """`account/region`."""
        return f"{self.account}/{self.region}"


def _finding(raw: Any, where: str) -> Finding:
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), str) for k in _KEYS):
        raise RunError(f"{where}: not a tablespec finding (it needs {', '.join(_KEYS)})")
    loc = raw.get("location")
    try:
        return Finding(
            rule_id=raw["rule_id"], check=raw["check"], table=raw["table"],
            environment=raw["environment"], resource=raw["resource"],
            location=Location(loc.get("file"), loc.get("line")) if isinstance(loc, dict)
            else None,
            status=Status(raw["status"]), severity=Severity(raw["severity"]),
            message=raw["message"], expected=raw["expected"], actual=raw["actual"],
            field=str(raw.get("field") or ""),
            reason=Reason(raw["reason"]) if raw.get("reason") else None,
            region=raw["region"] if isinstance(raw.get("region"), str) else None)
    except ValueError as err:
        raise RunError(f"{where}: {err}") from None


def _note(raw: Any) -> Note:
    kind = str(raw.get("kind")) if isinstance(raw, dict) else ""
    message = str(raw.get("message", "")) if isinstance(raw, dict) else str(raw)
    try:
        return Note(NoteKind(kind), message)
    except ValueError:  # a note kind of another version: keep what it says
        return Note(NoteKind.SOURCE, message)


def _json(path: str, what: str) -> Any:
    try:
        return json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise RunError(f"{path}: {what} not found") from None
    except OSError as err:
        raise RunError(f"{path}: cannot read the {what}: {err.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RunError(f"{path}: not JSON ({err})") from None


def parse_report(where: str, data: Any) -> dict[str, Any]:
    """*data* as one of tablespec's JSON reports; RunError (exit 2) when it is not one."""
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "tablespec" or not isinstance(
            data.get("findings"), list) or not isinstance(data.get("source"), dict):
        raise RunError(f"{where}: not a tablespec JSON report (--format json)")
    report: dict[str, Any] = data
    return report


def read_report(path: str) -> dict[str, Any]:
    """One JSON report file."""
    return parse_report(path, _json(path, "report"))


def parse_shards(where: str, data: Any) -> list[Shard]:
    """The expected shards: a JSON list of objects with `account` and `region` (the
    `shards.json` of the fan-out; a `role_arn` gives the partition)."""
    if not isinstance(data, list):
        raise RunError(f"{where}: not a list of shards ({{\"account\": ..., \"region\": ...}})")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) and item.get(k) for k in ("account", "region")):
            raise RunError(f"{where}: shard {i + 1} needs an account and a region")
        role = str(item.get("role_arn") or "")
        partition = role.split(":")[1] if role.count(":") >= 5 else "aws"
        out.append(Shard(item["account"], item["region"], partition))
    return out


def read_shards(path: str) -> list[Shard]:
    """The expected shards of a file."""
    return parse_shards(path, _json(path, "list of shards"))


def _one(values: set[str], what: str) -> str:
    if len(values) > 1:
        raise RunError(f"reports {what} ({', '.join(sorted(values))}) cannot be merged into "
                       "one")
    return values.pop()


def combine(reports: list[tuple[str, dict[str, Any]]], gate: Gate,
            expect: list[Shard] | None = None, *, kind: str | None = None,
            spec: str | None = None) -> Report:
    """One report from *reports* ((name, parsed JSON) each), all of one kind and one spec.

    *kind* and *spec* stand in when there is no report at all (every shard missing).
    """
    kinds = {str(r["source"].get("kind")) for _, r in reports} or {kind or "live"}
    specs = {str(r.get("spec")) for _, r in reports} or {spec or ""}
    kind = _one(kinds, "of different kinds")
    spec_path = _one(specs, "against different specs")
    findings = [_finding(f, f"{name}: finding {i + 1}") for name, r in reports
                for i, f in enumerate(r["findings"])]
    notes = [_note(n) for _, r in reports for n in r.get("notes") or []]
    scope: list[dict[str, str]] = []
    owners: dict[tuple[str, str], list[str]] = {}
    for name, r in reports:
        for s in r["source"].get("scope") or []:
            if isinstance(s, dict):
                scope.append({"account": str(s.get("account")), "region": str(s.get("region"))})
                owners.setdefault((scope[-1]["account"], scope[-1]["region"]), []).append(name)
    notes += [Note(NoteKind.OVERLAPPING, f"{a}/{r} is in {len(names)} reports "
                   f"({', '.join(names)}): the findings of each are kept")
              for (a, r), names in owners.items() if len(names) > 1]
    targets = [str(r["source"].get("target")) for _, r in reports]
    for shard in expect or []:
        if (shard.account, shard.region) in owners:
            continue
        why = Unknown(f"no report for {shard.where}: its audit did not finish (see the "
                      "fan-out's execution and the shard's log)")
        resource = f"arn:{shard.partition}:dynamodb:{shard.region}:{shard.account}:table/*"
        findings += unread(shard.where, None, why, resource, shard.region).findings
        scope.append({"account": shard.account, "region": shard.region})
        notes.append(Note(NoteKind.NOT_READ, f"{shard.where}: no report; its tables are "
                          "reported unknown"))
        targets.append(shard.where)
    findings.sort(key=lambda f: place_of(f.resource))  # stable: each report's order kept
    envs = list(dict.fromkeys(f.environment for f in findings if f.environment != UNPLACED))
    return Report(kind, ", ".join(targets), spec_path, findings, envs,
                  list(dict.fromkeys(notes)), scope, gate)
