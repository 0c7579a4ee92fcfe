"""A fault-injecting HTTP proxy on 127.0.0.1 between tablespec and the moto server (tests).

Every request the audit sends (`AWS_ENDPOINT_URL` = the proxy) is forwarded to moto, unless a
rule for its operation (and region, and text in its body) says otherwise: reset the
connection, stall, answer 200 with an empty, garbage, cut or truncated body, drop or retype
a field of the answer, or page forever. The service, region and operation are read off the
request as AWS reads them: the SigV4 credential scope, `X-Amz-Target` or `Action=`.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

SIGNING_NAMES = {"monitoring": "cloudwatch"}  # SigV4 signing name -> botocore service name
# (request token, answer token) of the paginated calls the proxy can make page forever
TOKENS = {"ListTables": ("ExclusiveStartTableName", "LastEvaluatedTableName"),
          "DescribeAlarms": ("NextToken", "NextToken"),
          "ListTagsOfResource": ("NextToken", "NextToken")}
FAULTS = ("reset", "stall", "empty", "garbage", "cut", "truncate", "drop", "retype", "loop")


@dataclass
class Rule:
    """A fault for the requests of *operation* (in *region*, mentioning *mentioning*)."""

    fault: str  # one of FAULTS
    operation: str
    region: str | None = None
    mentioning: str | None = None
    arg: Any = None  # stall: seconds; drop: a dotted path or XML tag; retype: (path, value);
    # loop: "same" (one token again and again) or "new" (a new one every page)
    times: int | None = None  # how many matching requests it takes (None: all)
    hits: int = 0

    def matches(self, seen: Seen) -> bool:
        """Whether this rule takes the request *seen*."""
        return (self.operation == seen.operation and self.region in (None, seen.region)
                and (self.mentioning is None or self.mentioning in seen.body)
                and (self.times is None or self.hits < self.times))


@dataclass(frozen=True)
class Seen:
    """A request that reached the proxy."""

    service: str
    region: str
    operation: str
    body: str
    fault: str | None


@dataclass
class _Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    changed: bool = False


class FaultProxy(ThreadingHTTPServer):
    """The proxy: `add` rules, point AWS_ENDPOINT_URL at `url`, read `seen` afterwards."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        split = urlsplit(upstream)
        self.upstream = (split.hostname or "127.0.0.1", split.port or 80)
        self.rules: list[Rule] = []
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """The endpoint to give the audit."""
        return f"http://127.0.0.1:{self.server_port}"

    def start(self) -> FaultProxy:
        """Serve on a thread of its own."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """End every stall, stop serving, close the socket."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join()

    def add(self, fault: str, operation: str, **how: Any) -> Rule:
        """A rule (see Rule); the first that matches a request takes it."""
        assert fault in FAULTS, fault
        rule = Rule(fault, operation, **how)
        with self.lock:
            self.rules.append(rule)
        return rule

    def take(self, service: str, region: str, operation: str, body: str) -> Rule | None:
        """The rule for this request, if any, counted; the request recorded."""
        with self.lock:
            rule = next((r for r in self.rules
                         if r.matches(Seen(service, region, operation, body, None))), None)
            if rule is not None:
                rule.hits += 1
            self.seen.append(Seen(service, region, operation, body,
                                  rule.fault if rule else None))
            return rule

    def count(self, operation: str, *, region: str | None = None,
              mentioning: str | None = None) -> int:
        """Requests of *operation* that reached the proxy (retries included)."""
        with self.lock:
            return sum(1 for s in self.seen if s.operation == operation
                       and region in (None, s.region)
                       and (mentioning is None or mentioning in s.body))


def _drop(doc: Any, path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc[part]
    del doc[last]


def _retype(doc: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc[part]
    doc[last] = value


class _Handler(BaseHTTPRequestHandler):
    server: FaultProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        try:
            self._serve()
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (its read timeout)

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        scope = self.headers.get("Authorization", "").split("Credential=")[1].split("/")
        region, service = scope[2], SIGNING_NAMES.get(scope[3], scope[3])
        target = self.headers.get("X-Amz-Target")
        form = dict(parse_qsl(body.decode())) if not target else {}
        operation = target.rsplit(".", 1)[1] if target else form.get("Action", "")
        rule = self.server.take(service, region, operation, body.decode(errors="replace"))
        fault = rule.fault if rule else None
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if fault == "stall":
            assert rule is not None
            self.server.stopping.wait(float(rule.arg))
        if fault == "loop":  # every page asks for the first one again
            body = self._without_token(operation, body, target is not None)
        answer = self._forward(body)
        if rule is not None and fault not in ("stall", "truncate"):
            self._change(rule, operation, answer, target is not None)
        self._answer(answer, cut_short=fault == "truncate")

    def _without_token(self, operation: str, body: bytes, is_json: bool) -> bytes:
        token = TOKENS[operation][0]
        if is_json:
            doc = json.loads(body)
            doc.pop(token, None)
            return json.dumps(doc).encode()
        return urlencode([(k, v) for k, v in parse_qsl(body.decode()) if k != token]).encode()

    def _forward(self, body: bytes) -> _Answer:
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=30)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("content-length", "connection")}
        headers["Content-Length"] = str(len(body))
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            got = upstream.getresponse()
            return _Answer(got.status, got.getheaders(), got.read())
        finally:
            upstream.close()

    def _change(self, rule: Rule, operation: str, answer: _Answer, is_json: bool) -> None:
        fault, text = rule.fault, answer.body
        answer.status, answer.changed = 200, True
        if fault == "empty":
            answer.body = b""
        elif fault == "garbage":
            answer.body = b"\x00\x9f<<this is not an answer>>"
        elif fault == "cut":
            answer.body = text[:len(text) // 2]
        elif fault in ("drop", "retype") and is_json:
            doc = json.loads(text)
            if fault == "drop":
                _drop(doc, str(rule.arg))
            else:
                _retype(doc, *rule.arg)
            answer.body = json.dumps(doc).encode()
        elif fault == "drop":  # XML: every element of that tag
            tag = re.escape(str(rule.arg))
            answer.body = re.sub(rf"<{tag}/>|<{tag}>.*?</{tag}>".encode(), b"", text,
                                 flags=re.S)
        elif fault == "loop":
            answer.body = self._paged(rule, operation, text, is_json)

    def _paged(self, rule: Rule, operation: str, text: bytes, is_json: bool) -> bytes:
        token = "zz-loop" if rule.arg == "same" else f"zz-loop-{rule.hits:06d}"
        name = TOKENS[operation][1]
        if is_json:
            doc = json.loads(text)
            doc[name] = token
            return json.dumps(doc).encode()
        close = f"</{operation}Result>".encode()
        return text.replace(close, f"<{name}>{token}</{name}>".encode() + close)

    def _answer(self, answer: _Answer, cut_short: bool) -> None:
        skip = {"content-length", "connection", "transfer-encoding", "date", "server"}
        if answer.changed:
            skip.add("x-amz-crc32")
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in skip:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if cut_short:  # the promised length, half of it sent, then the connection closed
            self.wfile.write(answer.body[:len(answer.body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(answer.body)
