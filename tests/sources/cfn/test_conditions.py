"""CloudFormation's conditions in three-valued logic: references, cycles, choices of a
parameter's AllowedValues, resources that exist only under a condition, and bounds."""

from __future__ import annotations

import time
from typing import Any

from checker.sources.cfn.conditions import condition, exists
from checker.sources.cfn.intrinsics import CALLS
from checker.sources.cfn.parameters import Inputs, Pseudo, build_inputs
from checker.sources.cfn.template import load_template
from checker.unknown import Reason, Unknown

TEMPLATE = """\
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, staging, prod]
  Size:
    Type: Number
    Default: 5
  Free:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [dev, !Ref Env]
  NotDev: !Not [!Condition IsDev]
  Big: !Equals [!Ref Size, 5]
  Huge: !Equals [!Ref Size, "5.0"]
  FreeIsX: !Equals [!Ref Free, x]
  AndFalse: !And [!Condition FreeIsX, !Equals [a, b]]
  OrTrue: !Or [!Condition FreeIsX, !Condition Big]
  AndUnknown: !And [!Condition FreeIsX, !Condition Big]
  ProdAndDev: !And [!Condition IsProd, !Condition IsDev]
  ProdOrNotProd: !Or [!Condition IsProd, !Not [!Condition IsProd]]
  InEast: !Equals [!Ref AWS::Region, us-east-1]
  Loop1: !Condition Loop2
  Loop2: !Not [!Condition Loop1]
  UsesLoop: !Or [!Condition Big, !Condition Loop1]
  Missing: !Condition Nowhere
  TooFew: !And [!Condition Big]
Resources:
  Always:
    Type: AWS::SNS::Topic
  ProdOnly:
    Type: AWS::SNS::Topic
    Condition: IsProd
  FreeOnly:
    Type: AWS::SNS::Topic
    Condition: FreeIsX
"""


def inputs(overrides: dict[str, str | Unknown] | None = None,
           pseudo: Pseudo | None = None) -> Inputs:
    """The inputs of TEMPLATE."""
    template = load_template("t.yaml", TEMPLATE)
    return build_inputs(template.data, template.path, overrides=overrides, pseudo=pseudo,
                        calls=CALLS)


def test_equals_compares_as_text() -> None:
    assert condition("IsProd", inputs({"Env": "prod"})) is True
    assert condition("IsProd", inputs({"Env": "dev"})) is False
    assert condition("Big", inputs()) is True  # "5" (a Number's text) equals 5
    assert condition("Huge", inputs()) is False  # CloudFormation compares text
    assert condition("InEast", inputs(pseudo=Pseudo(region="us-east-1"))) is True
    found = condition("InEast", inputs())
    assert isinstance(found, Unknown) and "--region" in found.reason


def test_three_valued_and_or_not() -> None:
    inp = inputs()
    found = condition("FreeIsX", inp)
    assert isinstance(found, Unknown) and found.kind is Reason.UNKNOWN_VALUE
    assert "condition FreeIsX (t.yaml:16)" in found.reason
    assert "give --parameter Free=" in found.reason
    assert condition("AndFalse", inp) is False  # False whatever Free is
    assert condition("OrTrue", inp) is True  # True whatever Free is
    assert isinstance(condition("AndUnknown", inp), Unknown)
    assert condition("NotDev", inputs({"Env": "prod"})) is True


def test_every_allowed_value_agrees_or_not() -> None:
    inp = inputs()
    assert condition("ProdAndDev", inp) is False  # no value of Env is both
    assert condition("ProdOrNotProd", inp) is True
    found = condition("IsProd", inp)
    assert isinstance(found, Unknown) and found.possible == (True, False)
    assert "Ref Env (t.yaml:11)" in found.reason


def test_references_cycles_and_malformed_conditions() -> None:
    inp = inputs()
    for name in ("Loop1", "Loop2"):
        found = condition(name, inp)
        assert isinstance(found, Unknown) and found.kind is Reason.INVALID_VALUE
        assert "Loop1 -> Loop2 -> Loop1" in found.reason or "Loop2 -> Loop1 -> Loop2" in \
            found.reason
    assert condition("UsesLoop", inp).kind is Reason.INVALID_VALUE  # type: ignore[union-attr]
    missing = condition("Missing", inp)
    assert isinstance(missing, Unknown) and "Nowhere is not in the template's" in \
        missing.reason
    few = condition("TooFew", inp)
    assert isinstance(few, Unknown) and "Fn::And (t.yaml:27) takes a list of 2 to 10" in \
        few.reason


def test_a_resource_exists_only_under_its_condition() -> None:
    inp = inputs({"Env": "dev"})
    assert exists("Always", inp) is True
    assert exists("ProdOnly", inp) is False
    assert exists("ProdOnly", inputs({"Env": "prod"})) is True
    found = exists("FreeOnly", inp)
    assert isinstance(found, Unknown) and found.kind is Reason.UNKNOWN_VALUE
    assert "resource FreeOnly (t.yaml:36) is created only if condition FreeIsX" in \
        found.reason
    maybe = exists("ProdOnly", inputs())
    assert isinstance(maybe, Unknown) and maybe.possible == (True, False)


def test_a_long_chain_and_a_fan_out_of_references_are_quick() -> None:
    chain: dict[str, Any] = {f"C{i}": {"Fn::Not": [{"Condition": f"C{i + 1}"}]}
                             for i in range(1_000)}
    chain["C1000"] = {"Fn::Equals": [{"Ref": "P"}, "x"]}
    fan: dict[str, Any] = {f"F{i}": {"Fn::And": [{"Condition": f"F{i + 1}"}] * 2}
                           for i in range(200)}
    fan["F200"] = {"Fn::Equals": ["a", "a"]}
    start = time.monotonic()
    inp = Inputs("t.json", params={"P": "x"}, conditions={**chain, **fan}, calls=CALLS)
    assert condition("C0", inp) is True  # 1,000 negations of True
    assert condition("F0", inp) is True
    unknown = Inputs("t.json", params={"P": Unknown("P is not known", possible=("x", "y"))},
                     conditions=chain, calls=CALLS)
    found = condition("C0", unknown)
    assert isinstance(found, Unknown) and found.possible == (True, False)
    assert time.monotonic() - start < 10
