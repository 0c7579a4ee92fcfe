"""Which accounts the audit reads, and the credentials for each.

The credentials' own account (sts:GetCallerIdentity), one account per `--role-arn`
(sts:AssumeRole), or every active account of the AWS Organization (`--org`: one role of the
same name in each member account). With one account to read, a fault getting into it ends
the run (exit 2); with several, the account it concerns is `Unreadable`, reported with every
spec table unknown, and the others are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

from checker.errors import RunError
from checker.model import Reason, Unknown
from checker.sources.live import sessions
from checker.sources.live.api import CallLog
from checker.sources.live.clients import (
    DENIED,
    PROBE,
    Account,
    error_code,
    fatal,
    guarded_client,
)

SESSION_NAME = "tablespec-audit"


@dataclass(frozen=True)
class Unreadable:
    """An account the audit could not get into: every spec table there is unknown."""

    account_id: str
    partition: str
    reason: Unknown


def base_session(profile: str | None) -> boto3.Session:
    """The session of the credential chain, or of *profile*."""
    try:
        return sessions.session(profile)
    except ProfileNotFound as err:
        raise RunError(f"{err}: check --profile against ~/.aws/config") from None


def arn_parts(arn: str) -> tuple[str, str]:
    """(partition, account id) of an ARN."""
    parts = arn.split(":")
    return parts[1], parts[4]


def _stop(err: ClientError | BotoCoreError, what: str, region: str) -> RunError:
    """The one line that ends the run for a fault of STS."""
    stop = fatal(err, "sts", region)
    if stop is None and isinstance(err, ClientError):
        message = err.response.get("Error", {}).get("Message", "")
        stop = RunError(f"{what} ({error_code(err)}: {message})")
    return stop or RunError(str(err))


def identity(base: boto3.Session, region: str, permitted: frozenset[tuple[str, str]],
             log: CallLog) -> Account:
    """The credentials' own account; RunError (exit 2) when STS says nothing works."""
    sts = guarded_client(base, "sts", region, PROBE, permitted, log)
    try:
        me = sts.get_caller_identity()
    except (ClientError, BotoCoreError) as err:
        raise _stop(err, "sts:GetCallerIdentity failed", region) from None
    partition, account = arn_parts(me["Arn"])
    return Account(base, account, partition)


def _assume(sts: Any, role: str, external_id: str | None) -> Account:
    extra = {"ExternalId": external_id} if external_id else {}
    got = sts.assume_role(RoleArn=role, RoleSessionName=SESSION_NAME, **extra)
    creds = got["Credentials"]
    session = sessions.session(aws_access_key_id=creds["AccessKeyId"],
                               aws_secret_access_key=creds["SecretAccessKey"],
                               aws_session_token=creds["SessionToken"])
    partition, account = arn_parts(got["AssumedRoleUser"]["Arn"])
    return Account(session, account, partition)


def assume_roles(base: boto3.Session, roles: Sequence[str], external_id: str | None,
                 region: str, permitted: frozenset[tuple[str, str]], log: CallLog, *,
                 tolerant: bool, workers: int = 1) -> list[Account | Unreadable]:
    """One account per role, in the order given.

    A role AWS refuses to let us assume ends the run, or with *tolerant* makes its account
    `Unreadable`. Faults of the credentials themselves (none, expired, unreachable STS)
    always end the run: nothing else would work either.
    """
    sts = guarded_client(base, "sts", region, PROBE, permitted, log)

    def one(role: str) -> Account | Unreadable:
        try:
            return _assume(sts, role, external_id)
        except (ClientError, BotoCoreError) as err:
            if not tolerant or not isinstance(err, ClientError) or fatal(
                    err, "sts", region) is not None:
                raise _stop(err, f"cannot assume {role}", region) from None
            partition, account = arn_parts(role)
            code = error_code(err)
            message = str(err.response.get("Error", {}).get("Message", "")).strip()[:160]
            kind = Reason.ACCESS_DENIED if code in DENIED else Reason.UNKNOWN_VALUE
            return Unreadable(account, partition, Unknown(
                f"cannot assume {role} ({code}{': ' if message else ''}{message}); the role "
                "must exist in that account and trust the auditing identity", kind))

    if workers <= 1 or len(roles) <= 1:
        return [one(role) for role in roles]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tablespec-sts") as pool:
        return list(pool.map(one, roles))


def accounts(base: boto3.Session, roles: list[str], external_id: str | None, region: str,
             permitted: frozenset[tuple[str, str]], log: CallLog) -> list[Account]:
    """The credentials' own account, or one per role; any fault ends the run (exit 2)."""
    if not roles:
        return [identity(base, region, permitted, log)]
    got = assume_roles(base, roles, external_id, region, permitted, log, tolerant=False)
    return [a for a in got if isinstance(a, Account)]
