"""`tablespec cfn` end to end, on the bundled example template and one deviation at a
time: the rule, the table, the field and the template line of each finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from tests.support.paths import REPO

EXAMPLE = REPO / "examples" / "cloudformation" / "tables.yaml"
SPEC = str(REPO / "specs" / "tables.yaml")
Finding = tuple[str, str, str, str]  # (status, rule id, table, field)


def run(tmp_path: Path, text: str, *args: str, name: str = "stack.yaml"
        ) -> tuple[int, list[dict[str, Any]]]:
    """`tablespec cfn` on a template of *text*: the exit code and the findings."""
    template = tmp_path / name
    template.write_text(text)
    out = tmp_path / "report.json"
    code = main(["cfn", str(template), "--spec", SPEC, "--format", "json", "-o", str(out),
                 *args])
    return code, json.loads(out.read_text())["findings"] if out.exists() else []


def failing(findings: list[dict[str, Any]]) -> list[Finding]:
    """(status, rule, table, field) of each finding that did not pass."""
    return sorted((f["status"], f["rule_id"], f["table"], f["field"]) for f in findings
                  if f["status"] != "pass")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line of the *nth* occurrence of *needle* in *text*."""
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth - 1]


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_the_example_passes_in_every_environment(tmp_path: Path, env: str) -> None:
    code, findings = run(tmp_path, EXAMPLE.read_text(), "--parameter", f"Environment={env}")
    assert code == 0 and failing(findings) == []
    assert {f["table"] for f in findings} == {"player-sessions", "interaction-events",
                                              "player-rewards"}
    assert {f["environment"] for f in findings} == {env}


DEVIATIONS = [
    # (what changes, old text, new text, its nth occurrence, the finding, the resource, the
    # property whose line the finding names: the first after the resource's own line)
    ("PITR off in prod", "PointInTimeRecoveryEnabled: !If [IsProd, true, false]",
     "PointInTimeRecoveryEnabled: false", 1,
     ("fail", "TS-PITR-001", "player-sessions", "point_in_time_recovery.enabled"),
     "PlayerSessions:", "PointInTimeRecoverySpecification"),
    ("a hash key of another type", "{AttributeName: sessionId, AttributeType: S}",
     "{AttributeName: sessionId, AttributeType: N}", 2,
     ("fail", "TS-KEY-001", "interaction-events", "hash_key"), "InteractionEvents:",
     "KeySchema"),
    ("encryption off", "SSEEnabled: true", "SSEEnabled: false", 3,
     ("fail", "TS-SSE-001", "player-rewards", "server_side_encryption"), "PlayerRewards:",
     "SSESpecification"),
    ("an index projecting keys only", "Projection: {ProjectionType: ALL}",
     "Projection: {ProjectionType: KEYS_ONLY}", 1,
     ("fail", "TS-GSI-003", "interaction-events",
      "global_secondary_index.PlayerIdIndex.projection_type"), "InteractionEvents:",
     "IndexName: PlayerIdIndex"),
    ("an alarm's threshold", "Threshold: 10", "Threshold: 50", 1,
     ("fail", "TS-ALARM-002", "player-sessions", "alarms.ReadThrottleEvents"),
     "PlayerSessionsReadThrottles:", "Threshold"),
]


@pytest.mark.parametrize(("what", "old", "new", "nth", "finding", "resource", "needle"),
                         DEVIATIONS, ids=[d[0] for d in DEVIATIONS])
def test_one_deviation_is_one_finding_on_its_line(
        tmp_path: Path, what: str, old: str, new: str, nth: int, finding: Finding,
        resource: str, needle: str) -> None:
    lines = EXAMPLE.read_text().splitlines()
    at = line_of("\n".join(lines), old, nth)
    lines[at - 1] = lines[at - 1].replace(old, new)
    code, findings = run(tmp_path, "\n".join(lines) + "\n")
    assert code == 1
    assert failing(findings) == [finding]
    start = line_of("\n".join(lines), resource)
    expected = next(i for i, line in enumerate(lines, 1)
                    if i > start and line.strip().lstrip("- ").startswith(needle))
    assert next(f for f in findings if f["status"] == "fail")["location"]["line"] == expected


TABLE = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {{Type: String}}
Conditions:
  Maybe: !Equals [!Ref Env, prod]
Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
{extra}    Properties:
      TableName: hypermage-vr-player-sessions-prod
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: playerId, AttributeType: S}},
                             {{AttributeName: sessionId, AttributeType: S}}]
      KeySchema: [{{AttributeName: playerId, KeyType: HASH}},
                  {{AttributeName: sessionId, KeyType: RANGE}}]
      TimeToLiveSpecification: {{AttributeName: ttl, Enabled: true}}
      SSESpecification: {{SSEEnabled: true}}
      PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: {pitr}}}
