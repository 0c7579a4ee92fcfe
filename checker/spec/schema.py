"""The spec's shape: every key, its type and constraints; validation and the JSON Schema.

`checker.spec.load` validates a spec against SPEC_SHAPE (every problem with its line) and
turns it into the model; `tablespec spec schema` prints the same shape as JSON Schema.
"""

from __future__ import annotations

from typing import Any

from checker.model import EncLevel
from checker.naming import own_name_problem, pattern_problem
from checker.spec.shape import Either, MapOf, Obj, Scalar, Seq, Shape
from checker.waivers import WAIVER_SHAPE

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
_ENV_NAME = Scalar(str, "an environment name", pattern=_NAME)
_ENV_LIST = Seq(_ENV_NAME, unique=True)
_ACCOUNT = Scalar(str, "an AWS account id: 12 digits, quoted", pattern=r"\d{12}")
_ENVIRONMENTS = Either(
    (
        (lambda v: isinstance(v, list), Seq(_ENV_NAME, min_items=1, unique=True)),
        (
            lambda v: isinstance(v, dict),
            MapOf(Obj(optional={"accounts": Seq(_ACCOUNT, min_items=1, unique=True)}),
                  key_pattern=_NAME, key_label="environment name", min_items=1),
        ),
    ),
    label="a list of environment names, or a mapping of each to its `accounts`",
)
# A table's own name: a pattern without {table}, a literal, or one literal per environment.
_OWN_NAME = Either(
    (
        (lambda v: isinstance(v, str),
         Scalar(str, "a table name or name pattern", test=own_name_problem)),
        (lambda v: isinstance(v, dict),
         MapOf(Scalar(str, "a table name", pattern=r"[A-Za-z0-9_.-]{3,255}"),
               key_pattern=_NAME, key_label="environment name", min_items=1)),
    ),
    label="a name (pattern or literal), or a mapping of environment to name",
)

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
        "name": _OWN_NAME,
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
        "environments": _ENVIRONMENTS,
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
