"""parse_policy: every principal form, string-or-list elements, malformed documents."""

from __future__ import annotations

import json
import time

import pytest

from checker.iam.document import (
    Condition,
    Policy,
    Principals,
    Statement,
    is_hole,
    parse_policy,
)
from checker.unknown import Origin, Unknown

SECRET = "SECRET-7f3a9c"
ACC = "111111111111"


def doc(*statements: object, **extra: object) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements), **extra})


def allow(**fields: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*", **fields}


def only(raw: object) -> Statement:
    policy = parse_policy(raw)
    assert isinstance(policy, Policy), policy
    (statement,) = policy.statements
    return statement


@pytest.mark.parametrize(("principal", "expected"), [
    ("*", Principals(anyone=True)),
    ({"AWS": "*"}, Principals(anyone=True)),
    ({"AWS": ["*"]}, Principals(anyone=True)),
    ({"AWS": ["*", ACC]}, Principals(anyone=True, aws=(ACC,))),
    ({"AWS": ACC}, Principals(anyone=False, aws=(ACC,))),
    ({"AWS": f"arn:aws:iam::{ACC}:root"}, Principals(False, aws=(f"arn:aws:iam::{ACC}:root",))),
    ({"AWS": [f"arn:aws:iam::{ACC}:role/r", f"arn:aws-cn:iam::{ACC}:user/u"]},
     Principals(False, aws=(f"arn:aws:iam::{ACC}:role/r", f"arn:aws-cn:iam::{ACC}:user/u"))),
    ({"Service": "dynamodb.amazonaws.com"},
     Principals(False, service=("dynamodb.amazonaws.com",))),
    ({"Service": ["glue.amazonaws.com", "redshift.amazonaws.com"]},
     Principals(False, service=("glue.amazonaws.com", "redshift.amazonaws.com"))),
    ({"Federated": "cognito-identity.amazonaws.com"},
     Principals(False, federated=("cognito-identity.amazonaws.com",))),
    ({"CanonicalUser": "79a59df900b949e55d96a1e698fbace"},
     Principals(False, canonical_user=("79a59df900b949e55d96a1e698fbace",))),
    ({"AWS": ACC, "Service": "s3.amazonaws.com", "Federated": ["f"], "CanonicalUser": "c"},
     Principals(False, aws=(ACC,), service=("s3.amazonaws.com",), federated=("f",),
                canonical_user=("c",))),
    ({"AWS": []}, Principals(anyone=False)),
])
def test_every_principal_form(principal: object, expected: Principals) -> None:
    s = only(doc(allow(Principal=principal)))
    assert (s.principal, s.not_principal) == (expected, None)
    n = only(doc(allow(NotPrincipal=principal)))
    assert (n.principal, n.not_principal) == (None, expected)


def test_no_principal_is_none() -> None:
    s = only(doc(allow()))
    assert s.principal is None and s.not_principal is None


def test_a_single_statement_object_is_a_statement() -> None:
    single = json.dumps({"Statement": allow(Sid="One", Principal="*")})
    s = only(single)
    assert (s.index, s.sid, s.effect, s.principal) == (0, "One", "Allow", Principals(True))


def test_statements_keep_their_order_and_index() -> None:
    policy = parse_policy(doc(allow(Sid="A", Principal="*"),
                              {"Effect": "Deny", "Principal": "*", "Action": "*",
                               "Resource": "*"}))
    assert isinstance(policy, Policy)
    assert [(s.index, s.sid, s.effect) for s in policy.statements] == [
        (0, "A", "Allow"), (1, None, "Deny")]


@pytest.mark.parametrize("as_list", [False, True])
def test_string_and_list_elements_are_the_same(as_list: bool) -> None:
    def wrap(v: str) -> object:
        return [v] if as_list else v

    s = only(doc({"Effect": "Deny", "Principal": {"AWS": wrap(ACC)},
                  "NotAction": wrap("dynamodb:Scan"), "NotResource": wrap("arn:t"),
                  "Condition": {"StringEquals": {"aws:SourceVpce": wrap("vpce-1")}}}))
    assert (s.principal, s.actions, s.not_actions, s.resources, s.not_resources) == (
        Principals(False, aws=(ACC,)), (), ("dynamodb:Scan",), (), ("arn:t",))
    assert s.conditions == (Condition("StringEquals", "aws:sourcevpce", ("vpce-1",)),)
    t = only(doc(allow(Action=wrap("dynamodb:Query"), Resource=wrap("arn:t"))))
    assert (t.actions, t.resources) == (("dynamodb:Query",), ("arn:t",))


def test_lists_keep_every_value() -> None:
    s = only(doc(allow(Action=["dynamodb:GetItem", "dynamodb:Query"], Resource=["a", "b"])))
    assert (s.actions, s.resources) == (("dynamodb:GetItem", "dynamodb:Query"), ("a", "b"))


def test_condition_keys_are_lower_cased_operators_kept_values_rendered() -> None:
    s = only(doc(allow(Principal="*", Condition={
        "StringEqualsIfExists": {"AWS:PrincipalOrgID": "o-Abc"},
        "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a/r-b/*", "o-a/r-c/*"]},
        "Bool": {"aws:SecureTransport": True, "aws:PrincipalIsAWSService": False},
        "NumericLessThan": {"dynamodb:Limit": [10, 2.5]},
    })))
    assert s.conditions == (
        Condition("StringEqualsIfExists", "aws:principalorgid", ("o-Abc",)),
        Condition("ForAnyValue:StringLike", "aws:principalorgpaths", ("o-a/r-b/*", "o-a/r-c/*")),
        Condition("Bool", "aws:securetransport", ("true",)),
        Condition("Bool", "aws:principalisawsservice", ("false",)),
        Condition("NumericLessThan", "dynamodb:limit", ("10", "2.5")),
    )


