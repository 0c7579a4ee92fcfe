"""`data "aws_iam_policy_document"` read from source as the provider computes it
(checker/sources/terraform/policydoc.py, checker/sources/hcl/policydocs.py): its `json` is
the document's text when wholly known, an Unknown with `decoded` when known in part, a bare
Unknown when its shape is not known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.sources.hcl.body import instance_body
from checker.sources.hcl.valuemodel import plain
from checker.unknown import Origin, Reason
from tests.sources.hcl.util import instance, local, unknown, write

TABLE = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\nvariable "v" {}\n'
ARN = Origin("aws_dynamodb_table", "aws_dynamodb_table.t", "arn")


def attr(tmp_path: Path, data: str, name: str = "json") -> object:
    """`data.aws_iam_policy_document.d.NAME` of a tree declaring *data* (the data block's
    body) beside a table, as the evaluator holds it (provenance dropped)."""
    block = f'data "aws_iam_policy_document" "d" {{\n{data}\n}}\n'
    use = f"locals {{\n  x = data.aws_iam_policy_document.d.{name}\n}}\n"
    write(tmp_path, {"main.tf": TABLE + block + use})
    return plain(local(tmp_path))


def doc(tmp_path: Path, data: str) -> object:
    """The document `json` holds, asserted wholly known, with `minified_json` the same."""
    text = attr(tmp_path, data)
    assert isinstance(text, str), repr(text)[:300]
    assert json.loads(text) == json.loads(str(attr(tmp_path, data, "minified_json")))
    return json.loads(text)


def test_a_literal_document_is_its_json_text(tmp_path: Path) -> None:
    data = '''
  policy_id = "P1"
  statement {
    sid       = "Read"
    actions   = ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:Query"]
    resources = ["arn:aws:dynamodb:us-east-1:111111111111:table/t"]
  }
  statement {
    effect        = "Deny"
    not_actions   = ["dynamodb:GetItem"]
    not_resources = ["arn:aws:dynamodb:*:*:table/&{aws:username}"]
  }
'''
    assert doc(tmp_path, data) == {"Version": "2012-10-17", "Id": "P1", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:GetItem"],
         "Resource": "arn:aws:dynamodb:us-east-1:111111111111:table/t"},
        {"Effect": "Deny", "NotAction": "dynamodb:GetItem",
         "NotResource": "arn:aws:dynamodb:*:*:table/${aws:username}"}]}
    assert attr(tmp_path, 'statement {\n actions = ["a:B"]\n}', "minified_json") == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:B"}]}')
    assert attr(tmp_path, 'statement {\n actions = ["a:B"]\n}') == (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
        '      "Action": "a:B"\n    }\n  ]\n}')


def test_principals_merge_by_type_and_a_lone_star_is_star(tmp_path: Path) -> None:
    data = '''
  statement {
    actions = ["dynamodb:GetItem"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["222222222222", "333333333333"]
    }
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444444444444:root"]
    }
  }
  statement {
    actions = ["dynamodb:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    actions = ["dynamodb:*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
'''
    statements = doc(tmp_path, data)["Statement"]  # type: ignore[index]
    assert statements[0]["Principal"] == {
        "AWS": ["arn:aws:iam::111111111111:root", "333333333333", "222222222222"],
        "Service": "lambda.amazonaws.com"}
    assert statements[0]["NotPrincipal"] == {"AWS": "arn:aws:iam::444444444444:root"}
    assert statements[1]["Principal"] == "*"
    assert statements[2]["Principal"] == {"AWS": "*"}  # not "*": IAM tells them apart


def test_conditions_merge_by_test_and_variable(tmp_path: Path) -> None:
    data = '''
  statement {
    actions = ["dynamodb:GetItem"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-2"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-1"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
'''
    assert doc(tmp_path, data)["Statement"][0]["Condition"] == {  # type: ignore[index]
        "Bool": {"aws:SecureTransport": "true"},
        "StringEquals": {"aws:PrincipalOrgID": ["o-1", "o-2"], "aws:SourceVpce": "vpce-1"}}


def test_a_resource_known_after_apply_is_a_leaf_of_the_decoded_document(
        tmp_path: Path) -> None:
    data = '''
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = [aws_dynamodb_table.t.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999999999999:root"]
    }
  }
'''
    value = unknown(attr(tmp_path, data))
    assert "data.aws_iam_policy_document.d.json (" in value.reason
    assert "aws_dynamodb_table.t.arn (" in value.reason and "is known only" in value.reason
    assert value.origin == Origin("data.aws_iam_policy_document",
                                  "data.aws_iam_policy_document.d", "json")
    assert isinstance(value.decoded, dict)
    statement = value.decoded["Statement"][0]
    assert unknown(statement.pop("Resource")).origin == ARN
    assert value.decoded == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "dynamodb:GetItem",
        "Principal": {"AWS": "arn:aws:iam::999999999999:root"}}]}


def test_a_resource_attribute_reads_the_json_through_its_body(tmp_path: Path) -> None:
    policy = '''
data "aws_iam_policy_document" "{name}" {{
  statement {{
    actions   = ["dynamodb:GetItem"]
    resources = [{resource}]
  }}
}}
resource "aws_dynamodb_resource_policy" "{name}" {{
  resource_arn = aws_dynamodb_table.t.arn
  policy       = data.aws_iam_policy_document.{name}.json
}}
'''
    write(tmp_path, {"main.tf": TABLE + policy.format(name="known", resource='"*"')
                     + policy.format(name="partly", resource="aws_dynamodb_table.t.arn")})
    found = instance(tmp_path).resources.instances(("aws_dynamodb_resource_policy",))
    read = {i.name: instance_body(i).value("policy") for i in found}
    assert isinstance(read["known"], str) and json.loads(read["known"])["Statement"] == [
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]
    partly = unknown(read["partly"])
    assert isinstance(partly.decoded, dict)
    assert unknown(partly.decoded["Statement"][0]["Resource"]).origin == ARN


def test_statements_of_a_dynamic_block_over_an_unknown_for_each_are_not_known(
        tmp_path: Path) -> None:
    dynamic = '''
  dynamic "statement" {
    for_each = %s
    content {
      actions   = [statement.value]
      resources = ["*"]
    }
  }
'''
    value = unknown(attr(tmp_path, dynamic % "var.v"))
    assert value.decoded is None and 'dynamic "statement" (' in value.reason
    assert doc(tmp_path, dynamic % '["a:B", "c:D"]')["Statement"] == [  # type: ignore[index]
        {"Effect": "Allow", "Action": "a:B", "Resource": "*"},
        {"Effect": "Allow", "Action": "c:D", "Resource": "*"}]


def test_source_and_override_documents_merge_by_sid(tmp_path: Path) -> None:
    source = json.dumps({"Version": "2008-10-17", "Id": "S", "Statement": [
        {"Sid": "Keep", "Effect": "Allow", "Action": "a:A", "Resource": "*"},
        {"Sid": "Mine", "Effect": "Allow", "Action": "a:B", "Resource": "*"},
        {"Effect": "Deny", "Action": ["a:Z"], "Principal": "*",
         "Condition": {"Bool": {"aws:SecureTransport": False}, "NumericLessThan": {"n": 3}}}]})
    data = f'''
  source_policy_documents   = [{json.dumps(source)}]
  override_policy_documents = [jsonencode({{Statement = [
    {{Sid = "Over", effect = "Deny", Action = "a:O", Resource = "*"}},
    {{Sid = "Keep", Effect = "Deny", Action = "a:K", Resource = "*"}}]}})]
  statement {{
    sid     = "Mine"
    actions = ["a:M"]
  }}
'''
    assert doc(tmp_path, data) == {"Version": "2012-10-17", "Id": "S", "Statement": [
        {"Sid": "Keep", "Effect": "Deny", "Action": "a:K", "Resource": "*"},
        {"Sid": "Mine", "Effect": "Allow", "Action": "a:M"},
        {"Effect": "Deny", "Action": ["a:Z"], "Principal": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "Over", "Effect": "Deny", "Action": "a:O", "Resource": "*"}]}


def test_a_document_to_merge_known_in_part_is_merged_with_its_unknown_leaves(
        tmp_path: Path) -> None:
    data = '''
  source_policy_documents = [jsonencode({Statement = [
    {Sid = "Base", Effect = "Allow", Action = "a:A", Resource = aws_dynamodb_table.t.arn}]})]
  statement {
    sid     = "Own"
    actions = ["a:B"]
  }
'''
    value = unknown(attr(tmp_path, data))
    assert isinstance(value.decoded, dict)
    base, own = value.decoded["Statement"]
    assert unknown(base["Resource"]).origin == ARN
    assert own == {"Sid": "Own", "Effect": "Allow", "Action": "a:B"}


@pytest.mark.parametrize(("data", "says"), [
    ("source_policy_documents = [var.v]", "source_policy_documents[0] is not known"),
    ("source_policy_documents = var.v", "source_policy_documents is not known"),
    ("override_policy_documents = [jsonencode({Statement = var.v})]", "is not known"),
    ('override_policy_documents = [jsonencode({Statement = [{Sid = "A"}]})]\n'
     "statement {\n sid = var.v\n}", "merges statements by Sid, and a Sid is not known"),
])
def test_a_merge_that_is_not_known_is_a_bare_unknown(tmp_path: Path, data: str,
                                                      says: str) -> None:
    value = unknown(attr(tmp_path, data))
    assert value.decoded is None and value.kind is Reason.UNKNOWN_VALUE
    assert says in value.reason and "var.v (" in value.reason, value.reason


@pytest.mark.parametrize(("data", "says"), [
    ('statement {\n effect = "Maybe"\n}', "effect must be one of Allow, Deny"),
    ('statement {\n sid = "a-b"\n}', "sid must only include letters and digits"),
    ('statement {\n sid = "A"\n}\nstatement {\n sid = "A"\n}', "have the same Sid"),
    ('version = "2008-10-17"\nstatement {\n resources = ["x/&{aws:username}"]\n}',
     "version 2008-10-17 refuses"),
    ('source_policy_documents = ["{\\"secret-ish\\": "]', "[0] is not valid JSON"),
    ('source_policy_documents = [jsonencode({Statement = [null]})]', "Statement[0] is not"),
    ('source_json = "{}"', "source_json must be empty"),
    ("statement {\n principals {\n type = \"AWS\"\n }\n}", "needs type and identifiers"),
])
def test_what_terraform_refuses_is_invalid_and_never_quoted(tmp_path: Path, data: str,
                                                            says: str) -> None:
    value = unknown(attr(tmp_path, data))
    assert value.kind is Reason.INVALID_VALUE and says in value.reason, value.reason
    assert "secret-ish" not in value.reason and "aws:username" not in value.reason


def test_json_syntax_reads_statement_blocks(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf.json": json.dumps({
        "data": {"aws_iam_policy_document": {"d": {"statement": [
            {"actions": ["a:B"], "principals": {"type": "AWS", "identifiers": ["1"]}}]}}},
        "locals": {"x": "${data.aws_iam_policy_document.d.minified_json}"}})})
    assert plain(local(tmp_path)) == ('{"Version":"2012-10-17","Statement":[{"Effect":'
                                      '"Allow","Action":"a:B","Principal":{"AWS":"1"}}]}')
