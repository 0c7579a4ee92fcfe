"""load_template: JSON and YAML templates read to the same data, short forms as long forms,
and the line of every key, item and tagged value (the problems: test_template_errors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.sources.cfn.shortforms import FUNCTIONS, SHORT_FORMS
from checker.sources.cfn.template import line_of, load_template
from checker.specfile.yamlread import LineDict, LineList
from tests.sources.cfn.template_util import load, value_of

YAML = """\
AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      TableName: !Sub "${Env}-orders"
      BillingMode: !If
        - IsProd
        - PAY_PER_REQUEST
        - PROVISIONED
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
      SSESpecification:
        KMSMasterKeyId: !GetAtt Key.Arn
  Key:
    Type: AWS::KMS::Key
Outputs:
  Arn:
    Value: !GetAtt [Orders, Arn]
"""

JSON = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Env": {"Type": "String"}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::Table",
      "Condition": "IsProd",
      "Properties": {
        "TableName": {"Fn::Sub": "${Env}-orders"},
        "BillingMode": {"Fn::If": [
          "IsProd",
          "PAY_PER_REQUEST",
          "PROVISIONED"]},
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "SSESpecification": {"KMSMasterKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}
      }
    },
    "Key": {"Type": "AWS::KMS::Key"}
  },
  "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Orders", "Arn"]}}}
}
"""


def test_json_and_yaml_of_one_template_are_the_same_data(tmp_path: Path) -> None:
    from_yaml, from_json = load(tmp_path, YAML), load(tmp_path, JSON, "t.json")
    assert from_yaml.data == from_json.data
    assert (from_yaml.format, from_json.format) == ("yaml", "json")
    assert json.loads(JSON) == from_json.data  # what the json module reads, too
    assert from_yaml.data["AWSTemplateFormatVersion"] == "2010-09-09"  # a date stays text


def test_the_accessors(tmp_path: Path) -> None:
    template = load(tmp_path, YAML)
    assert list(template.resources) == ["Orders", "Key"]
    assert template.resources["Orders"]["Type"] == "AWS::DynamoDB::Table"
    assert list(template.parameters) == ["Env"] and list(template.conditions) == ["IsProd"]
    assert list(template.outputs) == ["Arn"]
    assert template.mappings == {} and template.line_of(template.mappings) is None
    assert template.transform is None
    sam = load(tmp_path, "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
               "Resources:\n  Fn::ForEach::Tables:\n    - Name\n    - [a, b]\n"
               "    - ${Name}Table: {Type: AWS::DynamoDB::Table}\n  Q: {Type: AWS::SQS::Queue}\n")
    assert sam.transform == ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]
    assert list(sam.resources) == ["Q"]  # the loop stays in data["Resources"] only
    assert "Fn::ForEach::Tables" in sam.data["Resources"]


@pytest.mark.parametrize("name", ["t.yaml", "t.json"])
def test_lines_of_keys_items_and_long_forms(tmp_path: Path, name: str) -> None:
    template = load(tmp_path, YAML if name == "t.yaml" else JSON, name)
    orders = template.resources["Orders"]
    props = orders["Properties"]
    line = template.line_of
    if name == "t.yaml":
        assert line(template.resources, "Orders") == 8 and line(orders, "Condition") == 10
        assert line(props, "TableName") == 12 and line(props["TableName"]) == 12
        assert line(props["TableName"], "Fn::Sub") == 12  # the long form is at the tag
        assert line(props["BillingMode"]) == 13 and line(props["BillingMode"], "Fn::If") == 13
        assert props["BillingMode"]["Fn::If"].item_lines == [14, 15, 16]
        assert line(props["KeySchema"], 0) == 18 and line(props["KeySchema"][0], "KeyType") == 19
        getatt = props["SSESpecification"]["KMSMasterKeyId"]
        assert line(getatt) == 21 and getatt["Fn::GetAtt"].item_lines == [21, 21]
        assert line(template.outputs["Arn"], "Value") == 26
        assert line(template.conditions["IsProd"]["Fn::Equals"], 0) == 6
    else:
        assert line(template.resources, "Orders") == 6 and line(orders, "Condition") == 8
        assert line(props) == 9 and line(props, "TableName") == 10
        assert line(props["BillingMode"], "Fn::If") == 11
        assert props["BillingMode"]["Fn::If"].item_lines == [12, 13, 14]
        assert line(props["KeySchema"], 0) == 15 and line(template.data, "Outputs") == 21
    assert line(props["KeySchema"], 5) is None and line(props, "Nope") is None
    assert line(props["KeySchema"], -1) == line(props["KeySchema"], 0)
    assert line_of("text") is None and line_of(props, "TableName") == line(props, "TableName")


