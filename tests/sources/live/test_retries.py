"""The retry budget, counted on the wire: every request the audit's clients send reaches a
local HTTP server that throttles all of them, in each service's own protocol.

botocore's standard mode sleeps `rand(0, 1) * min(2 ** (attempt - 1), 20)` seconds before each
retry (`botocore.retries.standard.ExponentialBackoff.delay_amount`); the tests record the delay
botocore computes and make it 0, so the attempts are the same and the test takes no time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from botocore.retries import standard
from botocore.retries.quota import RetryQuota

from checker.cli import main
from checker.errors import RunError
from checker.sources.live import api as liveapi
from checker.sources.live.accounts import accounts, base_session
from checker.sources.live.api import CallLog
from checker.sources.live.clients import (
    Account,
    client_hook,
    read,
    regions_for,
)
from checker.sources.live.limits import MAX_ATTEMPTS, PROBE_ATTEMPTS
from checker.unknown import Reason, Unknown
from tests.support.audit_fixtures import isolate
from tests.support.audit_helpers import SPEC, Guard

REGION = "eu-west-1"
ACCOUNT = "123456789012"
JSON_THROTTLE = {  # JSON protocols (DynamoDB 1.0, KMS 1.1): the code in a header and the body
    "dynamodb": ("application/x-amz-json-1.0",
                 "com.amazonaws.dynamodb.v20120810#ThrottlingException"),
    "kms": ("application/x-amz-json-1.1", "ThrottlingException"),
}
SERVICE_OF = {"monitoring": "cloudwatch"}  # SigV4 signing name -> botocore service name
QUERY_THROTTLE = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                  b"<Message>Rate exceeded</Message></Error><RequestId>retry-test</RequestId>"
                  b"</ErrorResponse>")  # query protocol (STS, CloudWatch in botocore 1.35)


class Throttler(ThreadingHTTPServer):
    """Answers every request with a throttling error; counts requests per operation."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str, str]] = []  # service, operation, amz-sdk-request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def record(self, service: str, operation: str, sdk_request: str) -> None:
        with self._lock:
            self.requests.append((service, operation, sdk_request))

    def count(self, service: str, operation: str) -> int:
        """Requests that reached the server for service:operation."""
        with self._lock:
            return sum(1 for s, o, _ in self.requests if (s, o) == (service, operation))

    def attempts(self, service: str, operation: str) -> list[str]:
        """The `attempt=N` botocore put in each request's amz-sdk-request header."""
        with self._lock:
            return [part.strip() for s, o, h in self.requests if (s, o) == (service, operation)
                    for part in h.split(";") if part.strip().startswith("attempt=")]


class _Handler(BaseHTTPRequestHandler):
    server: Throttler

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # The SigV4 credential scope names the service: .../<date>/<region>/<service>/aws4_request
        scope = self.headers.get("Authorization", "").split("Credential=")[1].split("/")[3]
        service = SERVICE_OF.get(scope, scope)
        target = self.headers.get("X-Amz-Target")
        if target:
            operation = target.rsplit(".", 1)[1]
            content_type, code = JSON_THROTTLE[service]
            answer = json.dumps({"__type": code, "message": "Rate exceeded"}).encode()
            extra = {"x-amzn-ErrorType": "ThrottlingException"}
        else:
            operation = parse_qs(body.decode())["Action"][0]
            content_type, answer, extra = "text/xml", QUERY_THROTTLE, {}
        self.server.record(service, operation, self.headers.get("amz-sdk-request", ""))
        self.send_response(400)
        self.send_header("Content-Type", content_type)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class Backoff:
    """Records the attempt number and delay of every backoff botocore computes; sleeps 0."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.delays: list[tuple[int, float]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = standard.ExponentialBackoff.delay_amount

        def delay_amount(backoff: standard.ExponentialBackoff,
                         context: standard.RetryContext) -> float:
            delay = real(backoff, context)
            with self._lock:
                self.delays.append((context.attempt_number, delay))
            return 0.0

        monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", delay_amount)


@pytest.fixture(autouse=True)
def _read_only() -> Iterator[None]:
    """The suite's own read-only guard on every client the audit makes (as `read_only` in
    tests/support/audit_fixtures.py, without loading its moto server)."""
    guard = Guard()
    with client_hook(guard.install):
        yield
    assert not guard.violations, f"calls outside the declared list: {guard.violations}"
    assert guard.clients > 0


@pytest.fixture
def backoff(monkeypatch: pytest.MonkeyPatch) -> Backoff:
    """Retries without the wait (test only: the budget itself is untouched)."""
    recorder = Backoff()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture
def throttler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
              backoff: Backoff) -> Iterator[Throttler]:
    """A throttling server as AWS_ENDPOINT_URL, dummy keys, eu-west-1; a retry budget set in the
    environment too (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE), which the audit's own must override."""
    isolate(monkeypatch, tmp_path)
    server = Throttler()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "9")
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _region() -> Any:
    """The clients of one (account, region), made as the audit makes them."""
    permitted = liveapi.allowed(sample=False, assume=False)
    account = Account(base_session(None), ACCOUNT, "aws")
    return regions_for(account, [REGION], 2, permitted, CallLog())[0]


