"""Which files of a module directory are read: every configuration file Terraform and
OpenTofu read (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`), a `.tofu` file in the place of
the `.tf` file of the same name (`.tofu.json` of `.tf.json`), as OpenTofu's docs and its
`filterTfPathsWithTofuAlternatives` say; override files in every form, merged in name
order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import RunError
from checker.model import Ttl
from checker.sources.hcl.index import (
    is_config_name,
    is_override,
    load_module,
    parse_config,
    terraform_files,
)
from tests.sources.hcl.util import one, states, write


def _table(name: str, extra: str = "") -> str:
    """An HCL table named *name*."""
    return f'''
    resource "aws_dynamodb_table" "t" {{
      name         = "{name}"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {{
        name = "pk"
        type = "S"
      }}
      {extra}
    }}
    '''


def _json_table(name: str) -> str:
    """The same table in JSON."""
    return json.dumps({"resource": {"aws_dynamodb_table": {"t": {
        "name": name, "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk",
        "attribute": {"name": "pk", "type": "S"}}}}})


@pytest.mark.parametrize(("name", "config", "override"), [
    ("main.tf", True, False), ("main.tf.json", True, False), ("main.tofu", True, False),
    ("main.tofu.json", True, False), ("override.tf", True, True),
    ("override.tofu.json", True, True), ("db_override.tf.json", True, True),
    ("db_override.tofu", True, True), ("overrides.tf", True, False),
    ("xoverride.tf", True, False), (".hidden.tf", False, False), ("main.tf~", False, False),
    ("#main.tf#", False, False), ("main.tfvars", False, False), ("main.json", False, False),
    ("terraform.tfvars.json", False, False), ("main.tftest.hcl", False, False),
])
def test_names(name: str, config: bool, override: bool) -> None:
    assert (is_config_name(name), is_override(name) and config) == (config, override)


def test_a_tofu_file_takes_the_place_of_the_tf_file_of_its_name(tmp_path: Path) -> None:
    write(tmp_path, {n: "" for n in (
        "a.tf", "a.tofu", "b.tf", "b.tofu.json", "c.tf.json", "c.tofu.json", "d.tofu",
        "e_override.tf", "e_override.tofu", "override.tf.json", ".x.tf", "f.tf~", "notes.txt",
        "dir.tf/main.tf")})
    assert terraform_files(str(tmp_path)) == [
        "a.tofu", "b.tf", "b.tofu.json", "c.tofu.json", "d.tofu", "e_override.tofu",
        "override.tf.json"]


def test_the_tf_file_a_tofu_file_replaces_is_not_read(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf": _table("read-by-terraform"),
                           "main.tofu": _table("read-by-opentofu"),
                           "main.tf.json": _json_table("json-read-by-terraform")
                           .replace('"t"', '"j"'),
                           "main.tofu.json": "{}"})
    assert (state.name, state.location.file) == ("read-by-opentofu",
                                                  str(tmp_path / "main.tofu"))


def test_files_of_every_form_are_read_together(tmp_path: Path) -> None:
    found = states(tmp_path, {"a.tf": _table("a"),
                              "b.tf.json": _json_table("b").replace('"t"', '"b"'),
                              "c.tofu": _table("c").replace('"t"', '"c"'),
                              "d.tofu.json": _json_table("d").replace('"t"', '"d"')})
    assert sorted((s.resource, s.name) for s in found) == [
        ("aws_dynamodb_table.b", "b"), ("aws_dynamodb_table.c", "c"),
        ("aws_dynamodb_table.d", "d"), ("aws_dynamodb_table.t", "a")]


def test_override_files_of_every_form_merge_in_name_order(tmp_path: Path) -> None:
    ttl = {"resource": {"aws_dynamodb_table": {"t": {
        "ttl": {"enabled": True, "attribute_name": "json"}}}}}
    state = one(tmp_path, {
        "main.tf": _table("base"),
        "a_override.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "from-tf"\n}\n',
        "a_override.tofu": 'resource "aws_dynamodb_table" "t" {\n  name = "from-tofu"\n}\n',
        "b_override.tf.json": json.dumps(ttl),
        "override.tofu.json": json.dumps({"resource": {"aws_dynamodb_table": {"t": {
            "deletion_protection_enabled": True}}}}),
    })
    assert (state.name, state.ttl, state.deletion_protection) == (
        "from-tofu", Ttl(True, "json"), True)
    assert state.field_locations["ttl"].file == str(tmp_path / "b_override.tf.json")
    assert state.field_locations["name"].file == str(tmp_path / "a_override.tofu")


def test_a_json_override_replaces_a_block_type_written_in_hcl(tmp_path: Path) -> None:
    state = one(tmp_path, {
        "main.tf": _table("t", 'ttl {\n enabled = false\n}\n'),
        "override.tf.json": json.dumps({"resource": {"aws_dynamodb_table": {"t": {
            "dynamic": {"ttl": {"for_each": "${[\"exp\"]}", "content": {
                "enabled": True, "attribute_name": "${ttl.value}"}}}}}}}),
    })
    assert state.ttl == Ttl(True, "exp")


def test_a_declaration_in_two_forms_is_refused_as_in_one(tmp_path: Path) -> None:
    write(tmp_path, {"a.tf": _table("a"), "b.tofu.json": _json_table("b")})
    with pytest.raises(RunError, match=r'b\.tofu\.json:1: resource "aws_dynamodb_table" "t" '
                                        r"is declared twice \(first at .*a\.tf:1\)"):
        load_module(str(tmp_path))


def test_parse_config_reads_by_extension() -> None:
    hcl = b'locals {\n  a = 1\n}\n'
    assert parse_config(hcl, "x.tofu")[1][0].type == "locals"
    assert parse_config(b'{"locals": {"a": 1}}', "x.tofu.json")[1][0].type == "locals"
    with pytest.raises(RunError, match=r"^x\.tf\.json:1: not valid JSON"):
        parse_config(hcl, "x.tf.json")
