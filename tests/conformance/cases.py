"""The conformance table: each shape of each setting, as real Terraform, with its verdict.

A case is a module holding one table (and what the shape needs: keys, topics, alarms).
`expect` gives the verdict of each rule the case is about, once; every mode must give it
(`modes.py` lists the modes). An `unknown` in its place is allowed only in the modes
`unknown_in` names, each with why: the plan holds the value in `after_unknown`, or only
apply knows it. (Checkov's policies read the same files as the CLI: Checkov's plan mode is
held to what the plan alone says, its HCL mode to what `tablespec hcl` says.) Every other
rule on the case's table passes
in every mode. The live mapping runs each case moto can hold (`live` says why not, where it
cannot), on what the apply made (`live_expect`, where apply decides what the source could
not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.conformance.shapes import (
    AFTER_APPLY,
    MATH_ALARM,
    PITR_ON,
    REPLICA_CALL,
    REPLICA_PROVIDER,
    REPLICA_REGION,
    SSE_ON,
    TOPIC,
    TTL_ON,
    alarm,
    replica,
    replica_resource,
    sse,
    table,
)

PLAN, SOURCE, HCL = "plan", "plan --source-dir", "hcl"
CK_PLAN, CK_HCL, LIVE = "checkov plan", "checkov hcl", "live"
MODES = (PLAN, SOURCE, HCL, CK_PLAN, CK_HCL, LIVE)

# Why an unknown may stand in for the expected verdict.
AFTER_UNKNOWN = "the plan holds the value in after_unknown"
LOOK_ALIKE = ("the plan shows the block only after apply: a block left out and a dynamic one "
              "decided at apply look alike in a plan")
APPLY = "only apply knows the value"
MOTO_COMPOSITE = "moto has no PutCompositeAlarm"
PROVIDER_TTL = ("the AWS provider 5.100 cannot apply it: it plans attribute_name as null, then "
                "reports an inconsistent final plan")
MOTO_REPLICAS = ("moto has no replicas (the live mapping of replicas is tested on botocore's "
                 "Stubber)")
MOTO_KEY = "the literal key does not exist in the moto account, so DescribeKey cannot read it"
MOTO_ON_DEMAND = ("moto 5.2's DescribeTable drops OnDemandThroughput (the live mapping is "
                  "tested on botocore's Stubber)")
MOTO_INSIGHTS = ("moto 5.2 has no Contributor Insights (the live mapping is tested on "
                 "botocore's Stubber)")
MOTO_CLASS = ("moto 5.2's DescribeTable drops TableClassSummary (the live mapping is tested on "
              "botocore's Stubber)")

MOTO_SCALING = ("the AWS provider cannot create aws_appautoscaling_target against moto 5.2 "
                "(its ListTagsForResource is not implemented; the live reading is tested with "
                "targets registered by boto3)")
POLICY_AT_APPLY = "the policy names the table's ARN, which the plan holds in after_unknown"

CMK = {"encryption": "customer_managed"}
PROTECTED = {"deletion_protection": {"required_in": ["prod"]}}
MULTI_REGION_KEY = ('resource "aws_kms_key" "k" {\n  description  = "@ID@"\n'
                    '  multi_region = true\n}\n')
# What a table needs to be replicated by aws_dynamodb_table_replica.
STREAM = ('  stream_enabled   = true\n  stream_view_type = "NEW_AND_OLD_IMAGES"\n\n'
          "  lifecycle {\n    ignore_changes = [replica]\n  }")
NO_TTL = {"ttl": False}
ALARMS = {"alarms": {"required_in": ["prod"]}}
OWNER = {"tags": {"required": ["Owner"]}}
KEY = 'resource "aws_kms_key" "k" {\n  description = "@ID@"\n}\n'
STREAMS = {"streams": {"required_in": ["prod"], "view_type": "NEW_AND_OLD_IMAGES"}}
STANDARD = {"table_class": ["STANDARD"]}
TWO_REGIONS = {"replicas": {"required_in": ["prod"], "regions": ["eu-west-1", REPLICA_REGION]}}
INSIGHTS = {"contributor_insights": {"required_in": ["prod"]}}
INSIGHTS_ON = ('resource "aws_dynamodb_contributor_insights" "c" {\n'
               "  table_name = aws_dynamodb_table.t.name\n}\n")
CAPPED = {"capacity": {"on_demand_max": {"read": 40000, "write": 40000}}}
SHARED = {"resource_policy": {"public": False, "accounts": ["111111111111"],
                              "organization": "o-a1b2c3d4e5"}}
GRANT = ('{{\n      Effect    = "Allow"\n      Principal = {principal}\n{condition}'
         '      Action    = "dynamodb:GetItem"\n      Resource  = aws_dynamodb_table.t.arn\n'
         "    }}")
OUTSIDERS = '{ AWS = ["arn:aws:iam::999999999999:root", "888888888888"] }'
IN_ORG = ('      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }\n')
PUBLIC_DOCUMENT = """data "aws_iam_policy_document" "d" {
  statement {
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["dynamodb:GetItem"]
    resources = [aws_dynamodb_table.t.arn]
  }
}
"""
SCALED = {"capacity": {"autoscaling": {"required_in": ["prod"], "min": 5, "max": 100}}}
PROVISIONED = '"PROVISIONED"'
CAPACITY = "  read_capacity  = 5\n  write_capacity = 5"


def resource_policy(policy: str) -> str:
    """An aws_dynamodb_resource_policy of *policy* on the case's table."""
    return ('resource "aws_dynamodb_resource_policy" "p" {\n'
            "  resource_arn = aws_dynamodb_table.t.arn\n"
            f"  policy       = {policy}\n}}\n")