def test_a_decoded_object_parses_as_its_json_text() -> None:
    raw = {"Version": "2012-10-17", "Statement": [allow(Sid="S", Principal={"AWS": ACC},
                                                        Condition={"Bool": {"a:B": True}})]}
    assert parse_policy(raw) == parse_policy(json.dumps(raw))


def bad(statement: dict[str, object]) -> str:
    return doc(statement)


MALFORMED: list[tuple[object, str]] = [
    (f'{{"Statement": [ {SECRET}', "not valid JSON"),
    (f'{{"Statement": NaN, "x": "{SECRET}"}}', "not valid JSON"),
    (json.dumps([SECRET]), "not a JSON object"),
    (json.dumps(SECRET), "not a JSON object"),
    (None, "not a JSON object"),
    (42, "not a JSON object"),
    ({"Version": SECRET}, "no Statement"),
    ({"Statement": SECRET}, "Statement is not an object or a non-empty list"),
    ({"Statement": []}, "Statement is not an object or a non-empty list"),
    ({"Statement": [SECRET]}, "statement 1 is not a JSON object"),
    (bad(allow(Effect=SECRET)), "Effect is missing or is not Allow or Deny"),
    (bad({"Principal": "*", "Action": SECRET}), "Effect is missing"),
    (bad(allow(Sid=7, Action=SECRET)), "Sid is not a string"),
    (bad(allow(Principal=SECRET)), 'Principal is neither "*" nor an object'),
    (bad(allow(Principal={})), 'Principal is neither "*" nor an object'),
    (bad(allow(Principal=[SECRET])), 'Principal is neither "*" nor an object'),
    (bad(allow(Principal={SECRET: ACC})), "principal type IAM does not know"),
    (bad(allow(Principal={"AWS": 123456789012, "x": SECRET})), "AWS is not a string or a list"),
    (bad(allow(NotPrincipal={"Service": [SECRET, 1]})), "NotPrincipal Service is not a string"),
    (bad(allow(Principal="*", NotPrincipal={"AWS": SECRET})), "both Principal and NotPrincipal"),
    (bad(allow(Action=[SECRET, None])), "Action is not a string or a list of strings"),
    (bad(allow(NotAction=SECRET)), "both Action and NotAction"),
    (bad(allow(NotResource=[SECRET])), "both Resource and NotResource"),
    (bad(allow(Condition=[SECRET])), "Condition is not an object"),
    (bad(allow(Condition={"StringEquals": SECRET})), "operator's block is not an object"),
    (bad(allow(Condition={"StringEquals": {"aws:userid": None, "x": SECRET}})),
     "Condition value is not a string, number or boolean"),
    (bad(allow(Condition={"StringEquals": {"aws:userid": [{"v": SECRET}]}})),
     "nested deeper than any IAM policy"),
    (bad(allow(Condition={"StringEquals": {"aws:userid": {"v": SECRET}}})),
     "Condition value is not a string, number or boolean"),
    ({"Statement": {"Effect": "Allow", "Condition": {"NumericEquals": {"k": 10 ** 5000}}}},
     "a Condition value is a number too long"),
    ('{"Statement": {"Condition": {"NumericEquals": {"k": ' + "9" * 5000 + "}}}}",
     "not valid JSON"),
    ("[" * 5000 + json.dumps(SECRET) + "]" * 5000, "nested deeper than any IAM policy"),
    ({"Statement": [[[[[[[SECRET]]]]]]]}, "nested deeper than any IAM policy"),
]


