"""public and outsiders: who a resource policy lets in, and the pinning conditions."""

from __future__ import annotations

import json

import pytest

from checker.iam.access import Judgment, outsiders, public
from checker.iam.document import Policy, account_of, parse_policy

ACC = "111111111111"
OWN = "222222222222"
OTHER = "999999999999"
ORG = "o-spec12345"
SECRET = "SECRET-7f3a9c"


def policy(*statements: dict[str, object]) -> Policy:
    parsed = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    assert isinstance(parsed, Policy), parsed
    return parsed


def allow(principal: object = "*", condition: object = None, **fields: object
          ) -> dict[str, object]:
    out: dict[str, object] = {"Effect": "Allow", "Principal": principal,
                              "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                              "Resource": "arn:aws:dynamodb:eu-west-1:111111111111:table/t",
                              **fields}
    if condition is not None:
        out["Condition"] = condition
    return out


def deny(condition: object, action: object = "dynamodb:*", **fields: object
         ) -> dict[str, object]:
    out: dict[str, object] = {"Effect": "Deny", "Principal": "*", "Action": action,
                              "Resource": "*", **fields}
    if condition is not None:
        out["Condition"] = condition
    return out


def cond(operator: str, key: str, values: object) -> dict[str, object]:
    return {operator: {key: values}}