"""


def sessions(tmp_path: Path, pitr: str = "true", extra: str = "", *args: str
             ) -> dict[str, str]:
    """Rule id -> status of the sessions table's findings (prod)."""
    _, findings = run(tmp_path, TABLE.format(pitr=pitr, extra=extra), "--env", "prod", *args)
    return {f["rule_id"]: f["status"] for f in findings if f["table"] == "player-sessions"}


@pytest.mark.parametrize(("pitr", "status"), [
    ("true", "pass"), ('"true"', "pass"), ('"False"', "fail"), ('"yes"', "unknown"),
    ("1", "unknown"), ("!If [Maybe, true, false]", "unknown"),
    ("!If [Maybe, true, true]", "pass")])
def test_a_boolean_is_one_or_its_text_and_nothing_else(tmp_path: Path, pitr: str,
                                                       status: str) -> None:
    assert sessions(tmp_path, pitr)["TS-PITR-001"] == status


def test_a_table_that_may_not_be_created_is_neither_present_nor_absent(tmp_path: Path) -> None:
    assert sessions(tmp_path, "true", "    Condition: Maybe\n")["TS-PRES-001"] == "unknown"
    assert sessions(tmp_path, "true", "    Condition: Maybe\n", "--parameter", "Env=prod")[
        "TS-PRES-001"] == "pass"
    assert sessions(tmp_path, "true", "    Condition: Maybe\n", "--parameter", "Env=dev")[
        "TS-PRES-001"] == "fail"


def test_a_skip_in_the_metadata_waives_the_rule(tmp_path: Path) -> None:
    skip = ("    Metadata:\n      tablespec:\n        skip:\n"
            "          - {id: TS-PITR-001, reason: restored from backups}\n")
    assert sessions(tmp_path, "false", skip)["TS-PITR-001"] == "waived"
    checkov = "    Metadata:\n      checkov:\n        skip:\n          - {id: CKV_TS_PITR_001}\n"
    assert sessions(tmp_path, "false", checkov)["TS-PITR-001"] == "waived"


