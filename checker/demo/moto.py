"""A moto server on 127.0.0.1 and a free port: the stand-in AWS account of `tablespec demo`.

Demo-only (production code never imports checker.demo). moto reports the key AWS makes for
DynamoDB (`alias/aws/dynamodb`) as customer managed, where AWS says `KeyManager: AWS`: the
demo's server says what AWS says, so the audit reads it through its production path.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def _service_keys_aws_managed() -> None:
    """moto's keys behind an `alias/aws/...` name say `KeyManager: AWS` (idempotent)."""
    from moto.kms.models import KmsBackend

    original = KmsBackend.create_alias
    if getattr(original, "demo", False):
        return

    def create_alias(backend: KmsBackend, key: str, alias: str) -> Any:
        made = original(backend, key, alias)
        if alias.startswith("alias/aws/"):
            backend.keys[backend.get_key_id(key)].key_manager = "AWS"
        return made

    create_alias.demo = True  # type: ignore[attr-defined]
    KmsBackend.create_alias = create_alias  # type: ignore[method-assign, assignment]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (ThreadedMotoServer) on 127.0.0.1 for the block; yields its endpoint."""
    from moto.server import ThreadedMotoServer

    _service_keys_aws_managed()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as sock:  # a free port
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
