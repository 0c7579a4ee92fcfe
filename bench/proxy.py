"""An HTTP proxy in front of the moto server: adds a round-trip latency and counts the calls.

A local moto server answers in about 3 ms; a real regional endpoint takes tens of ms. The
proxy sleeps the given latency before forwarding each request (each attempt, retries
included: what a real endpoint would see), and counts them by AWS operation, read from the
`X-Amz-Target` header (JSON protocols), the `Action` form field (query protocols), or for
S3's REST calls the method and query (`s3:GetObject`, `s3:PutObject`, `s3:ListObjectsV2`).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection",
        "expect"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, latency_s: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        target = urlsplit(upstream)
        self.upstream = (target.hostname or "127.0.0.1", target.port or 80)
        self.latency_s = latency_s
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.local = threading.local()


_REST = {"GET": "GetObject", "PUT": "PutObject"}


def operation(headers: Any, body: bytes, method: str = "POST", path: str = "/") -> str:
    """`service:Operation` of one request, as far as the request shows it."""
    target = headers.get("X-Amz-Target")
    if target:
        service, _, op = str(target).partition(".")
        return f"{service}:{op}"
    if method != "POST":  # S3's REST calls (path-style against a local endpoint)
        query = parse_qs(urlsplit(path).query)
        return "s3:ListObjectsV2" if "list-type" in query else f"s3:{_REST.get(method, method)}"
    form = parse_qs(body.decode("utf-8", "replace"))
    return f"query:{form.get('Action', ['?'])[0]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK would add ~40 ms to every call.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        self._forward()

    def do_GET(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def _upstream(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self.server.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(*self.server.upstream, timeout=60)
            self.server.local.conn = conn
        return conn

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.calls[operation(self.headers, body, self.command, self.path)] += 1
        time.sleep(self.server.latency_s)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        conn = self._upstream()
        try:
            conn.request(self.command, self.path, body, headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.server.local.conn = None
            raise
        self.send_response(resp.status)
        for key, value in resp.getheaders():
            if key.lower() not in _HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def latency_proxy(upstream: str, latency_ms: int) -> Iterator[tuple[str, Counter[str]]]:
    """A proxy to *upstream* for the block; yields its URL and its live call counter."""
    server = _Server(upstream, latency_ms / 1000)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.calls
    finally:
        server.shutdown()
        server.server_close()
