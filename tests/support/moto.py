"""The tests' stand-in AWS account: a real moto server on 127.0.0.1, and how to enter it.

moto answers as AWS does with one exception the audit would see: it reports the key AWS
makes for DynamoDB (`alias/aws/dynamodb`, created with the first table encrypted without a
key of its own) as customer managed, where AWS says `KeyManager: AWS`. The server started
here makes the keys behind an `alias/aws/...` name AWS managed, so every audit (in this
process or in a child process talking to the server) reads the real DescribeKey answer
through tablespec's own, production path. The demo does the same (checker/demo/moto.py);
checker/ itself has no switch for moto.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

REGION = "eu-west-1"
SERVICE_ALIAS = "alias/aws/"  # the names AWS gives the keys it manages for a service


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def aws_managed_service_keys() -> None:
    """From now on in this process, moto's keys behind an `alias/aws/...` name say
    `KeyManager: AWS`, as AWS's do (idempotent). Only a service makes such an alias: moto.s
    KMS API refuses those names, as AWS does."""
    from moto.kms.models import KmsBackend

    if getattr(KmsBackend.create_alias, "service_keys", False):
        return
    create_alias = KmsBackend.create_alias

    def aliased(self: KmsBackend, target_key_id: str, alias_name: str) -> Any:
        made = create_alias(self, target_key_id, alias_name)
        if alias_name.startswith(SERVICE_ALIAS):
            self.keys[self.get_key_id(target_key_id)].key_manager = "AWS"
        return made

    aliased.service_keys = True  # type: ignore[attr-defined]
    KmsBackend.create_alias = aliased  # type: ignore[method-assign]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (ThreadedMotoServer) for the block, its service keys AWS managed;
    yields its endpoint."""
    from moto.server import ThreadedMotoServer

    aws_managed_service_keys()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def builder_env(endpoint: str, account: str, key: str = "testing") -> dict[str, str]:
    """AWS_* credentials of *account* on a moto server, through AssumeRole (moto lets any
    identity assume any role, which is how its accounts are entered)."""
    sts = boto3.Session(aws_access_key_id=key, aws_secret_access_key=key).client(
        "sts", region_name="us-east-1", endpoint_url=endpoint)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/builder",
                            RoleSessionName="builder", DurationSeconds=43200)["Credentials"]
    return {"AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"]}


def session_for(env: dict[str, str]) -> boto3.Session:
    """A boto3 session with the AWS_* credentials *env* holds."""
    return boto3.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                         aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                         aws_session_token=env.get("AWS_SESSION_TOKEN"))
