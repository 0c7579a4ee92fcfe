"""Which accounts the audit reads, and the credentials for each.

The credentials' own account (sts:GetCallerIdentity), one account per `--role-arn`
(sts:AssumeRole), or every active account of the AWS Organization (`--org`: one role of the
same name in each member account). A fault of the credentials themselves (none, refused,
expired) ends the run (exit 2); a role that cannot be assumed makes its account
`Unreadable`, reported with every spec table unknown (`spec init --live` ends instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

from checker.errors import RunError
from checker.sources.live import sessions
from checker.sources.live.api import CallLog
from checker.sources.live.clients import Account, call, guarded_client, probe_config
from checker.sources.live.faults import (
    BAD_CREDENTIALS,
    DENIED,
    PARSING,
    Malformed,
    call_failed,
    error_code,
    fatal,
    no_credentials,
)
from checker.sources.live.limits import DEFAULT, Deadline, Limits
from checker.sources.live.pool import Pool
from checker.unknown import Reason, Unknown

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
    """(partition, account id) of an ARN; Malformed when it is not one."""
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or not parts[1]:
        raise Malformed("an ARN the answer gives is not one")
    return parts[1], parts[4]


FAULTS = (ClientError, BotoCoreError, Malformed, *PARSING)


def _stop(err: Exception, what: str, region: str, operation: str, role: str = "") -> RunError:
    """The one line that ends the run for a fault of STS (*what*: the call's, or *role*'s)."""
    stop = fatal(err, "sts", region)
    if stop is None and isinstance(err, ClientError):
        message = " ".join(str(err.response.get("Error", {}).get("Message", "")).split())
        stop = RunError(f"{what} ({error_code(err)}: {message[:160]})")
    why = call_failed(err, "sts", operation).reason
    return stop or RunError(f"cannot assume {role}: {why}" if role else why)


def identity(base: boto3.Session, region: str, permitted: frozenset[tuple[str, str]],
             log: CallLog, limits: Limits = DEFAULT) -> Account:
    """The credentials' own account; RunError (exit 2) when STS says nothing works."""
    sts = guarded_client(base, "sts", region, probe_config(limits), permitted, log, limits)
    try:
        partition, account = arn_parts(call(sts, "sts", "GetCallerIdentity", {})["Arn"])
    except FAULTS as err:
        raise _stop(err, "sts:GetCallerIdentity failed", region, "GetCallerIdentity") from None
    return Account(base, account, partition)


def _assume(sts: Any, role: str, external_id: str | None) -> Account:
    extra = {"ExternalId": external_id} if external_id else {}
    got = call(sts, "sts", "AssumeRole", {"RoleArn": role, "RoleSessionName": SESSION_NAME,
                                          **extra})
    creds = got["Credentials"]
    session = sessions.session(aws_access_key_id=creds["AccessKeyId"],
                               aws_secret_access_key=creds["SecretAccessKey"],
                               aws_session_token=creds["SessionToken"])
    partition, account = arn_parts(got["AssumedRoleUser"]["Arn"])
    return Account(session, account, partition)


def _own_credentials(err: Exception) -> bool:
    """Whether *err* says the caller's own credentials fail (none, refused, expired)."""
    return no_credentials(err) is not None or (
        isinstance(err, ClientError) and error_code(err) in BAD_CREDENTIALS)


def _unassumable(role: str, err: Exception) -> Unknown:
    """Why the account of *role* cannot be read: AssumeRole refused, or failed."""
    if not isinstance(err, ClientError):
        why = call_failed(err, "sts", "AssumeRole")
        return Unknown(f"cannot assume {role}: {why.reason}", why.kind)
    code = error_code(err)
    message = " ".join(str(err.response.get("Error", {}).get("Message", "")).split())[:160]
    kind = Reason.ACCESS_DENIED if code in DENIED else Reason.API_ERROR
    return Unknown(f"cannot assume {role} ({code}{': ' if message else ''}{message}); the role "
                   "must exist in that account and trust the auditing identity", kind)


def assume_roles(base: boto3.Session, roles: Sequence[str], external_id: str | None,
                 region: str, permitted: frozenset[tuple[str, str]], log: CallLog, *,
                 tolerant: bool, workers: int = 1,
                 limits: Limits = DEFAULT) -> list[Account | Unreadable]:
    """One account per role, in the order given.

    A role that cannot be assumed (refused, or STS failing on that call after its retries,
    or the deadline) ends the run, or with *tolerant* makes its account `Unreadable`.
    Faults of the caller's own credentials (none, refused, expired) always end the run:
    nothing else would work either.
    """
    sts = guarded_client(base, "sts", region, probe_config(limits), permitted, log, limits)

    def one(role: str) -> Account | Unreadable:
        try:
            return _assume(sts, role, external_id)
        except FAULTS as err:
            if not tolerant or _own_credentials(err):
                raise _stop(err, f"cannot assume {role}", region, "AssumeRole", role) from None
            partition, account = arn_parts(role)
            return Unreadable(account, partition, _unassumable(role, err))

    if workers <= 1 or len(roles) <= 1:
        return [one(role) for role in roles]
    pool = Pool(min(workers, len(roles)), "tablespec-sts")
    try:
        jobs = [pool.submit(one, role) for role in roles]
        return [_by_deadline(job, role, limits.deadline) for job, role in zip(jobs, roles,
                                                                              strict=True)]
    finally:
        pool.shutdown(wait=not limits.deadline.passed())


def _by_deadline(job: Future[Account | Unreadable], role: str,
                 deadline: Deadline) -> Account | Unreadable:
    """The account of *role*, or Unreadable when the deadline passes first."""
    got = deadline.wait(job)
    if got is not None:
        return got
    partition, account = arn_parts(role)
    return Unreadable(account, partition, deadline.unknown(f"the account of {role}"))


def accounts(base: boto3.Session, roles: list[str], external_id: str | None, region: str,
             permitted: frozenset[tuple[str, str]], log: CallLog) -> list[Account]:
    """The credentials' own account, or one per role; any fault ends the run (exit 2)."""
    if not roles:
        return [identity(base, region, permitted, log)]
    got = assume_roles(base, roles, external_id, region, permitted, log, tolerant=False)
    return [a for a in got if isinstance(a, Account)]
