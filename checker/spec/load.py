"""Load and validate a spec file into a Spec; every problem names its file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.errors import RunError, located
from checker.model import EncLevel
from checker.naming import pattern_problem
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
from checker.spec.shape import Either, MapOf, Obj, Problem, Scalar, Seq, Shape, validate
from checker.spec.yamlread import LineDict, read_yaml
from checker.waivers import WAIVER_SHAPE, parse_waivers

SPEC_VERSION = 1
ENCRYPTION_LEVELS = tuple(level.label for level in EncLevel)
BILLING_MODES = ("PAY_PER_REQUEST", "PROVISIONED")
PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")
COMPARISONS = (
    "GreaterThanThreshold",
    "GreaterThanOrEqualToThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
STATISTICS = ("Sum", "Average", "Maximum", "Minimum", "SampleCount")

_NAME = r"[A-Za-z0-9_.-]+"
_STR = Scalar(str, "a string")
_NUM = Scalar((int, float), "a number", minimum=0)
_POS_INT = Scalar(int, "a whole number", minimum=1)
_ENV_LIST = Seq(Scalar(str, "an environment name", pattern=_NAME), unique=True)

_KEY = Obj(
    required={
        "name": Scalar(str, "an attribute name", pattern=r"[A-Za-z0-9_.-]{1,255}"),
        "type": Scalar(str, "a key type", choices=("S", "N", "B")),
    }
)
_ALARM = Obj(
    required={
        "metric": _STR,
        "threshold": _NUM,
        "period": _POS_INT,
        "evaluation_periods": _POS_INT,
    },
    optional={
        "namespace": _STR,
        "statistic": Scalar(str, "a statistic", choices=STATISTICS),
        "comparison": Scalar(str, "a comparison operator", choices=COMPARISONS),
        "action_required": Scalar(bool, "true or false"),
    },
)
_POLICIES: dict[str, Shape] = {
    "encryption": Scalar(str, "an encryption level", choices=ENCRYPTION_LEVELS),
    "pitr": Obj(required={"required_in": _ENV_LIST}),
    "deletion_protection": Obj(required={"required_in": _ENV_LIST}),
    "billing": Obj(
        required={"modes": Seq(Scalar(str, "a billing mode", choices=BILLING_MODES), min_items=1)},
        optional={"min_capacity": _POS_INT},
    ),
    "tags": Obj(required={"required": Seq(_STR, unique=True)}),
    "alarms": Obj(required={"required_in": _ENV_LIST, "metrics": Seq(_ALARM)}),
}
_TTL = Either(
    (
        (lambda v: v is False, Scalar(bool, "false", choices=(False,))),
        (
            lambda v: isinstance(v, dict),
            Obj(
                required={"attribute": _STR},
                optional={"horizon_hours": _NUM, "slack_hours": _NUM},
            ),
        ),
    ),
    label="a mapping with `attribute`, or false for no TTL",
)
_GSI = Obj(
    required={"hash_key": _KEY, "projection": Scalar(str, "a projection", choices=PROJECTIONS)},
    optional={"range_key": _KEY, "non_key_attributes": Seq(_STR, unique=True)},
)
_TABLE = Obj(
    required={"hash_key": _KEY, "ttl": _TTL},
    optional={
        "description": _STR,
        "range_key": _KEY,
        "gsis": MapOf(_GSI, key_pattern=r"[A-Za-z0-9_.-]{3,255}", key_label="index name"),
        **_POLICIES,
    },
)
SPEC_SHAPE = Obj(
    required={
        "version": Scalar(int, "the spec version", choices=(SPEC_VERSION,)),
        "project": Scalar(str, "a project name", pattern=_NAME),
        "naming": Obj(
            required={"pattern": Scalar(str, "a naming pattern", test=pattern_problem)},
            optional={"environment_tag": Scalar(str, "a tag key", pattern=r".{1,128}")},
        ),
        "environments": Seq(
            Scalar(str, "an environment name", pattern=_NAME), min_items=1, unique=True
        ),
        "tables": MapOf(_TABLE, key_pattern=_NAME, key_label="table name", min_items=1),
    },
    optional={"defaults": Obj(optional=_POLICIES), "waivers": Seq(WAIVER_SHAPE)},
)


def spec_json_schema() -> dict[str, Any]:
    """JSON Schema of a spec file, for editors (`tablespec spec schema`)."""
    schema = SPEC_SHAPE.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tablespec spec",
        "description": "What each DynamoDB table must be; see specs/tables.yaml.",
        **schema,
    }


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
    )


def _cross_check(data: dict[str, Any]) -> list[Problem]:
    """Problems no single field shows: environments named in policies must exist."""
    envs = set(data["environments"])
    out: list[Problem] = []
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