def grant(principal: str, condition: str = "") -> str:
    """`jsonencode()` of one Allow of GetItem on the table to *principal*."""
    return ('jsonencode({\n    Version   = "2012-10-17"\n    Statement = ['
            + GRANT.format(principal=principal, condition=condition) + "]\n  })")


def target(dimension: str, low: int = 5, high: int = 100) -> str:
    """A scalable target of the case's table's *dimension* (Read, Write)."""
    return (f'resource "aws_appautoscaling_target" "{dimension.lower()}" {{\n'
            '  service_namespace  = "dynamodb"\n'
            '  resource_id        = "table/${aws_dynamodb_table.t.name}"\n'
            f'  scalable_dimension = "dynamodb:table:{dimension}CapacityUnits"\n'
            f"  min_capacity       = {low}\n  max_capacity       = {high}\n}}\n")


def stream(view: str) -> str:
    """A stream of view type *view*."""
    return f'  stream_enabled   = true\n  stream_view_type = "{view}"'


def plan_alone(why: str = AFTER_UNKNOWN) -> dict[str, str]:
    """Unknown allowed where the plan alone is read (tablespec's and Checkov's)."""
    return {PLAN: why, CK_PLAN: why}


def static(why: str = APPLY) -> dict[str, str]:
    """Unknown allowed in every mode that reads Terraform before apply."""
    return {m: why for m in MODES if m != LIVE}


@dataclass(frozen=True)
class Case:
    """One shape of one setting."""

    id: str
    setting: str  # what the shape is, in a few words
    module: str  # the module's Terraform
    expect: dict[str, str]  # rule id -> pass | fail | unknown
    spec: dict[str, Any] = field(default_factory=dict)  # the case table's spec, over the base
    unknown_in: dict[str, str] = field(default_factory=dict)  # mode -> why unknown is allowed
    call: str = ""  # arguments of the module call in the root
    root: str = ""  # Terraform the root needs for this case
    live: str | None = None  # why the live mapping cannot run it (None: it can)
    region: str | None = None  # the region of the failing finding (a replica's)
    live_expect: dict[str, str] | None = None  # after apply, where apply decides
    says: dict[str, str] = field(default_factory=dict)  # rule id -> what its message says


