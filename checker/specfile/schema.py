"""The spec's shape: every key, its type and constraints; validation and the JSON Schema.

`checker.specfile.load` validates a spec against SPEC_SHAPE (every problem with its line) and
turns it into the model; `tablespec spec schema` prints the same shape as JSON Schema.
"""

from __future__ import annotations

from typing import Any

from checker.model import EncLevel
from checker.naming.pattern import own_name_problem, pattern_problem
from checker.specfile import ranges
from checker.specfile.shape import Doc, Either, MapOf, Obj, Scalar, Seq, Shape
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
STREAM_VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
TABLE_CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")

_NAME = r"[A-Za-z0-9_.-]+"
_STR = Scalar(str, "a string")
_ENV_NAME = Scalar(str, "an environment name", pattern=_NAME)
_ENV_LIST = Seq(_ENV_NAME, unique=True)
MAX_ENVIRONMENTS = 100
_ENVS_WHY = "environments a spec may name"
_ACCOUNT = Scalar(str, "an AWS account id: 12 digits, quoted", pattern=r"\d{12}")
_VAR_FILE = Scalar(str, "a variables file path relative to the root, ending .tfvars or "
                   ".tfvars.json", pattern=r"[^/\s][^\n]{0,510}\.tfvars(\.json)?")
_WORKSPACE = Scalar(str, "a Terraform workspace name", pattern=r"[A-Za-z0-9_.\-]{1,90}")
_ENVIRONMENTS = Either(
    (
        (lambda v: isinstance(v, list), Seq(_ENV_NAME, min_items=1, unique=True,
                                            max_items=MAX_ENVIRONMENTS, why=_ENVS_WHY)),
        (
            lambda v: isinstance(v, dict),
            MapOf(Obj(optional={
                "accounts": Doc(Seq(_ACCOUNT, min_items=1, unique=True),
                                "The AWS accounts that are this environment (quoted 12-digit "
                                "ids)."),
                "var_files": Doc(Seq(_VAR_FILE, min_items=1, unique=True, max_items=20,
                                     why="variables files of one environment"),
                                 "`tablespec hcl`: the variables files (relative to each "
                                 "Terraform root) that make this environment, applied in order "
                                 "after terraform.tfvars and *.auto.tfvars, as `-var-file`."),
                "workspace": Doc(_WORKSPACE, "`tablespec hcl`: the Terraform workspace of "
                                 "this environment, for roots that read terraform.workspace "
                                 "(default: the environment's own name)."),
            }),
                  key_pattern=_NAME, key_label="environment name", min_items=1,
                  max_items=MAX_ENVIRONMENTS, why=_ENVS_WHY),
        ),
    ),
    label="a list of environment names, or a mapping of each to its `accounts`, `var_files` "
          "and `workspace`",
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
        "name": Doc(Scalar(str, "an attribute name", pattern=r"[A-Za-z0-9_.-]{1,255}"),
                    "The attribute name.", example="playerId"),
        "type": Doc(Scalar(str, "a key type", choices=("S", "N", "B")),
                    "The attribute type: S (string), N (number) or B (binary).", example="S"),
    }
)
_IN = "Environments where it is required (names from `environments`)."
_ALARM = Obj(
    required={
        "metric": Doc(_STR, "The CloudWatch metric.", example="ReadThrottleEvents"),
        "threshold": Doc(ranges.threshold(), "The alarm threshold, a finite number.",
                         example=10),
        "period": Doc(ranges.period(), "The period in seconds; 10, 20 and 30 are high "
                      "resolution.", example=300),
        "evaluation_periods": Doc(ranges.evaluation_periods(), "How many periods are "
                                  "evaluated. period x evaluation_periods is at most a day "
                                  "with a period under an hour, else a week (as CloudWatch "
                                  "allows).", example=1),
    },
    optional={
        "namespace": Doc(_STR, "The metric's namespace.", default="AWS/DynamoDB"),
        "statistic": Doc(Scalar(str, "a statistic", choices=STATISTICS), "The statistic "
                         "(an extended statistic such as p99 never matches).", default="Sum"),
        "comparison": Doc(Scalar(str, "a comparison operator", choices=COMPARISONS),
                          "The comparison operator.", default="GreaterThanThreshold"),
        "action_required": Doc(Scalar(bool, "true or false"), "Whether the alarm must notify "
                               "someone (alarm_actions set, actions enabled).", default=True),
    },
    test=ranges.alarm_problem,
)
_POLICIES: dict[str, Shape] = {
    "encryption": Doc(Scalar(str, "an encryption level", choices=ENCRYPTION_LEVELS),
                      "The least server-side encryption level: aws_owned < aws_managed < "
                      "customer_managed.", default="aws_owned", example="aws_managed"),
    "pitr": Doc(Obj(required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"])},
                    optional={"min_recovery_days": Doc(
                        Scalar(int, "a number of days from 1 to 35", minimum=1, maximum=35),
                        "Where PITR is required, the least recovery period "
                        "(`recovery_period_in_days`, TS-PITR-002); a table that sets none "
                        "has 35, as AWS makes it.", example=35)}),
                "Point-in-time recovery (TS-PITR-001, TS-PITR-002).",
                default={"required_in": []}),
    "deletion_protection": Doc(
        Obj(required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"])}),
        "Deletion protection (TS-DEL-001).", default={"required_in": []}),
    "billing": Doc(Obj(
        required={"modes": Doc(Seq(Scalar(str, "a billing mode", choices=BILLING_MODES),
                                   min_items=1), "The billing modes allowed.",
                               example=list(BILLING_MODES))},
        optional={"min_capacity": Doc(ranges.capacity(), "The least read and write "
                                      "capacity of a provisioned table and of each of its "
                                      "indexes.", default=1)},
    ), "Billing (TS-BILL-001, TS-BILL-002).", default={"modes": list(BILLING_MODES)}),
    "capacity": Doc(Obj(optional={"on_demand_max": Doc(Obj(
        optional={"read": Doc(ranges.capacity(), "The most read request units a maximum may "
                              "allow.", example=40000),
                  "write": Doc(ranges.capacity(), "The most write request units a maximum "
                               "may allow.", example=40000)}),
        "An on-demand table, and each of its indexes, sets a maximum throughput "
        "(`on_demand_throughput`) at or below these (TS-CAP-001).",
        example={"read": 40000, "write": 40000}),
        "autoscaling": Doc(Obj(
            required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"])},
            optional={"min": Doc(ranges.capacity(), "The least minimum capacity a scalable "
                                 "target may have.", example=5),
                      "max": Doc(ranges.capacity(), "The most maximum capacity a scalable "
                                 "target may have.", example=1000)},
            test=ranges.bounds_problem),
            "A provisioned table, and each of its indexes, has read and write scalable targets "
            "(Application Auto Scaling) whose bounds lie within these (TS-CAP-002).",
            example={"required_in": ["prod"], "min": 5, "max": 1000})}),
        "Throughput guardrails."),
    "contributor_insights": Doc(
        Obj(required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"])}),
        "CloudWatch Contributor Insights on the table (TS-INSIGHTS-001).",
        default={"required_in": []}),
    "resource_policy": Doc(Obj(optional={
        "public": Doc(Scalar(bool, "true or false"), "false: no resource-based policy of the "
                      "table or its stream may be public, as DynamoDB's Block Public Access "
                      "defines it: an Allow to a wildcard principal that no condition pins to "
                      "fixed values of a key it trusts (TS-POLICY-001).", example=False),
        "accounts": Doc(Seq(_ACCOUNT, unique=True, max_items=1000,
                            why="accounts a policy may be shared with"),
                        "The accounts whose principals the policies may grant, besides the "
                        "table's own (TS-POLICY-002). In a plan or source, the table's own "
                        "account is known only where `environments.<env>.accounts` names it.",
                        example=["111111111111"]),
        "organization": Doc(Scalar(str, "an AWS Organizations id (o-...)",
                                   pattern=r"o-[a-z0-9]{10,32}"),
                            "A principal kept to this organization by aws:PrincipalOrgID "
                            "counts as inside (TS-POLICY-002).", example="o-a1b2c3d4e5"),
    }), "The table's and its stream's resource-based policies (TS-POLICY-001, TS-POLICY-002).",
        example={"public": False, "accounts": ["111111111111"]}),
    "replicas": Doc(Obj(
        required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"]),
                  "regions": Doc(Seq(Scalar(str, "an AWS region name",
                                            pattern=r"[a-z]{2}(-[a-z]+)+-\d"),
                                     min_items=1, unique=True, max_items=50,
                                     why="regions of one global table"),
                                 "The regions the global table must be in, its own "
                                 "included.", example=["eu-west-1", "eu-central-1"])},
        optional={"only": Doc(Scalar(bool, "true or false"), "In no other region.",
                              default=False)}),
        "Global tables (TS-REPL-001): a replica in each listed region.",
        example={"required_in": ["prod"], "regions": ["eu-west-1", "eu-central-1"]}),
    "streams": Doc(Either(
        (
            (lambda v: v is False, Scalar(bool, "false", choices=(False,))),
            (lambda v: isinstance(v, dict), Obj(
                required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"])},
                optional={"view_type": Doc(Scalar(str, "a stream view type",
                                                  choices=STREAM_VIEW_TYPES),
                                           "The view type the stream must have (any, when "
                                           "left out).", example="NEW_AND_OLD_IMAGES")})),
        ),
        label="a mapping with `required_in` (and `view_type`), or false for no stream",
    ), "DynamoDB Streams (TS-STREAM-001): required where `required_in` says (elsewhere not "
       "judged), or `false`: the table has no stream in any environment.",
        example={"required_in": ["prod"], "view_type": "NEW_AND_OLD_IMAGES"}),
    "table_class": Doc(Seq(Scalar(str, "a table class", choices=TABLE_CLASSES), min_items=1,
                           unique=True),
                       "The table classes allowed (TS-CLASS-001); a table that sets none is "
                       "STANDARD, as AWS makes it.", example=["STANDARD"]),
    "tags": Doc(Obj(required={"required": Doc(Seq(_STR, unique=True, max_items=50,
                                                  why="AWS allows 50 tags on a table"),
                                              "Tag keys every "
                                              "table must carry, non-empty (provider "
                                              "default_tags count).",
                                              example=["Owner", "CostCenter"])}),
                "Required tags (TS-TAG-001).", default={"required": []}),
    "alarms": Doc(Obj(required={"required_in": Doc(_ENV_LIST, _IN, example=["prod"]),
                                "metrics": Doc(Seq(_ALARM, max_items=100,
                                                   why="alarms a table may need"),
                                               "The alarms each table needs, one "
                                               "per metric, with their settings.")}),
                  "CloudWatch alarms on the table (TS-ALARM-001..003). Where not required, "
                  "an alarm that exists must still match.",
                  default={"required_in": [], "metrics": []}),
}
_TTL = Either(
    (
        (lambda v: v is False, Scalar(bool, "false", choices=(False,))),
        (
            lambda v: isinstance(v, dict),
            Obj(
                required={"attribute": Doc(_STR, "The attribute holding the expiry, in epoch "
                                           "seconds.", example="ttl")},
                optional={
                    "horizon_hours": Doc(ranges.hours(), "How far ahead a sampled TTL value "
                                         "may lie (`audit --sample-items`, TS-TTL-003).",
                                         example=72),
                    "slack_hours": Doc(ranges.hours(), "Added to horizon_hours.",
                                       default=0),
                },
            ),
        ),
    ),
    label="a mapping with `attribute`, or false for no TTL",
)
_GSI = Obj(
    required={"hash_key": Doc(_KEY, "The index's partition key."),
              "projection": Doc(Scalar(str, "a projection", choices=PROJECTIONS),
                                "The projection type.", example="ALL")},
    optional={"range_key": Doc(_KEY, "The index's sort key."),
              "non_key_attributes": Doc(Seq(_STR, unique=True, max_items=100,
                                            why="DynamoDB projects at most 100 attributes"),
                                        "The projected attributes, for INCLUDE.")},
)
_TABLE = Obj(
    required={
        "hash_key": Doc(_KEY, "The partition key: name and type.",
                        example={"name": "playerId", "type": "S"}),
        "ttl": Doc(_TTL, "TTL on an attribute, or `false`: the table must have no TTL "
                   "(its data must persist).", example={"attribute": "ttl"}),
    },
    optional={
        "description": Doc(_STR, "What the table holds (for people)."),
        "name": Doc(_OWN_NAME, "The table's own name, instead of naming.pattern: a pattern "
                    "without {table}, a literal, or one literal per environment (the others "
                    "use naming.pattern).", example="PlayerRewards_{environment}"),
        "range_key": Doc(_KEY, "The sort key; none when left out.",
                         example={"name": "sessionId", "type": "S"}),
        "gsis": Doc(MapOf(_GSI, key_pattern=r"[A-Za-z0-9_.-]{3,255}", key_label="index name"),
                    "Global secondary indexes, by name; an index not listed is reported "
                    "(TS-GSI-004, low)."),
        **_POLICIES,
    },
)
SPEC_SHAPE = Obj(
    required={
        "version": Doc(Scalar(int, "the spec version", choices=(SPEC_VERSION,)),
                       "The spec format version.", example=SPEC_VERSION),
        "project": Doc(Scalar(str, "a project name", pattern=_NAME),
                       "The project; {project} in names.", example="hypermage-vr"),
        "naming": Doc(Obj(
            required={"pattern": Doc(Scalar(str, "a naming pattern", test=pattern_problem),
                                     "How a table's name is made: {table} once; {project} "
                                     "and {environment} optional.",
                                     example="{project}-{table}-{environment}")},
            optional={"environment_tag": Doc(Scalar(str, "a tag key", pattern=r".{1,128}"),
                                             "The tag that tells a table's environment.",
                                             default="Environment"),
                      "environment_parameter": Doc(
                          Scalar(str, "a template parameter's name",
                                 pattern=r"[A-Za-z0-9]{1,255}"),
                          "`tablespec cfn`: the template parameter whose value is the "
                          "stack's environment (its tables are held to it, as with --env).",
                          example="Environment")},
        ), "How names map to (table, environment)."),
        "environments": Doc(_ENVIRONMENTS, "The environments (at most 100), in report order; "
                            "as a mapping, each may list the AWS accounts that are that "
                            "environment.",
                            example=["dev", "staging", "prod"]),
        "tables": Doc(MapOf(_TABLE, key_pattern=_NAME, key_label="table name", min_items=1),
                      "Each logical table, by name: what it must be. A policy key written "
                      "here replaces the same key of `defaults` wholesale."),
    },
    optional={
        "defaults": Doc(Obj(optional=_POLICIES), "Policies every table gets unless it sets "
                        "the same key itself."),
        "waivers": Doc(Seq(WAIVER_SHAPE), "Waivers kept in the spec (see --waivers)."),
    },
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
