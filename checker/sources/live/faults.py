"""AWS errors sorted: what ends the run, what concerns one place, what hides one call's fields.

A call that fails after its retries is an `Unknown` for exactly what it would have told, with
its reason: `access_denied` (refused), `api_error` (an error answer, a reset or closed
connection, an endpoint that cannot be reached), `timeout` (no answer in time, or the run's
deadline), `malformed_response` (an answer that cannot be parsed, is cut short, is not the
documented shape, or pages that never end). The messages are one line and never hold any of
the answer's body.
"""

from __future__ import annotations

from http.client import IncompleteRead

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectionError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)
from botocore.parsers import ResponseParserError

from checker.errors import RunError
from checker.sources.live.api import action
from checker.unknown import Reason, Unknown

DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                    "UnauthorizedException", "AuthorizationError"})
BAD_CREDENTIALS = frozenset({"UnrecognizedClientException", "InvalidClientTokenId",
                             "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException",
                             "SignatureDoesNotMatch", "AuthFailure", "InvalidAccessKeyId",
                             "MissingAuthenticationToken", "IncompleteSignature"})
TABLE_GONE = frozenset({"ResourceNotFoundException", "ResourceNotFound",
                        "TableNotFoundException"})
NO_POLICY = frozenset({"PolicyNotFoundException"})  # GetResourcePolicy: none attached
NO_CREDENTIALS = ("no AWS credentials found: set AWS_PROFILE (or pass --profile), or "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
CREDENTIALS = (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError,
               TokenRetrievalError, SSOError)
# What botocore's parsers raise on an answer they cannot read: ResponseParserError (not a
# BotoCoreError), or, unwrapped, on a value of the wrong type (a string where a list belongs,
# a number that is not one). The answer is malformed, not a bug of ours.
PARSING = (ResponseParserError, ValueError, TypeError, AttributeError, KeyError, IndexError,
           UnicodeDecodeError)


class Malformed(Exception):
    """An answer that is not the documented shape (raised by tablespec's own checks)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class DeadlinePassed(BotoCoreError):
    """The run's deadline passed before this attempt could be sent (never retried)."""

    fmt = "{why}"


class PlaceFault(RunError):
    """A fault that ends the run when it is the only place read (exit 2), but in a run of
    several places concerns one (account, region): credentials refused there (a region that
    is not enabled answers so), or STS or Organizations unreachable."""

    def __init__(self, message: str, kind: Reason) -> None:
        super().__init__(message)
        self.kind = kind


def error_code(err: ClientError) -> str:
    """The AWS error code of *err*."""
    return str(err.response.get("Error", {}).get("Code", "")) or "Unknown"


def no_credentials(err: Exception) -> RunError | None:
    """The one line that ends the run when there are no credentials (or region) at all."""
    if isinstance(err, CREDENTIALS):
        return RunError(f"{NO_CREDENTIALS} ({type(err).__name__})")
    if isinstance(err, ProfileNotFound):
        return RunError(f"{err}: check --profile / AWS_PROFILE against ~/.aws/config")
    if isinstance(err, NoRegionError):
        return RunError("no AWS region: pass --region or set AWS_DEFAULT_REGION")
    return None


def fatal(err: Exception, service: str, region: str | None) -> RunError | None:
    """The one line that ends the run (or a PlaceFault, its place) for a fault of STS or
    Organizations, or of credentials anywhere; None when it concerns one call only."""
    where = f"{service} in {region}" if region else service
    stop = no_credentials(err)
    if stop is not None:
        return stop
    if isinstance(err, ConnectionError | HTTPClientError):
        return PlaceFault(f"cannot reach {where} ({type(err).__name__}); check the network, "
                          "--region and AWS_ENDPOINT_URL", Reason.API_ERROR)
    if isinstance(err, ClientError) and error_code(err) in BAD_CREDENTIALS:
        return PlaceFault(f"AWS rejected the credentials for {where} ({error_code(err)}); "
                          "refresh them or pick another --profile (or enable the region)",
                          Reason.ACCESS_DENIED)
    if isinstance(err, BotoCoreError):
        return RunError(f"{where}: {type(err).__name__}")
    return None


def denied_reason(service: str, operation: str, code: str) -> str:
    """Why a field is unknown when *operation* was refused: names the IAM permission."""
    return (f"reading it needs {action(service, operation)}, which was denied ({code}); "
            "grant it to the auditing identity (see `tablespec permissions`)")


def failed_reason(service: str, operation: str, err: ClientError) -> str:
    """Why a field is unknown when *operation* failed for another reason."""
    message = " ".join(str(err.response.get("Error", {}).get("Message", "")).split())
    return f"{action(service, operation)} failed ({error_code(err)}{': ' if message else ''}" \
           f"{message[:160]})"


def _cut_short(err: BaseException) -> bool:
    """Whether *err* (a closed connection) is an answer shorter than its Content-Length."""
    seen: list[object] = [err, *getattr(err, "kwargs", {}).values()]
    while seen:
        item = seen.pop()
        if isinstance(item, IncompleteRead):
            return True
        if isinstance(item, BaseException):
            seen += [*item.args, item.__cause__, item.__context__]
    return False


def call_failed(err: Exception, service: str, operation: str) -> Unknown:
    """The Unknown for a call that raised *err* (after botocore's retries): one line, no body.

    Credentials faults are not for here (`fatal`), nor are bugs of ours (ParamValidationError).
    """
    what = action(service, operation)
    if isinstance(err, DeadlinePassed):
        return Unknown(f"{what} was not answered: {err}", Reason.TIMEOUT)
    if isinstance(err, ReadTimeoutError | ConnectTimeoutError):
        return Unknown(f"{what} got no answer in time, after its retries "
                       f"({type(err).__name__})", Reason.TIMEOUT)
    if isinstance(err, Malformed):
        return Unknown(f"{what} answered, but not in the documented shape: {err.detail}",
                       Reason.MALFORMED)
    if isinstance(err, ConnectionClosedError) and _cut_short(err):
        return Unknown(f"{what} answered, but the answer was cut short (shorter than its "
                       "Content-Length), after its retries", Reason.MALFORMED)
    if isinstance(err, PARSING):
        return Unknown(f"{what} answered with a body that cannot be parsed "
                       f"({type(err).__name__})", Reason.MALFORMED)
    if isinstance(err, ConnectionError | HTTPClientError):
        return Unknown(f"{what} failed: the connection failed after its retries "
                       f"({type(err).__name__})", Reason.API_ERROR)
    if isinstance(err, ParamValidationError):  # our request is wrong: a bug of ours
        raise err
    return Unknown(f"{what} failed ({type(err).__name__})", Reason.API_ERROR)