@pytest.mark.parametrize(("service", "operation", "params", "code"), [
    ("dynamodb", "DescribeTable", {"TableName": "prod-player-sessions", "table_call": True},
     "ThrottlingException"),
    ("dynamodb", "ListTables", {"pages": True}, "ThrottlingException"),
    ("cloudwatch", "DescribeAlarms", {"pages": True}, "Throttling"),
    ("kms", "DescribeKey", {"KeyId": "alias/aws/dynamodb"}, "ThrottlingException"),
])
def test_a_throttled_call_is_sent_max_attempts_times_then_reported_unknown(
    service: str, operation: str, params: dict[str, Any], code: str,
    throttler: Throttler, backoff: Backoff
) -> None:
    got = read(_region(), service, operation, **params)
    assert throttler.count(service, operation) == MAX_ATTEMPTS == 5
    assert throttler.attempts(service, operation) == [f"attempt={n}" for n in range(1, 6)]
    assert len(throttler.requests) == MAX_ATTEMPTS  # nothing else was sent
    # four waits, computed by botocore's own backoff (only the sleep is skipped)
    assert [n for n, _ in backoff.delays] == [1, 2, 3, 4]
    assert all(0 <= d <= 2 ** (n - 1) for n, d in backoff.delays)
    # read() reports the final error as an Unknown for that call's fields; the run goes on
    assert isinstance(got, Unknown) and got.kind is Reason.API_ERROR
    assert got.reason == f"{service}:{operation} failed ({code}: Rate exceeded)"


ROLE = "arn:aws:iam::111111111111:role/tablespec-audit"


@pytest.mark.parametrize(("roles", "operation", "says"), [
    ([], "GetCallerIdentity", "sts:GetCallerIdentity failed"),
    ([ROLE], "AssumeRole", f"cannot assume {ROLE}"),
])
def test_an_sts_call_is_sent_twice_then_ends_the_run(
    roles: list[str], operation: str, says: str, throttler: Throttler, backoff: Backoff
) -> None:
    permitted = liveapi.allowed(sample=False, assume=bool(roles))
    with pytest.raises(RunError) as raised:
        accounts(base_session(None), roles, None, REGION, permitted, CallLog())
    assert str(raised.value) == f"{says} (Throttling: Rate exceeded)"
    assert throttler.count("sts", operation) == PROBE_ATTEMPTS == 2
    assert throttler.attempts("sts", operation) == ["attempt=1", "attempt=2"]
    assert len(throttler.requests) == PROBE_ATTEMPTS
    assert [n for n, _ in backoff.delays] == [1]


def test_the_cli_gives_up_after_two_sts_attempts_with_exit_2_and_one_line(
    throttler: Throttler, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "--spec", SPEC])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "tablespec: sts:GetCallerIdentity failed (Throttling: Rate exceeded)\n"
    assert [(s, o) for s, o, _ in throttler.requests] == [("sts", "GetCallerIdentity")] * 2


def test_the_retry_quota_of_a_client_cuts_retries_only_after_100(
    throttler: Throttler, backoff: Backoff
) -> None:
    """Standard mode's quota: 500 per client, 5 a throttled retry, nothing back for a failed
    call. It does not change the counts above: each of the first 25 fully throttled calls of
    a client gets its 5 attempts (4 retries, 20 units); the 26th finds it spent and is sent
    once."""
    assert RetryQuota.INITIAL_CAPACITY == 500
    region = _region()
    for n in range(1, 26):
        read(region, "dynamodb", "DescribeTable", TableName=f"t{n}")
        assert throttler.count("dynamodb", "DescribeTable") == n * MAX_ATTEMPTS
    read(region, "dynamodb", "DescribeTable", TableName="t26")
    assert throttler.count("dynamodb", "DescribeTable") == 25 * MAX_ATTEMPTS + 1
    # another client (the next region, or the next run) has its own quota
    read(_region(), "dynamodb", "DescribeTable", TableName="t27")
    assert throttler.count("dynamodb", "DescribeTable") == 26 * MAX_ATTEMPTS + 1
