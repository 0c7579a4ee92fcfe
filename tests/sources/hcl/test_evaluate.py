"""The evaluator on small snippets: every construct, and honest unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import RunError
from checker.model import Key
from checker.sources.hcl import read_hcl
from checker.sources.hcl.operators import iterate
from checker.sources.hcl.valuemodel import Origin, Tagged, TfSet, Unknown
from tests.sources.hcl.util import local, local_value, one, write

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
        f"timestamp() ({tmp_path}/main.tf:2) is not known before apply: the time of the run "
        "is not known before it")
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


def test_numbers_too_long_or_too_large_are_over_the_budget_not_a_crash(tmp_path: Path) -> None:
    for expr in ("9" * 5000, "1.0e999", "1.0e999999999"):
        value = local_value(tmp_path, expr)
        assert isinstance(value, Unknown) and "budget for a number" in value.reason


def test_an_exponent_without_a_fraction_is_read_as_terraform_reads_it(tmp_path: Path) -> None:
    """tree-sitter-hcl reads `1e3` as `1` followed by a name `e3`, and could take the block
    after it as a block of type `e3`: the table's attribute would vanish."""
    state = one(tmp_path, {"main.tf": (
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "id"\n'
        '  read_capacity = 1e3\n  write_capacity = 5E+0\n  attribute {\n    name = "id"\n'
        '    type = "S"\n  }\n  tags = { a = "${2e-1}" }\n}\n')})
    assert state.read_capacity == 1000 and state.write_capacity == 5
    assert state.hash_key == Key("id", "S") and state.tags == {"a": "0.2"}
    assert state.field_locations["attribute"].line == 6  # every line where it was


@pytest.mark.parametrize("expr", ["1e", "1e3.5", "1.5.e3", "1e3e3"])
def test_a_number_terraform_cannot_read_is_refused(tmp_path: Path, expr: str) -> None:
    (tmp_path / "main.tf").write_text(f"locals {{\n  x = {expr}\n}}\n", encoding="utf-8")
    with pytest.raises(RunError, match=r"main.tf:\d: "):
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


# Heredocs cannot be put to `terraform console` (it reads one line): these are the
# answers Terraform 1.11 gives for them (`jsonencode(local.hN)` of this file).
HEREDOCS = '''locals {
  h1 = <<EOT
raw \\n $${x} %%{y}
EOT
  h2 = <<-EOT
    one
      two ${1 + 1}
    EOT
  h3 = <<-EOT
      a

    b
\tc
    EOT
  h4 = <<EOT
a

   ${~ "x"}
EOT
  h5 = <<EOT
${"x" ~}\x20\x20\x20
  b
EOT
  h6 = <<-EOT
    %{ for x in [1, 2] ~}
    item ${x}
    %{ endfor ~}
    done
    EOT
  h7 = <<-EOT
    %{~ if true ~}
      yes
    %{~ else ~}
      no
    %{~ endif ~}
    EOT
  h8 = <<EOT
${1}
EOT
  h9 = <<-EOT
  ${"x"}
    y
  EOT
  h10 = <<-EOT
    ${"a" ~}
      b
    c
    EOT
  h11 = <<EOT
EOT
  h12 = <<-EOT
\ttab
\t  more
\tEOT
  h13 = <<EOT
%{ for k, v in {a = 1, b = 2} }${k}=${v}
%{ endfor }
EOT
  h14 = <<-EOT
    a
    %{~ for x in [1, 2] }
      ${x}
    %{~ endfor }
    b
    EOT
  h15 = " ${~ 1}"
  h16 = "${~ 1 ~}"
  h17 = <<EOT
  ${1}
EOT
}
'''
TERRAFORM_SAYS = [
    "raw \\n ${x} %{y}\n", "one\n  two 2\n", "     a\n\n   b\nc\n", "a\n\nx\n", "x  b\n",
    "    item 1\n    item 2\n    done\n", "      yes\n", "1\n", "x\n  y\n", "a      b\nc\n", "",
    "tab\n  more\n", "a=1\nb=2\n\n", "    a\n\n      1\n\n      2\n\n    b\n", "1", 1, "  1\n",
]


def test_heredocs_and_strip_markers_give_what_terraform_gives(tmp_path: Path) -> None:
    """Strip markers trim the literal token beside them (in a heredoc, one line), and a
    flush heredoc's indent is found after they have: as HCL does it."""
    (tmp_path / "main.tf").write_text(HEREDOCS, encoding="utf-8")
    got = [local(tmp_path, f"h{i}") for i in range(1, len(TERRAFORM_SAYS) + 1)]
    assert got == TERRAFORM_SAYS


def test_a_partly_known_string_holds_its_known_text_as_terraform_shows_it(
        tmp_path: Path) -> None:
    """Numbers and bools in a template are Terraform's text, never the evaluator's own
    values (`Num(...)`, a Python repr)."""
    value = local_value(tmp_path, '"${var.p}-${1.5}-${10 / 4}-${true}-${1e3}-${var.p}"',
                        'variable "p" {}\n')
    assert isinstance(value, Unknown)
    assert value.parts == (None, "-1.5-2.5-true-1000-", None)
    assert all(isinstance(p, str) for p in value.parts if p is not None)


def test_a_dynamic_block_over_a_set_has_each_element_as_its_key(tmp_path: Path) -> None:
    """For a set, `.key` is the element itself (as `.value` is), not a position."""
    state = one(tmp_path, {"main.tf": '''
        resource "aws_dynamodb_table" "t" {
          name      = "t"
          hash_key  = "id"
          range_key = "ts"
          dynamic "attribute" {
            for_each = toset(["ts", "id"])
            content {
              name = attribute.key
              type = attribute.value == "id" ? "S" : "N"
            }
          }
        }
    '''})
    assert state.hash_key == Key("id", "S") and state.range_key == Key("ts", "N")
    assert iterate(TfSet(["a", "b"])) == [("a", "a"), ("b", "b")]


def test_try_and_can_of_an_unknown_are_unknown_and_keep_what_is_known(tmp_path: Path) -> None:
    extra = 'variable "u" {}\nresource "aws_kms_key" "k" {}\n'
    assert isinstance(local_value(tmp_path, "try([var.u], [])", extra), Unknown)
    assert isinstance(local_value(tmp_path, "can(var.u)", extra), Unknown)
    key = local_value(tmp_path, "try(aws_kms_key.k.arn, null)", extra)
    assert isinstance(key, Unknown) and key.origin is not None


def test_a_conditional_unifies_its_branches_even_when_its_condition_is_unknown(
        tmp_path: Path) -> None:
    either = local_value(tmp_path, 'var.u ? 1 : "a"', 'variable "u" {}\n')
    assert isinstance(either, Unknown) and either.possible == ("1", "a")
    assert local_value(tmp_path, 'var.u ? 1 : "1"', 'variable "u" {}\n') == "1"
