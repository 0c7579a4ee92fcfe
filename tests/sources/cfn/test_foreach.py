"""Fn::ForEach loops expanded as CloudFormation expands them: the example written with loops
gets the example's verdicts; a loop, a macro or SAM's table that is not read leaves the
tables it may make unknown, never absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.sources.cfn.foreach import MAX_WRITTEN
from checker.sources.cfn.parameters import MAX_STRING, Pseudo
from checker.sources.cfn.source import Options, read_template
from checker.sources.cfn.template import load_template
from tests.sources.cfn.test_command import EXAMPLE, failing, line_of, run

TABLES = ("player-sessions", "interaction-events", "player-rewards")
# The example's tables and alarms, the two tables alike and the six alarms written by loops.
LOOPED = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Environment: {Type: String, AllowedValues: [dev, staging, prod], Default: prod}
  Owner: {Type: String, Default: platform-team}
  CostCenter: {Type: String, Default: cc-1234}
  Slugs: {Type: CommaDelimitedList, Default: "player-sessions,interaction-events,player-rewards"}
Mappings:
  Keys:
    player-sessions: {Range: sessionId, Ttl: "true"}
    player-rewards: {Range: rewardId, Ttl: "false"}
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  Fn::ForEach::Tables:
    - Slug
    - [player-sessions, player-rewards]
    - Table&{Slug}:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Sub "hypermage-vr-${Slug}-${Environment}"
          BillingMode: PAY_PER_REQUEST
          AttributeDefinitions:
            - {AttributeName: playerId, AttributeType: S}
            - {AttributeName: !FindInMap [Keys, !Ref Slug, Range], AttributeType: S}
          KeySchema:
            - {AttributeName: playerId, KeyType: HASH}
            - {AttributeName: !FindInMap [Keys, !Ref Slug, Range], KeyType: RANGE}
          TimeToLiveSpecification:
            AttributeName: ttl
            Enabled: !FindInMap [Keys, !Ref Slug, Ttl]
          SSESpecification: {SSEEnabled: true}
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: !If [IsProd, true, false]
          Tags:
            - {Key: Project, Value: hypermage-vr}
            - {Key: Environment, Value: !Ref Environment}
            - {Key: Owner, Value: !Ref Owner}
            - {Key: CostCenter, Value: !Ref CostCenter}
@EVENTS@
  Alerts:
    Type: AWS::SNS::Topic
  Fn::ForEach::Alarms:
    - Slug
    - !Ref Slugs
    - Fn::ForEach::Metrics:
        - Metric
        - [Read, Write]
        - "&{Slug}${Metric}Throttles":
            Type: AWS::CloudWatch::Alarm
            Properties:
              AlarmName: !Sub "hypermage-vr-${Slug}-${Environment}-${Metric}-throttles"
              Namespace: AWS/DynamoDB
              MetricName: !Sub "${Metric}ThrottleEvents"
              Dimensions:
                - {Name: TableName, Value: !Sub "hypermage-vr-${Slug}-${Environment}"}
              Statistic: Sum
              ComparisonOperator: GreaterThanThreshold
              Threshold: 10
              Period: 300
              EvaluationPeriods: 1
              AlarmActions: [!Ref Alerts]
"""


def _events() -> str:
    """The example's InteractionEvents table, as it is written there."""
    text = EXAMPLE.read_text()
    start = text.index("  InteractionEvents:\n")
    return text[start:text.index("\n\n", start)]


def looped() -> str:
    """The looped template."""
    return LOOPED.replace("@EVENTS@", _events())


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_the_example_written_with_loops_gets_the_examples_verdicts(tmp_path: Path,
                                                                   env: str) -> None:
    param = ("--parameter", f"Environment={env}")
    code, findings = run(tmp_path, looped(), *param, name="looped.yaml")
    _, plain = run(tmp_path, EXAMPLE.read_text(), *param)
    assert code == 0 and failing(findings) == []
    assert sorted((f["status"], f["rule_id"], f["table"], f["field"]) for f in findings) \
        == sorted((f["status"], f["rule_id"], f["table"], f["field"]) for f in plain)


def test_a_deviation_in_a_loop_is_reported_on_the_fragments_line(tmp_path: Path) -> None:
    text = looped().replace("PointInTimeRecoveryEnabled: !If [IsProd, true, false]",
                            "PointInTimeRecoveryEnabled: false", 1)
    code, findings = run(tmp_path, text, name="looped.yaml")
    assert code == 1
    found = [f for f in findings if f["status"] == "fail"]
    assert {(f["rule_id"], f["table"], f["field"]) for f in found} == {
        ("TS-PITR-001", t, "point_in_time_recovery.enabled")
        for t in ("player-sessions", "player-rewards")}
    assert {f["location"]["line"] for f in found} == {
        line_of(text, "PointInTimeRecoverySpecification:")}


def test_a_collection_from_a_parameter_follows_its_value(tmp_path: Path) -> None:
    """The alarms' loop reads the Slugs parameter: without interaction-events, its alarms
    are gone and it fails, named on its own table."""
    code, findings = run(tmp_path, looped(), "--parameter",
                         "Slugs=player-sessions,player-rewards", name="looped.yaml")
    assert code == 1
    assert {(f["rule_id"], f["table"]) for f in findings if f["status"] == "fail"} == {
        ("TS-ALARM-001", "interaction-events")}


