"""SAM's AWS::Serverless::SimpleTable read through aws-sam-translator, and SAM's
samconfig.toml parameter overrides."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

SPEC = """version: 1
project: shop
naming: {pattern: "{project}-{table}-{environment}"}
environments: [dev, prod]
defaults:
  encryption: aws_managed
  pitr: {required_in: [prod]}
  billing: {modes: [PAY_PER_REQUEST]}
  tags: {required: [Owner]}
  alarms:
    required_in: [prod]
    metrics:
      - {metric: ReadThrottleEvents, namespace: AWS/DynamoDB, statistic: Sum,
         comparison: GreaterThanThreshold, threshold: 10, period: 300,
         evaluation_periods: 1, action_required: true}
tables:
  carts:
    hash_key: {name: cartId, type: S}
    ttl: false
"""
TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, AllowedValues: [dev, prod], Default: dev}
Globals:
  SimpleTable:
    SSESpecification: {SSEEnabled: true}
Resources:
  Carts:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: !Sub "shop-carts-${Stage}"
      PrimaryKey: {Name: cartId, Type: String}
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      Tags: {Owner: shop-team}
  Throttles:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/DynamoDB
      MetricName: ReadThrottleEvents
      Statistic: Sum
      ComparisonOperator: GreaterThanThreshold
      Threshold: 10
      Period: 300
      EvaluationPeriods: 1
      AlarmActions: [arn:aws:sns:eu-west-1:123456789012:alerts]
      Dimensions: [{Name: TableName, Value: !Ref Carts}]
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies: [AmazonDynamoDBReadOnlyAccess]
"""


def run(tmp_path: Path, text: str, *args: str) -> tuple[int, list[dict[str, Any]], list[str]]:
    """`tablespec cfn` on template.yaml (*text*): exit code, findings, notes."""
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "template.yaml").write_text(text)
    out = tmp_path / "report.json"
    code = main(["cfn", str(tmp_path / "template.yaml"), "--spec", str(tmp_path / "spec.yaml"),
                 "--format", "json", "-o", str(out), *args])
    report = json.loads(out.read_text())
    return code, report["findings"], [n["message"] for n in report["notes"]]


def not_passing(found: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((f["status"], f["rule_id"], f["field"]) for f in found
                  if f["status"] != "pass")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_a_simple_table_is_the_table_sam_makes(tmp_path: Path, stage: str) -> None:
    code, found, _ = run(tmp_path, TEMPLATE, "--parameter", f"Stage={stage}")
    assert code == 0 and not_passing(found) == []
    assert {(f["table"], f["environment"]) for f in found} == {("carts", stage)}
    assert {f["resource"] for f in found} == {"Carts", "Throttles"}  # its alarm, by Ref


@pytest.mark.parametrize(("change", "finding"), [
    (("    SSESpecification: {SSEEnabled: true}\n", "    SSESpecification: {SSEEnabled: false}\n"),
     ("fail", "TS-SSE-001", "server_side_encryption")),  # Globals apply
    (("PointInTimeRecoveryEnabled: true", "PointInTimeRecoveryEnabled: false"),
     ("fail", "TS-PITR-001", "point_in_time_recovery.enabled")),
    (("PrimaryKey: {Name: cartId, Type: String}", "PrimaryKey: {Name: cartId, Type: Number}"),
     ("fail", "TS-KEY-001", "hash_key")),
])
def test_a_deviation_of_a_simple_table_fails_on_its_line(
        tmp_path: Path, change: tuple[str, str], finding: tuple[str, str, str]) -> None:
    code, found, _ = run(tmp_path, TEMPLATE.replace(*change), "--parameter", "Stage=prod")
    assert code == 1 and not_passing(found) == [finding]
    line = TEMPLATE.splitlines().index("  Carts:") + 1
    assert {f["location"]["line"] for f in found if f["status"] == "fail"} == {line}


def test_without_the_translator_a_simple_table_is_unknown(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    for name in [n for n in sys.modules if n.split(".")[0] == "samtranslator"] + [
            "samtranslator"]:
        monkeypatch.setitem(sys.modules, name, None)  # as if it were not installed
    code, found, notes = run(tmp_path, TEMPLATE)
    assert code == 0 and {s for s, *_ in not_passing(found)} == {"unknown"}
    assert any("pip install 'tablespec[sam]'" in n for n in notes)


def test_a_simple_table_without_sams_transform_is_unknown(tmp_path: Path) -> None:
    _, found, notes = run(tmp_path, TEMPLATE.replace("Transform: AWS::Serverless-2016-10-31\n",
                                                     ""))
    assert {f["status"] for f in found if f["rule_id"] == "TS-PRES-001"} == {"unknown"}
    assert any("no SAM Transform" in n for n in notes)


def test_the_translator_is_imported_only_for_a_sam_template(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "plain.yaml").write_text(
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    probe = ("import sys; from checker.cli import main; main(['cfn', sys.argv[1], '--spec', "
             "sys.argv[2], '--env', 'dev', '-o', sys.argv[3]]); "
             "print('samtranslator' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "plain.yaml"),
                           str(tmp_path / "spec.yaml"), str(tmp_path / "out.txt")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


@pytest.mark.parametrize(("config", "env", "stage"), [
    ('[default.deploy.parameters]\nparameter_overrides = "Stage=prod Other=\'a b\'"\n',
     "default", "prod"),
    ('[default.global.parameters]\nparameter_overrides = ["Stage=prod"]\n'
     '[default.deploy.parameters]\nparameter_overrides = ["Stage=dev"]\n', "default", "dev"),
    ('[default.deploy.parameters]\nparameter_overrides = "Stage=dev"\n'
     '[live.deploy.parameters]\nparameter_overrides = "Stage=prod"\n', "live", "prod"),
])
def test_samconfig_parameter_overrides(tmp_path: Path, config: str, env: str,
                                       stage: str) -> None:
    (tmp_path / "samconfig.toml").write_text(config)
    template = TEMPLATE.replace("Parameters:\n", "Parameters:\n  Other: {Type: String, "
                                                  "Default: x}\n")
    code, found, _ = run(tmp_path, template, "--parameter-file",
                         str(tmp_path / "samconfig.toml"), "--config-env", env)
    assert code == 0 and {f["environment"] for f in found} == {stage}


@pytest.mark.parametrize(("config", "says"), [
    ("[default\n", "not valid TOML"),
    ("[other.deploy.parameters]\nx = 1\n", "no config environment 'default'"),
    ('[default.deploy.parameters]\nparameter_overrides = "Stage"\n', "is not KEY=VALUE"),
    ('[default.deploy.parameters]\nparameter_overrides = 5\n', "not text or a list"),
])
def test_a_bad_samconfig_is_exit_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             config: str, says: str) -> None:
    (tmp_path / "samconfig.toml").write_text(config)
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    code = main(["cfn", str(tmp_path / "template.yaml"), "--spec", str(tmp_path / "spec.yaml"),
                 "--parameter-file", str(tmp_path / "samconfig.toml")])
    error = capsys.readouterr().err
    assert code == 2 and says in error and "samconfig.toml" in error
    assert len(error.strip().splitlines()) == 1
