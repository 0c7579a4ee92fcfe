"""Load and validate a spec file into a Spec; every problem names its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.errors import RunError, located
from checker.model import EncLevel
from checker.spec.model import (
    AlarmPolicy,
    AlarmSpec,
    BillingPolicy,
    GsiSpec,
    KeySpec,
    Spec,
    TableSpec,
    TtlSpec,
)
from checker.spec.schema import BILLING_MODES, SPEC_SHAPE, spec_json_schema
from checker.spec.shape import Problem, validate
from checker.spec.yamlread import LineDict, read_yaml
from checker.waivers import parse_waivers

__all__ = ["load_spec", "parse_spec", "spec_json_schema"]

def _key(data: dict[str, Any] | None) -> KeySpec | None:
    return KeySpec(data["name"], data["type"]) if data else None


def _alarm(data: dict[str, Any]) -> AlarmSpec:
    return AlarmSpec(
        metric=data["metric"],
        namespace=data.get("namespace", "AWS/DynamoDB"),
        statistic=data.get("statistic", "Sum"),
        comparison=data.get("comparison", "GreaterThanThreshold"),
        threshold=float(data["threshold"]),
        period=data["period"],
        evaluation_periods=data["evaluation_periods"],
        action_required=data.get("action_required", True),
    )


def _table(name: str, data: dict[str, Any], defaults: dict[str, Any]) -> TableSpec:
    merged = {**defaults, **data}
    ttl = data["ttl"]
    alarms = merged.get("alarms", {"required_in": [], "metrics": []})
    billing = merged.get("billing", {"modes": list(BILLING_MODES)})
    return TableSpec(
        name=name,
        description=data.get("description", ""),
        hash_key=KeySpec(data["hash_key"]["name"], data["hash_key"]["type"]),
        range_key=_key(data.get("range_key")),
        ttl=None
        if ttl is False
        else TtlSpec(ttl["attribute"], ttl.get("horizon_hours"), ttl.get("slack_hours", 0.0)),
        encryption=EncLevel[merged.get("encryption", "aws_owned").upper()],
        pitr_required_in=tuple(merged.get("pitr", {"required_in": []})["required_in"]),
        gsis=tuple(
            GsiSpec(
                name=gsi_name,
                hash_key=KeySpec(g["hash_key"]["name"], g["hash_key"]["type"]),
                range_key=_key(g.get("range_key")),
                projection=g["projection"],
                non_key_attributes=tuple(g.get("non_key_attributes", ())),
            )
            for gsi_name, g in data.get("gsis", {}).items()
        ),
        alarms=AlarmPolicy(
            tuple(alarms["required_in"]), tuple(_alarm(a) for a in alarms["metrics"])
        ),
        billing=BillingPolicy(tuple(billing["modes"]), billing.get("min_capacity", 1)),
        required_tags=tuple(merged.get("tags", {"required": []})["required"]),
        line=data.line if isinstance(data, LineDict) else None,
        deletion_protection_required_in=tuple(
            merged.get("deletion_protection", {"required_in": []})["required_in"]),
        own_name=dict(data["name"]) if isinstance(data.get("name"), dict) else data.get("name"),
    )


def _accounts(data: dict[str, Any]) -> dict[str, str]:
    """account id -> environment, from `environments` written as a mapping."""
    envs = data["environments"]
    if not isinstance(envs, dict):
        return {}
    return {account: env for env, body in envs.items()
            for account in (body or {}).get("accounts", [])}


def _cross_check(data: dict[str, Any]) -> list[Problem]:
    """Problems no single field shows: environments named elsewhere must exist, an account
    belongs to one environment, and two tables never share a name."""
    envs = set(data["environments"])
    out: list[Problem] = []
    if isinstance(data["environments"], dict):
        seen: dict[str, str] = {}
        for env, body in data["environments"].items():
            for account in (body or {}).get("accounts", []):
                if account in seen:
                    out.append(Problem(data.key_lines.get("environments") if isinstance(
                        data, LineDict) else None, f"environments.{env}.accounts",
                        f"account {account} is already in {seen[account]}"))
                seen[account] = env
    for name, table in data["tables"].items():
        own = table.get("name")
        if isinstance(own, dict):
            for env in own:
                if env not in envs:
                    line = own.key_lines.get(env) if isinstance(own, LineDict) else None
                    out.append(Problem(line, f"tables.{name}.name.{env}",
                                       f"environment {env!r} is not in `environments`"))
    scopes = [("defaults", data.get("defaults") or {})]
    scopes += [(f"tables.{n}", t) for n, t in data["tables"].items()]
    for where, scope in scopes:
        lines = scope.key_lines if isinstance(scope, LineDict) else {}
        for policy in ("pitr", "alarms", "deletion_protection"):
            for env in (scope.get(policy) or {}).get("required_in", []):
                if env not in envs:
                    line = lines.get(policy)
                    msg = f"environment {env!r} is not in `environments`"
                    out.append(Problem(line, f"{where}.{policy}.required_in", msg))
    return out


def parse_spec(path: str, text: str) -> Spec:
    """Validate spec *text* read from *path*; RunError on the first problem."""
    if not text.strip():
        raise RunError(located(path, None, "the spec is empty; see specs/tables.yaml"))
    data = read_yaml(path, text)
    if data is None:
        raise RunError(located(path, None, "the spec is empty; see specs/tables.yaml"))
    if not isinstance(data, dict):
        raise RunError(located(path, 1, "a spec must be a YAML mapping with `tables:`"))
    problems = validate(data, SPEC_SHAPE)
    if not problems:
        problems = _cross_check(data)
    if problems:
        lines = [p.render(path) for p in problems]
        more = f" (and {len(lines) - 1} more problem(s))" if len(lines) > 1 else ""
        raise RunError(lines[0] + more, details=lines)
    defaults = data.get("defaults") or {}
    waivers = parse_waivers(data.get("waivers", []), path, tuple(data["environments"]))
    return Spec(
        path=path,
        project=data["project"],
        pattern=data["naming"]["pattern"],
        environments=tuple(data["environments"]),
        accounts=_accounts(data),
        tables={name: _table(name, t, defaults) for name, t in data["tables"].items()},
        waivers=tuple(waivers),
        environment_tag=data["naming"].get("environment_tag", "Environment"),
    )


def load_spec(path: str | Path) -> Spec:
    """Read and validate the spec at *path*."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise RunError(f"{name}: spec file not found; pass --spec FILE") from None
    except OSError as err:
        raise RunError(f"{name}: cannot read the spec: {err.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RunError(f"{name}: the spec is not UTF-8 text") from None
    return parse_spec(name, text)
