"""The CloudFormation example deployed by moto's CloudFormation, audited, and checked as a
template: where moto honours a property, `tablespec audit` of the stack agrees with
`tablespec cfn` of the template, rule by rule.

Measured with moto 5.2.5 (DescribeTable and friends after `create_stack`, pinned by
test_moto_table.py): moto's CloudFormation honours an
AWS::DynamoDB::Table's KeySchema and AttributeDefinitions, GlobalSecondaryIndexes and
LocalSecondaryIndexes (projections included), ProvisionedThroughput (of the table and each
GSI), BillingMode, StreamSpecification, Tags and DeletionProtectionEnabled (and a
DeletionPolicy of Retain: deleting the stack leaves that table). It ignores
PointInTimeRecoverySpecification, TimeToLiveSpecification, TableClass, OnDemandThroughput,
ContributorInsightsSpecification and ResourcePolicy, and also SSESpecification: moto reads
the API's `Enabled` key, while CloudFormation spells it `SSEEnabled`, so a template's SSE
never reaches DescribeTable. It creates neither AWS::DynamoDB::GlobalTable nor
AWS::CloudWatch::Alarm ("not supported"), yet the stack is CREATE_COMPLETE.

Each variant is the example with one deviation in a property moto honours; both commands
must find it, and agree on every other finding of the families compared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from checker import rules
from checker.cli import main
from tests.sources.cfn.moto_stack import PROJECT, REGION, deployed
from tests.support.paths import REPO

pytestmark = [pytest.mark.usefixtures("aws", "read_only"),
              # moto warns of each resource type its CloudFormation cannot create
              pytest.mark.filterwarnings("ignore:Tried to parse AWS::")]

EXAMPLE = (REPO / "examples" / "cloudformation" / "tables.yaml").read_text()
SEED_SPEC = (REPO / "specs" / "tables.yaml").read_text()
SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"

# The rule families (a rule's `check`) not compared, and why: what the template says there
# never reaches the tables moto makes, so the audit reads moto's defaults.
NOT_COMPARED: dict[str, str] = {
    "encryption": "moto reads SSESpecification.Enabled (the API's key), not CloudFormation's "
                  "SSEEnabled: DescribeTable has no SSEDescription, the audit sees aws_owned",
    "pitr": "moto ignores PointInTimeRecoverySpecification: PITR is DISABLED",
    "ttl": "moto ignores TimeToLiveSpecification: TTL is DISABLED",
    "table_class": "moto ignores TableClass: DescribeTable has no TableClassSummary",
    "capacity": "moto ignores OnDemandThroughput (on_demand_max), and the template has no "
                "scalable targets (autoscaling)",
    "contributor_insights": "moto ignores ContributorInsightsSpecification and implements no "
                            "DescribeContributorInsights",
    "resource_policy": "moto ignores ResourcePolicy: GetResourcePolicy finds none",
    "alarms": "moto's CloudFormation does not create AWS::CloudWatch::Alarm",
    "replicas": "moto's CloudFormation does not create AWS::DynamoDB::GlobalTable",
    "access": "the audit's own: a place it could not read; a template has none",
}
FAMILIES = frozenset(r.check for r in rules.RULES)
COMPARED = FAMILIES - NOT_COMPARED.keys()

Key = tuple[str, str]  # (rule id, table)
Edit = tuple[str, str, str]  # (logical resource id, or "" for the whole text; old; new)
_RESOURCE = re.compile(r"^  [A-Za-z0-9]+:\n", re.MULTILINE)  # a template's top-level entry


def _edited(text: str, edits: list[Edit]) -> str:
    """*text* with each edit made exactly once, within its resource's block when given."""
    for resource, old, new in edits:
        start, end = 0, len(text)
        if resource:
            start = text.index(f"\n  {resource}:\n") + 1
            after = _RESOURCE.search(text, start + 1)
            end = after.start() if after else len(text)
        block = text[start:end]
        assert block.count(old) == 1, (resource, old)
        text = text[:start] + block.replace(old, new) + text[end:]
    return text


@dataclass(frozen=True)
class Variant:
    """The example with one deviation (or none), and what both commands must find failing
    in the compared families."""

    name: str
    template: list[Edit] = field(default_factory=list)
    spec: list[Edit] = field(default_factory=list)
    failing: frozenset[Key] = frozenset()


def _base_template() -> str:
    return EXAMPLE.replace("hypermage-vr", PROJECT)


def _base_spec() -> str:
    return _edited(SEED_SPEC, [("", "project: hypermage-vr", f"project: {PROJECT}")])


