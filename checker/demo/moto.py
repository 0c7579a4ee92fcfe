"""A moto server on 127.0.0.1 and a free port: the stand-in AWS account of `tablespec demo`
(and of the tests, which start theirs with this module too).

Demo-only (production code never imports checker.demo). moto reports the key AWS makes for
DynamoDB (`alias/aws/dynamodb`) as customer managed, where AWS says `KeyManager: AWS`: the
server started here says what AWS says, so the audit reads it through its production path.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SERVICE_ALIAS = "alias/aws/"  # the names AWS gives the keys it manages for a service


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_keys_aws_managed() -> None:
    """From now on in this process, moto's keys behind an `alias/aws/...` name say
    `KeyManager: AWS`, as AWS's do (idempotent). Only a service makes such an alias: moto's
    KMS API refuses those names, as AWS does."""
    from moto.kms.models import KmsBackend

    original = KmsBackend.create_alias
    if getattr(original, "service_keys", False):
        return

    def create_alias(backend: KmsBackend, key: str, alias: str) -> Any:
        made = original(backend, key, alias)
        if alias.startswith(SERVICE_ALIAS):
            backend.keys[backend.get_key_id(key)].key_manager = "AWS"
        return made

    create_alias.service_keys = True  # type: ignore[attr-defined]
    KmsBackend.create_alias = create_alias  # type: ignore[method-assign, assignment]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (ThreadedMotoServer) on 127.0.0.1 for the block, its service keys AWS
    managed; yields its endpoint."""
    from moto.server import ThreadedMotoServer

    service_keys_aws_managed()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