CASES: tuple[Case, ...] = (
    # -- encryption: every KMS shape -----------------------------------------------------
    Case("kms-conditional-none", "a conditional key over a key made with count = 0",
         'resource "aws_kms_key" "k" {\n  count = 0\n}\n' + table(sse=sse(
             "length(aws_kms_key.k) > 0 ? aws_kms_key.k[0].arn : null")),
         {"TS-SSE-001": "fail"}, CMK,
         plan_alone()),
    Case("kms-conditional-one", "the same conditional over a key made with count = 1",
         'resource "aws_kms_key" "k" {\n  count = 1\n}\n' + table(sse=sse(
             "length(aws_kms_key.k) > 0 ? aws_kms_key.k[0].arn : null")),
         {"TS-SSE-001": "pass"}, CMK, plan_alone()),
    Case("kms-try-none", "try() over a key made with count = 0",
         'resource "aws_kms_key" "k" {\n  count = 0\n}\n' + table(sse=sse(
             "try(aws_kms_key.k[0].arn, null)")),
         {"TS-SSE-001": "fail"}, CMK, plan_alone()),
    Case("kms-direct", "a reference to a key of the configuration",
         KEY + table(sse=sse("aws_kms_key.k.arn")), {"TS-SSE-001": "pass"}, CMK),
    Case("kms-module-variable", "a key made by the root, passed through a module variable",
         'variable "kms_key_arn" {\n  type = string\n}\n' + table(sse=sse("var.kms_key_arn")),
         {"TS-SSE-001": "pass"}, CMK,
         call="kms_key_arn = aws_kms_key.kms_module_variable.arn",
         root='resource "aws_kms_key" "kms_module_variable" {\n  description = "root key"\n}\n'),
    Case("kms-variable-null", "a module variable whose default is null: the AWS managed key",
         'variable "kms_key_arn" {\n  type    = string\n  default = null\n}\n'
         + table(sse=sse("var.kms_key_arn")),
         {"TS-SSE-001": "fail"}, CMK),
    Case("kms-aws-alias-lookup", "the AWS managed key looked up through alias/aws/dynamodb",
         'data "aws_kms_alias" "k" {\n  name = "alias/aws/dynamodb"\n}\n'
         + table(sse=sse("data.aws_kms_alias.k.target_key_arn")),
         {"TS-SSE-001": "fail"}, CMK),
    Case("kms-aws-alias-arn", "the AWS managed key's alias ARN, written out",
         table(sse=sse('"arn:aws:kms:eu-west-1:100000000004:alias/aws/dynamodb"')),
         {"TS-SSE-001": "fail"}, CMK),
    Case("kms-literal-key", "a key ARN written out",
         table(sse=sse('"arn:aws:kms:eu-west-1:100000000004:key/'
                       '0b8e1b2c-1f11-4a1a-9d3c-2f5c6a7b8c9d"')),
         {"TS-SSE-001": "pass"}, CMK, live=MOTO_KEY),
    Case("sse-disabled", "server_side_encryption with enabled = false",
         table(sse="  server_side_encryption {\n    enabled = false\n  }"),
         {"TS-SSE-001": "fail"}),
    Case("sse-left-out", "no server_side_encryption block",
         table(sse=None), {"TS-SSE-001": "fail"}, unknown_in=plan_alone(LOOK_ALIKE)),
    Case("sse-enabled-string", 'enabled = "true": a string Terraform turns into a bool',
         table(sse='  server_side_encryption {\n    enabled = "true"\n  }'),
         {"TS-SSE-001": "pass"}),
    Case("sse-dynamic-at-apply", "a dynamic server_side_encryption decided at apply",
         TOPIC + table(sse=f"""  dynamic "server_side_encryption" {{
    for_each = {AFTER_APPLY} ? ["on"] : []
    content {{
      enabled = true
    }}
  }}"""), {"TS-SSE-001": "unknown"}, live_expect={"TS-SSE-001": "pass"}),
    # -- TTL -----------------------------------------------------------------------------
    Case("ttl-dynamic-at-apply", "a dynamic ttl decided at apply, on a table that must persist",
         TOPIC + table(ttl=f"""  dynamic "ttl" {{
    for_each = {AFTER_APPLY} ? ["ttl"] : []
    content {{
      enabled        = true
      attribute_name = ttl.value
    }}
  }}"""), {"TS-TTL-002": "unknown"}, NO_TTL, live_expect={"TS-TTL-002": "fail"}),
    Case("ttl-dynamic-empty", "a dynamic ttl whose for_each is known to be empty",
         'locals {\n  expire = false\n}\n' + table(ttl="""  dynamic "ttl" {
    for_each = local.expire ? ["ttl"] : []
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }"""), {"TS-TTL-001": "fail"}, unknown_in=plan_alone(LOOK_ALIKE)),
    Case("ttl-dynamic-one", "a dynamic ttl with one element, on a table that must persist",
         table(ttl="""  dynamic "ttl" {
    for_each = ["ttl"]
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }"""), {"TS-TTL-002": "fail"}, NO_TTL),
    Case("ttl-left-out", "no ttl block, on a table that must persist",
         table(ttl=None), {"TS-TTL-002": "pass"}, NO_TTL, plan_alone(LOOK_ALIKE)),
    Case("ttl-enabled-at-apply", "ttl enabled by a value only apply knows",
         TOPIC + table(ttl=f"""  ttl {{
    enabled        = {AFTER_APPLY}
    attribute_name = "ttl"
  }}"""), {"TS-TTL-002": "unknown"}, NO_TTL, live=PROVIDER_TTL),
    Case("ttl-enabled-left-out", "a ttl block without enabled: off",
         table(ttl='  ttl {\n    attribute_name = "ttl"\n  }'), {"TS-TTL-001": "fail"}),
    # -- PITR ----------------------------------------------------------------------------
    Case("pitr-enabled-string", 'enabled = "true"',
         table(pitr='  point_in_time_recovery {\n    enabled = "true"\n  }'),
         {"TS-PITR-001": "pass"}),
    Case("pitr-left-out", "no point_in_time_recovery block, where prod requires it",
         table(pitr=None), {"TS-PITR-001": "fail"}, unknown_in=plan_alone(LOOK_ALIKE)),
    Case("pitr-variable-false", "a module variable whose default is false",
         'variable "pitr" {\n  type    = bool\n  default = false\n}\n'
         + table(pitr="  point_in_time_recovery {\n    enabled = var.pitr\n  }"),
         {"TS-PITR-001": "fail"}),
    # -- streams and the table class ----------------------------------------------------
    Case("stream-on", "a stream of the view type required",
         table(extra=stream("NEW_AND_OLD_IMAGES")), {"TS-STREAM-001": "pass"}, STREAMS),
    Case("stream-other-view", "a stream of another view type", table(extra=stream("KEYS_ONLY")),
         {"TS-STREAM-001": "fail"}, STREAMS, says={"TS-STREAM-001": "view type is KEYS_ONLY"}),
    Case("stream-forbidden", "a stream where the spec says none", table(extra=stream("NEW_IMAGE")),
         {"TS-STREAM-001": "fail"}, {"streams": False}),
    Case("class-explicit-standard", 'table_class = "STANDARD": a 5.100 plan writes it as null',
         table(extra='  table_class = "STANDARD"'), {"TS-CLASS-001": "pass"}, STANDARD),
    Case("class-infrequent", "the infrequent access class, where only STANDARD is allowed",
         table(extra='  table_class = "STANDARD_INFREQUENT_ACCESS"'), {"TS-CLASS-001": "fail"},
         STANDARD, live=MOTO_CLASS),
    Case("pitr-period-short", "a recovery period shorter than the spec's least",
         table(pitr="  point_in_time_recovery {\n    enabled                 = true\n"
                    "    recovery_period_in_days = 7\n  }"),
         {"TS-PITR-002": "fail"}, {"pitr": {"required_in": ["prod"], "min_recovery_days": 30}},
         says={"TS-PITR-002": "keeps 7 days"}),
    Case("pitr-period-unset", "no recovery period: AWS's 35 (a plan holds it after apply)",
         table(), {"TS-PITR-002": "pass"},
         {"pitr": {"required_in": ["prod"], "min_recovery_days": 35}}),
    Case("on-demand-capped", "an on-demand table with a maximum throughput",
         table(extra="  on_demand_throughput {\n    max_read_request_units  = 100\n"
                     "    max_write_request_units = 100\n  }"),
         {"TS-CAP-001": "pass"}, CAPPED, live=MOTO_ON_DEMAND),
    Case("on-demand-uncapped", "an on-demand table that sets no maximum",
         table(), {"TS-CAP-001": "fail"}, CAPPED, unknown_in=plan_alone(),
         says={"TS-CAP-001": "sets no maximum read"}),
    Case("insights-on", "an aws_dynamodb_contributor_insights naming the table",
         table() + INSIGHTS_ON, {"TS-INSIGHTS-001": "pass"}, INSIGHTS, live=MOTO_INSIGHTS),
    Case("insights-index-only", "Contributor Insights on an index only, not on the table",
         table(extra='  attribute {\n    name = "g"\n    type = "S"\n  }\n\n'
                     '  global_secondary_index {\n    name            = "byG"\n'
                     '    hash_key        = "g"\n    projection_type = "KEYS_ONLY"\n  }')
         + INSIGHTS_ON.replace("}\n", '  index_name = "byG"\n}\n'),
         {"TS-INSIGHTS-001": "fail"}, {**INSIGHTS, "gsis": {"byG": {
             "hash_key": {"name": "g", "type": "S"}, "projection": "KEYS_ONLY"}}},
         live=MOTO_INSIGHTS),
    # -- resource policies: jsonencode, a policy document, literal JSON -----------------
    Case("policy-outside", "a policy granting two accounts outside the spec's",
         table() + resource_policy(grant(OUTSIDERS)),
         {"TS-POLICY-001": "pass", "TS-POLICY-002": "fail"}, SHARED,
         plan_alone(POLICY_AT_APPLY), says={"TS-POLICY-002": "account 999999999999"}),
    Case("policy-org-pinned", "any principal, pinned by aws:PrincipalOrgID to the spec's org",
         table() + resource_policy(grant('"*"', IN_ORG)),
         {"TS-POLICY-001": "pass", "TS-POLICY-002": "pass"}, SHARED,
         plan_alone(POLICY_AT_APPLY)),
    Case("policy-public-document", "a data aws_iam_policy_document granting any principal "
         "(read at apply: the plan still holds its statement blocks)",
         table() + PUBLIC_DOCUMENT + resource_policy("data.aws_iam_policy_document.d.json"),
         {"TS-POLICY-001": "fail", "TS-POLICY-002": "fail"}, SHARED,
         says={"TS-POLICY-001": 'any principal ("*")'}),  # the plan holds its blocks
    Case("policy-literal", "literal JSON: the plan alone knows it",
         table() + resource_policy(
             '"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",'
             '\\"Principal\\":{\\"AWS\\":[\\"999999999999\\",\\"888888888888\\"]},'
             '\\"Action\\":\\"dynamodb:Query\\",\\"Resource\\":\\"*\\"}]}"'),
         {"TS-POLICY-002": "fail"}, SHARED),
    Case("policy-none", "no resource policy at all", table(),
         {"TS-POLICY-001": "pass", "TS-POLICY-002": "pass"}, SHARED),
    # -- autoscaling: scalable targets ----------------------------------------------------
    Case("scaling-bounded", "read and write targets within the spec's bounds",
         table(billing=PROVISIONED, extra=CAPACITY) + target("Read") + target("Write"),
         {"TS-CAP-002": "pass"}, SCALED, live=MOTO_SCALING),
    Case("scaling-write-missing", "a read target and no write target",
         table(billing=PROVISIONED, extra=CAPACITY) + target("Read"),
         {"TS-CAP-002": "fail"}, SCALED, live=MOTO_SCALING,
         says={"TS-CAP-002": "no write scalable target"}),
    # -- billing: a value that can only be one of two ------------------------------------
    Case("billing-either", "a billing mode that is one of two allowed, decided at apply",
         TOPIC + table(billing=f'{AFTER_APPLY} ? "PAY_PER_REQUEST" : "PROVISIONED"',
                       extra=f"  read_capacity  = {AFTER_APPLY} ? null : 5\n"
                             f"  write_capacity = {AFTER_APPLY} ? null : 5"),
         # the capacity is one of two too, but which goes with which mode is not known:
         # PROVISIONED with no capacity is among the combinations
         {"TS-BILL-001": "pass", "TS-BILL-002": "unknown"},
         unknown_in=plan_alone(),
         live_expect={"TS-BILL-002": "pass"}),
    # -- GSI -----------------------------------------------------------------------------
    Case("gsi-dynamic-at-apply", "a dynamic index decided at apply",
         TOPIC + table(extra=f"""  dynamic "global_secondary_index" {{
    for_each = {AFTER_APPLY} ? ["ById"] : []
    content {{
      name            = global_secondary_index.value
      hash_key        = "id"
      projection_type = "ALL"
    }}
  }}"""), {f"TS-GSI-00{n}": "unknown" for n in range(1, 5)},
         {"gsis": {"ById": {"hash_key": {"name": "id", "type": "S"}, "projection": "ALL"}}},
         live_expect={f"TS-GSI-00{n}": "pass" for n in range(1, 5)}),
    # -- alarms: each wiring -------------------------------------------------------------
    Case("alarm-counts", "an alarm with the single dimension TableName and a topic",
         TOPIC + table() + alarm(),
         {"TS-ALARM-001": "pass", "TS-ALARM-002": "pass", "TS-ALARM-003": "pass"}, ALARMS),
    Case("alarm-extra-dimension", "an alarm on TableName and Operation",
         TOPIC + table() + alarm(
             dimensions='{ TableName = aws_dynamodb_table.t.name, Operation = "GetItem" }'),
         {"TS-ALARM-001": "fail"}, ALARMS,
         says={"TS-ALARM-001": "does not count (its dimensions are Operation, TableName"}),
    Case("alarm-index", "an alarm on an index of the table",
         TOPIC + table() + alarm(dimensions='{ TableName = aws_dynamodb_table.t.name, '
                                            'GlobalSecondaryIndexName = "ByPlayer" }'),
         {"TS-ALARM-001": "fail"}, ALARMS, says={"TS-ALARM-001": "an index alarm"}),
    Case("alarm-metric-math", "a metric-math alarm over the table's throttle metric",
         TOPIC + table() + MATH_ALARM, {"TS-ALARM-001": "fail"}, ALARMS,
         says={"TS-ALARM-001": "a metric-math alarm"}),
    Case("alarm-composite", "a composite alarm over that metric-math alarm",
         TOPIC + table() + MATH_ALARM + """resource "aws_cloudwatch_composite_alarm" "c" {
  alarm_name    = "@ID@-composite"
  alarm_rule    = "ALARM(\\"${aws_cloudwatch_metric_alarm.math.alarm_name}\\")"
  alarm_actions = [aws_sns_topic.t.arn]
}
""", {"TS-ALARM-001": "fail"}, ALARMS, live=MOTO_COMPOSITE,
         says={"TS-ALARM-001": "a composite alarm"}),
    Case("alarm-empty-action", "alarm_actions from a variable left empty: [\"\"]",
         'variable "topic" {\n  type    = string\n  default = ""\n}\n' + table()
         + alarm(actions="[var.topic]"), {"TS-ALARM-003": "fail"}, ALARMS),
    Case("alarm-actions-disabled", "actions_enabled = false, with a topic known after apply",
         TOPIC + table() + alarm(extra="  actions_enabled     = false\n"),
         {"TS-ALARM-003": "fail"}, ALARMS),
    Case("alarm-period-string", 'period = "300": a string Terraform turns into a number',
         TOPIC + table() + alarm(period='"300"'), {"TS-ALARM-002": "pass"}, ALARMS),
    # -- tags ----------------------------------------------------------------------------
    Case("tag-owner-empty", "Owner can only be empty; another tag is known after apply",
         TOPIC + table(extra='  tags = {\n    Owner = ""\n    Topic = aws_sns_topic.t.arn\n  }'),
         {"TS-TAG-001": "fail"}, OWNER, plan_alone()),
    Case("tag-none", "no tags, and no default_tags in the provider: none, not unknown",
         table(), {"TS-TAG-001": "fail"}, OWNER),
    Case("tag-default-tags", "Owner from the provider's default_tags",
         table(), {"TS-TAG-001": "pass"}, OWNER,
         call="providers = {\n    aws = aws.tagged\n  }",
         root='provider "aws" {\n  alias  = "tagged"\n  region = "eu-west-1"\n'
              '  default_tags {\n    tags = {\n      Owner = "platform"\n    }\n  }\n}\n'),
    # -- global tables: each replica held to the spec in its own region -------------------
    Case("replica-right", "a replica block with PITR and the table's tags",
         table(extra=replica()), {"TS-PITR-001": "pass"}, live=MOTO_REPLICAS),
    Case("replica-no-pitr", "a replica block without point_in_time_recovery",
         table(extra=replica(pitr=None)), {"TS-PITR-001": "fail"}, live=MOTO_REPLICAS,
         region=REPLICA_REGION),
    Case("replica-no-key", "a replica with no key of its own, the table on a customer key",
         KEY + table(sse=sse("aws_kms_key.k.arn"), extra=replica()), {"TS-SSE-001": "fail"},
         CMK, live=MOTO_REPLICAS, region=REPLICA_REGION),
    Case("replica-sse-off", "a replica with a key, the table's encryption off",
         REPLICA_PROVIDER + MULTI_REGION_KEY + 'resource "aws_kms_replica_key" "r" {\n'
         '  provider        = aws.replica\n  primary_key_arn = aws_kms_key.k.arn\n}\n'
         + table(sse="  server_side_encryption {\n    enabled = false\n  }",
                 extra=replica(key="aws_kms_replica_key.r.arn")),
         {"TS-SSE-001": "fail"}, CMK, call=REPLICA_CALL, live=MOTO_REPLICAS,
         region=REPLICA_REGION),
    Case("replica-multi-region-key", "a multi-Region key, its replica key on the replica",
         REPLICA_PROVIDER + MULTI_REGION_KEY + 'resource "aws_kms_replica_key" "r" {\n'
         '  provider        = aws.replica\n  primary_key_arn = aws_kms_key.k.arn\n}\n'
         + table(sse=sse("aws_kms_key.k.arn"), extra=replica(key="aws_kms_replica_key.r.arn")),
         {"TS-SSE-001": "pass"}, CMK, call=REPLICA_CALL, live=MOTO_REPLICAS),
    Case("replica-tags-left", "a replica block that does not propagate the table's tags",
         table(extra='  tags = {\n    Owner = "platform"\n  }\n\n' + replica(propagate=None)),
         {"TS-TAG-001": "unknown", "TS-NAME-002": "unknown"}, OWNER,
         static("Terraform does not manage the replica's tags without propagate_tags"),
         live=MOTO_REPLICAS),
    Case("replica-regions", "a replica block in the second region the spec lists",
         table(extra=replica()), {"TS-REPL-001": "pass"}, TWO_REGIONS, live=MOTO_REPLICAS),
    Case("replica-regions-missing", "no replica, where the spec lists two regions",
         table(), {"TS-REPL-001": "fail"}, TWO_REGIONS,
         says={"TS-REPL-001": f"no replica in {REPLICA_REGION}"}),
    Case("replica-alarm-elsewhere", "a replica whose only alarm is in the table's region",
         TOPIC + table(extra=replica()) + alarm(), {"TS-ALARM-001": "fail"}, ALARMS,
         live=MOTO_REPLICAS, region=REPLICA_REGION),
    Case("replica-resource-no-pitr", "aws_dynamodb_table_replica with PITR off",
         REPLICA_PROVIDER + table(extra=STREAM) + replica_resource(pitr="false"),
         {"TS-PITR-001": "fail"}, call=REPLICA_CALL, live=MOTO_REPLICAS, region=REPLICA_REGION),
    Case("replica-resource-unprotected", "aws_dynamodb_table_replica, deletion protection off",
         REPLICA_PROVIDER + table(extra="  deletion_protection_enabled = true\n" + STREAM)
         + replica_resource(protection="false"),
         {"TS-DEL-001": "fail"}, PROTECTED, call=REPLICA_CALL, live=MOTO_REPLICAS,
         region=REPLICA_REGION),
)

# Tables whose planned values `test_mutations.py` corrupts: compliant, with an alarm.
MUTATED = tuple(Case(f"mutated-{n}", "a plan changed by hand", TOPIC + table() + alarm(),
                     {}, ALARMS) for n in "abcdefg")

ALL = CASES + MUTATED


def module_name(case: Case) -> str:
    """The module call's name in the root: the case id, as a Terraform identifier."""
    return case.id.replace("-", "_")


__all__ = ["ALL", "CASES", "MODES", "MUTATED", "PITR_ON", "SSE_ON", "TTL_ON", "Case"]