@pytest.mark.parametrize("tag", sorted(SHORT_FORMS))
def test_every_short_form_on_a_scalar_a_list_and_a_mapping(tmp_path: Path, tag: str) -> None:
    key = {"!Ref": "Ref", "!Condition": "Condition"}.get(tag, f"Fn::{tag[1:]}")
    if tag == "!GetAtt":
        assert value_of(tmp_path, "!GetAtt Res.Attr.Sub") == {key: ["Res", "Attr.Sub"]}
    else:
        assert value_of(tmp_path, f"{tag} x") == {key: "x"}
        assert value_of(tmp_path, f"{tag} 1") == {key: "1"}  # a tagged scalar is its text
        assert value_of(tmp_path, f'{tag} ""') == {key: ""}
        assert value_of(tmp_path, f"{tag} {{a: 1}}") == {key: {"a": 1}}
    assert value_of(tmp_path, f"{tag} [a, 2, !Ref B]") == {key: ["a", 2, {"Ref": "B"}]}
    built = value_of(tmp_path, f"{tag}\n        - a\n        - b")
    assert isinstance(built, LineDict) and isinstance(built[key], LineList)
    assert built.line == built.key_lines[key] == built[key].line == 5
    assert built[key].item_lines == [6, 7]


def test_the_documented_functions_all_have_short_forms() -> None:
    documented = {"Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join",
                  "Length", "Select", "Split", "Sub", "ToJsonString", "Transform", "And",
                  "Equals", "If", "Not", "Or", "GetStackOutput"}
    assert documented <= {*FUNCTIONS, "GetAtt"}
    assert {f"!{name}" for name in documented} | {"!Ref", "!Condition"} <= set(SHORT_FORMS)


@pytest.mark.parametrize(("written", "expected"), [
    ("!Join ['', [!Sub 'a-${X}', !Ref Y, !GetAtt Z.Arn]]",
     {"Fn::Join": ["", [{"Fn::Sub": "a-${X}"}, {"Ref": "Y"}, {"Fn::GetAtt": ["Z", "Arn"]}]]}),
    ("!If [IsProd, !Ref A, !Ref 'AWS::NoValue']",
     {"Fn::If": ["IsProd", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]}),
    ("!Sub ['${A}-${B}', {A: !Ref X, B: !ImportValue Y}]",
     {"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "X"}, "B": {"Fn::ImportValue": "Y"}}]}),
    ("!Base64\n        Fn::Sub: 'echo ${X}'", {"Fn::Base64": {"Fn::Sub": "echo ${X}"}}),
    ("!Base64 {'Fn::Sub': !Join [',', [a, b]]}",
     {"Fn::Base64": {"Fn::Sub": {"Fn::Join": [",", ["a", "b"]]}}}),
    ("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
    ("!Select [1, !Split [',', !ImportValue Subnets]]",
     {"Fn::Select": [1, {"Fn::Split": [",", {"Fn::ImportValue": "Subnets"}]}]}),
    ("!And [!Condition A, !Not [!Equals [!Ref E, prod]], !Or [!Condition B, !Condition C]]",
     {"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Fn::Equals": [{"Ref": "E"}, "prod"]}]},
                  {"Fn::Or": [{"Condition": "B"}, {"Condition": "C"}]}]}),
    ("!FindInMap [Teams, !Ref Env, Owner]", {"Fn::FindInMap": ["Teams", {"Ref": "Env"}, "Owner"]}),
    ("!Cidr [!GetAtt Vpc.CidrBlock, 6, 8]",
     {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, 8]}),
    ("!GetAtt [Res, !Ref AttrName]", {"Fn::GetAtt": ["Res", {"Ref": "AttrName"}]}),
    ("!Sub |\n        line ${X}\n        more", {"Fn::Sub": "line ${X}\nmore\n"}),
    ("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
     {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}),
    ("!Length [a, b]", {"Fn::Length": ["a", "b"]}),
    ("!ToJsonString {a: !Ref B}", {"Fn::ToJsonString": {"a": {"Ref": "B"}}}),
])
def test_nested_short_forms(tmp_path: Path, written: str, expected: Any) -> None:
    assert value_of(tmp_path, written) == expected


def test_an_anchor_no_alias_uses_is_let_be(tmp_path: Path) -> None:
    assert value_of(tmp_path, "&tags [a, !Ref B]") == ["a", {"Ref": "B"}]


def test_json_by_content_with_what_libyaml_cannot_read(tmp_path: Path) -> None:
    key = "k" * 1500  # libyaml: a simple key is at most 1024 characters
    text = ('\ufeff {\n\t"Resources": {\n\t\t"T": {"Type": "AWS::S3::Bucket", "Properties": '
            f'{{"A": "a\\/b", "N": 1e5, "I": -12, "E": "\\ud83d\\ude00", "{key}": null}}}}\n'
            "\t}\n}\n")
    for name in ("t.template", "t.txt", "t.yaml"):
        template = load(tmp_path, text, name)
        props = template.resources["T"]["Properties"]
        assert template.format == "json" and props["A"] == "a/b" and props["N"] == 100000.0
        assert props["I"] == -12 and props["E"] == "\U0001f600" and props[key] is None
        assert template.line_of(template.resources, "T") == 3
    assert load(tmp_path, "# a comment\n{Resources: {T: {Type: X}}}\n", "t.json").format == \
        "yaml"  # YAML by content, whatever the extension


def test_a_text_given_is_read_instead_of_the_file(tmp_path: Path) -> None:
    template = load_template(str(tmp_path / "absent.yaml"), YAML)
    assert template.path == str(tmp_path / "absent.yaml") and "Orders" in template.resources
