"""Terraform's JSON configuration syntax (`.tf.json`), read as Terraform reads it.

The parser keeps positions, every property and each number's text; the mapping gives the
trees the HCL parser gives (templates, literals, references, blocks by the schema), each
argument and block at the line of its property name. What Terraform refuses (each case
checked with `terraform validate` 1.11) is a one-line RunError naming file:line; hostile
input is never a traceback, never shown in a message.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from checker.errors import RunError
from checker.model import Key, Ttl
from checker.sources.hcl import budget, numbers
from checker.sources.hcl.bodynodes import Block
from checker.sources.hcl.exprnodes import GetAttr, Lit, Name, ObjectExpr, Template, TupleExpr
from checker.sources.hcl.index import parse_config
from checker.sources.hcl.tfjson.syntax import MAX_NESTING, JArray, JNumber, JObject, JString, parse
from checker.sources.hcl.valuemodel import deep
from tests.sources.hcl.util import local, one, write

SECRET = "hunter2-not-for-messages"


def _tree(text: str) -> list[Block]:
    """The top-level blocks of a `.tf.json` file *text*."""
    return parse_config(text.encode("utf-8"), "t.tf.json")[1]


def _locals(tmp_path: Path, locals_: object, **extra: object) -> dict[str, object]:
    """Every local of a JSON file holding *locals_* (and *extra* top-level blocks), as
    evaluated, provenance dropped."""
    (tmp_path / "main.tf.json").write_text(json.dumps({"locals": locals_, **extra}),
                                           encoding="utf-8")
    assert isinstance(locals_, dict)
    return {name: deep(local(tmp_path, name)) for name in locals_}


def _refused(text: str) -> str:
    """The one-line error for the `.tf.json` file *text*."""
    with pytest.raises(RunError) as caught:
        _tree(text)
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message, message
    return message


# -- the parser ----------------------------------------------------------------------------

def test_the_parser_keeps_positions_every_property_and_number_texts() -> None:
    data = b'{\n  "a": [1, -0.5e-3],\n  "a": "x\\u00e9\\ud83d\\ude00\\ud800\\n",\n  "b": {}\n}'
    root = parse(data, "f.tf.json")
    assert isinstance(root, JObject) and [p.name.value for p in root.props] == ["a", "a", "b"]
    first, second, third = root.props
    assert (first.name.line, second.name.line, third.name.line) == (2, 3, 4)
    assert isinstance(first.value, JArray)
    assert [(n.text, n.line) for n in first.value.items if isinstance(n, JNumber)] == [
        ("1", 2), ("-0.5e-3", 2)]
    assert data[first.value.start:first.value.end] == b"[1, -0.5e-3]"
    assert isinstance(second.value, JString)
    assert second.value.value == "x\u00e9\U0001f600\ufffd\n"  # a lone surrogate: U+FFFD, as Go
    assert (root.start, root.end) == (0, len(data))


def test_invalid_utf8_is_one_replacement_character_a_byte_as_go_reads_it() -> None:
    root = parse(b'{"a": "\xff\xe2\x82z"}', "f.tf.json")
    assert isinstance(root, JObject) and isinstance(root.props[0].value, JString)
    assert root.props[0].value.value == "\ufffd\ufffd\ufffdz"


@pytest.mark.parametrize(("data", "line", "why"), [
    (b"", 1, "no JSON value"),
    (b"\xef\xbb\xbf{}", 1, "a character where a value is expected"),  # Terraform refuses a BOM
    (b'{\n"a": 1,\n}', 2, "a comma before a closing bracket"),
    (b'{"a" 1}', 1, "':' expected"),
    (b"{1: 2}", 1, "property name must be a string"),
    (b'{"a": 01}', 1, "',' or '}' expected"),
    (b'{"a": +1}', 1, "a number JSON does not allow"),
    (b'{"a": tru}', 1, "not true, false or null"),
    (b'{"a":\n"x\ny"}', 2, "control character"),
    (b'{"a": "\\x"}', 1, "escape sequence"),
    (b'{"a": "abc', 1, "not closed"),
    (b'{"a": 1}}', 1, "more data after the JSON value"),
    (b'{\n"a": [1,\n2\n', 4, "ends inside an object or array"),
    (b'{"a": ' + SECRET.encode() + b"}", 1, "not true, false or null"),
])
def test_invalid_json_is_one_line_naming_file_and_line(data: bytes, line: int, why: str) -> None:
    with pytest.raises(RunError) as caught:
        parse(data, "f.tf.json")
    message = str(caught.value)
    assert message.startswith(f"f.tf.json:{line}: not valid JSON (") and why in message
    assert SECRET not in message and "\n" not in message


def test_nesting_is_bounded() -> None:
    parse(b"[" * MAX_NESTING + b"]" * MAX_NESTING, "f.tf.json")
    deep_ = b"[\n" * (MAX_NESTING + 1) + b"]" * (MAX_NESTING + 1)
    with pytest.raises(RunError, match=rf"^f\.tf\.json:{MAX_NESTING + 1}: nested too deeply"):
        parse(deep_, "f.tf.json")
    deep_objects = b'{"a":' * 100_000
    with pytest.raises(RunError, match=r"^f\.tf\.json:1: nested too deeply"):
        parse(deep_objects, "f.tf.json")


def test_a_file_larger_than_the_budget_is_refused() -> None:
    with pytest.raises(RunError, match=r"^f\.tf\.json: larger than"):
        parse(b" " * (budget.MAX_FILE_BYTES + 1), "f.tf.json")


def test_hostile_input_is_a_run_error_or_a_reading_never_a_traceback() -> None:
    seed = json.dumps({"resource": {"aws_dynamodb_table": {"t": {
        "name": "a-${var.x}", "attribute": [{"name": "pk", "type": "S"}], "count": 2,
        "dynamic": {"ttl": {"for_each": "${[1]}", "content": {"enabled": True}}}}}},
        "variable": {"x": {"default": "${y}", "type": "string"}}}).encode()
    rng = random.Random(7)
    for _ in range(600):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            data[at:at + rng.randint(0, 3)] = bytes(rng.choice(b'{}[]",:$%~\\0a\x00\xff')
                                                    for _ in range(rng.randint(0, 2)))
        try:
            parse_config(bytes(data), "t.tf.json")
        except RunError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("t.tf.json")


def test_blocks_nested_beyond_the_stack_are_a_run_error() -> None:
    inner: dict[str, object] = {"enabled": True}
    for _ in range(65):  # dynamic blocks in the content of dynamic blocks: 195 levels
        inner = {"dynamic": {"ttl": {"for_each": "${[1]}", "content": inner}}}
    data = json.dumps({"resource": {"aws_dynamodb_table": {"t": inner}}}).encode()
    assert parse_config(data, "d.tf.json")[1][0].body.blocks[0].type == "dynamic"

    def deep_in_the_stack(frames: int) -> None:
        """Parse *frames* calls down (as a module read during an evaluation is)."""
        if frames:
            deep_in_the_stack(frames - 1)
            return
        with pytest.raises(RunError, match=r"^d\.tf\.json: blocks nested too deeply to read$"):
            parse_config(data, "d.tf.json")

    deep_in_the_stack(800)


# -- blocks -----------------------------------------------------------------------------

def test_top_level_blocks_their_labels_and_arrays_of_declarations() -> None:
    blocks = _tree(json.dumps({
        "resource": [{"aws_s3_bucket": {"b": {}}}, {"aws_s3_bucket": {"c": [{}, {"x": 1}]}}],
        "data": {"aws_kms_alias": {"k": {"name": "alias/x"}}},
        "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west"}]},
        "variable": {"v": {}}, "output": {"o": {"value": 1}}, "module": {"m": {"source": "./m"}},
        "locals": [{"a": 1}, {"b": 2}], "terraform": {"backend": {"s3": {"bucket": "x"}}},
        "moved": [{"from": "a.b", "to": "a.c"}], "import": {"to": "a.b", "id": "i"},
        "check": {"c": {"assert": {"condition": True, "error_message": "m"}}},
        "removed": {"from": "a.d"}}))
    assert [(b.type, b.labels) for b in blocks] == [
        ("resource", ("aws_s3_bucket", "b")), ("resource", ("aws_s3_bucket", "c")),
        ("resource", ("aws_s3_bucket", "c")), ("data", ("aws_kms_alias", "k")),
        ("provider", ("aws",)), ("provider", ("aws",)), ("variable", ("v",)),
        ("output", ("o",)), ("module", ("m",)), ("locals", ()), ("locals", ()),
        ("terraform", ()), ("moved", ()), ("import", ()), ("check", ("c",)), ("removed", ())]
    terraform = blocks[11]
    assert [(b.type, b.labels) for b in terraform.body.blocks] == [("backend", ("s3",))]


def test_nested_blocks_are_those_of_the_schema_other_objects_attributes() -> None:
    (table,) = _tree(json.dumps({"resource": {"aws_dynamodb_table": {"t": {
        "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
        "ttl": {"enabled": True}, "point_in_time_recovery": [{"enabled": True}],
        "server_side_encryption": None, "tags": {"a": "b"}, "timeouts": {"create": "5m"},
        "lifecycle": {"ignore_changes": ["tags"], "prevent_destroy": False},
        "provisioner": {"local-exec": {"command": "x"}},
        "dynamic": {"global_secondary_index": {"for_each": "${local.gsis}", "iterator": "g",
                                               "content": {"name": "${g.key}"}}}}}}}))
    assert [(b.type, b.labels) for b in table.body.blocks] == [
        ("attribute", ()), ("attribute", ()), ("ttl", ()), ("point_in_time_recovery", ()),
        ("lifecycle", ()), ("provisioner", ("local-exec",)),
        ("dynamic", ("global_secondary_index",))]
    assert set(table.body.attributes) == {"tags", "timeouts"}  # not blocks of its schema
    lifecycle, dynamic = table.body.blocks[4], table.body.blocks[6]
    ignore = lifecycle.body.attributes["ignore_changes"].expr
    assert isinstance(ignore, TupleExpr) and isinstance(ignore.items[0], Name)
    assert isinstance(dynamic.body.attributes["iterator"].expr, Name)
    (content,) = dynamic.body.blocks
    assert content.type == "content" and "name" in content.body.attributes


def test_a_name_written_twice_in_a_body_tablespec_does_not_know_is_blocks() -> None:
    (instance,) = _tree('{"resource": {"aws_instance": {"i": {"ebs_block_device": {"a": "b"}, '
                        '"ebs_block_device": [{"a": "c"}]}}}}')  # `terraform validate` takes it
    assert [b.type for b in instance.body.blocks] == ["ebs_block_device"] * 2


def test_every_argument_and_block_names_the_line_of_its_property(tmp_path: Path) -> None:
    text = """{
      "resource": {
        "aws_dynamodb_table": {
          "t": {
            "name": "orders",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "pk",
            "attribute": [
              {"name": "pk", "type": "S"}
            ],
            "ttl": {
              "enabled": true,
              "attribute_name": "exp"
            }
          }
        }
      }
    }"""
    state = one(tmp_path, {"main.tf.json": text})
    main = str(tmp_path / "main.tf.json")
    assert (state.location.file, state.location.line) == (main, 4)
    lines = {k: v.line for k, v in state.field_locations.items()}
    assert {k: lines[k] for k in ("name", "hash_key", "attribute", "attribute.pk", "ttl",
                                  "ttl.attribute_name")} == {
        "name": 5, "hash_key": 7, "attribute": 9, "attribute.pk": 9, "ttl": 11,
        "ttl.attribute_name": 13}
    assert (state.name, state.hash_key, state.ttl) == ("orders", Key("pk", "S"),
                                                       Ttl(True, "exp"))


def test_comment_properties_are_not_content_and_carry_skips(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf.json": json.dumps({"//": "a file comment", "resource": {
        "aws_dynamodb_table": {"t": {
            "//": "tablespec:skip=pitr-enabled: restored nightly from S3",
            "name": "t", "hash_key": "pk", "billing_mode": "PAY_PER_REQUEST",
            "attribute": {"name": "pk", "type": "S", "//": "not an argument"}}}}})})
    (skip,) = state.skips
    assert (skip.id, skip.reason) == ("pitr-enabled", "restored nightly from S3")
    assert skip.location.line == 1
    assert state.hash_key == Key("pk", "S")


# -- expressions ------------------------------------------------------------------------

def test_strings_are_templates_one_interpolation_alone_its_value(tmp_path: Path) -> None:
    found = _locals(tmp_path, {
        "n": 5, "alone": "${local.n}", "trimmed": "${local.n ~}", "text": "n=${local.n}",
        "trimmed_break": "${local.n ~}\n", "led": "\n${~ local.n}", "plain": "no template",
        "escaped": "a$${b}%%{c}\\n", "directive": "%{ if local.n > 1 }big%{ else }small%{ endif }",
        "loop": "%{ for i in [1, 2] }${i};%{ endfor }", "keys": {"${local.plain2}": 1, "k": "v"},
        "plain2": "x", "list": ["${local.n}", True, None]})
    assert (found["alone"], found["trimmed"]) == (5, 5)  # as `terraform plan` gives them
    assert (found["text"], found["trimmed_break"], found["led"]) == ("n=5", "5", "5")
    assert (found["plain"], found["escaped"]) == ("no template", "a${b}%{c}\\n")
    assert (found["directive"], found["loop"]) == ("big", "1;2;")
    assert found["keys"] == {"x": 1, "k": "v"}
    assert found["list"] == [5, True, None]


def test_numbers_are_exact(tmp_path: Path) -> None:
    found = _locals(tmp_path, {"a": 0.1, "b": 0.2, "sum": "${local.a + local.b}",
                               "big": 123456789012345678901234567890, "neg": -0.5e-3})
    total, neg = found["sum"], found["neg"]
    assert isinstance(total, numbers.Num) and isinstance(neg, numbers.Num)
    assert numbers.text(total) == "0.3"  # not float's 0.30000000000000004
    assert found["big"] == 123456789012345678901234567890
    assert numbers.text(neg) == "-0.0005"


def test_variable_type_is_an_expression_and_default_a_literal(tmp_path: Path) -> None:
    found = _locals(tmp_path, {"nums": "${var.nums}", "lit": "${var.lit}"}, variable={
        "nums": {"type": "list(number)", "default": ["1", 2]},
        "lit": {"type": "string", "default": "x${upper(\"a\")}"}})
    assert found == {"nums": [1, 2], "lit": 'x${upper("a")}'}


def test_references_and_keywords_written_as_strings() -> None:
    (table, call) = _tree(json.dumps({
        "resource": {"aws_dynamodb_table": {"t": {"provider": "aws.west",
                                                  "depends_on": ["aws_kms_key.k", "module.m"]}}},
        "module": {"m": {"source": "./m${x}", "version": "1.0", "providers": {"aws": "aws.west"},
                         "n": "${var.n}"}}}))
    provider = table.body.attributes["provider"].expr
    assert isinstance(provider, GetAttr) and provider.text == "aws.west"
    depends = table.body.attributes["depends_on"].expr
    assert isinstance(depends, TupleExpr) and [e.text for e in depends.items] == [
        "aws_kms_key.k", "module.m"]
    attrs = call.body.attributes
    assert isinstance(attrs["source"].expr, Lit) and attrs["source"].expr.value == "./m${x}"
    providers = attrs["providers"].expr
    assert isinstance(providers, ObjectExpr)
    assert [(k.text, v.text) for k, v in providers.items] == [("aws", "aws.west")]
    assert isinstance(attrs["n"].expr, Template) and attrs["n"].expr.text == '"${var.n}"'


def test_a_resource_uses_the_provider_configuration_it_names(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf.json": json.dumps({
        "provider": {"aws": [{"region": "eu-west-1"},
                             {"alias": "west", "region": "us-west-2",
                              "default_tags": {"tags": {"Team": "${upper(\"core\")}"}}}]},
        "resource": {"aws_dynamodb_table": {"t": {
            "provider": "aws.west", "name": "t", "hash_key": "pk",
            "billing_mode": "PAY_PER_REQUEST", "attribute": {"name": "pk", "type": "S"}}}}})})
    assert (state.region, state.tags) == ("us-west-2", {"Team": "CORE"})


def test_a_module_call_written_in_json(tmp_path: Path) -> None:
    write(tmp_path, {"child/main.tf": 'variable "n" {}\noutput "o" { value = "${var.n}!" }\n'})
    found = _locals(tmp_path, {"x": "${module.m.o}"},
                    module={"m": {"source": "./child", "n": "${1 + 1}"}})
    assert found == {"x": "2!"}


def test_a_json_module_called_from_hcl(tmp_path: Path) -> None:
    write(tmp_path, {"child/main.tf.json": json.dumps({
        "variable": {"n": {"type": "number"}}, "output": {"o": {"value": "${var.n * 2}"}}}),
        "main.tf": 'module "m" {\n  source = "./child"\n  n = "4"\n}\n'
                   'locals {\n  x = module.m.o\n}\n'})
    assert deep(local(tmp_path, "x")) == 8


# -- what Terraform refuses -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('"x"', r"t\.tf\.json:1: the root of a JSON configuration file is not an object"),
    ('{\n"resources": {}}', r"t\.tf\.json:2: resources is not a block type"),
    ('{"resource": {}}', r"t\.tf\.json:1: a resource block without its labels"),
    ('{"variable": null}', r"t\.tf\.json:1: a variable block without its labels"),
    ('{"resource": {"aws_x": {"y":\n"z"}}}', r"t\.tf\.json:2: a resource block is not an object"),
    ('{"variable": {"//": "c", "a": {}}}', r"t\.tf\.json:1: a variable block is not an object"),
    ('{"locals": {"a": 1,\n"a": 2}}', r"t\.tf\.json:2: the argument a is set twice \(first at "
                                      r"line 1\)"),
    ('{"resource": {"aws_dynamodb_table": {"t": {"name": "a",\n"name": "b"}}}}',
     r"t\.tf\.json:2: the argument name is set twice"),
    ('{"variable": {"v": {"default": {"k": 1,\n"k": 2}}}}',
     r"t\.tf\.json:2: the object key k is set twice"),
    ('{"locals": {"t": {"k": "1",\n"k": "2"}}}', r"t\.tf\.json:2: the object key k is set twice"),
    ('{"locals": {"a": "ok",\n"b": "${"}}', r"t\.tf\.json:2: in this string's template: syntax"),
    ('{"resource": {"aws_x": {"y": {"depends_on": [\n"${a.b}"]}}}}',
     r"t\.tf\.json:2: in this string's expression: syntax error"),
    ('{"resource": {"aws_x": {"y": {"provider": "a\\nb = 1"}}}}',
     r"t\.tf\.json:1: this string is not one expression"),
])
def test_what_terraform_refuses_is_refused(text: str, expected: str) -> None:
    message = _refused(text)
    assert re.match(expected, message), message


def test_a_string_where_terraform_takes_it_as_written_is_not_parsed() -> None:
    (variable,) = _tree('{"variable": {"v": {"description": "a ${ b", "default": "${"}}}')
    assert variable.body.attributes["default"].expr.text == '"${"'  # as `terraform validate`


def test_the_first_bad_template_of_many_is_named(tmp_path: Path) -> None:
    many = {f"k{i}": f"${{{i}}}" for i in range(300)}
    text = json.dumps({"locals": many}, indent=0).replace('"${200}"', '"${200 +"')
    line = text.splitlines().index('"k200": "${200 +",') + 1
    message = _refused(text)
    assert message.startswith(f"t.tf.json:{line}: in this string's template"), message
