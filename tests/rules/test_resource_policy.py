"""resource_policy: no public policy, and no principal outside the spec's accounts, on the
table or its stream; the table's own account decided where it can be."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from checker.findings import Status
from checker.iam.document import Attached, parse_policy
from checker.specfile.model import PolicyLimits, Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
ALLOWED, OTHER, ORG = "111111111111", "999999999999", "o-a1b2c3d4e5"
PUBLIC_ID, OUTSIDE_ID = "TS-POLICY-001", "TS-POLICY-002"


def limits(spec: Spec) -> Spec:
    """Not public; principals in ALLOWED (or ORG) only."""
    return with_tables(spec, resource_policy=PolicyLimits(False, (ALLOWED,), ORG))


def attached(*statements: dict[str, object], on: str = "table") -> dict[str, object]:
    """The state change: one policy of *statements* on the table (or its stream)."""
    doc = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return {"resource_policies": (Attached("stream" if on == "stream" else "table",
                                           "aws_dynamodb_resource_policy.p", doc),)}


def grant(principal: object, condition: dict[str, object] | None = None) -> dict[str, object]:
    """An Allow of GetItem to *principal*, under *condition*."""
    out: dict[str, object] = {"Effect": "Allow", "Principal": principal,
                              "Action": "dynamodb:GetItem", "Resource": "*"}
    return {**out, "Condition": condition} if condition else out


ANYONE = grant("*")
IN_ORG = grant("*", {"StringEquals": {"aws:PrincipalOrgID": ORG}})
OUTSIDER = grant({"AWS": f"arn:aws:iam::{OTHER}:root"})
UNDECIDED = {"resource_policies": (Attached("table", "aws_dynamodb_resource_policy.p",
                                            Unknown("policy is known only after apply")),)}

CASES = [
    Case(PUBLIC_ID, PASS, REWARDS, "resource_policy.table", attached(IN_ORG), spec=limits),
    Case(PUBLIC_ID, FAIL, REWARDS, "resource_policy.table", attached(ANYONE), spec=limits,
         also=(("fail", OUTSIDE_ID, REWARDS, "resource_policy.table"),)),
    Case(PUBLIC_ID, UNKNOWN, REWARDS, "resource_policy.table", UNDECIDED, spec=limits,
         also=(("unknown", OUTSIDE_ID, REWARDS, "resource_policy.table"),)),
    Case(OUTSIDE_ID, PASS, REWARDS, "resource_policy", {"resource_policies": ()},
         spec=limits),
    Case(OUTSIDE_ID, FAIL, REWARDS, "resource_policy.stream",
         {**attached(OUTSIDER, on="stream"), "account": ALLOWED}, spec=limits),
    Case(OUTSIDE_ID, UNKNOWN, REWARDS, "resource_policy",
         {"resource_policies": Unknown("aws_dynamodb_resource_policy.p may be the table's")},
         spec=limits, also=(("unknown", PUBLIC_ID, REWARDS, "resource_policy"),)),
]


def verdicts(spec: Spec, change: dict[str, object], env: str = "prod") -> dict[str, Status]:
    """Rule id -> status of the resource policy rules on REWARDS with *change*."""
    found = run(spec, states(spec, env, **{REWARDS: change}), env)
    return {f.rule_id: f.status for f in found
            if f.table == REWARDS and f.rule_id in (PUBLIC_ID, OUTSIDE_ID)}


def with_accounts(spec: Spec, **accounts: str) -> Spec:
    """*spec* with account -> environment."""
    return replace(spec, accounts=dict(accounts))


def test_not_judged_without_the_key(spec: Spec) -> None:
    assert verdicts(spec, attached(ANYONE)) == {}


def test_public_true_allows_public_but_still_judges_accounts(spec: Spec) -> None:
    loose = with_tables(spec, resource_policy=PolicyLimits(True, (ALLOWED,), None))
    assert verdicts(loose, {**attached(OUTSIDER), "account": ALLOWED}) == {OUTSIDE_ID: FAIL}


def test_the_organization_keeps_a_wildcard_inside(spec: Spec) -> None:
    assert verdicts(limits(spec), attached(IN_ORG)) == {PUBLIC_ID: PASS, OUTSIDE_ID: PASS}


def test_another_organization_is_outside(spec: Spec) -> None:
    other = grant("*", {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}})
    assert verdicts(limits(spec), attached(other)) == {PUBLIC_ID: PASS, OUTSIDE_ID: FAIL}


@pytest.mark.parametrize(("own", "accounts", "expected"), [
    (OTHER, {}, PASS),  # the table is in the account the policy names: its own
    (ALLOWED, {}, FAIL),
    (None, {OTHER: "prod"}, PASS),  # the environment's one account is the table's
    (None, {ALLOWED: "prod"}, FAIL),
    (None, {}, UNKNOWN),  # the policy's account may be the table's own
    (None, {ALLOWED: "prod", OTHER: "prod"}, UNKNOWN),  # either may be the table's
    (None, {ALLOWED: "prod", "222222222222": "prod"}, FAIL),  # neither is OTHER
])
def test_the_tables_own_account(spec: Spec, own: str | None, accounts: dict[str, str],
                                expected: Status) -> None:
    judged = with_accounts(limits(spec), **accounts)
    assert verdicts(judged, {**attached(OUTSIDER), "account": own})[OUTSIDE_ID] is expected


def test_two_outside_accounts_fail_whichever_is_the_tables(spec: Spec) -> None:
    two = grant({"AWS": [f"arn:aws:iam::{OTHER}:root", "222222222222"]})
    assert verdicts(limits(spec), {**attached(two), "account": None})[OUTSIDE_ID] is FAIL


def test_a_hole_in_a_condition_never_pins(spec: Spec) -> None:
    doc = parse_policy({"Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "dynamodb:*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": Unknown("var.account")}}}]})
    change: dict[str, object] = {"resource_policies": (Attached("table", "p", doc),)}
    assert verdicts(limits(spec), change)[PUBLIC_ID] is UNKNOWN


def test_a_message_names_the_statement_and_never_the_document(spec: Spec) -> None:
    secret = grant({"AWS": "arn:aws:iam::999999999999:role/s3cr3t-name"})
    found = run(limits(spec), states(limits(spec), "prod", **{REWARDS: {
        **attached({**secret, "Sid": "Share"}), "account": ALLOWED}}), "prod")
    fail = next(f for f in found if f.rule_id == OUTSIDE_ID and f.table == REWARDS)
    assert 'statement "Share"' in fail.message and "account 999999999999" in fail.message
    assert "s3cr3t" not in fail.message
