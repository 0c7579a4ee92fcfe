"""The same shape, the same verdict: the CloudFormation example and the Terraform example
describe the same three tables; each deviation written the same way in both gives the same
findings, rule by rule, through `tablespec cfn` and `tablespec hcl`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.cli import main
from tests.support.paths import REPO

CFN = REPO / "examples" / "cloudformation" / "tables.yaml"
TERRAFORM = REPO / "examples" / "terraform"
MODULE = Path("modules") / "dynamodb" / "main.tf"
Verdicts = set[tuple[str, str, str]]  # (rule id, table, status)

# (what, the template's text and its change, the module's text and its change; the first of
# each is changed: the player-sessions table in both)
SHAPES = [
    ("as written", ("", ""), ("", "")),
    ("PITR off", ("PointInTimeRecoveryEnabled: !If [IsProd, true, false]",
                  "PointInTimeRecoveryEnabled: false"),
     ("enabled = var.enable_point_in_time_recovery", "enabled = false")),
    ("encryption off", ("SSEEnabled: true", "SSEEnabled: false"),
     ("    enabled     = true\n    kms_key_arn = var.kms_key_arn",
      "    enabled     = false\n    kms_key_arn = var.kms_key_arn")),
    ("a key of another type", ("{AttributeName: playerId, AttributeType: S}",
                               "{AttributeName: playerId, AttributeType: N}"),
     ('name = "playerId"\n    type = "S"', 'name = "playerId"\n    type = "N"')),
    ("TTL off", ("        AttributeName: ttl\n        Enabled: true",
                 "        AttributeName: ttl\n        Enabled: false"),
     ('    enabled        = true\n    attribute_name = "ttl"',
      '    enabled        = false\n    attribute_name = "ttl"')),
]


def _report(args: list[str], out: Path) -> Verdicts:
    assert main([*args, "--spec", str(REPO / "specs" / "tables.yaml"), "--env", "prod",
                 "--format", "json", "-o", str(out)]) in (0, 1)
    return {(f["rule_id"], f["table"], f["status"])
            for f in json.loads(out.read_text())["findings"]}


@pytest.mark.parametrize(("what", "cfn", "tf"), SHAPES, ids=[s[0] for s in SHAPES])
def test_cfn_and_hcl_agree_rule_by_rule(tmp_path: Path, what: str, cfn: tuple[str, str],
                                        tf: tuple[str, str]) -> None:
    template = tmp_path / "stack.yaml"
    text = CFN.read_text()
    assert cfn[0] in text
    template.write_text(text.replace(cfn[0], cfn[1], 1))
    tree = tmp_path / "terraform"
    shutil.copytree(TERRAFORM, tree, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    module = tree / MODULE
    source = module.read_text()
    assert tf[0] in source
    module.write_text(source.replace(tf[0], tf[1], 1))
    ours = _report(["cfn", str(template)], tmp_path / "cfn.json")
    subprocess.run(["git", "init", "-q", str(tree)], check=True)  # the module's place
    theirs = _report(["hcl", str(tree / "environments" / "prod")], tmp_path / "hcl.json")
    assert ours == theirs
    failing = {(r, t) for r, t, s in ours if s == "fail"}
    assert bool(failing) is (what != "as written")
