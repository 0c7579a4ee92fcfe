"""The evaluator on small snippets: every construct, and honest unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import RunError
from checker.sources.hcl import read_hcl
from checker.sources.hcl.values import Origin, Tagged, Unknown
from tests.hcl.util import local, local_value, write

CASES = [
    # literals and collections
    ("42", 42),
    ("2.5", 2.5),
    ("true", True),
    ("null", None),
    ('"plain"', "plain"),
    ('"esc \\"q\\" \\n \\u00e9 $${x} %%{y}"', 'esc "q" \n é ${x} %{y}'),
    ("[1, [2, 3], {a = 4}]", [1, [2, 3], {"a": 4}]),
    ('{ a = 1, "b" = 2, c: 3 }', {"a": 1, "b": 2, "c": 3}),
    ('{ ("k${1}") = "v" }', {"k1": "v"}),
    # templates and heredocs
    ('"a${1 + 1}b"', "a2b"),
    ('"%{ if 1 > 0 }yes%{ else }no%{ endif }"', "yes"),
    ('"%{ for k, v in {a = 1, b = 2} }${k}${v};%{ endfor }"', "a1;b2;"),
    ('"x ${~ "y" ~} z"', "xyz"),
    ("<<-EOT\n    one\n      two ${1 + 1}\n    EOT", "one\n  two 2\n"),
    ("<<EOT\nraw \\n $${x}\nEOT", "raw \\n ${x}\n"),
    # operators
    ("1 + 2 * 3 - 4 / 2", 5),
    ("(1 + 2) * 3", 9),
    ("7 % 3", 1),
    ("-5 + 1", -4),
    ("300 / 60", 5),
    ("1 < 2 && 2 >= 2 && !false", True),
    ("false || 1 == 1.0", True),
    ('"a" != "b"', True),
    ("null == null", True),
    ('1 > 2 ? "y" : "n"', "n"),
    # access
    ("{ a = { b = [1, { c = 3 }] } }.a.b[1].c", 3),
    ("[10, 20].1", 20),
    ('{ k = "v" }["k"]', "v"),
    ("[{ a = 1 }, { a = 2 }][*].a", [1, 2]),
    ("[{ a = 1 }, { a = 2 }].*.a", [1, 2]),
    # for expressions
    ('[for k, v in { a = 1, b = 2 } : "${k}=${v}" if v > 1]', ["b=2"]),
    ("[for i, x in [5, 6] : i + x]", [5, 7]),
    ("{ for x in [1, 2] : tostring(x) => x * 10 }", {"1": 10, "2": 20}),
    ('{ for s in ["a", "b", "a"] : s => s... }', {"a": ["a", "a"], "b": ["b"]}),
    # functions
    ("merge({ a = 1 }, { b = 2 }, null)", {"a": 1, "b": 2}),
    ("concat([1], [2, 3])", [1, 2, 3]),
    ('lookup({ a = 1 }, "b", 5)', 5),
    ('lookup({ a = 1 }, "a")', 1),
    ('try(local.undeclared, "fallback")', "fallback"),
    ("can(local.undeclared)", False),
    ("can(1 + 1)", True),
    ('coalesce(null, "", "x")', "x"),
    ('lower("AB")', "ab"),
    ('upper("ab")', "AB"),
    ('format("%s-%03d-%q-%.2f-%v", "a", 7, "q", 1.5, true)', 'a-007-"q"-1.50-true'),
    ('join(",", ["a", "b"])', "a,b"),
    ('split(",", "a,b")', ["a", "b"]),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ("keys({ b = 1, a = 2 })", ["a", "b"]),
    ("values({ b = 1, a = 2 })", [2, 1]),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('tolist(["a"])', ["a"]),
    ('tomap({ a = "x" })', {"a": "x"}),
    ("tostring(5)", "5"),
    ('tonumber("5")', 5),
    ('length("abc")', 3),
    ("length({ a = 1 })", 1),
    ('contains(["a", "b"], "b")', True),
    ('contains(["a"], "z")', False),
    ('setproduct(["a", "b"], [1, 2])', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
    ("flatten([[1, [2]], 3])", [1, 2, 3]),
    ('element(["a", "b"], 3)', "b"),
    ("distinct([1, 2, 1])", [1, 2]),
    ('compact(["a", "", null, "b"])', ["a", "b"]),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ("range(3)", [0, 1, 2]),
    ("range(1, 7, 2)", [1, 3, 5]),
    ("max(1, 5, 3)", 5),
    ("min([4, 2]...)", 2),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_constructs(tmp_path: Path, expr: str, expected: object) -> None:
    assert local_value(tmp_path, expr) == expected


def test_locals_in_any_order_and_across_files(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.tf": 'locals {\n  x = "${local.y}-${local.z}"\n}\n',
        "b.tf": 'locals {\n  y = local.z\n  z = "zz"\n}\n',
    })
    assert local(tmp_path) == "zz-zz"


def test_a_cycle_of_locals_is_refused_as_terraform_refuses_it(tmp_path: Path) -> None:
    """More cases in test_terraform_errors.py."""
    with pytest.raises(RunError, match=r"main\.tf:5: local\.a refers to itself through "
                                       r"local\.b: a cycle, which Terraform refuses"):
        local_value(tmp_path, "local.a", "locals {\n  a = local.b\n  b = local.a\n}\n")


def test_a_very_deep_chain_is_unknown_not_a_recursion_error(tmp_path: Path) -> None:
    chain = "\n".join(f"  l{i} = local.l{i + 1}" for i in range(400))
    value = local_value(tmp_path, "local.l0", f"locals {{\n{chain}\n  l400 = 1\n}}\n")
    assert isinstance(value, Unknown) and "too deeply" in value.reason


def test_variable_defaults_and_optional_attributes(tmp_path: Path) -> None:
    extra = '''
    variable "v" {
      type = object({
        a = string
        b = optional(number, 7)
        c = optional(list(object({ n = string, m = optional(string, "dm") })))
        d = optional(string)
      })
      default = { a = 1, c = [{ n = "x" }] }
    }
    '''
    assert local_value(tmp_path, "var.v", extra) == {
        "a": "1", "b": 7, "c": [{"n": "x", "m": "dm"}], "d": None}


def test_a_variable_without_a_value_is_unknown_at_its_reference(tmp_path: Path) -> None:
    value = local_value(tmp_path, "var.kms_key_arn", 'variable "kms_key_arn" {}\n')
    assert isinstance(value, Unknown)
    assert value.reason == f"var.kms_key_arn ({tmp_path}/main.tf:2) has no value"


def test_unknowns_stay_fine_grained(tmp_path: Path) -> None:
    extra = 'variable "u" {}\nresource "aws_sns_topic" "t" {\n  name = "alerts"\n}\n'
    arns = local_value(tmp_path, "[aws_sns_topic.t.arn]", extra)
    assert isinstance(arns, list) and len(arns) == 1 and isinstance(arns[0], Unknown)
    assert "aws_sns_topic.t.arn" in arns[0].reason and "after apply" in arns[0].reason
    assert local_value(tmp_path, "length([var.u, 1])", extra) == 2
    assert isinstance(local_value(tmp_path, "merge({ a = 1 }, var.u)", extra), Unknown)
    part = local_value(tmp_path, "merge({ a = 1 }, { b = var.u })", extra)
    assert isinstance(part, dict) and part["a"] == 1 and isinstance(part["b"], Unknown)
    assert local_value(tmp_path, "var.u ? 1 : 1", extra) == 1
    either = local_value(tmp_path, "var.u ? 1 : 2", extra)
    assert isinstance(either, Unknown) and either.possible == (1, 2)
    nested = local_value(tmp_path, 'var.u ? "a" : (var.u ? "b" : null)', extra)
    assert isinstance(nested, Unknown) and nested.possible == ("a", "b", None)
    key = local_value(tmp_path, "var.u ? aws_sns_topic.t.arn : null", extra)
    assert isinstance(key, Unknown) and key.possible is not None
    first = key.possible[0]
    assert isinstance(first, Unknown)
    assert first.origin == Origin("aws_sns_topic", "aws_sns_topic.t", "arn")
    for many in ("var.u ? [1] : [2]", "var.u ? var.u : 1"):  # a list, or wholly unknown
        found = local_value(tmp_path, many, extra)
        assert isinstance(found, Unknown) and found.possible is None
    assert isinstance(local_value(tmp_path, "{ (var.u) = 1 }", extra), Unknown)
    assert isinstance(local_value(tmp_path, "[for x in var.u : x]", extra), Unknown)
    assert local_value(tmp_path, "aws_sns_topic.t.name", extra) == "alerts"


def test_partly_known_strings_keep_their_text(tmp_path: Path) -> None:
    value = local_value(tmp_path, '"${var.p}-player-sessions-${var.e}"',
                        'variable "p" {}\nvariable "e" {}\n')
    assert isinstance(value, Unknown)
    assert value.parts == (None, "-player-sessions-", None)
    assert value.reason.startswith("var.p (") and "has no value" in value.reason


def test_things_not_known_from_source_name_the_expression(tmp_path: Path) -> None:
    unsupported = local_value(tmp_path, "timestamp()")
    assert isinstance(unsupported, Unknown)
    assert unsupported.reason == (
        f"timestamp() ({tmp_path}/main.tf:2): function timestamp is not supported")
    registry = local_value(tmp_path, "module.m.out",
                           'module "m" {\n  source = "terraform-aws-modules/x/aws"\n}\n')
    assert isinstance(registry, Unknown) and "is not a local module" in registry.reason
    data = local_value(tmp_path, "data.aws_caller_identity.me.account_id",
                       'data "aws_caller_identity" "me" {}\n')
    assert isinstance(data, Unknown) and "data.aws_caller_identity.me.account_id (" in data.reason


def test_provenance_of_resource_and_data_attributes(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": '''
        resource "aws_dynamodb_table" "t" {
          name     = "tbl"
          hash_key = "id"
        }
        resource "aws_kms_key" "k" {}
        data "aws_kms_alias" "aws" {
          name = "alias/aws/dynamodb"
        }
        locals {
          name  = aws_dynamodb_table.t.name
          id    = aws_dynamodb_table.t.id
          key   = aws_kms_key.k.arn
          alias = data.aws_kms_alias.aws.target_key_arn
          x     = 1
        }
    '''})
    name = local(tmp_path, "name")
    assert isinstance(name, Tagged) and name.value == "tbl"
    assert name.origin == Origin("aws_dynamodb_table", "aws_dynamodb_table.t", "name")
    ident = local(tmp_path, "id")
    assert isinstance(ident, Tagged) and ident.value == "tbl" and ident.origin.attr == "id"
    key = local(tmp_path, "key")
    assert isinstance(key, Unknown) and key.origin == Origin("aws_kms_key", "aws_kms_key.k", "arn")
    alias = local(tmp_path, "alias")
    assert isinstance(alias, Unknown) and alias.origin is not None and alias.origin.aws_managed


def test_errors_terraform_would_report_become_located_unknowns(tmp_path: Path) -> None:
    value = local_value(tmp_path, '{ a = 1 }["b"]')
    assert isinstance(value, Unknown)
    assert value.reason.startswith('{ a = 1 }["b"] (') and "no element" in value.reason
    each = local_value(tmp_path, "each.key")
    assert isinstance(each, Unknown) and "for_each" in each.reason


def test_an_unknown_condition_with_a_failing_branch_is_unknown(tmp_path: Path) -> None:
    value = local_value(tmp_path, "var.u ? [][0] : 1", 'variable "u" {}\n')
    assert isinstance(value, Unknown) and value.reason.startswith("var.u (")


def test_deep_nesting_is_bounded(tmp_path: Path) -> None:
    nested = "[" * 60 + "1" + "]" * 60
    value = local_value(tmp_path, nested)
    for _ in range(60):
        assert isinstance(value, list)
        value = value[0]
    assert value == 1
    too_deep = local_value(tmp_path, "[" * 150 + "1" + "]" * 150)
    while isinstance(too_deep, list):  # the outer lists are known; the depth limit is inside
        too_deep = too_deep[0]
    assert isinstance(too_deep, Unknown) and "too deeply" in too_deep.reason
    (tmp_path / "main.tf").write_text("locals {\n  x = " + "[" * 2000 + "]" * 2000 + "\n}\n")
    with pytest.raises(RunError, match=r"main.tf: an expression is nested too deeply to read"):
        local(tmp_path)


def test_numbers_too_long_or_too_large_are_infinite_not_a_crash(tmp_path: Path) -> None:
    assert local_value(tmp_path, "9" * 5000) == float("inf")
    assert local_value(tmp_path, "1.0e999") == float("inf")


def test_an_exponent_without_a_fraction_is_refused_not_misread(tmp_path: Path) -> None:
    """tree-sitter-hcl reads `1e3` as `1` followed by an identifier `e3`, and can take the
    block after it as a block of type `e3`: the table's attribute would vanish."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  read_capacity = 1e3\n'
        '  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n', encoding="utf-8")
    with pytest.raises(RunError, match=r"main.tf:3: a number written with an exponent and "
                                       r"no fraction \(1e3\) cannot be read"):
        read_hcl([str(tmp_path)])


@pytest.mark.parametrize("expr", [
    "[1, 2][1.0e400]", "[1, 2][-1.0e400]", "[1, 2][1.0e400 - 1.0e400]", "[1, 2][0.5]",
    f'[1, 2]["{"9" * 5000}"]', "element([1], 1.0e400)", "element([1], 1.0e400 - 1.0e400)",
])
def test_an_index_that_is_no_whole_number_is_unknown_not_a_crash(tmp_path: Path,
                                                                 expr: str) -> None:
    """Infinity, NaN and digits beyond Python's int conversion once ended in exit 3."""
    value = local_value(tmp_path, expr)
    assert isinstance(value, Unknown) and "main.tf:2" in value.reason
