"""`audit --org`: the accounts of the AWS Organization, from its management account or a
delegated administrator, and the role the audit assumes in each."""

from __future__ import annotations

import re
from dataclasses import dataclass

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from checker.errors import RunError
from checker.sources.live.api import CallLog
from checker.sources.live.clients import DENIED, PROBE, error_code, fatal, guarded_client

DEFAULT_ROLE = "tablespec-audit"
# An IAM role name, optionally under a path: `tablespec-audit`, `security/tablespec-audit`.
ROLE_NAME = re.compile(r"^([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")


@dataclass(frozen=True)
class Member:
    """One account of the organization."""

    account_id: str
    name: str
    state: str  # ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED; "" untold

    @property
    def active(self) -> bool:
        """Whether to audit it: not when AWS says it is suspended, closing or closed (an
        untold state is tried: if it cannot be read, its tables are reported unknown)."""
        return self.state in ("ACTIVE", "")


def role_name(given: str | None, org: bool) -> str:
    """The role name of `--org-role` (default tablespec-audit); RunError when it cannot be."""
    if given is not None and not org:
        raise RunError("--org-role is used with --org only")
    name = given or DEFAULT_ROLE
    if not ROLE_NAME.match(name):
        raise RunError(f"--org-role {name}: not an IAM role name (e.g. {DEFAULT_ROLE})")
    return name


def role_arn(partition: str, account: str, name: str) -> str:
    """The ARN of the audit role *name* in *account*."""
    return f"arn:{partition}:iam::{account}:role/{name}"


def members(base: boto3.Session, region: str, permitted: frozenset[tuple[str, str]],
            log: CallLog) -> list[Member]:
    """Every account of the organization, by account id; RunError when they cannot be listed."""
    client = guarded_client(base, "organizations", region, PROBE, permitted, log)
    try:
        pages = list(client.get_paginator("list_accounts").paginate())
    except ClientError as err:
        code = error_code(err)
        if code == "AWSOrganizationsNotInUseException":
            raise RunError("--org: the account of these credentials is not in an AWS "
                           "Organization; audit it without --org, or name the accounts with "
                           "--role-arn") from None
        if code in DENIED:
            raise RunError(f"--org: organizations:ListAccounts was denied ({code}); run --org "
                           "with credentials of the organization's management account or of "
                           "a delegated administrator, allowed that action") from None
        stop = fatal(err, "organizations", region)
        message = err.response.get("Error", {}).get("Message", "")
        raise (stop or RunError(f"--org: organizations:ListAccounts failed ({code}: "
                                f"{message})")) from None
    except BotoCoreError as err:
        raise (fatal(err, "organizations", region) or RunError(str(err))) from None
    # `State` replaces `Status`, which AWS retired from the response on 2026-09-09.
    found = {a["Id"]: Member(a["Id"], str(a.get("Name", "")),
                             str(a.get("State") or a.get("Status") or ""))
             for page in pages for a in page.get("Accounts", [])}
    if not any(m.active for m in found.values()):
        raise RunError("--org: the organization lists no active account to audit")
    return [found[k] for k in sorted(found)]
