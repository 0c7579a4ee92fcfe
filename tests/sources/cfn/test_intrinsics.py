"""CloudFormation's intrinsic functions: known, known in part and unknown, with the reason
naming the expression and its line; NO_VALUE; the bounds on hostile templates."""

from __future__ import annotations

import time
from typing import Any

import pytest

from checker.sources.cfn.intrinsics import NO_VALUE, evaluate
from checker.sources.cfn.parameters import MAX_STRING, Inputs, Pseudo, build_inputs
from checker.sources.cfn.template import load_template
from checker.unknown import Origin, Reason, Unknown

HEAD = """\
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
  Name:
    Type: String
    Default: orders
  Names:
    Type: CommaDelimitedList
    Default: "a, b,c"
Mappings:
  EnvMap:
    dev: {Billing: PAY_PER_REQUEST}
    prod: {Billing: PROVISIONED}
  Accounts:
    123456789012: {Alias: main}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Never: !Equals [a, b]
Resources:
  Key:
    Type: AWS::KMS::Key
  Gone:
    Type: AWS::SNS::Topic
    Condition: Never
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${Name}-${AWS::Region}"
  Unnamed:
    Type: AWS::DynamoDB::Table
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: throttles
  Global:
    Type: AWS::DynamoDB::GlobalTable
  Value:
    Type: AWS::SSM::Parameter
    Properties:
"""  # the value under test is written at line 41


def value(expr: str, overrides: dict[str, str | Unknown] | None = None,
          pseudo: Pseudo | None = None) -> object:
    """The value of *expr* written as the property `V` at line 41 of a template."""
    template = load_template("t.yaml", f"{HEAD}      V: {expr}\n")
    inputs = build_inputs(template.data, template.path, overrides=overrides,
                          pseudo=pseudo or Pseudo(region="us-east-1"))
    props = template.resources["Value"]["Properties"]
    found = evaluate(props, inputs)
    assert isinstance(found, dict)
    return found.get("V", NO_VALUE)


def _of_kind(found: object, kind: Reason, words: tuple[str, ...]) -> Unknown:
    """*found*, an Unknown of *kind* whose reason has each of *words*."""
    assert isinstance(found, Unknown), found
    assert found.kind is kind, found
    for word in words:
        assert word in found.reason, (word, found.reason)
    return found


def unknown(found: object, *words: str) -> Unknown:
    """*found*, an Unknown of kind unknown_value whose reason has each of *words*."""
    return _of_kind(found, Reason.UNKNOWN_VALUE, words)


def invalid(found: object, *words: str) -> Unknown:
    """*found*, an invalid value whose reason has each of *words*."""
    return _of_kind(found, Reason.INVALID_VALUE, words)


def test_ref_of_a_parameter_its_default_an_override_or_none() -> None:
    assert value("!Ref Name") == "orders"
    assert value("!Ref Name", {"Name": "users"}) == "users"
    assert value("!Ref Names") == ["a", "b", "c"]
    found = unknown(value("!Ref Env"), "Ref Env (t.yaml:41)", "give --parameter Env=")
    assert found.possible == ("dev", "prod")


def test_ref_of_pseudo_parameters() -> None:
    assert value("!Ref AWS::Region") == "us-east-1"
    assert value("!Ref AWS::Partition", pseudo=Pseudo(region="cn-north-1")) == "aws-cn"
    assert value("!Ref AWS::URLSuffix", pseudo=Pseudo(region="cn-north-1")) == \
        "amazonaws.com.cn"
    unknown(value("!Ref AWS::AccountId"), "Ref AWS::AccountId (t.yaml:41)", "--account")
    unknown(value("!Ref AWS::Partition", pseudo=Pseudo()), "--region")


def test_ref_of_a_resource_is_its_id_a_table_or_alarm_its_name() -> None:
    found = unknown(value("!Ref Key"), "Ref Key (t.yaml:41)", "known only at deploy")
    assert found.origin == Origin("AWS::KMS::Key", "Key", "Ref")
    assert value("!Ref Table") == "orders-us-east-1"
    found = unknown(value("!Ref Table", pseudo=Pseudo()), "Ref Table (t.yaml:41)")
    assert found.origin == Origin("AWS::DynamoDB::Table", "Table", "Ref")
    assert found.parts == ("orders-", None)
    assert unknown(value("!Ref Unnamed")).origin == Origin("AWS::DynamoDB::Table", "Unnamed",
                                                           "Ref")
    assert value("!Ref Alarm") == "throttles"
    assert unknown(value("!Ref Global")).origin == Origin("AWS::DynamoDB::GlobalTable",
                                                          "Global", "Ref")
    invalid(value("!Ref Nothing"), "Ref Nothing (t.yaml:41)", "no parameter or resource")
    invalid(value("!Ref Gone"), "Gone is not created")