@pytest.mark.parametrize(("raw", "reason"), MALFORMED)
def test_a_malformed_document_is_unknown_with_a_reason_not_quoting_it(raw: object,
                                                                       reason: str) -> None:
    result = parse_policy(raw)
    assert isinstance(result, Unknown), result
    assert reason in result.reason
    assert SECRET not in result.reason and "\n" not in result.reason
    assert SECRET not in repr(result)


def test_a_self_referencing_object_is_unknown() -> None:
    loop: dict[str, object] = {"Statement": []}
    loop["Statement"] = [loop]
    result = parse_policy(loop)
    assert isinstance(result, Unknown) and "nested deeper" in result.reason


@pytest.mark.parametrize("decoded", [False, True])
def test_a_megabyte_document_is_unknown_quickly(decoded: bool) -> None:
    statements = [allow(Sid=f"S{i}", Principal={"AWS": SECRET + "-" * 64}, Condition={
        "StringEquals": {"aws:userid": [SECRET] * 8}}) for i in range(3000)]
    raw = {"Statement": statements}
    text = json.dumps(raw)
    assert len(text) > 1_000_000
    start = time.perf_counter()
    result = parse_policy(raw if decoded else text)
    assert time.perf_counter() - start < 0.5
    assert isinstance(result, Unknown) and "larger than 64 KiB" in result.reason
    assert SECRET not in result.reason


def test_a_document_just_over_the_limit_is_unknown_and_one_under_parses() -> None:
    pad = 64 * 1024 - len(doc(allow(Principal="*", Sid="")))
    fits = doc(allow(Principal="*", Sid="x" * pad))
    assert len(fits.encode()) == 64 * 1024
    assert isinstance(parse_policy(fits), Policy)
    over = json.dumps({"Statement": [allow(Principal="*", Sid="é" * (pad // 2 + 20))]},
                      ensure_ascii=False)  # 2 bytes a character
    assert len(over) <= 64 * 1024 < len(over.encode())
    result = parse_policy(over)
    assert isinstance(result, Unknown) and "larger than 64 KiB" in result.reason


@pytest.mark.parametrize(("doc", "says"), [
    ({"Statement": Unknown("var.statements")}, "Statement is known only after apply"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"},
                    Unknown("var.extra")]}, "statement 2 is known only after apply"),
    ({"Statement": [{"Effect": Unknown("var.effect"), "Principal": "*", "Action": "*"}]},
     "statement 1: its Effect is known only after apply"),
    ({"Statement": [{"Effect": "Allow", "Principal": Unknown("var.who"), "Action": "*"}]},
     "statement 1: its Principal is known only after apply"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
                     "Condition": {"StringEquals": Unknown("var.c")}}]},
     "a Condition block is known only after apply"),
])
def test_a_part_known_only_at_apply_makes_the_policy_unknown_saying_which(
        doc: dict[str, object], says: str) -> None:
    found = parse_policy(doc)
    assert isinstance(found, Unknown) and says in found.reason


def test_two_references_to_one_attribute_are_one_hole() -> None:
    arn = Origin("aws_dynamodb_table", "aws_dynamodb_table.t", "arn")
    found = parse_policy({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": Unknown("a", origin=arn)},
        {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": Unknown("b", origin=arn)},
    ]})
    assert not isinstance(found, Unknown)
    first, second = (s.resources for s in found.statements)
    assert first == second and is_hole(first[0])