def test_a_loop_only_deploy_can_expand_leaves_its_tables_unknown(tmp_path: Path) -> None:
    text = looped().replace("    - [player-sessions, player-rewards]\n",
                            "    - !Ref Chosen\n").replace(
        "Parameters:\n", "Parameters:\n  Chosen: {Type: CommaDelimitedList}\n")
    code, findings = run(tmp_path, text, name="looped.yaml")
    presence = {f["table"]: f["status"] for f in findings if f["rule_id"] == "TS-PRES-001"}
    assert presence == {"player-sessions": "unknown", "player-rewards": "unknown",
                        "interaction-events": "pass"}
    why = next(f["message"] for f in findings if f["rule_id"] == "TS-PRES-001"
               and f["status"] == "unknown")
    assert "Fn::ForEach::Tables is not expanded" in why and "Chosen" in why
    assert code == 0  # an unknown fails only with --fail-on-unknown
    assert {(status, table) for status, _, table, _ in failing(findings)} == {
        ("unknown", "player-sessions"), ("unknown", "player-rewards"),
        ("unknown", "(unnamed)")}  # the loop itself, as a place that holds tables


@pytest.mark.parametrize(("transform", "resource", "says"), [
    ("MyMacro", "", "the Transform 'MyMacro' is a macro"),
    ("AWS::Serverless-2016-10-31", "  Rewards:\n    Type: AWS::Serverless::SimpleTable\n",
     "TableName is not set: CloudFormation names the table"),  # SAM's, with no name
])
def test_what_tablespec_cannot_expand_leaves_absent_tables_unknown(
        tmp_path: Path, transform: str, resource: str, says: str) -> None:
    text = EXAMPLE.read_text()
    start = text.index("  PlayerRewards:\n")
    text = text[:start] + resource + text[text.index("\n\n", start) + 2:]
    text = text.replace("Resources:\n", f"Transform: {transform}\nResources:\n", 1)
    text = text[:text.index("  PlayerRewardsReadThrottles:")]
    _, findings = run(tmp_path, text)
    rewards = [f for f in findings if f["table"] == "player-rewards"]
    assert {f["status"] for f in rewards if f["rule_id"] == "TS-PRES-001"} == {"unknown"}
    assert says in next(f["message"] for f in rewards if f["rule_id"] == "TS-PRES-001")
    assert failing([f for f in findings if f["table"] != "player-rewards"]) == [
        ("unknown", "TS-NAME-001", "(unnamed)", "name")]  # what the place holds


def test_a_loop_in_conditions_and_in_properties(tmp_path: Path) -> None:
    text = looped().replace("Conditions:\n", "Conditions:\n  Fn::ForEach::Envs:\n"
                            "    - E\n    - [dev, prod]\n"
                            "    - Is${E}: !Equals [!Ref Environment, !Ref E]\n").replace(
        "!If [IsProd, true, false]", "!If [Isprod, true, false]")
    code, findings = run(tmp_path, text, name="looped.yaml")
    assert code == 0 and failing(findings) == []


@pytest.mark.parametrize(("change", "says"), [
    (("Table&{Slug}:", "Table:"), "writes 'Table' twice"),
    (("  Alerts:\n", "  Tableplayersessions:\n"), "'Tableplayersessions' is written twice"),
])
def test_a_loop_that_writes_a_name_twice_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str],
        says: str) -> None:
    code, _ = run(tmp_path, looped().replace(*change, 1), name="looped.yaml")
    error = capsys.readouterr().err
    assert code == 2 and says in error and "looped.yaml:" in error
    assert len(error.strip().splitlines()) == 1


def test_loops_are_bounded(tmp_path: Path) -> None:
    """Four nested loops of 40 values would write 2.5 million resources: the loop is not
    expanded (past MAX_WRITTEN entries), and the tables it may make are unknown."""
    loop: object = {"Type": "AWS::SNS::Topic"}
    key = "R${Top}"
    for i in range(4):
        key += f"${{I{i}}}"
    loop = {key: loop}
    for i in reversed(range(4)):
        loop = {f"Fn::ForEach::L{i}": [f"I{i}", [f"v{n}" for n in range(40)], loop]}
    text = json.dumps({"Resources": {"Fn::ForEach::Outer": ["Top", ["a"], loop]}})
    read = read_template(load_template("t.yaml", text), Options(pseudo=Pseudo()))
    assert [s.resource for s in read.states] == ["t.yaml:Fn::ForEach::Outer"]
    assert f"more than {MAX_WRITTEN:,} entries" in read.notes[0]


def test_a_loop_spelt_with_escapes_is_still_expanded(tmp_path: Path) -> None:
    """The quick test for loops (the text names ForEach) does not miss one whose key JSON
    spells with escapes."""
    text = json.dumps({"Resources": {"Fn::ForEach::Tables": ["N", ["a", "b"], {
        "T${N}": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": {"Fn::Sub": "t-${N}"}}}}]}}).replace("ForEach", "\\u0046orEach")
    template = load_template("t.json", text)
    assert template.may_loop
    read = read_template(template, Options(pseudo=Pseudo()))
    assert read.notes == [] and [s.name for s in read.states] == ["t-a", "t-b"]
    assert not load_template("u.yaml", EXAMPLE.read_text()).may_loop  # walked for none


def test_a_value_put_in_many_times_is_bounded() -> None:
    """A long collection value put in twenty times in one string: not written (more than a
    string's bound), and the tables the loop may make are unknown."""
    big = "x" * 100_000
    text = json.dumps({"Resources": {"Fn::ForEach::Big": ["V", [big], {
        "T": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": {"Fn::Sub": "${V}" * 20}}}}]}})
    read = read_template(load_template("t.json", text), Options(pseudo=Pseudo()))
    assert [s.resource for s in read.states] == ["t.json:Fn::ForEach::Big"]
    assert f"more than {MAX_STRING:,} characters" in read.notes[0]
