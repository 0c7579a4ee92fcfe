"""`audit --org`: the accounts of the AWS Organization, read from its management account or a
delegated administrator, and the role the audit assumes in each.

Every account in scope is read through the same role (the caller's own account too: one
policy, deployed everywhere by a StackSet); the management account is left out unless asked
for, since service-managed StackSets do not deploy there. What is left out is noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from checker.errors import RunError
from checker.findings import Note, NoteKind
from checker.sources.live.api import CallLog
from checker.sources.live.clients import call, guarded_client, probe_config
from checker.sources.live.faults import (
    DENIED,
    PARSING,
    DeadlinePassed,
    Malformed,
    call_failed,
    error_code,
    fatal,
)
from checker.sources.live.limits import DEFAULT, Limits
from checker.sources.live.paging import pages as all_pages

DEFAULT_ROLE = "tablespec-audit"
# An IAM role name, optionally under a path: `tablespec-audit`, `security/tablespec-audit`.
ROLE_NAME = re.compile(r"^([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")
PARENT_ID = re.compile(r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")
ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Member:
    """One account of the organization."""

    account_id: str
    name: str
    state: str  # ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED; "" untold

    @property
    def active(self) -> bool:
        """Whether to audit it: not when AWS says it is suspended, closing or closed (an
        untold state is tried: if it cannot be read, that is reported)."""
        return self.state in ("ACTIVE", "")


@dataclass(frozen=True)
class Scope:
    """Which accounts of the organization to audit (the `--org` options)."""

    role_name: str = DEFAULT_ROLE
    ous: Sequence[str] = ()  # OU or root ids, searched recursively; empty: the whole org
    exclude: Sequence[str] = ()  # account ids
    include_management: bool = False

    def check(self) -> None:
        """RunError for options that cannot make a run."""
        for parent in self.ous:
            if not PARENT_ID.match(parent):
                raise RunError(f"--ou {parent}: not an OU or root id (ou-abcd-12345678, r-abcd)")
        for account in self.exclude:
            if not ACCOUNT_ID.match(account):
                raise RunError(f"--exclude-account {account}: not a 12-digit account id")


@dataclass
class Selected:
    """The accounts to audit, in account-id order, and why the others are not."""

    accounts: list[str]
    notes: list[Note] = field(default_factory=list)


def role_name(given: str | None, org: bool) -> str:
    """The role name of `--org-role-name` (default tablespec-audit); RunError when bad."""
    if given is not None and not org:
        raise RunError("--org-role-name is used with --org only")
    name = given or DEFAULT_ROLE
    if not ROLE_NAME.match(name):
        raise RunError(f"--org-role-name {name}: not an IAM role name (e.g. {DEFAULT_ROLE})")
    return name


def role_arn(partition: str, account: str, name: str) -> str:
    """The ARN of the audit role *name* in *account*."""
    return f"arn:{partition}:iam::{account}:role/{name}"


def _fault(err: Exception, operation: str, region: str) -> RunError:
    """The one line that ends the run when the organization cannot be read."""
    if isinstance(err, ClientError):
        code = error_code(err)
        if code == "AWSOrganizationsNotInUseException":
            return RunError("--org: the account of these credentials is not in an AWS "
                            "Organization; audit it without --org, or name the accounts with "
                            "--role-arn")
        if code in DENIED:
            return RunError(f"--org: organizations:{operation} was denied ({code}); run --org "
                            "with credentials of the organization's management account or of "
                            "a delegated administrator, allowed `tablespec permissions --org`")
        if code == "ParentNotFoundException":
            return RunError(f"--ou: {err.response.get('Error', {}).get('Message', code)}")
        stop = fatal(err, "organizations", region)
        message = " ".join(str(err.response.get("Error", {}).get("Message", "")).split())
        return stop or RunError(f"--org: organizations:{operation} failed ({code}: "
                                f"{message[:160]})")
    if isinstance(err, (Malformed, DeadlinePassed, *PARSING)):
        return RunError(f"--org: {call_failed(err, 'organizations', operation).reason}")
    return fatal(err, "organizations", region) or RunError(
        f"--org: {call_failed(err, 'organizations', operation).reason}")


class Organization:
    """The organization as the credentials can list it."""

    def __init__(self, base: boto3.Session, region: str,
                 permitted: frozenset[tuple[str, str]], log: CallLog,
                 limits: Limits = DEFAULT) -> None:
        self.region = region
        self.limits = limits
        self._client = guarded_client(base, "organizations", region, probe_config(limits),
                                      permitted, log, limits)

    def _call(self, operation: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except (ClientError, BotoCoreError, Malformed, *PARSING) as err:
            raise _fault(err, operation, self.region) from None

    def _one(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return call(self._client, "organizations", operation, params)

    def _pages(self, operation: str, key: str, **params: str) -> list[dict[str, Any]]:
        pages = self._call(operation, lambda: all_pages(
            lambda p: self._one(operation, p), "organizations", operation, dict(params),
            self.limits))
        return [item for page in pages for item in page[key]]

    def management_account(self) -> str:
        """The id of the management account."""
        got = self._call("DescribeOrganization", lambda: self._one("DescribeOrganization", {}))
        return str(got["Organization"]["MasterAccountId"])

    def members(self, ous: Sequence[str] = ()) -> list[Member]:
        """Every account of the organization, or under *ous* (recursively), by id."""
        if not ous:
            raw = self._pages("ListAccounts", "Accounts")
        else:
            raw, todo, seen = [], list(ous), set()
            while todo:
                parent = todo.pop()
                if parent in seen:
                    continue
                seen.add(parent)
                raw += self._pages("ListAccountsForParent", "Accounts", ParentId=parent)
                todo += [ou["Id"] for ou in self._pages(
                    "ListOrganizationalUnitsForParent", "OrganizationalUnits", ParentId=parent)]
        # `State` replaces `Status`, which AWS retired from the response on 2026-09-09.
        found = {a["Id"]: Member(a["Id"], str(a.get("Name", "")),
                                 str(a.get("State") or a.get("Status") or "")) for a in raw}
        return [found[k] for k in sorted(found)]

    def select(self, scope: Scope) -> Selected:
        """The accounts *scope* asks for, with a note for each one left out and why."""
        management = self.management_account()
        members = self.members(scope.ous)
        out = Selected([])
        for m in members:
            why = (f"is {m.state.lower()} in the organization" if not m.active
                   else "is excluded (--exclude-account)" if m.account_id in scope.exclude
                   else "is the management account (--include-management-account audits it)"
                   if m.account_id == management and not scope.include_management else None)
            if why is None:
                out.accounts.append(m.account_id)
            else:
                out.notes.append(Note(NoteKind.NOT_AUDITED,
                                      f"account {m.account_id} ({m.name}) {why}: not audited"))
        unknown = sorted(set(scope.exclude) - {m.account_id for m in members})
        if unknown:
            out.notes.append(Note(NoteKind.NOT_AUDITED, "--exclude-account names no account "
                                  f"of the organization: {', '.join(unknown)}"))
        if not out.accounts:
            raise RunError("--org: no account to audit: every account of the organization "
                           "(or of the --ou given) is inactive, excluded or the management "
                           "account")
        return out