def test_getatt() -> None:
    found = unknown(value("!GetAtt Table.Arn"), "Fn::GetAtt Table.Arn (t.yaml:41)")
    assert found.origin == Origin("AWS::DynamoDB::Table", "Table", "Arn")
    assert unknown(value('{"Fn::GetAtt": [Key, Arn]}')).origin == Origin(
        "AWS::KMS::Key", "Key", "Arn")
    invalid(value("!GetAtt Nothing.Arn"), "(t.yaml:41)", "no parameter or resource Nothing")
    invalid(value("!GetAtt Gone.TopicArn"), "not created")


def test_sub_known_in_part_and_escapes() -> None:
    assert value('!Sub "${Name}-x-${!Literal}"') == "orders-x-${Literal}"
    assert value('!Sub ["${A}/${Name}", {A: !Ref AWS::Region}]') == "us-east-1/orders"
    found = unknown(value('!Sub "arn:${AWS::Partition}:x:${AWS::AccountId}:t/${Name}"'),
                    "Fn::Sub (t.yaml:41) is known only in part", "AWS::AccountId")
    assert found.parts == ("arn:aws:x:", None, ":t/orders")
    assert unknown(value('!Sub "${Key.Arn}"')).origin == Origin("AWS::KMS::Key", "Key", "Arn")
    invalid(value('!Sub "${Nope}"'), "Fn::Sub (t.yaml:41)", "names no variable")
    invalid(value('!Sub "${Names}"'), "a list")


def test_sub_of_a_parameter_with_allowed_values_knows_each_result() -> None:
    found = unknown(value('!Sub "${Env}-orders"'), "Ref Env")
    assert found.parts == (None, "-orders")
    assert found.possible == ("dev-orders", "prod-orders")


def test_join_select_split() -> None:
    assert value('!Join [",", [a, !Ref Name, 5]]') == "a,orders,5"
    assert value('!Join ["-", !Ref Names]') == "a-b-c"
    found = unknown(value('!Join [":", [a, !Ref AWS::AccountId]]'), "Fn::Join (t.yaml:41)")
    assert found.parts == ("a:", None)
    assert value("!Select [1, !Ref Names]") == "b"
    assert value("!Select [0, [x, !Ref AWS::AccountId]]") == "x"
    invalid(value("!Select [3, !Ref Names]"), "Fn::Select (t.yaml:41)", "out of range")
    unknown(value("!Select [0, !GetAZs '']"), "Fn::Select (t.yaml:41)", "Fn::GetAZs")
    assert value('!Split [",", "a,b"]') == ["a", "b"]
    unknown(value('!Split [",", !ImportValue shared]'), "Fn::Split (t.yaml:41)",
            "Fn::ImportValue 'shared'")


def test_find_in_map() -> None:
    assert value("!FindInMap [EnvMap, dev, Billing]") == "PAY_PER_REQUEST"
    invalid(value("!FindInMap [EnvMap, test, Billing]"), "Fn::FindInMap (t.yaml:41)",
            "no EnvMap.test.Billing")
    assert value("!FindInMap [EnvMap, test, Billing, {DefaultValue: X}]") == "X"
    found = unknown(value("!FindInMap [EnvMap, !Ref Env, Billing]"), "Ref Env")
    assert found.possible == ("PAY_PER_REQUEST", "PROVISIONED")
    assert value("!FindInMap [EnvMap, !Ref Env, Billing]", {"Env": "prod"}) == "PROVISIONED"
    # a key written as a number is matched as text; a key not known: what the map holds
    account = Pseudo(region="us-east-1", account="123456789012")
    assert value("!FindInMap [Accounts, !Ref AWS::AccountId, Alias]", pseudo=account) == "main"
    found = unknown(value("!FindInMap [Accounts, !Ref AWS::AccountId, Alias]"), "--account")
    assert found.possible == ("main",)


def test_if_known_and_unknown_conditions_and_no_value() -> None:
    assert value("!If [IsProd, a, b]", {"Env": "prod"}) == "a"
    assert value("!If [IsProd, a, b]", {"Env": "dev"}) == "b"
    assert value("!If [IsProd, same, same]") == "same"
    found = unknown(value("!If [IsProd, a, !Ref AWS::NoValue]"), "Fn::If IsProd (t.yaml:41)",
                    "condition IsProd")
    assert set(found.possible or ()) == {"a", NO_VALUE}
    found = unknown(value("!If [IsProd, a, !Ref AWS::AccountId]"), "Fn::If IsProd")
    assert found.possible is None
    invalid(value("!If [Nope, a, b]"), "Fn::If Nope (t.yaml:41)", "not in the template's")


