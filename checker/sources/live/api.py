"""The one declared list of AWS API calls the audit may make, and the IAM policy from it.

Everything read-only about the audit hangs off `CALLS`: the guard that every audit client
carries refuses any other operation before it is sent, and `tablespec permissions` prints
the least-privilege policy built from the same list. Its one write, `--security-hub`'s
import, is listed too, and allowed only on the import's own client (`security_hub_calls`).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from checker.specfile.model import AUTOSCALING_KEY as AUTOSCALING_KEY
from checker.specfile.model import INSIGHTS_KEY as INSIGHTS_KEY
from checker.specfile.model import POLICY_KEY as POLICY_KEY

TABLES = "arn:aws:dynamodb:*:*:table/*"
STREAMS = "arn:aws:dynamodb:*:*:table/*/stream/*"
KEYS = "arn:aws:kms:*:*:key/*"
HUBS = "arn:aws:securityhub:*:*:hub/default"
DEFAULT_PRODUCTS = "arn:aws:securityhub:*:*:product/*/default"
ROLES = "arn:aws:iam::*:role/*"
SAMPLE_OPTION = "--sample-items"
ROLE_OPTION = "--role-arn"
ORG_OPTION = "--org"
SECURITY_HUB_OPTION = "--security-hub"
# Spec keys, not options: a call only_for one of them is made where the spec judges it
# (the names live with the spec; re-exported here for the call list's readers).
SPEC_KEYS = (INSIGHTS_KEY, POLICY_KEY, AUTOSCALING_KEY)


@dataclass(frozen=True)
class ApiCall:
    """One operation the audit may call, why, and the IAM statement that allows it."""

    service: str  # botocore service name (also the IAM prefix of these services)
    operation: str
    why: str
    statement: str = ""  # Sid (after "Tablespec") of the policy statement that grants it
    resource: str | tuple[str, ...] = "*"
    only_for: str | None = None  # the option that needs it; None: every audit
    iam: bool = True  # False: AWS allows it to everyone (sts:GetCallerIdentity)

    @property
    def action(self) -> str:
        """The IAM action, e.g. `dynamodb:DescribeTable`."""
        return f"{self.service}:{self.operation}"


CALLS: tuple[ApiCall, ...] = (
    ApiCall("sts", "GetCallerIdentity", "the account id of the credentials", iam=False),
    ApiCall("sts", "AssumeRole", "one role per audited account", "AssumeAuditRoles", ROLES,
            only_for=ROLE_OPTION),
    ApiCall("organizations", "DescribeOrganization", "the management account (left out "
            "unless --include-management-account)", "ReadOrganization", only_for=ORG_OPTION),
    ApiCall("organizations", "ListAccounts", "the accounts of the organization (paginated)",
            "ReadOrganization", only_for=ORG_OPTION),
    ApiCall("organizations", "ListAccountsForParent", "the accounts of each --ou (paginated)",
            "ReadOrganization", only_for=ORG_OPTION),
    ApiCall("organizations", "ListOrganizationalUnitsForParent", "the OUs under each --ou, "
            "recursively (paginated)", "ReadOrganization", only_for=ORG_OPTION),
    ApiCall("dynamodb", "ListTables", "the tables of each region (paginated)", "ListTables"),
    ApiCall("dynamodb", "DescribeTable", "keys, billing, capacity, SSE, GSIs", "ReadTables",
            TABLES),
    ApiCall("dynamodb", "DescribeTimeToLive", "TTL status and attribute", "ReadTables", TABLES),
    ApiCall("dynamodb", "DescribeContinuousBackups", "point-in-time recovery", "ReadTables",
            TABLES),
    ApiCall("dynamodb", "ListTagsOfResource", "tags (paginated)", "ReadTables", TABLES),
    ApiCall("dynamodb", "DescribeContributorInsights", "Contributor Insights on the table",
            "ReadTables", TABLES, only_for=INSIGHTS_KEY),
    ApiCall("dynamodb", "GetResourcePolicy", "the table's and its stream's resource-based "
            "policies", "ReadResourcePolicies", (TABLES, STREAMS), only_for=POLICY_KEY),
    ApiCall("dynamodb", "Scan", "at most N items per TTL table: keys and TTL attribute only",
            "SampleTtlValues", TABLES, only_for=SAMPLE_OPTION),
    ApiCall("cloudwatch", "DescribeAlarms", "every metric alarm, once per region (paginated)",
            "ReadAlarms"),
    ApiCall("application-autoscaling", "DescribeScalableTargets", "DynamoDB's scalable "
            "targets, once per region (paginated; IAM cannot scope it to resources)",
            "ReadScalableTargets", only_for=AUTOSCALING_KEY),
    ApiCall("kms", "DescribeKey", "AWS or customer managed, once per distinct key", "ReadKeys",
            KEYS),
    # --security-hub, made by the import's own client (never an audit client's), with the
    # credentials of the account the findings belong to
    ApiCall("securityhub", "GetFindings", "tablespec's own earlier findings in the account "
            "and region, once per run (paginated): those of tables gone are archived",
            "ReadOwnFindings", HUBS, only_for=SECURITY_HUB_OPTION),
    ApiCall("securityhub", "BatchImportFindings", "the run's findings, 100 a call, into the "
            "account's default product: the audit's only write", "ImportFindings",
            DEFAULT_PRODUCTS, only_for=SECURITY_HUB_OPTION),
)


def _wanted(sample: bool, assume: bool, org: bool, keys: Iterable[str]) -> set[str | None]:
    """The options of an audit (and the spec keys it judges that need calls of their own),
    as `ApiCall.only_for` names them (--org assumes roles)."""
    return {None, SAMPLE_OPTION if sample else None, ROLE_OPTION if assume or org else None,
            ORG_OPTION if org else None, *keys}


def allowed(sample: bool = True, assume: bool = True, org: bool = False,
            keys: Iterable[str] = SPEC_KEYS) -> frozenset[tuple[str, str]]:
    """(service, operation) pairs an audit with these options (and spec *keys*) may call."""
    wanted = _wanted(sample, assume, org, keys)
    return frozenset((c.service, c.operation) for c in CALLS if c.only_for in wanted)


def security_hub_calls() -> frozenset[tuple[str, str]]:
    """(service, operation) pairs the Security Hub import may call, and nothing else may."""
    return frozenset((c.service, c.operation) for c in CALLS
                     if c.only_for == SECURITY_HUB_OPTION)


def action(service: str, operation: str) -> str:
    """The IAM action for *operation*."""
    return f"{service}:{operation}"


def policy(sample: bool = False, assume: bool = False, org: bool = False,
           tables: list[str] | None = None, roles: list[str] | None = None,
           keys: Iterable[str] = (), security_hub: bool = False) -> dict[str, Any]:
    """The least-privilege IAM policy document for `tablespec audit` with these options.

    *tables* narrows the table statements to those ARNs (default: every table); *roles*
    the AssumeRole statement to those roles (default: any role). With *org*, the hub's
    policy: the organization's reads and AssumeRole only (every account, its own included,
    is read through the member role, which has the policy without *org*). *keys*: the
    spec keys judged (SPEC_KEYS) that need calls of their own. *security_hub*: the import
    of `audit --security-hub`, made by the identity that reads the tables (never the hub's).
    """
    wanted = {ORG_OPTION, ROLE_OPTION} if org else _wanted(sample, assume, org, keys)
    if security_hub and not org:
        wanted.add(SECURITY_HUB_OPTION)
    narrowed: dict[str, list[str]] = {
        TABLES: tables or [TABLES], ROLES: roles or [ROLES],
        STREAMS: [f"{t}/stream/*" for t in tables] if tables else [STREAMS]}
    statements: dict[str, dict[str, Any]] = {}
    for call in CALLS:
        if not call.iam or call.only_for not in wanted:
            continue
        placeholders = call.resource if isinstance(call.resource, tuple) else (call.resource,)
        resource = _one([r for p in placeholders for r in narrowed.get(p, [p])])
        st = statements.setdefault(call.statement, {
            "Sid": f"Tablespec{call.statement}", "Effect": "Allow", "Action": [],
            "Resource": resource,
        })
        st["Action"].append(call.action)
    return {"Version": "2012-10-17", "Statement": list(statements.values())}


def auditor_policy(roles: list[str]) -> dict[str, Any]:
    """The policy of the identity that runs `audit --role-arn`: assuming those roles only
    (each role reads its account with the `policy()` document)."""
    statements = [{"Sid": f"Tablespec{c.statement}", "Effect": "Allow", "Action": [c.action],
                   "Resource": _one(roles)} for c in CALLS if c.only_for == ROLE_OPTION]
    return {"Version": "2012-10-17", "Statement": statements}


def _one(resources: list[str]) -> str | list[str]:
    unique = list(dict.fromkeys(resources))
    return unique[0] if len(unique) == 1 else unique


def optional_calls() -> Iterable[ApiCall]:
    """Calls left out of the default policy, with the option that needs each."""
    return (c for c in CALLS if c.only_for is not None)


class ReadOnlyViolation(RuntimeError):
    """An audit client was asked for an operation outside the declared list."""


class CallLog:
    """Thread-safe count of the calls the audit's clients made, per (service, operation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, service: str, operation: str) -> None:
        """Count one call (each retry of it is not counted again)."""
        with self._lock:
            self.counts[(service, operation)] += 1

    def total(self, service: str | None = None, operation: str | None = None) -> int:
        """Calls made, optionally of one service and operation."""
        with self._lock:
            return sum(n for (s, o), n in self.counts.items()
                       if service in (None, s) and operation in (None, o))


def guard(client: Any, permitted: frozenset[tuple[str, str]], log: CallLog | None = None) -> None:
    """Make *client* refuse, before sending, every operation not in *permitted*."""
    service = client.meta.service_model.service_name

    def check(model: Any, **_: Any) -> None:
        if (service, model.name) not in permitted:
            raise ReadOnlyViolation(
                f"{service}:{model.name} is not in the audit's declared API calls "
                "(checker/sources/live/api.py); the audit is read-only")
        if log is not None:
            log.add(service, model.name)

    client.meta.events.register(f"before-call.{client.meta.service_model.service_id.hyphenize()}",
                                check)
