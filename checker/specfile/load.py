"""Load and validate a spec file into a Spec; every problem names its file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from checker.errors import RunError, located
from checker.model import EncLevel
from checker.specfile.limits import brief, key_text, read_limited
from checker.specfile.model import (
    AlarmPolicy,
    AlarmSpec,
    AutoscalingPolicy,
    BillingPolicy,
    GsiSpec,
    KeySpec,
    PolicyLimits,
    ReplicasPolicy,
    Spec,
    StreamsPolicy,
    TableSpec,
    TtlSpec,
)
from checker.specfile.schema import BILLING_MODES, SPEC_SHAPE, spec_json_schema
from checker.specfile.shape import Problem, refuse, validate
from checker.specfile.yamlread import LineDict, read_yaml
from checker.waivers import parse_waivers

__all__ = ["load_spec", "parse_spec", "spec_json_schema"]
T = TypeVar("T")


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


def _once(made: dict[int, tuple[Any, Any]], data: Any, make: Callable[[Any], T]) -> T:
    """make(data), made once for each list or mapping of the spec: the tables that take a
    policy from `defaults` share what it makes (N tables never hold N copies)."""
    if id(data) not in made:
        made[id(data)] = (data, make(data))  # holding data keeps its id from being reused
    out: T = made[id(data)][1]
    return out


def _table(name: str, data: dict[str, Any], defaults: dict[str, Any],
           made: dict[int, tuple[Any, Any]]) -> TableSpec:
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
        pitr_required_in=_once(made, merged.get("pitr", {"required_in": []})["required_in"],
                               tuple),
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
        alarms=_once(made, alarms, lambda a: AlarmPolicy(
            tuple(a["required_in"]), tuple(_alarm(m) for m in a["metrics"]))),
        billing=_once(made, billing, lambda b: BillingPolicy(tuple(b["modes"]),
                                                             b.get("min_capacity", 1))),
        required_tags=_once(made, merged.get("tags", {"required": []})["required"], tuple),
        line=data.line if isinstance(data, LineDict) else None,
        deletion_protection_required_in=_once(
            made, merged.get("deletion_protection", {"required_in": []})["required_in"], tuple),
        own_name=dict(data["name"]) if isinstance(data.get("name"), dict) else data.get("name"),
        pitr_min_recovery_days=(merged.get("pitr") or {}).get("min_recovery_days"),
        contributor_insights_required_in=_once(made, merged.get(
            "contributor_insights", {"required_in": []})["required_in"], tuple),
        on_demand_max=_on_demand_max(merged.get("capacity") or {}),
        autoscaling=_once(made, (merged.get("capacity") or {})["autoscaling"], lambda a:
                          AutoscalingPolicy(tuple(a["required_in"]), a.get("min"), a.get("max")))
        if "autoscaling" in (merged.get("capacity") or {}) else None,
        replicas=_once(made, merged["replicas"], lambda r: ReplicasPolicy(
            tuple(r["required_in"]), tuple(r["regions"]), r.get("only", False)))
        if "replicas" in merged else None,
        resource_policy=_once(made, merged["resource_policy"], _policy_limits)
        if "resource_policy" in merged else None,
        streams=_once(made, merged["streams"], _streams) if "streams" in merged else None,
        table_classes=_once(made, merged["table_class"], tuple)
        if "table_class" in merged else None,
    )


def _on_demand_max(capacity: dict[str, Any]) -> tuple[int | None, int | None] | None:
    """`capacity.on_demand_max` as (read, write); None when the spec sets none."""
    most = capacity.get("on_demand_max")
    return None if most is None else (most.get("read"), most.get("write"))


def _policy_limits(data: Any) -> PolicyLimits:
    """`resource_policy:` as the model holds it."""
    accounts, organization = data.get("accounts"), data.get("organization")
    judged = accounts is not None or organization is not None
    return PolicyLimits(data.get("public"), tuple(accounts or ()) if judged else None,
                        organization)


def _streams(data: Any) -> StreamsPolicy | bool:
    """`streams:` as the model holds it: False, or where (and of which view type)."""
    if data is False:
        return False
    return StreamsPolicy(tuple(data["required_in"]), data.get("view_type"))


def _per_environment(data: dict[str, Any], key: str) -> dict[str, Any]:
    """environment -> its *key* (`accounts`, `var_files`, `workspace`), where the mapping
    form of `environments` sets it."""
    envs = data["environments"]
    if not isinstance(envs, dict):
        return {}
    return {env: body[key] for env, body in envs.items() if body and key in body}


def _accounts(data: dict[str, Any]) -> dict[str, str]:
    """account id -> environment, from `environments` written as a mapping."""
    return {account: env for env, accounts in _per_environment(data, "accounts").items()
            for account in accounts}


def _cross_check(data: dict[str, Any]) -> list[Problem]:
    """Problems no single field shows: environments named elsewhere must exist, an account
    belongs to one environment, and two tables never share a name."""
    envs = set(data["environments"])
    out: list[Problem] = []
    if isinstance(data["environments"], dict):
        line = data.key_lines.get("environments") if isinstance(data, LineDict) else None
        for key, what in (("accounts", "account"), ("var_files", "variables file"),
                          ("workspace", "workspace")):
            seen: dict[str, str] = {}
            for env, body in data["environments"].items():
                given = (body or {}).get(key, [])
                for item in [given] if isinstance(given, str) else given:
                    shown = item if key == "accounts" else brief(item)
                    if item in seen:
                        out.append(Problem(line, f"environments.{key_text(env)}.{key}",
                                           f"{what} {shown} is already in "
                                           f"{brief(seen[item])}"))
                    seen[item] = env
    for name, table in data["tables"].items():
        own = table.get("name")
        if isinstance(own, dict):
            for env in own:
                if env not in envs:
                    line = own.key_lines.get(env) if isinstance(own, LineDict) else None
                    out.append(Problem(line, f"tables.{key_text(name)}.name.{key_text(env)}",
                                       f"environment {brief(env)} is not in `environments`"))
    scopes = [("defaults", data.get("defaults") or {})]
    scopes += [(f"tables.{key_text(n)}", t) for n, t in data["tables"].items()]
    for where, scope in scopes:
        lines = scope.key_lines if isinstance(scope, LineDict) else {}
        for policy in ("pitr", "alarms", "deletion_protection", "streams", "replicas",
                       "contributor_insights"):
            for env in (scope.get(policy) or {}).get("required_in", []):
                if env not in envs:
                    line = lines.get(policy)
                    msg = f"environment {brief(env)} is not in `environments`"
                    out.append(Problem(line, f"{where}.{policy}.required_in", msg))
        scaling = ((scope.get("capacity") or {}).get("autoscaling") or {})
        for env in scaling.get("required_in", []):
            if env not in envs:
                out.append(Problem(lines.get("capacity"),
                                   f"{where}.capacity.autoscaling.required_in",
                                   f"environment {brief(env)} is not in `environments`"))
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
        raise refuse(problems, path)
    defaults = data.get("defaults") or {}
    made: dict[int, tuple[Any, Any]] = {}
    waivers = parse_waivers(data.get("waivers", []), path, tuple(data["environments"]),
                            tuple(str(t) for t in data["tables"]))
    return Spec(
        path=path,
        project=data["project"],
        pattern=data["naming"]["pattern"],
        environments=tuple(data["environments"]),
        accounts=_accounts(data),
        var_files={env: tuple(files) for env, files in _per_environment(data, "var_files").items()},
        workspaces=_per_environment(data, "workspace"),
        tables={name: _table(name, t, defaults, made) for name, t in data["tables"].items()},
        waivers=tuple(waivers),
        environment_tag=data["naming"].get("environment_tag", "Environment"),
        environment_parameter=data["naming"].get("environment_parameter"),
    )


def load_spec(path: str | Path) -> Spec:
    """Read and validate the spec at *path*."""
    text = read_limited(path, "the spec", "spec file not found; pass --spec FILE")
    return parse_spec(str(path), text)
