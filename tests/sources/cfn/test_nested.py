"""Nested stacks: the child template read as its parent deploys it, with the parameters the
parent passes; a child that cannot be read leaves the tables it may make unknown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.sources.cfn.nested import MAX_STACKS
from checker.sources.cfn.parameters import Pseudo
from checker.sources.cfn.source import Options, read_template
from checker.sources.cfn.template import load_template
from tests.sources.cfn.test_command import EXAMPLE, SPEC, failing

PARENT = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Decided: {Type: String}
Conditions:
  AtDeploy: !Equals [!Ref Decided, "yes"]
Resources:
  Tables:
    Type: AWS::CloudFormation::Stack
@CONDITION@    Properties:
      TemplateURL: @URL@
      Parameters:
        Environment: prod
        Owner: @OWNER@
"""


def parent(url: str = "children/tables.yaml", owner: str = "team-x",
           condition: str = "") -> str:
    """A parent that nests the example (at *url*), passing *owner* as its Owner."""
    return PARENT.replace("@URL@", url).replace("@OWNER@", owner).replace(
        "@CONDITION@", condition)


def cfn(tmp_path: Path, text: str, *paths: str) -> tuple[int, list[dict[str, Any]], list[str]]:
    """`tablespec cfn` on parent.yaml (or *paths*) beside children/tables.yaml (the example,
    unless the test wrote it): the exit code, the findings and the notes."""
    import json

    from checker.cli import main

    child = tmp_path / "children" / "tables.yaml"
    if not child.exists():
        child.parent.mkdir()
        child.write_text(EXAMPLE.read_text())
    (tmp_path / "parent.yaml").write_text(text)
    out = tmp_path / "report.json"
    code = main(["cfn", *(paths or [str(tmp_path / "parent.yaml")]), "--spec", SPEC,
                 "--format", "json", "-o", str(out)])
    report = json.loads(out.read_text())
    return code, report["findings"], [n["message"] for n in report["notes"]]


def test_the_child_is_read_with_what_the_parent_passes(tmp_path: Path) -> None:
    code, findings, _ = cfn(tmp_path, parent())
    assert code == 0 and failing(findings) == []
    assert {f["environment"] for f in findings} == {"prod"}
    code, findings, _ = cfn(tmp_path, parent(owner='""'))
    assert code == 1
    assert failing(findings) == [("fail", "TS-TAG-001", t, "tags.Owner")
                                 for t in ("interaction-events", "player-rewards",
                                           "player-sessions")]
    child = str(tmp_path / "children" / "tables.yaml")
    assert {f["location"]["file"] for f in findings if f["status"] == "fail"} == {child}


def test_a_child_found_in_the_directory_too_is_read_once(tmp_path: Path) -> None:
    code, findings, _ = cfn(tmp_path, parent(), str(tmp_path))
    assert code == 0 and failing(findings) == []
    presence = [f for f in findings if f["rule_id"] == "TS-PRES-001"]
    assert len(presence) == 3


@pytest.mark.parametrize(("url", "says"), [
    ("https://s3.amazonaws.com/bucket/tables.yaml", "not here (check the template before"),
    ("children/missing.yaml", "is not a file beside"),
    ("parent.yaml", "is a stack it is nested in"),
    ("!Ref Decided", "its TemplateURL is not known"),
])
def test_a_child_not_read_leaves_its_tables_unknown(tmp_path: Path, url: str,
                                                    says: str) -> None:
    code, findings, notes = cfn(tmp_path, parent(url=url))
    assert code == 0
    presence = {f["table"]: f["status"] for f in findings if f["rule_id"] == "TS-PRES-001"}
    assert set(presence.values()) == {"unknown"} and len(presence) == 3
    assert any(says in n and "nested stack Tables is not read" in n for n in notes)


@pytest.mark.parametrize("change", [
    {"condition": "    Condition: AtDeploy\n"},  # the stack may not be created
    {"owner": "!If [AtDeploy, team-x, \"\"]"},  # what it passes is known only at deploy
])
def test_what_deploy_decides_about_a_child_is_unknown(tmp_path: Path,
                                                      change: dict[str, str]) -> None:
    code, findings, _ = cfn(tmp_path, parent(**change))
    assert code == 0
    assert {status for status, *_ in failing(findings)} == {"unknown"}


def test_nesting_is_bounded(tmp_path: Path) -> None:
    """Each level nests the next three times: 3**6 stacks, of which MAX_STACKS are read."""
    for level in range(6):
        stacks = "".join(f"  S{i}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
                         f"      TemplateURL: l{level + 1}.yaml\n" for i in range(3))
        (tmp_path / f"l{level}.yaml").write_text(f"Resources:\n{stacks}")
    (tmp_path / "l6.yaml").write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    read = read_template(load_template(str(tmp_path / "l0.yaml")), Options(pseudo=Pseudo()))
    unread = [n for n in read.notes if f"more than {MAX_STACKS} nested stacks" in n]
    assert unread and len(read.states) == len(unread)


def test_two_templates_that_nest_each_other_are_each_read_once(tmp_path: Path) -> None:
    child = tmp_path / "children" / "tables.yaml"
    child.parent.mkdir()
    child.write_text(EXAMPLE.read_text() + "\n  Parent:\n    Type: AWS::CloudFormation::Stack\n"
                     "    Properties:\n      TemplateURL: ../parent.yaml\n")
    _, findings, notes = cfn(tmp_path, parent(), str(tmp_path))
    presence = [(f["table"], f["status"]) for f in findings if f["rule_id"] == "TS-PRES-001"]
    assert sorted(presence) == [(t, "pass") for t in ("interaction-events", "player-rewards",
                                                       "player-sessions")]
    assert any("is a stack it is nested in" in n for n in notes)


@pytest.mark.parametrize(("tags", "expected"), [
    ("      Tags: [{Key: CostCenter, Value: cc-1}]\n", []),
    ("", [("fail", "TS-TAG-001", t, "tags.CostCenter")
          for t in ("interaction-events", "player-rewards", "player-sessions")]),
])
def test_the_nested_stacks_tags_are_its_tables_tags(tmp_path: Path, tags: str,
                                                    expected: list[tuple[str, ...]]) -> None:
    """CloudFormation puts a stack's tags on its resources: a child's tables have them."""
    child = tmp_path / "children" / "tables.yaml"
    child.parent.mkdir()
    child.write_text(EXAMPLE.read_text().replace(
        "        - {Key: CostCenter, Value: !Ref CostCenter}\n", ""))
    _, findings, _ = cfn(tmp_path, parent().replace("      Parameters:\n",
                                                    tags + "      Parameters:\n"))
    assert failing(findings) == expected