PROTECTION = ("", "defaults:\n", "defaults:\n  deletion_protection: {required_in: [prod]}\n")
VARIANTS = [
    Variant("example"),
    Variant("hash-key-type", template=[
        ("InteractionEvents", "{AttributeName: sessionId, AttributeType: S}",
         "{AttributeName: sessionId, AttributeType: N}")],
        failing=frozenset({("TS-KEY-001", EVENTS)})),
    Variant("gsi-projection", template=[
        ("InteractionEvents", "Projection: {ProjectionType: ALL}",
         "Projection: {ProjectionType: KEYS_ONLY}")],
        failing=frozenset({("TS-GSI-003", EVENTS)})),
    Variant("tag-missing", template=[
        ("PlayerRewards", "        - {Key: Owner, Value: !Ref Owner}\n", "")],
        failing=frozenset({("TS-TAG-001", REWARDS)})),
    Variant("deletion-protection", spec=[PROTECTION], template=[
        ("PlayerRewards", "      BillingMode: PAY_PER_REQUEST\n",
         "      BillingMode: PAY_PER_REQUEST\n      DeletionProtectionEnabled: true\n")],
        failing=frozenset({("TS-DEL-001", SESSIONS), ("TS-DEL-001", EVENTS)})),
    Variant("provisioned-below-minimum", spec=[
        ("", "min_capacity: 1 ", "min_capacity: 5 ")], template=[
        ("InteractionEvents", "      BillingMode: PAY_PER_REQUEST\n",
         "      BillingMode: PROVISIONED\n"
         "      ProvisionedThroughput: {ReadCapacityUnits: 10, WriteCapacityUnits: 10}\n"),
        ("InteractionEvents", "          Projection: {ProjectionType: ALL}\n",
         "          Projection: {ProjectionType: ALL}\n"
         "          ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 5}\n")],
        failing=frozenset({("TS-BILL-002", EVENTS)})),
    Variant("streams", spec=[
        ("", f"  {SESSIONS}:\n", f"  {SESSIONS}:\n    streams: {{required_in: [prod], "
         "view_type: NEW_AND_OLD_IMAGES}\n"),
        ("", f"  {EVENTS}:\n", f"  {EVENTS}:\n    streams: false\n")], template=[
        ("PlayerSessions", "      BillingMode: PAY_PER_REQUEST\n",
         "      BillingMode: PAY_PER_REQUEST\n"
         "      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}\n"),
        ("InteractionEvents", "      BillingMode: PAY_PER_REQUEST\n",
         "      BillingMode: PAY_PER_REQUEST\n"
         "      StreamSpecification: {StreamViewType: NEW_IMAGE}\n")],
        failing=frozenset({("TS-STREAM-001", EVENTS)})),
    Variant("renamed", template=[
        ("PlayerRewards", f"{PROJECT}-player-rewards-", f"{PROJECT}-player-reward-")],
        failing=frozenset({("TS-PRES-001", REWARDS), ("TS-NAME-001", "player-reward")})),
]


def _report(tmp_path: Path, *argv: str) -> dict[str, Any]:
    out = tmp_path / f"{argv[0]}.json"
    out.unlink(missing_ok=True)
    code = main([*argv, "--env", "prod", "--region", REGION, "--format", "json", "-o",
                 str(out)])
    assert code in (0, 1), code  # clean or failing findings, never a run that failed
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def _by_rule(report: dict[str, Any]) -> dict[Key, list[tuple[str, str]]]:
    """(field, status) of the compared families' findings, by (rule id, table)."""
    out: dict[Key, list[tuple[str, str]]] = {}
    for f in report["findings"]:
        if f["check"] in COMPARED:
            out.setdefault((f["rule_id"], f["table"]), []).append((f["field"], f["status"]))
    return {k: sorted(v) for k, v in out.items()}


def _failing(by_rule: dict[Key, list[tuple[str, str]]]) -> set[Key]:
    return {k for k, v in by_rule.items() if any(s == "fail" for _, s in v)}


FAMILY = {r.id: r.check for r in rules.RULES}
# what the seed spec judges on every table, whatever the variant
ALWAYS_JUDGED = frozenset({"presence", "keys", "gsi", "tags", "billing", "naming"})


def test_the_families_left_out_are_rule_families_and_the_rest_are_each_tried() -> None:
    assert NOT_COMPARED.keys() <= FAMILIES
    assert {"presence", "keys", "gsi", "tags", "billing", "deletion_protection", "naming",
            "streams"} == COMPARED
    # every compared family has a variant whose deviation it must find
    assert {FAMILY[rule] for v in VARIANTS for rule, _ in v.failing} == COMPARED


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_audit_of_the_deployed_stack_agrees_with_cfn(variant: Variant, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_edited(_base_spec(), variant.spec))
    template = tmp_path / "stack.yaml"
    template.write_text(_edited(_base_template(), variant.template))
    by_cfn = _by_rule(_report(tmp_path, "cfn", str(template), "--spec", str(spec)))
    with deployed(template.read_text()):
        by_audit = _by_rule(_report(tmp_path, "audit", "--spec", str(spec)))
    differ = {k: (by_cfn.get(k), by_audit.get(k)) for k in by_cfn.keys() | by_audit.keys()
              if by_cfn.get(k) != by_audit.get(k)}
    assert differ == {}
    assert {FAMILY[rule] for rule, _ in by_audit} >= ALWAYS_JUDGED | {
        FAMILY[rule] for rule, _ in variant.failing}  # not two empty reports
    assert _failing(by_cfn) == _failing(by_audit) == variant.failing


def test_where_moto_drops_the_template_the_audit_fails_what_cfn_passes(tmp_path: Path) -> None:
    """Why those families are left out: on the example, which passes `tablespec cfn`, the
    audit of moto's stack fails SSE, PITR, TTL and the alarms."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(_base_spec())
    template = tmp_path / "stack.yaml"
    template.write_text(_base_template())
    by_cfn = _report(tmp_path, "cfn", str(template), "--spec", str(spec))
    with deployed(template.read_text()):
        by_audit = _report(tmp_path, "audit", "--spec", str(spec))
    assert by_cfn["summary"]["failed"] == 0
    failed = {(f["rule_id"], f["table"]) for f in by_audit["findings"] if f["status"] == "fail"}
    assert {FAMILY[rule] for rule, _ in failed} == {"encryption", "pitr", "ttl", "alarms"}
    assert {("TS-SSE-001", t) for t in (SESSIONS, EVENTS, REWARDS)} <= failed
    assert {("TS-PITR-001", t) for t in (SESSIONS, EVENTS, REWARDS)} <= failed
    assert {("TS-TTL-001", SESSIONS), ("TS-TTL-001", EVENTS)} <= failed
    assert {("TS-ALARM-001", t) for t in (SESSIONS, EVENTS, REWARDS)} <= failed
