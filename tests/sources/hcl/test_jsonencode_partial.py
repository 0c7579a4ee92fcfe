"""`jsonencode(x)` of an `x` known only in part: an Unknown whose `decoded` is `x` with its
Unknown leaves in place (checker/sources/hcl/functions/jsonpartial.py)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from checker.sources.hcl import budget
from checker.sources.hcl.body import instance_body
from checker.sources.hcl.functions.jsonpartial import decoded
from checker.sources.hcl.valuemodel import EvalError
from checker.unknown import Origin, Unknown
from tests.sources.hcl.util import instance, local_value, unknown, write

TABLE = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n'
ARN = Origin("aws_dynamodb_table", "aws_dynamodb_table.t", "arn")


def policy(tmp_path: Path, text: str, name: str = "p") -> object:
    """The `policy` of `aws_dynamodb_resource_policy.NAME` in *text*, as its Body reads it."""
    write(tmp_path, {"main.tf": TABLE + text})
    found = instance(tmp_path).resources.instances(("aws_dynamodb_resource_policy",))
    return next(instance_body(i) for i in found if i.name == name).value("policy")


def test_a_policy_of_an_arn_known_after_apply_is_decoded_with_that_leaf(tmp_path: Path) -> None:
    value = unknown(policy(tmp_path, '''
resource "aws_dynamodb_resource_policy" "p" {
  resource_arn = aws_dynamodb_table.t.arn
  policy = jsonencode({Version="2012-10-17", Statement=[{Effect="Allow",
    Principal={AWS="arn:aws:iam::999999999999:root"}, Action="dynamodb:GetItem",
    Resource=aws_dynamodb_table.t.arn}]})
}
'''))
    assert "aws_dynamodb_table.t.arn (" in value.reason and "main.tf:" in value.reason
    assert isinstance(value.decoded, dict)
    statement = value.decoded["Statement"][0]
    leaf = unknown(statement.pop("Resource"))
    assert leaf.origin == ARN
    assert value.decoded == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
        "Action": "dynamodb:GetItem"}]}


def test_a_wholly_unknown_value_stays_bare(tmp_path: Path) -> None:
    value = unknown(local_value(tmp_path, "jsonencode(var.v)", 'variable "v" {}'))
    assert value.decoded is None and "var.v (" in value.reason
    value = unknown(local_value(tmp_path, "jsonencode(aws_dynamodb_table.t.tags_all)", TABLE))
    assert value.decoded is None


def test_leaves_are_json_shaped_and_strings_known_in_part_stay_unknown(tmp_path: Path) -> None:
    expr = ('jsonencode({n = 1.5, w = 3, z = 2 * 3, b = true, x = null, s = toset(["b", "a"]),'
            ' m = tomap({k = "v"}), t = ["a", 1], p = "arn:${var.v}:x", u = var.v})')
    value = unknown(local_value(tmp_path, expr, 'variable "v" {}'))
    shape = value.decoded
    assert isinstance(shape, dict)
    part = unknown(shape.pop("p"))
    assert part.parts == ("arn:", None, ":x")
    assert unknown(shape.pop("u")).parts is None
    assert shape == {"n": 1.5, "w": 3, "z": 6, "b": True, "x": None, "s": ["a", "b"],
                     "m": {"k": "v"}, "t": ["a", 1]}
    assert type(shape["n"]) is float and type(shape["w"]) is int
    assert type(shape["z"]) is int


def test_a_wholly_known_value_is_the_json_text(tmp_path: Path) -> None:
    assert local_value(tmp_path, 'jsonencode({b = [1, "<"], a = null})') == (
        '{"a":null,"b":[1,"\\u003c"]}')


def test_what_json_cannot_hold_fails_as_it_does_when_known() -> None:
    budget.start()
    with pytest.raises(EvalError, match="infinite number"):
        decoded([Unknown("u"), math.inf])
    assert decoded(Unknown("u")) is None


def test_a_huge_shared_structure_stops_at_the_budget(tmp_path: Path) -> None:
    """A list of shared lists takes little memory; walking it would take forever."""
    chain = "\n".join(f"  a{i} = [local.a{i - 1}, local.a{i - 1}]" for i in range(1, 41))
    extra = f'variable "v" {{}}\nlocals {{\n  a0 = ["x"]\n{chain}\n}}\n'
    for expr in ("jsonencode([var.v, local.a40])", "jsonencode([local.a40, var.v])"):
        started = time.monotonic()
        value = unknown(local_value(tmp_path, expr, extra))
        assert "budget" in value.reason and value.decoded is None, value.reason
        assert time.monotonic() - started < 30
