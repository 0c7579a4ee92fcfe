"""Parameters as CloudFormation converts them per Type, AllowedValues, pseudo parameters,
and the parameter files of the AWS CLI and CodePipeline."""

from __future__ import annotations

import json

import pytest

from checker.errors import RunError
from checker.sources.cfn.parameters import (
    Pseudo,
    build_inputs,
    parameter_value,
    pseudo_values,
)
from checker.sources.cfn.paramfiles import parse_parameter_arg, parse_parameter_file
from checker.sources.cfn.template import load_template
from checker.unknown import Reason, Unknown


def param(decl: dict[str, object], given: str | Unknown | None = None) -> object:
    """The value of parameter P declared by *decl* at t.yaml:3."""
    return parameter_value("P", decl, given, "t.yaml:3")


def test_string_and_number_values_are_text() -> None:
    assert param({"Type": "String", "Default": "a"}) == "a"
    assert param({"Type": "String", "Default": "a"}, "b") == "b"
    assert param({"Type": "String", "Default": ""}) == ""
    assert param({"Type": "Number", "Default": 5}) == "5"  # Ref of a Number gives text
    assert param({"Type": "Number"}, "2.5e3") == "2.5e3"
    bad = param({"Type": "Number"}, "five")
    assert isinstance(bad, Unknown) and bad.kind is Reason.INVALID_VALUE
    assert "parameter P (t.yaml:3): 'five' is not a number" in bad.reason


def test_list_types_are_lists_of_text() -> None:
    assert param({"Type": "CommaDelimitedList", "Default": "a, b ,c"}) == ["a", "b", "c"]
    assert param({"Type": "List<Number>"}, "80,443") == ["80", "443"]
    bad = param({"Type": "List<Number>"}, "80,x")
    assert isinstance(bad, Unknown) and bad.kind is Reason.INVALID_VALUE
    assert param({"Type": "List<AWS::EC2::Subnet::Id>"}, "subnet-1,subnet-2") == \
        ["subnet-1", "subnet-2"]
    assert param({"Type": "AWS::EC2::VPC::Id"}, "vpc-1") == "vpc-1"


def test_ssm_types_and_unknown_types() -> None:
    found = param({"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/name"})
    assert isinstance(found, Unknown) and found.kind is Reason.UNKNOWN_VALUE
    assert "parameter P (t.yaml:3) is read from the SSM parameter '/app/name'" in found.reason
    assert param({"Type": "AWS::SSM::Parameter::Name"}, "/app/name") == "/app/name"
    bad = param({"Type": "Text"}, "x")
    assert isinstance(bad, Unknown) and bad.kind is Reason.INVALID_VALUE


def test_allowed_values() -> None:
    decl: dict[str, object] = {"Type": "String", "AllowedValues": ["dev", "prod"]}
    assert param(decl, "prod") == "prod"
    bad = param(decl, "test")
    assert isinstance(bad, Unknown) and bad.kind is Reason.INVALID_VALUE
    assert "not one of its AllowedValues" in bad.reason
    found = param(decl)
    assert isinstance(found, Unknown) and found.possible == ("dev", "prod")
    assert "parameter P (t.yaml:3) has no value: give --parameter P=..." in found.reason
    kept = param(decl, Unknown("the stack's previous value"))
    assert isinstance(kept, Unknown) and kept.possible == ("dev", "prod")
    numbers = param({"Type": "Number", "AllowedValues": [1, 2]})
    assert isinstance(numbers, Unknown) and numbers.possible == ("1", "2")


def test_a_value_for_a_parameter_the_template_does_not_declare_is_not_its() -> None:
    """(The command line gives its values to every template: `source` refuses one that no
    template declares.)"""
    template = load_template("t.yaml", "Parameters:\n  A: {Type: String}\nResources:\n"
                                       "  T: {Type: AWS::SNS::Topic}\n")
    inputs = build_inputs(template.data, "t.yaml", overrides={"A": "x", "B": "y"})
    assert inputs.params == {"A": "x"}


def test_pseudo_parameters_follow_the_region() -> None:
    gov = pseudo_values(Pseudo(region="us-gov-west-1", account="111122223333"))
    assert gov["AWS::Partition"] == "aws-us-gov" and gov["AWS::URLSuffix"] == "amazonaws.com"
    assert gov["AWS::AccountId"] == "111122223333"
    assert pseudo_values(Pseudo(region="eu-west-1"))["AWS::Partition"] == "aws"
    none = pseudo_values(Pseudo())
    for name, option in (("AWS::Region", "--region"), ("AWS::StackName", "--stack-name"),
                         ("AWS::Partition", "--region")):
        found = none[name]
        assert isinstance(found, Unknown) and f"known only at deploy: give {option}" in \
            found.reason
    assert pseudo_values(Pseudo(notification_arns=("arn:x",)))["AWS::NotificationARNs"] == \
        ["arn:x"]


def test_parameter_file_forms() -> None:
    create = [{"ParameterKey": "A", "ParameterValue": "1"},
              {"ParameterKey": "B", "UsePreviousValue": True}]
    found = parse_parameter_file("p.json", json.dumps(create, indent=2))
    assert found["A"] == "1"
    kept = found["B"]
    assert isinstance(kept, Unknown) and "parameter B (p.json:6) keeps the stack's previous" \
        in kept.reason
    assert parse_parameter_file("p.json", '["A=1", "B=x=y"]') == {"A": "1", "B": "x=y"}
    pipeline = {"Parameters": {"A": "1"}, "Tags": {"t": "v"}, "StackPolicy": {"Statement": []}}
    assert parse_parameter_file("p.json", json.dumps(pipeline)) == {"A": "1"}


@pytest.mark.parametrize("text, message", [
    ('{"A": "1"}', r"p.json:1: expected \{\"Parameters\""),
    ('[\n"A=1",\n"B"\n]', r"p.json:3: 'B': expected \"KEY=VALUE\""),
    ('[\n{"ParameterKey": "A", "Value": "1"}\n]', r"p.json:2: expected \"KEY=VALUE\" or"),
    ('{"Parameters": {\n"A": 1}}', r"p.json:2: the value of parameter A is a number"),
    ('[\n"A=1",\n', r"p.json:3: not valid JSON"),
    ('"A=1"', r"p.json: expected a JSON list or object"),
])
def test_bad_parameter_files(text: str, message: str) -> None:
    with pytest.raises(RunError, match=message):
        parse_parameter_file("p.json", text)


def test_parameter_argument() -> None:
    assert parse_parameter_arg("Env=prod=x") == ("Env", "prod=x")
    assert parse_parameter_arg("Env=") == ("Env", "")
    with pytest.raises(RunError, match="expected KEY=VALUE"):
        parse_parameter_arg("Env")
