"""Sessions, accounts and the guarded clients the live source reads through, and `read`.

Every client the audit uses is made here, up front and on the main thread (sessions are not
thread-safe; clients are), with bounded retries and timeouts (`limits`), the read-only
guard, the check of each answer's shape (`shapes`) and the run's deadline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:  # the boto3 stubs are a development dependency
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient

from checker.errors import RunError
from checker.sources.live import shapes
from checker.sources.live.api import CallLog, guard
from checker.sources.live.faults import (
    BAD_CREDENTIALS,
    DENIED,
    PARSING,
    TABLE_GONE,
    Malformed,
    call_failed,
    denied_reason,
    error_code,
    failed_reason,
    fatal,
    no_credentials,
)
from checker.sources.live.limits import DEFAULT, PROBE_ATTEMPTS, PROBE_READ_TIMEOUT, Limits
from checker.sources.live.paging import pages as all_pages
from checker.unknown import Reason, Unknown

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


def retry_config(workers: int, limits: Limits = DEFAULT) -> Config:
    """Bounded standard-mode retries, short timeouts, a connection per worker.

    The budget counts attempts, the first request included: botocore's `total_max_attempts`
    (its `max_attempts` key counts retries: `max_attempts: 5` would send a call 6 times).
    """
    return Config(retries={"mode": "standard", "total_max_attempts": limits.attempts},
                  connect_timeout=limits.connect_timeout, read_timeout=limits.read_timeout,
                  max_pool_connections=max(10, workers))


def probe_config(limits: Limits = DEFAULT) -> Config:
    """STS and Organizations: two attempts, shorter reads."""
    return Config(retries={"mode": "standard",
                           "total_max_attempts": min(PROBE_ATTEMPTS, limits.attempts)},
                  connect_timeout=limits.connect_timeout,
                  read_timeout=min(PROBE_READ_TIMEOUT, limits.read_timeout))


PROBE = probe_config()


@dataclass(frozen=True)
class Account:
    """Credentials for one account: a boto3 session and who it is."""

    session: boto3.Session
    account_id: str
    partition: str


class Shared:
    """What the tables of one region share: a region-wide read, made once by the first
    table that needs it (the others wait for its answer)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[str, Any] = {}

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """*make*'s answer, made on the first call with *key*."""
        with self._lock:
            if key not in self._answers:
                self._answers[key] = make()
            return self._answers[key]


@dataclass(frozen=True)
class Region:
    """The guarded clients of one (account, region), and the limits of their calls."""

    account: Account
    name: str
    dynamodb: DynamoDBClient
    cloudwatch: CloudWatchClient
    kms: KMSClient
    limits: Limits = field(default=DEFAULT, compare=False)
    # application-autoscaling: made only for an audit that may call it (a spec that judges
    # capacity.autoscaling)
    autoscaling: Any = field(default=None, compare=False)
    shared: Shared = field(default_factory=lambda: Shared(), compare=False)

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
                   permitted: frozenset[tuple[str, str]], log: CallLog,
                   limits: Limits = DEFAULT) -> Any:
    """A client of *service* that refuses calls outside *permitted* and counts the others,
    checks each JSON answer's shape before it is parsed, and sends nothing after the
    deadline."""
    client = session.client(service, region_name=region, config=config)  # type: ignore[call-overload]
    guard(client, permitted, log)
    shapes.guard(client)
    limits.deadline.guard(client)
    for hook in list(_HOOKS):
        hook(client)
    return client


def region_for(account: Account, name: str, workers: int,
               permitted: frozenset[tuple[str, str]], log: CallLog,
               limits: Limits = DEFAULT) -> Region:
    """Guarded clients for one region of *account* (on the main thread: see above)."""
    config = retry_config(workers, limits)
    s = account.session
    scaling = ("application-autoscaling", "DescribeScalableTargets") in permitted
    return Region(account, name,
                  guarded_client(s, "dynamodb", name, config, permitted, log, limits),
                  guarded_client(s, "cloudwatch", name, config, permitted, log, limits),
                  guarded_client(s, "kms", name, config, permitted, log, limits), limits,
                  guarded_client(s, "application-autoscaling", name, config, permitted, log,
                                 limits) if scaling else None)


def regions_for(account: Account, names: list[str], workers: int,
                permitted: frozenset[tuple[str, str]], log: CallLog,
                limits: Limits = DEFAULT) -> list[Region]:
    """Guarded clients for each region of *account*."""
    return [region_for(account, name, workers, permitted, log, limits) for name in names]


def default_region(session: boto3.Session) -> str:
    """The region the credential chain gives (then AWS_REGION, which boto3 1.35 ignores)."""
    region = session.region_name or os.environ.get("AWS_REGION")
    if region:
        return region
    raise RunError("no AWS region: pass --region or set AWS_DEFAULT_REGION")


class TableGone(Exception):
    """The table was deleted between ListTables and a call about it."""


def call(client: Any, service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """One call of *operation*, its answer checked against the documented shape."""
    answer = getattr(client, xform_name(operation))(**params)
    shapes.check(service, operation, answer)
    return dict(answer)


_CLIENTS = {"application-autoscaling": "autoscaling"}  # service -> Region's attribute


def read(region: Region, service: str, operation: str, *, pages: bool = False,
         table_call: bool = False, absent: frozenset[str] = frozenset(), **params: Any) -> Any:
    """One read-only call (every page of it with *pages*): the answer, or an Unknown.

    A call that fails after its retries is an `Unknown` of its reason: refused (naming the
    permission), an error answer, a connection fault, a timeout, an answer that is not the
    documented shape, pages that never end, the deadline. Credentials refused raise
    PlaceFault (they concern the whole place); none at all, RunError; a vanished table
    raises TableGone when *table_call*. An error whose code is in *absent* means there is
    nothing to read (GetResourcePolicy's PolicyNotFoundException): None.
    """
    limits = region.limits
    if limits.deadline.passed():
        return limits.deadline.unknown(f"what {service}:{operation} tells")
    client = getattr(region, _CLIENTS.get(service, service))
    try:
        if pages:
            return all_pages(lambda p: call(client, service, operation, p), service,
                             operation, params, limits)
        return call(client, service, operation, params)
    except ClientError as err:
        code = error_code(err)
        if code in absent:
            return None
        if table_call and code in TABLE_GONE:
            raise TableGone(params.get("TableName") or params.get("ResourceArn")) from None
        if code in BAD_CREDENTIALS:
            raise fatal(err, service, region.name) or RunError(code) from None
        if code in DENIED:
            return Unknown(denied_reason(service, operation, code), Reason.ACCESS_DENIED)
        return Unknown(failed_reason(service, operation, err), Reason.API_ERROR)
    except BotoCoreError as err:
        stop = no_credentials(err)
        if stop is not None:
            raise stop from None
        return call_failed(err, service, operation)
    except (Malformed, *PARSING) as err:
        return call_failed(err, service, operation)