def test_no_value_leaves_the_property_or_element_out() -> None:
    assert value("!Ref AWS::NoValue") is NO_VALUE  # the property V is left out
    assert value("[a, !Ref AWS::NoValue, b]") == ["a", "b"]
    assert value("{A: !Ref AWS::NoValue, B: 1}") == {"B": 1}
    assert value("!If [IsProd, x, !Ref AWS::NoValue]", {"Env": "dev"}) is NO_VALUE
    assert value('!Join [",", [a, !Ref AWS::NoValue, b]]') == "a,b"


def test_lines_are_kept_in_the_value() -> None:
    template = load_template("t.yaml", f"{HEAD}      V:\n        A: 1\n        B: [x]\n")
    found = evaluate(template.resources["Value"]["Properties"], build_inputs(
        template.data, "t.yaml"))
    assert isinstance(found, dict)
    assert getattr(found["V"], "key_lines", None) == {"A": 42, "B": 43}


def test_whole_value_functions() -> None:
    assert value("!Base64 abc") == "YWJj"
    assert value("{'Fn::Length': [a, !Ref AWS::AccountId]}") == 2
    assert value("{'Fn::ToJsonString': {a: [1, true]}}") == '{"a":[1,true]}'
    found = unknown(value("{'Fn::ToJsonString': {a: !Ref AWS::AccountId}}"),
                    "Fn::ToJsonString (t.yaml:41)")
    assert isinstance(found.decoded, dict)
    unknown(value("!Base64 {Ref: AWS::AccountId}"), "Fn::Base64 (t.yaml:41)")


@pytest.mark.parametrize("expr, name", [
    ("!ImportValue shared", "Fn::ImportValue 'shared'"), ("!GetAZs ''", "Fn::GetAZs"),
    ('!Cidr ["10.0.0.0/16", 2, 8]', "Fn::Cidr"),
    ("{'Fn::Transform': {Name: M}}", "Fn::Transform")])
def test_functions_only_deploy_knows(expr: str, name: str) -> None:
    unknown(value(expr), f"{name} (t.yaml:41)", "known only at deploy")


def test_an_unknown_function_is_invalid() -> None:
    invalid(value("{'Fn::Nope': 1}"), "Fn::Nope (t.yaml:41)", "not a CloudFormation function")
    assert value("{Ref: Name, Other: 1}") == {"Ref": "Name", "Other": 1}  # data


def test_plain_dicts_without_lines() -> None:
    inputs = Inputs("t.json", params={"P": "x"}, resources={"R": {"Type": "AWS::S3::Bucket"}})
    node: dict[str, Any] = {"A": {"Fn::Join": ["-", [{"Ref": "P"}, "y"]]},
                            "B": [{"Ref": "AWS::NoValue"}], "C": {"Ref": "R"}}
    found = evaluate(node, inputs)
    assert isinstance(found, dict)
    assert found["A"] == "x-y" and found["B"] == []
    assert unknown(found["C"], "Ref R (t.json)").origin == Origin("AWS::S3::Bucket", "R", "Ref")


def test_bounds_huge_strings_lists_and_nesting() -> None:
    start = time.monotonic()
    huge = "x" * (10 * 1024 * 1024)
    inputs = Inputs("t.json", params={"Big": "y" * (MAX_STRING // 2 + 1)})
    unknown(evaluate({"Fn::Sub": huge}, inputs), "longer than")
    unknown(evaluate({"Fn::Sub": "${Big}${Big}"}, inputs), "longer than")
    unknown(evaluate({"Fn::Join": ["", [{"Ref": "Big"}] * 3]}, inputs), "longer than")
    unknown(evaluate({"Fn::Split": [",", "," * 200_000]}, inputs), "more than")
    part = {"Fn::Sub": "${AWS::AccountId}" + "z" * 1_000}  # known in part: 1,000 characters
    unknown(evaluate({"Fn::Sub": ["${P}" * 2_000, {"P": part}]}, inputs), "longer than")
    doubling: object = "ab"
    for _ in range(60):  # 2**60 characters, were each level built
        doubling = {"Fn::Sub": ["${V}${V}", {"V": doubling}]}
    unknown(evaluate(doubling, inputs), "longer than")
    deep: object = "x"
    for _ in range(5_000):
        deep = {"Fn::Join": ["", [deep]]}
    unknown(evaluate(deep, inputs), "nested too deeply")
    deep = "x"
    for _ in range(5_000):
        deep = [deep]
    found = evaluate(deep, inputs)
    while isinstance(found, list):  # the data is kept down to where it is too deep
        found = found[0]
    unknown(found, "nested too deeply")
    unknown(evaluate({"Fn::Select": [0, list(range(3_000_000))]}, inputs), "steps")
    assert time.monotonic() - start < 20
