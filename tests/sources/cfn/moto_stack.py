"""A stack deployed by moto's CloudFormation, in a region and under a project no other test
uses, and deleted afterwards with every table it leaves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config

REGION = "ap-northeast-3"  # a region no other test writes to
PROJECT = "motocfn"  # not the seed's hypermage-vr: no other test's tables match the pattern


def client(service: str, **config: Any) -> Any:
    """A client of the moto server in REGION."""
    # a session of its own: boto3's default one keeps the credentials of an earlier test
    return boto3.Session().client(  # type: ignore[call-overload]
        service, region_name=REGION, config=Config(**config) if config else None)


@contextmanager
def deployed(template: str) -> Iterator[list[str]]:
    """*template* deployed as a stack by moto's CloudFormation; yields its tables' names.
    Afterwards the stack is deleted, and the tables it leaves (Retain, deletion protection)
    too: the region is empty again."""
    cfn, ddb = client("cloudformation"), client("dynamodb")
    cfn.create_stack(StackName=PROJECT, TemplateBody=template)
    try:
        cfn.get_waiter("stack_create_complete").wait(
            StackName=PROJECT, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        yield ddb.list_tables()["TableNames"]
    finally:
        for name in ddb.list_tables()["TableNames"]:
            ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
        cfn.delete_stack(StackName=PROJECT)
        cfn.get_waiter("stack_delete_complete").wait(
            StackName=PROJECT, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        for name in ddb.list_tables()["TableNames"]:
            ddb.delete_table(TableName=name)
        assert ddb.list_tables()["TableNames"] == []