PUBLIC: list[tuple[str, list[dict[str, object]], str]] = [
    ("star, no condition", [allow()], "found"),
    ("AWS star, no condition", [allow({"AWS": "*"})], "found"),
    ("AWS star in a list with an account", [allow({"AWS": ["*", ACC]})], "found"),
    ("named account", [allow({"AWS": OTHER})], "ok"),
    ("service principal", [allow({"Service": "glue.amazonaws.com"})], "ok"),
    ("pinned by PrincipalOrgID", [allow(condition=cond("StringEquals", "aws:PrincipalOrgID",
                                                       "o-xxx"))], "ok"),
    ("key written in another case", [allow(condition=cond("StringEquals", "AWS:PRINCIPALORGID",
                                                          "o-xxx"))], "ok"),
    ("IfExists does not pin", [allow(condition=cond("StringEqualsIfExists",
                                                    "aws:PrincipalOrgID", "o-xxx"))], "found"),
    ("StringLike wildcard", [allow(condition=cond("StringLike", "aws:PrincipalOrgID",
                                                  "o-*"))], "found"),
    ("StringLike question mark", [allow(condition=cond("StringLike", "aws:PrincipalAccount",
                                                       "11111111111?"))], "found"),
    ("StringLike with a fixed value", [allow(condition=cond("StringLike", "aws:PrincipalOrgID",
                                                            "o-xxx"))], "ok"),
    ("one wildcard among fixed values", [allow(condition=cond(
        "StringEquals", "aws:PrincipalAccount", [ACC, "*"]))], "found"),
    ("policy variable", [allow(condition=cond("StringEquals", "aws:PrincipalAccount",
                                              "${aws:ResourceAccount}"))], "found"),
    ("negated operator", [allow(condition=cond("StringNotEquals", "aws:PrincipalAccount",
                                               OTHER))], "found"),
    ("ArnNotLike", [allow(condition=cond("ArnNotLike", "aws:PrincipalArn",
                                         f"arn:aws:iam::{ACC}:role/r"))], "found"),
    ("ArnEquals fixed", [allow(condition=cond("ArnEquals", "aws:PrincipalArn",
                                              f"arn:aws:iam::{ACC}:role/r"))], "ok"),
    ("Null does not pin", [allow(condition=cond("Null", "aws:PrincipalOrgID", "false"))],
     "found"),
    ("ForAllValues does not pin", [allow(condition=cond(
        "ForAllValues:StringEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c/"))], "found"),
    ("ForAnyValue with fixed values pins", [allow(condition=cond(
        "ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c/"))], "ok"),
    ("aws:SourceIp is not a DynamoDB trusted key", [allow(condition=cond(
        "IpAddress", "aws:SourceIp", "10.0.0.0/8"))], "found"),
    ("an untrusted key", [allow(condition=cond("StringEquals", "aws:RequestedRegion",
                                               "eu-west-1"))], "found"),
    ("PrincipalIsAWSService true", [allow(condition=cond("Bool", "aws:PrincipalIsAWSService",
                                                         True))], "ok"),
    ("PrincipalIsAWSService false", [allow(condition=cond("Bool", "aws:PrincipalIsAWSService",
                                                          "false"))], "found"),
    ("SourceVpce fixed", [allow(condition=cond("StringEquals", "aws:SourceVpce",
                                               "vpce-1a2b"))], "ok"),
    ("one pinning condition among others", [allow(condition={
        "StringEqualsIfExists": {"aws:PrincipalOrgID": "o-xxx"},
        "StringEquals": {"aws:SourceAccount": ACC}})], "ok"),
    ("Deny star", [deny(None, action="*")], "ok"),
    ("NotPrincipal with Allow", [{"Effect": "Allow", "NotPrincipal": {"AWS": ACC},
                                  "Action": "*", "Resource": "*"}], "found"),
    ("NotPrincipal with Deny", [{"Effect": "Deny", "NotPrincipal": {"AWS": ACC},
                                 "Action": "*", "Resource": "*"}], "ok"),
    ("unknown operator on a trusted key", [allow(condition=cond(
        "NumericLessThan", "aws:PrincipalAccount", "5"))], "undecidable"),
    ("unknown operator on an untrusted key", [allow(condition=cond(
        "NumericLessThan", "dynamodb:Limit", "5"))], "found"),
    ("unknown operator beside a pin", [allow(condition={
        "NumericLessThan": {"aws:PrincipalAccount": "5"},
        "StringEquals": {"aws:PrincipalOrgID": "o-xxx"}})], "ok"),
    ("wildcard inside an ARN principal", [allow({"AWS": "arn:aws:iam::*:root"})],
     "undecidable"),
    ("no principal at all", [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
     "undecidable"),
    ("found wins over undecidable", [allow({"AWS": "arn:aws:iam::*:root"}), allow()],
     "found"),
    # guards: a Deny on "*" whose negated conditions leave the Allow only pinned callers
    ("guard: Deny unless the organization", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", "o-xxx"))], "ok"),
    ("guard: IfExists negation still denies the rest", [allow(), deny(cond(
        "StringNotEqualsIfExists", "aws:PrincipalOrgID", "o-xxx"))], "ok"),
    ("guard: organization or a service", [allow(), deny({
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-xxx"},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}})], "ok"),
    ("guard: one condition on an untrusted key escapes it", [allow(), deny({
        "StringNotEquals": {"aws:PrincipalOrgID": "o-xxx", "aws:RequestedRegion": "x"}})],
     "found"),
    ("guard with a wildcard value", [allow(), deny(cond(
        "StringNotLike", "aws:PrincipalOrgID", "o-*"))], "found"),
    ("guard on other actions only", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", "o-xxx"), action="dynamodb:Scan")], "found"),
    ("guard on the allowed actions", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", "o-xxx"),
        action=["dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan"])], "ok"),
    ("guard on another resource", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", "o-xxx"), Resource="arn:other")], "found"),
    ("guard with a positive condition is no guard", [allow(), deny(cond(
        "StringEquals", "aws:PrincipalOrgID", "o-xxx"))], "found"),
    ("guard naming principals is no guard", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", "o-xxx"), Principal={"AWS": OTHER})],
     "found"),
]


@pytest.mark.parametrize(("statements", "status"), [(s, st) for _, s, st in PUBLIC],
                         ids=[name for name, _, _ in PUBLIC])
def test_public(statements: list[dict[str, object]], status: str) -> None:
    judged = public(policy(*statements))
    assert judged.status == status, judged
    assert "\n" not in judged.detail
    assert (judged.statements == ()) == (status == "ok")


def test_public_lists_every_public_statement_by_sid_or_number() -> None:
    judged = public(policy(allow(Sid="OpenRead"), allow({"AWS": ACC}),
                           allow({"AWS": "*"}),
                           {"Effect": "Allow", "NotPrincipal": {"AWS": ACC}, "Action": "*",
                            "Resource": "*"}))
    assert judged.status == "found" and judged.statements == (0, 2, 3)
    assert judged.detail.startswith('public: statement "OpenRead" allows any principal ("*")')
    assert "statement 3 allows" in judged.detail
    assert "statement 4 allows everyone but its NotPrincipal" in judged.detail
    assert "statement 2" not in judged.detail


def test_public_undecidable_names_the_operator_and_key() -> None:
    judged = public(policy(allow(condition=cond("DateLessThan", "aws:SourceArn", "x"),
                                 Sid="Odd")))
    assert judged == Judgment("undecidable", (0,), (
        'cannot tell whether the policy is public: statement "Odd" allows any principal ("*");'
        " cannot tell whether DateLessThan on aws:sourcearn pins the caller"))


def test_a_long_list_of_public_statements_is_one_short_line() -> None:
    judged = public(policy(*[allow(Sid=f"S{i}") for i in range(40)]))
    assert judged.statements == tuple(range(40))
    assert "and 37 more statements" in judged.detail and len(judged.detail) < 300


def test_details_never_quote_the_document() -> None:
    statements = [allow(Sid="Open", condition=cond("StringEquals", "aws:RequestedRegion",
                                                   SECRET)),
                  allow({"AWS": OTHER}, condition=cond("StringEquals", "aws:userid", SECRET))]
    for judged in (public(policy(*statements)),
                   outsiders(policy(*statements), frozenset({ACC}), ORG, None)):
        assert SECRET not in judged.detail and json.dumps(statements) not in judged.detail


OUTSIDERS: list[tuple[str, list[dict[str, object]], str]] = [
    ("own account root ARN", [allow({"AWS": f"arn:aws:iam::{ACC}:root"})], "ok"),
    ("own account id", [allow({"AWS": ACC})], "ok"),
    ("a role of an allowed account", [allow({"AWS": f"arn:aws:iam::{ACC}:role/app"})], "ok"),
    ("the own account, given apart", [allow({"AWS": f"arn:aws:iam::{OWN}:user/u"})], "ok"),
    ("another account", [allow({"AWS": f"arn:aws:iam::{OTHER}:root"})], "found"),
    ("another account in aws-us-gov", [allow({"AWS": f"arn:aws-us-gov:iam::{OTHER}:role/r"})],
     "found"),
    ("an assumed-role session of another account", [allow({"AWS": (
        f"arn:aws:sts::{OTHER}:assumed-role/r/s")})], "found"),
    ("star", [allow()], "found"),
    ("star pinned to an allowed account", [allow(condition=cond(
        "StringEquals", "aws:PrincipalAccount", ACC))], "ok"),
    ("star pinned to the own account", [allow(condition=cond(
        "StringEquals", "aws:PrincipalAccount", [ACC, OWN]))], "ok"),
    ("star pinned by SourceAccount", [allow(condition=cond(
        "StringEquals", "aws:SourceAccount", ACC))], "ok"),
    ("star pinned to another account", [allow(condition=cond(
        "StringEquals", "aws:PrincipalAccount", OTHER))], "found"),
    ("star pinned to allowed and other accounts", [allow(condition=cond(
        "StringEquals", "aws:PrincipalAccount", [ACC, OTHER]))], "found"),
    ("star pinned with IfExists", [allow(condition=cond(
        "StringEqualsIfExists", "aws:PrincipalAccount", ACC))], "found"),
    ("star pinned to the spec's organization", [allow(condition=cond(
        "StringEquals", "aws:PrincipalOrgID", ORG))], "ok"),
    ("star pinned to another organization", [allow(condition=cond(
        "StringEquals", "aws:PrincipalOrgID", "o-other"))], "found"),
    ("star pinned to a role ARN of an allowed account", [allow(condition=cond(
        "ArnEquals", "aws:PrincipalArn", f"arn:aws:iam::{ACC}:role/r"))], "ok"),
    ("star pinned to a role ARN of another account", [allow(condition=cond(
        "ArnEquals", "aws:PrincipalArn", f"arn:aws:iam::{OTHER}:role/r"))], "found"),
    ("star pinned to services", [allow(condition=cond(
        "Bool", "aws:PrincipalIsAWSService", "true"))], "ok"),
    ("star pinned to a VPC endpoint", [allow(condition=cond(
        "StringEquals", "aws:SourceVpce", "vpce-1"))], "undecidable"),
    ("star pinned to a VPC endpoint and another account", [allow(condition={
        "StringEquals": {"aws:SourceVpce": "vpce-1", "aws:PrincipalAccount": OTHER}})],
     "found"),
    ("star guarded by the organization", [allow(), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", ORG))], "ok"),
    ("another account guarded by the organization", [allow({"AWS": OTHER}), deny(cond(
        "StringNotEquals", "aws:PrincipalOrgID", ORG))], "ok"),
    ("another account pinned to a VPC endpoint", [allow({"AWS": OTHER}, condition=cond(
        "StringEquals", "aws:SourceVpce", "vpce-1"))], "found"),
    ("service principal", [allow({"Service": "dynamodb.amazonaws.com"})], "ok"),
    ("federated principal", [allow({"Federated": "cognito-identity.amazonaws.com"})],
     "found"),
    ("canonical user", [allow({"CanonicalUser": "79a59df900b949e5"})], "found"),
    ("NotPrincipal with Allow", [{"Effect": "Allow", "NotPrincipal": {"AWS": ACC},
                                  "Action": "*", "Resource": "*"}], "found"),
    ("Deny naming another account", [{"Effect": "Deny", "Principal": {"AWS": OTHER},
                                      "Action": "*", "Resource": "*"}], "ok"),
    ("a unique id instead of an ARN", [allow({"AWS": "AROAEXAMPLEID123"})], "undecidable"),
    ("a partition-less ARN", [allow({"AWS": f"arn:iam::{ACC}:root"})], "undecidable"),
]


@pytest.mark.parametrize(("statements", "status"), [(s, st) for _, s, st in OUTSIDERS],
                         ids=[name for name, _, _ in OUTSIDERS])
def test_outsiders(statements: list[dict[str, object]], status: str) -> None:
    judged = outsiders(policy(*statements), frozenset({ACC}), ORG, OWN)
    assert judged.status == status, judged
    assert "\n" not in judged.detail
    assert (judged.statements == ()) == (status == "ok")


def test_another_account_is_named_with_the_statement_sid() -> None:
    judged = outsiders(policy(allow({"AWS": ACC}, Sid="Mine"),
                              allow({"AWS": [f"arn:aws:iam::{OTHER}:root", ACC]},
                                    Sid="CrossAccount")), frozenset({ACC}), ORG, None)
    assert judged == Judgment("found", (1,), (
        'grants principals outside the allowed accounts: statement "CrossAccount" grants '
        f"account {OTHER}"))


def test_a_pinned_star_names_the_accounts_it_is_pinned_to() -> None:
    judged = outsiders(policy(allow(condition=cond("StringEquals", "aws:PrincipalOrgID",
                                                   ["o-other", ORG]))),
                       frozenset({ACC}), ORG, None)
    assert judged.status == "found"
    assert 'statement 1 grants any principal ("*") pinned to o-other' in judged.detail


def test_service_principals_are_noted_as_not_judged() -> None:
    judged = outsiders(policy(allow({"Service": "dynamodb.amazonaws.com"})),
                       frozenset({ACC}), None, None)
    assert judged.status == "ok" and "service principals are not judged" in judged.detail


def test_without_the_own_account_an_account_not_listed_is_outside() -> None:
    statements = allow({"AWS": f"arn:aws:iam::{OWN}:root"})
    assert outsiders(policy(statements), frozenset({ACC}), None, None).status == "found"
    assert outsiders(policy(statements), frozenset({ACC}), None, OWN).status == "ok"
    assert outsiders(policy(statements), frozenset({ACC, OWN}), None, None).status == "ok"


def test_without_an_organization_no_organization_pins() -> None:
    pinned = allow(condition=cond("StringEquals", "aws:PrincipalOrgID", ORG))
    assert outsiders(policy(pinned), frozenset({ACC}), None, None).status == "found"


@pytest.mark.parametrize(("principal", "account"), [
    (ACC, ACC),
    (f"arn:aws:iam::{ACC}:root", ACC),
    (f"arn:aws:iam::{ACC}:role/path/app", ACC),
    (f"arn:aws:iam::{ACC}:user/u", ACC),
    (f"arn:aws-cn:iam::{ACC}:root", ACC),
    (f"arn:aws-us-gov:iam::{ACC}:role/r", ACC),
    (f"arn:aws:sts::{ACC}:assumed-role/r/session", ACC),
    ("12345678901", None),
    ("*", None),
    ("arn:aws:iam::*:root", None),
    (f"arn:aws:s3:::{ACC}", None),
    ("AIDAEXAMPLEUNIQUEID", None),
])
def test_account_of(principal: str, account: str | None) -> None:
    assert account_of(principal) == account