@pytest.mark.parametrize(("text", "says"), [
    ("Resources: [1, 2]\n", "not a CloudFormation template"),
    ("Resources:\n  T: {Type: AWS::DynamoDB::Table\n", "not valid YAML"),
    ('{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}},}', "not valid JSON"),
])
def test_a_bad_template_is_exit_2_and_one_line(tmp_path: Path, text: str, says: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(tmp_path, text)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and says in err[0] and "stack.yaml" in err[0]


def test_a_directory_passes_over_what_is_not_a_template(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "stack.yaml").write_text(EXAMPLE.read_text())
    out = tmp_path / "report.json"
    assert main(["cfn", str(tmp_path), "--spec", SPEC, "--format", "json", "-o",
                 str(out)]) == 0
    assert json.loads(out.read_text())["source"]["kind"] == "cfn"


def test_a_scalable_target_ties_to_its_table(tmp_path: Path) -> None:
    target = """  Read:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Sub "table/${Sessions}"
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      MinCapacity: "5"
      MaxCapacity: 100
"""
    text = TABLE.format(pitr="true", extra="").replace(
        "BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED\n"
        "      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}") + target
    spec = Path(SPEC).read_text().replace("\ndefaults:\n", "\ndefaults:\n  capacity:\n"
                                          "    autoscaling: {required_in: [prod], min: 5}\n")
    (tmp_path / "spec.yaml").write_text(spec)
    (tmp_path / "stack.yaml").write_text(text)
    out = tmp_path / "r.json"
    main(["cfn", str(tmp_path / "stack.yaml"), "--spec", str(tmp_path / "spec.yaml"),
          "--env", "prod", "--format", "json", "-o", str(out)])
    found = {(f["rule_id"], f["field"]): f["status"] for f in json.loads(out.read_text())[
        "findings"] if f["table"] == "player-sessions" and f["rule_id"] == "TS-CAP-002"}
    assert found == {("TS-CAP-002", "autoscaling.read"): "pass",
                     ("TS-CAP-002", "autoscaling.write"): "fail"}


def test_a_block_that_may_be_left_out_is_judged_for_both(tmp_path: Path) -> None:
    either = "!If [Maybe, {PointInTimeRecoveryEnabled: true}, !Ref AWS::NoValue]"
    text = TABLE.format(pitr="true", extra="").replace(
        "PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}",
        f"PointInTimeRecoverySpecification: {either}")
    _, findings = run(tmp_path, text, "--env", "prod")
    assert {f["rule_id"]: f["status"] for f in findings
            if f["table"] == "player-sessions"}["TS-PITR-001"] == "unknown"
    _, findings = run(tmp_path, text, "--env", "prod", "--parameter", "Env=dev")
    assert {f["rule_id"]: f["status"] for f in findings
            if f["table"] == "player-sessions"}["TS-PITR-001"] == "fail"


@pytest.mark.parametrize(("transform", "collection", "noted"), [
    ("AWS::LanguageExtensions", "[a, b]", []),  # expanded: nothing left unread
    ("[AWS::LanguageExtensions, Mine]", "[a, b]", ["Transform 'Mine' is a macro"]),
    ("AWS::LanguageExtensions", "!Ref Names", ["Fn::ForEach::Topics is not expanded"]),
])
def test_what_is_not_read_is_noted(tmp_path: Path, transform: str, collection: str,
                                   noted: list[str]) -> None:
    text = TABLE.format(pitr="true", extra="").replace(
        'AWSTemplateFormatVersion: "2010-09-09"\n',
        f'AWSTemplateFormatVersion: "2010-09-09"\nTransform: {transform}\n').replace(
        "Parameters:\n", "Parameters:\n  Names: {Type: CommaDelimitedList}\n")
    text = text.replace("Resources:\n", "Resources:\n  Fn::ForEach::Topics:\n    - Name\n"
                        f"    - {collection}\n    - T${{Name}}:\n        Type: AWS::SNS::Topic\n")
    (tmp_path / "stack.yaml").write_text(text)
    out = tmp_path / "r.json"
    main(["cfn", str(tmp_path / "stack.yaml"), "--spec", SPEC, "--env", "prod", "--format",
          "json", "-o", str(out)])
    notes = [n["message"] for n in json.loads(out.read_text())["notes"]]
    unread = [n for n in notes if "the tables it may make are unknown" in n]
    assert len(unread) == len(noted) and all(any(s in n for n in unread) for s in noted)


@pytest.mark.parametrize(("given", "env"), [("dev", "dev"), ("prod", "prod")])
def test_a_parameter_the_spec_names_is_the_stacks_environment(tmp_path: Path, given: str,
                                                              env: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(Path(SPEC).read_text().replace(
        'pattern: "{project}-{table}-{environment}"',
        'pattern: "{project}-{table}"\n  environment_parameter: Environment'))
    text = EXAMPLE.read_text().replace("-${Environment}", "")
    (tmp_path / "stack.yaml").write_text(text)
    out = tmp_path / "r.json"
    main(["cfn", str(tmp_path / "stack.yaml"), "--spec", str(spec), "--parameter",
          f"Environment={given}", "--format", "json", "-o", str(out)])
    found = json.loads(out.read_text())["findings"]
    assert {f["environment"] for f in found} == {env}
    assert failing(found) == []


def test_a_misspelled_property_is_noted_and_the_rest_checked(tmp_path: Path) -> None:
    text = TABLE.format(pitr="true", extra="").replace(
        "PointInTimeRecoverySpecification:", "PointInTimeRecoverySpecifcation:")
    (tmp_path / "stack.yaml").write_text(text)
    out = tmp_path / "r.json"
    main(["cfn", str(tmp_path / "stack.yaml"), "--spec", SPEC, "--env", "prod", "--format",
          "json", "-o", str(out)])
    report = json.loads(out.read_text())
    line = line_of(text, "PointInTimeRecoverySpecifcation")
    assert any(f"stack.yaml:{line}:" in n["message"] and "does not have" in n["message"]
               for n in report["notes"])
    pitr = {f["rule_id"]: f["status"] for f in report["findings"]
            if f["table"] == "player-sessions"}
    assert pitr["TS-PITR-001"] == "fail" and pitr["TS-KEY-001"] == "pass"


def test_a_parameter_goes_to_the_templates_that_declare_it_and_a_stray_one_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / "b.yaml").write_text(TABLE.format(pitr="true", extra="").replace(
        "hypermage-vr-player-sessions-prod", "hypermage-vr-other-prod"))
    out = tmp_path / "r.json"
    args = ["cfn", str(tmp_path), "--spec", SPEC, "--format", "json", "-o", str(out)]
    assert main([*args, "--parameter", "Environment=dev"]) in (0, 1)  # b.yaml has none
    found = {(f["rule_id"], f["environment"]): f["status"]
             for f in json.loads(out.read_text())["findings"] if f["table"] == "player-rewards"}
    assert found[("TS-PRES-001", "dev")] == "pass"  # a.yaml, evaluated with Environment=dev
    assert main([*args, "--parameter", "Enviroment=dev"]) == 2
    assert "parameter Enviroment, which no template read declares" in capsys.readouterr().err
