"""Sessions, accounts and the guarded clients the live source reads through; AWS errors sorted.

Every client the audit uses is made here, up front and on the main thread (sessions are not
thread-safe; clients are), with bounded retries and timeouts and the read-only guard.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectionError,
    CredentialRetrievalError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

if TYPE_CHECKING:  # the boto3 stubs are a development dependency
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient

from checker.errors import RunError
from checker.model import Reason, Unknown
from checker.sources.live.api import CallLog, action, guard

# Throttling is retried by botocore (standard mode: exponential backoff with jitter);
# an unreachable endpoint gives up after a few seconds. The budgets count attempts, the first
# request included: botocore's `total_max_attempts`. (Its `max_attempts` key counts retries,
# so `max_attempts: 5` would send a call 6 times; tests/test_audit_retries.py counts them.)
MAX_ATTEMPTS = 5  # per call, every client of regions_for()
PROBE_ATTEMPTS = 2  # STS and Organizations: their first call says whether anything works
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 15
PROBE = Config(retries={"mode": "standard", "total_max_attempts": PROBE_ATTEMPTS},
               connect_timeout=CONNECT_TIMEOUT, read_timeout=10)

DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                    "UnauthorizedException", "AuthorizationError"})
BAD_CREDENTIALS = frozenset({"UnrecognizedClientException", "InvalidClientTokenId",
                             "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException",
                             "SignatureDoesNotMatch", "AuthFailure", "InvalidAccessKeyId",
                             "MissingAuthenticationToken", "IncompleteSignature"})
TABLE_GONE = frozenset({"ResourceNotFoundException", "ResourceNotFound",
                        "TableNotFoundException"})
NO_CREDENTIALS = ("no AWS credentials found: set AWS_PROFILE (or pass --profile), or "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

ClientHook = Callable[[Any], None]
_HOOKS: list[ClientHook] = []


@contextmanager
def client_hook(hook: ClientHook) -> Iterator[None]:
    """Call *hook* on every client the audit makes inside the block (tests, benchmarks)."""
    _HOOKS.append(hook)
    try:
        yield
    finally:
        _HOOKS.remove(hook)


def retry_config(workers: int) -> Config:
    """Bounded standard-mode retries, short timeouts, a connection per worker."""
    return Config(retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
                  connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                  max_pool_connections=max(10, workers))


def error_code(err: ClientError) -> str:
    """The AWS error code of *err*."""
    return str(err.response.get("Error", {}).get("Code", "")) or "Unknown"


class PlaceFault(RunError):
    """A fault that ends the run when it is the only place read (exit 2), but in a run of
    several places concerns one (account, region): endpoint unreachable, or credentials
    refused there (a region that is not enabled answers so)."""

    def __init__(self, message: str, kind: Reason) -> None:
        super().__init__(message)
        self.kind = kind


def fatal(err: Exception, service: str, region: str | None) -> RunError | None:
    """The one line that ends the run for *err*, or None when it concerns one call only."""
    where = f"{service} in {region}" if region else service
    if isinstance(err, NoCredentialsError | PartialCredentialsError | CredentialRetrievalError
                  | TokenRetrievalError | SSOError):
        return RunError(f"{NO_CREDENTIALS} ({type(err).__name__})")
    if isinstance(err, ProfileNotFound):
        return RunError(f"{err}: check --profile / AWS_PROFILE against ~/.aws/config")
    if isinstance(err, NoRegionError):
        return RunError("no AWS region: pass --region or set AWS_DEFAULT_REGION")
    if isinstance(err, ConnectionError | ConnectionClosedError | ReadTimeoutError):
        return PlaceFault(f"cannot reach {where} ({err}); check the network, --region and "
                          "AWS_ENDPOINT_URL", Reason.UNKNOWN_VALUE)
    if isinstance(err, ClientError) and error_code(err) in BAD_CREDENTIALS:
        return PlaceFault(f"AWS rejected the credentials for {where} ({error_code(err)}); "
                          "refresh them or pick another --profile (or enable the region)",
                          Reason.ACCESS_DENIED)
    if isinstance(err, BotoCoreError):
        return RunError(f"{where}: {err}")
    return None


def denied_reason(service: str, operation: str, code: str) -> str:
    """Why a field is unknown when *operation* was refused: names the IAM permission."""
    return (f"reading it needs {action(service, operation)}, which was denied ({code}); "
            "grant it to the auditing identity (see `tablespec permissions`)")


def failed_reason(service: str, operation: str, err: ClientError) -> str:
    """Why a field is unknown when *operation* failed for another reason."""
    message = str(err.response.get("Error", {}).get("Message", "")).strip()
    return f"{action(service, operation)} failed ({error_code(err)}{': ' if message else ''}" \
           f"{message[:160]})"


@dataclass(frozen=True)
class Account:
    """Credentials for one account: a boto3 session and who it is."""

    session: boto3.Session
    account_id: str
    partition: str


@dataclass(frozen=True)
class Region:
    """The guarded clients of one (account, region)."""

    account: Account
    name: str
    dynamodb: DynamoDBClient
    cloudwatch: CloudWatchClient
    kms: KMSClient

    @property
    def label(self) -> str:
        """`account/region`."""
        return f"{self.account.account_id}/{self.name}"

    def table_arn(self, table: str) -> str:
        """The ARN of *table* in this account and region."""
        return table_arn(self.account.partition, self.name, self.account.account_id, table)


def table_arn(partition: str, region: str, account: str, table: str) -> str:
    """The ARN of a DynamoDB table."""
    return f"arn:{partition}:dynamodb:{region}:{account}:table/{table}"


def guarded_client(session: boto3.Session, service: str, region: str, config: Config,
            permitted: frozenset[tuple[str, str]], log: CallLog) -> Any:
    """A client of *service* that refuses calls outside *permitted* and counts the others."""
    client = session.client(service, region_name=region, config=config)  # type: ignore[call-overload]
    guard(client, permitted, log)
    for hook in list(_HOOKS):
        hook(client)
    return client


def region_for(account: Account, name: str, workers: int,
               permitted: frozenset[tuple[str, str]], log: CallLog) -> Region:
    """Guarded clients for one region of *account* (on the main thread: see above)."""
    config = retry_config(workers)
    s = account.session
    return Region(account, name,
                  guarded_client(s, "dynamodb", name, config, permitted, log),
                  guarded_client(s, "cloudwatch", name, config, permitted, log),
                  guarded_client(s, "kms", name, config, permitted, log))


def regions_for(account: Account, names: list[str], workers: int,
                permitted: frozenset[tuple[str, str]], log: CallLog) -> list[Region]:
    """Guarded clients for each region of *account*."""
    return [region_for(account, name, workers, permitted, log) for name in names]


def default_region(session: boto3.Session) -> str:
    """The region the credential chain gives (then AWS_REGION, which boto3 1.35 ignores)."""
    region = session.region_name or os.environ.get("AWS_REGION")
    if region:
        return region
    raise RunError("no AWS region: pass --region or set AWS_DEFAULT_REGION")


class TableGone(Exception):
    """The table was deleted between ListTables and a call about it."""


def read(region: Region, service: str, operation: str, *, pages: bool = False,
         table_call: bool = False, **params: Any) -> Any:
    """One read-only call (every page of it with *pages*): the response, or an Unknown.

    AccessDenied and other non-retryable errors become `Unknown` naming the permission;
    throttling was already retried by botocore. Credentials and connection faults end the
    run (RunError); a vanished table raises TableGone when *table_call*.
    """
    client = getattr(region, service)
    method = xform_name(operation)
    try:
        if pages:
            return list(client.get_paginator(method).paginate(**params))
        return getattr(client, method)(**params)
    except ClientError as err:
        code = error_code(err)
        if table_call and code in TABLE_GONE:
            raise TableGone(params.get("TableName") or params.get("ResourceArn")) from None
        stop = fatal(err, service, region.name)
        if stop is not None:
            raise stop from None
        if code in DENIED:
            return Unknown(denied_reason(service, operation, code), Reason.ACCESS_DENIED)
        return Unknown(failed_reason(service, operation, err))
    except BotoCoreError as err:
        raise (fatal(err, service, region.name) or RunError(str(err))) from None
