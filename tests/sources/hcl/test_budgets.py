"""The evaluator's budgets (checker/sources/hcl/budget.py): beyond one, a value is an
unknown naming the expression, its file:line and the budget; never a crash, a hang, memory
exhausted, or a value taken from elsewhere (`try`)."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.sources.hcl import budget, read_hcl
from checker.unknown import Unknown
from tests.sources.hcl.util import local_value, repository, states, write
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
GIB = 1 << 30


def unknown(value: object) -> str:
    """The reason of *value*, asserted to be an Unknown."""
    assert isinstance(value, Unknown), repr(value)[:200]
    return value.reason


@pytest.mark.parametrize(("expr", "says"), [
    ('format("%0999999999d", 1)', "asks for a format width of 999,999,999, over tablespec's "
     "budget of 1,000"),
    ('format("%.5000f", 1)', "format width of 5,000"),
    ("setproduct(range(1000), range(1000), range(1000))",
     "builds a collection of 1,000,000 elements, over tablespec's budget of 100,000"),
    ('join("", [for i in range(1000) : format("%01000d", i)])',
     "builds a string of 1,000,000 characters"),  # within one string's budget: a value
    ('join(",", [for i in range(1024) : "${format("%01000d", i)}${format("%050d", i)}"])',
     "builds a string of 1,076,223 characters, over tablespec's budget of 1,048,576"),
    ('replace(format("%01000d", 0), "0", format("%01000d", 0))',
     "builds a string of 1,000,000 characters"),
    ('replace(format("%01000d", 0), "", "${format("%01000d", 0)}${format("%0100d", 0)}")',
     "builds a string of 1,102,100 characters"),
    ("range(1025)", "range(): more than 1024 values"),  # Terraform's own limit
])
def test_a_function_beyond_a_budget_is_unknown_naming_it(tmp_path: Path, expr: str,
                                                         says: str) -> None:
    value = local_value(tmp_path, expr)
    if says.startswith("builds a string of 1,000,000"):  # the budget is not reached
        assert isinstance(value, str | int) and not isinstance(value, bool)
        return
    reason = unknown(value)
    assert says in reason, reason
    assert "main.tf:2" in reason


def test_forty_locals_each_doubling_a_string(tmp_path: Path) -> None:
    chain = "\n".join(f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"' for i in range(1, 41))
    reason = unknown(local_value(tmp_path, "local.a40", f'locals {{\n  a0 = "xx"\n{chain}\n}}\n'))
    assert ('"${local.a19}${local.a19}" (' in reason and "main.tf:25) builds a string of "
            "2,097,152 characters, over tablespec's budget of 1,048,576" in reason), reason


def test_forty_locals_each_doubling_a_list_are_walked_within_the_step_budget(
        tmp_path: Path) -> None:
    """A shared list takes little memory; walking it (jsonencode, flatten) would not end."""
    chain = "\n".join(f"  a{i} = [local.a{i - 1}, local.a{i - 1}]" for i in range(1, 41))
    extra = f'locals {{\n  a0 = ["x"]\n{chain}\n}}\n'
    for fn in ("jsonencode", "flatten", "length(flatten", "tostring(length(jsonencode"):
        closing = ")" * (fn.count("(") + 1)
        reason = unknown(local_value(tmp_path, f"{fn}(local.a40{closing}", extra))
        assert "went past tablespec's budget of 2,000,000 steps" in reason or (
            "over tablespec's budget" in reason), reason


def test_nested_for_over_a_billion_elements_stops_at_the_step_budget(tmp_path: Path) -> None:
    expr = "[for a in range(1024) : [for b in range(1024) : [for c in range(64) : c]]]"
    reason = unknown(local_value(tmp_path, f"length({expr})"))
    assert "is not evaluated: this root's evaluation went past tablespec's budget of " \
           "2,000,000 steps" in reason and "main.tf:2" in reason


def test_a_product_of_large_numbers_is_beyond_the_number_budget(tmp_path: Path) -> None:
    chain = "\n".join(f"  n{i} = local.n{i - 1} * local.n{i - 1}" for i in range(1, 40))
    reason = unknown(local_value(tmp_path, "local.n39", f"locals {{\n  n0 = 1000\n{chain}\n}}\n"))
    assert "makes a number beyond ±1.8e308, tablespec's budget for a number" in reason


def test_try_and_can_do_not_take_a_budget_for_a_failure(tmp_path: Path) -> None:
    """`try(huge, "x")` is not "x": Terraform would have evaluated the first argument."""
    huge = 'format("%0999999999d", 1)'
    assert "format width" in unknown(local_value(tmp_path, f'try({huge}, "fallback")'))
    assert "format width" in unknown(local_value(tmp_path, f"can({huge})"))


def test_sets_of_many_strings_are_made_in_linear_time(tmp_path: Path) -> None:
    expr = 'length(toset([for p in setproduct(range(300), range(300)) : "k${p[0] % 7}"]))'
    assert local_value(tmp_path, expr) == 7
    assert local_value(tmp_path, "distinct([1, 1.0, 2, \"a\", \"a\", true])") == [
        "1", "2", "a", "true"]  # a list of one type: the numbers and the bool made strings


TABLE = '''
resource "aws_dynamodb_table" "t" {{
  {meta}
  name         = "hypermage-vr-player-sessions-dev"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
}}
'''


@pytest.mark.parametrize(("meta", "says"), [
    ("count = 100000000", "count makes 100,000,000 instances, over tablespec's budget of "
     "10,000 for one count or for_each"),
    ("count = 2.5", "count must be a whole number, not 2.5"),
    ("count = 1.0e400", "beyond ±1.8e308, tablespec's budget for a number"),
    ('for_each = {for p in setproduct(range(200), range(100)) : "${p[0]}-${p[1]}" => p}',
     "for_each makes 20,000 instances, over tablespec's budget of 10,000"),
])
def test_an_expansion_beyond_the_budget_is_one_table_of_unknown_name(
        tmp_path: Path, meta: str, says: str) -> None:
    (state,) = states(tmp_path, {"main.tf": TABLE.format(meta=meta)})
    reason = unknown(state.name)
    assert "aws_dynamodb_table.t (" in reason and "main.tf:1)" in reason and says in reason


def test_a_dynamic_block_beyond_the_budget_is_unknown(tmp_path: Path) -> None:
    dynamic = '''dynamic "attribute" {
    for_each = range(1000)
    content {
      name = "a${attribute.value}"
      type = "S"
    }
  }
  dynamic "global_secondary_index" {
    for_each = setproduct(range(200), range(100))
    content {
      name            = "g${global_secondary_index.key}"
      hash_key        = "id"
      projection_type = "ALL"
    }
  }'''
    (state,) = states(tmp_path, {"main.tf": TABLE.format(meta=dynamic)})
    assert 'dynamic "global_secondary_index"' in unknown(state.gsis)
    assert "makes 20,000 instances" in unknown(state.gsis)


def test_module_instances_beyond_the_budget_are_a_module_not_read(tmp_path: Path) -> None:
    write(repository(tmp_path), {
        "main.tf": 'module "m" {\n  source = "./m"\n  count = 100\n}\n',
        "m/main.tf": 'module "n" {\n  source = "./n"\n  count = 10000\n}\n',
        "m/n/main.tf": TABLE.format(meta="").replace('"hypermage', '"x-${path.module}'),
    })
    (root,) = read_hcl([str(tmp_path)])
    assert len(root.states) <= budget.MAX_READ + 1  # not the million instances written
    last = root.states[-1]
    assert "and the modules after it are not read: the root holds more than tablespec's " \
           "budget of 20,000 table and alarm instances" in unknown(last.name)
    assert any("are not read" in n for n in root.notes)


# The issue's inputs, run as a user runs them: under 1 GiB, within 10 s, every spec table
# reported, the expression named with its file:line.
ISSUE = {
    "count": 'resource "aws_dynamodb_table" "x" {\n  count = 100000000\n  name = "a"\n}\n',
    "format": 'resource "aws_dynamodb_table" "x" {\n  name = format("%0999999999d", 1)\n}\n',
    "setproduct": 'locals {\n  l = range(1000)\n  p = setproduct(local.l, local.l, local.l)\n}\n'
                  'resource "aws_dynamodb_table" "x" {\n  name = length(local.p)\n}\n',
    "doubling": 'locals {\n  a0 = "xx"\n' + "".join(
        f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"\n' for i in range(1, 41))
        + '}\nresource "aws_dynamodb_table" "x" {\n  name = local.a40\n}\n',
    "nested-for": 'locals {\n  n = [for a in range(1024) : [for b in range(1024) : '
                  '[for c in range(64) : c]]]\n}\n'
                  'resource "aws_dynamodb_table" "x" {\n  name = length(local.n)\n}\n',
}


def _limits() -> None:
    """In the child: at most 1 GiB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


@pytest.mark.parametrize("case", sorted(ISSUE))
def test_the_issues_inputs_are_unknown_within_10_s_and_1_gib(tmp_path: Path,
                                                             case: str) -> None:
    tree = repository(shutil.copytree(REPO / "examples" / "terraform", tmp_path / "tf"))
    (tree / "environments" / "prod" / "extra.tf").write_text(ISSUE[case])
    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-m", "checker.cli", "hcl", str(tree / "environments" / "prod"),
         "--spec", SPEC, "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=10, preexec_fn=_limits, check=False, cwd=REPO)
    assert done.returncode in (0, 1) and done.stderr == "", done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert {f["table"] for f in report["findings"]} >= {
        "player-sessions", "interaction-events", "player-rewards"}
    messages = " ".join(f["message"] for f in report["findings"] if f["status"] == "unknown")
    assert "extra.tf:" in messages and "budget" in messages
    assert budget.MAX_STEPS == 2_000_000  # the budgets this test was written for
