"""Audit test helpers: the suite's own read-only guard, fault injection, running an audit."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders

from checker.cli import main
from checker.sources.live import api as liveapi
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
DECLARED = frozenset((c.service, c.operation) for c in liveapi.CALLS)


class Guard:
    """Fails any call outside liveapi.CALLS on any audit client; records every call made.

    It is the suite's own check, registered on botocore's `before-call` event of every
    client the audit creates, independent of the guard the audit installs itself.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []
        self.params: list[tuple[str, str, dict[str, Any]]] = []
        self.violations: list[tuple[str, str]] = []
        self.clients = 0

    def install(self, client: Any) -> None:
        """Hook one audit client."""
        service = client.meta.service_model.service_name
        with self._lock:
            self.clients += 1

        def check(model: Any, **_: Any) -> None:
            with self._lock:
                if (service, model.name) not in DECLARED:
                    self.violations.append((service, model.name))
                    raise AssertionError(f"audit called {service}:{model.name}, "
                                         "which is not in the declared read-only list")
                self.calls.append((service, model.name))

        def record(params: dict[str, Any], model: Any, **_: Any) -> None:
            with self._lock:
                self.params.append((service, model.name, dict(params)))

        client.meta.events.register("before-parameter-build", record)
        client.meta.events.register("before-call", check)

    def count(self, operation: str) -> int:
        """Calls (pages included) of *operation*."""
        with self._lock:
            return sum(1 for _, op in self.calls if op == operation)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def error_response(url: str, protocol: str, code: str, message: str) -> AWSResponse:
    """A 400 error as the service's protocol spells it."""
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}
    else:
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error><RequestId>t</RequestId>"
                "</ErrorResponse>").encode()
        headers = {"Content-Type": "text/xml"}
    http_headers = HTTPHeaders()
    for name, value in headers.items():
        http_headers[name] = value
    return AWSResponse(url, 400, http_headers, _Raw(body))


class Throttle:
    """Answer every *every*-th first attempt with a throttling error, before it is sent."""

    def __init__(self, every: int = 3) -> None:
        self.every = every
        self._lock = threading.Lock()
        self.first_attempts = 0
        self.injected = 0

    def install(self, client: Any) -> None:
        """Hook one audit client."""
        protocol = client.meta.service_model.protocol
        code = "ThrottlingException" if protocol == "json" else "Throttling"

        def send(request: Any, **_: Any) -> AWSResponse | None:
            header = request.headers.get("amz-sdk-request", "")
            header = header.decode() if isinstance(header, bytes) else header
            if header.split(";")[0].strip() != "attempt=1":
                return None
            with self._lock:
                self.first_attempts += 1
                if self.first_attempts % self.every:
                    return None
                self.injected += 1
            return error_response(request.url, protocol, code, "Rate exceeded")

        client.meta.events.register("before-send", send)


class Deny:
    """Answer one operation with AccessDenied, as an IAM policy without it would; only in
    *region* and for requests whose body holds *mentioning*, when given; *code* instead of
    AccessDenied (e.g. an Organizations fault)."""

    def __init__(self, service: str, operation: str, *, region: str | None = None,
                 mentioning: str | None = None, code: str | None = None) -> None:
        self.service = service
        self.operation = operation
        self.region = region
        self.mentioning = mentioning
        self.code = code
        self.denied = 0

    def install(self, client: Any) -> None:
        """Hook one audit client (only clients of the service are affected)."""
        if client.meta.service_model.service_name != self.service or self.region not in (
                None, client.meta.region_name):
            return
        protocol = client.meta.service_model.protocol
        code = self.code or ("AccessDeniedException" if protocol == "json" else "AccessDenied")
        message = (f"User: arn:aws:sts::123456789012:assumed-role/auditor/t is not authorized "
                   f"to perform: {self.service}:{self.operation}")

        def send(request: Any, **_: Any) -> AWSResponse | None:
            body = request.body or b""
            text = body.decode() if isinstance(body, bytes) else str(body)
            if self.mentioning is not None and self.mentioning not in text:
                return None
            self.denied += 1
            return error_response(request.url, protocol, code, message)

        sid = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-send.{sid}.{self.operation}", send)


def audit_json(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """`tablespec audit --format json` through the real CLI, in process."""
    out = tmp_path / "audit.json"
    out.unlink(missing_ok=True)
    code = main(["audit", "--spec", SPEC, "--format", "json", "-o", str(out), *args])
    return code, (json.loads(out.read_text()) if out.exists() else {})


def not_passing(report: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(status, rule id, table, resource, expected, actual) of every finding that did not pass."""
    return sorted((f["status"], f["rule_id"], f["table"], f["resource"], f["expected"],
                   f["actual"]) for f in report["findings"] if f["status"] != "pass")


def verdicts(report: dict[str, Any], region: str, account: str = "") -> list[tuple[str, ...]]:
    """Every finding as (rule id, table, status, expected, actual, resource), with *region*
    and *account* masked in ARNs."""
    def masked(text: str) -> str:
        text = text.replace(f":{region}:", ":REGION:")
        return text.replace(f":{account}:", ":ACCOUNT:") if account else text
    return sorted((f["rule_id"], f["table"], f["status"], masked(f["expected"]),
                   masked(f["actual"]), masked(f["resource"])) for f in report["findings"])
