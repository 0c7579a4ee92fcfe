"""resource_policy: the table's and its stream's resource-based policies are not public and
grant no principal outside the accounts the spec allows."""

from __future__ import annotations

from collections.abc import Callable

from checker.findings import Severity
from checker.iam.access import Judgment, outsiders, public
from checker.iam.document import Attached, Policy, named_accounts
from checker.rules.base import Rule, Subject, Verdict, failed, passed, unknown
from checker.specfile.model import PolicyLimits, TableSpec
from checker.unknown import Unknown

FIELD = "resource_policy"
MAX_CANDIDATES = 64  # accounts a policy names that may be the table's own, tried one by one


def _limits(table: TableSpec) -> PolicyLimits:
    assert table.resource_policy is not None
    return table.resource_policy


def _judges_public(table: TableSpec, environment: str) -> bool:
    return table.resource_policy is not None and table.resource_policy.public is False


def _judges_accounts(table: TableSpec, environment: str) -> bool:
    return table.resource_policy is not None and table.resource_policy.accounts is not None


def _each(s: Subject, expected: str,
          judge: Callable[[Attached, Policy], Verdict]) -> list[Verdict]:
    """*judge* on each policy the table (and its stream) has; a pass when it has none."""
    found = s.state.resource_policies
    if isinstance(found, Unknown):
        return [unknown(found, expected, FIELD)]
    if not found:
        return [passed("the table and its stream have no resource-based policy", expected,
                       "no policy", FIELD)]
    out: list[Verdict] = []
    for attached in found:
        doc = attached.document
        if isinstance(doc, Unknown):
            out.append(unknown(doc.but(f"{attached.where}: {doc.reason}"), expected,
                               f"{FIELD}.{attached.on}"))
        else:
            out.append(judge(attached, doc))
    return out


def _verdict(j: Judgment, attached: Attached, expected: str, actual: str,
             fix: str) -> Verdict:
    field = f"{FIELD}.{attached.on}"
    what = f"the {attached.on}'s policy ({attached.where})"
    if j.status == "found":
        return failed(f"{what}: {j.detail}; {fix}", expected, actual, field)
    if j.status == "undecidable":
        return unknown(f"{what}: {j.detail.removeprefix('cannot tell ')}", expected, field)
    return passed(f"{what}: {j.detail}", expected, "as allowed", field)


def _public(s: Subject) -> list[Verdict]:
    expected = "not public"

    def judge(attached: Attached, doc: Policy) -> Verdict:
        return _verdict(public(doc), attached, expected, "public", "pin the caller with a "
                        "condition (aws:PrincipalAccount, aws:PrincipalOrgID ...) or name the "
                        "principals")

    return _each(s, expected, judge)


def _own_accounts(s: Subject) -> tuple[str, ...] | None:
    """The accounts the table may be in: its own where known, else its environment's
    (None: any account)."""
    if isinstance(s.state.account, str) and s.state.account:
        return (s.state.account,)
    mine = tuple(a for a, env in s.spec.accounts.items() if env == s.environment)
    return mine or None


def _outsiders(s: Subject) -> list[Verdict]:
    limits = _limits(s.table)
    allowed = frozenset(limits.accounts or ())
    expected = "principals in " + (", ".join(sorted(allowed)) or "the table's own account") + (
        f" or organization {limits.organization}" if limits.organization else "")

    def judge(attached: Attached, doc: Policy) -> Verdict:
        return _verdict(_reach(doc, allowed, limits.organization, _own_accounts(s)), attached,
                        expected, "other accounts", "remove those principals, or add their "
                        "accounts to the spec's resource_policy.accounts")

    return _each(s, expected, judge)


def _reach(doc: Policy, allowed: frozenset[str], organization: str | None,
           own: tuple[str, ...] | None) -> Judgment:
    """outsiders() with the table's own account among *own* (None: any account): the
    verdict every candidate gives, else undecidable."""
    if own is not None and len(own) == 1:
        return outsiders(doc, allowed, organization, own[0])
    strict = outsiders(doc, allowed, organization, None)
    if strict.status != "found":
        return strict  # the own account can only let more in
    candidates = own if own is not None else (
        *sorted(named_accounts(doc) - allowed), None)
    if len(candidates) > MAX_CANDIDATES:
        return _unsure(strict)
    each = [outsiders(doc, allowed, organization, c) for c in candidates]
    if all(j.status == "found" for j in each):
        return each[0]
    return _unsure(strict)


def _unsure(strict: Judgment) -> Judgment:
    return Judgment("undecidable", strict.statements,
                    f"cannot tell whether the table's own account is among those it "
                    f"grants ({strict.detail}); name the environment's account in "
                    "environments.<env>.accounts")


PUBLIC = Rule(
    id="TS-POLICY-001",
    check="resource_policy",
    severity=Severity.CRITICAL,
    title="No resource-based policy of the table or its stream is public",
    why="A public policy lets any AWS principal, in any account, read or change the table's "
    "data; DynamoDB's Block Public Access refuses one only at the API, after review.",
    fix="Name the principals the policy grants, or pin a wildcard principal with a condition "
    "on a key Block Public Access trusts (aws:PrincipalAccount, aws:PrincipalOrgID, "
    "aws:SourceVpce ...), with fixed values.",
    example='Condition = {\n  StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" }\n}',
    evaluate=_public,
    applies=_judges_public,
)

OUTSIDERS = Rule(
    id="TS-POLICY-002",
    check="resource_policy",
    severity=Severity.HIGH,
    title="The table's resource-based policies grant only the accounts the spec allows",
    why="A principal of another account that a policy grants reads or changes the table "
    "outside the account's own controls, and no review of that account sees it.",
    fix="Remove the principals outside the spec's accounts (or its organization), or add "
    "their accounts to resource_policy.accounts.",
    example='Principal = { AWS = "arn:aws:iam::111111111111:role/reader" }',
    evaluate=_outsiders,
    applies=_judges_accounts,
)

RULES = [PUBLIC, OUTSIDERS]
