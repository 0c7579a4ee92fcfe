"""The tests' stand-in AWS account: a real moto server on 127.0.0.1, and how to enter it.

moto answers as AWS does with one exception the audit would see: it reports the key AWS
makes for DynamoDB (`alias/aws/dynamodb`, created with the first table encrypted without a
key of its own) as customer managed, where AWS says `KeyManager: AWS`. The server started
here makes the keys behind an `alias/aws/...` name AWS managed, so every audit (in this
process or in a child process talking to the server) reads the real DescribeKey answer
through tablespec's own, production path. The server and that answer are the demo's
(checker/demo/moto.py, which production code never imports); checker/ itself has no switch
for moto.
"""

from __future__ import annotations

import boto3

# the server and its KMS answer are the demo's (checker/demo/moto.py): one of each
from checker.demo.moto import free_port, moto_server, service_keys_aws_managed

REGION = "eu-west-1"
__all__ = ["REGION", "builder_env", "free_port", "moto_server", "service_keys_aws_managed",
           "session_for"]


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
