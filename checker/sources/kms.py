"""KMS keys as every source sees them: which ones are AWS managed.

An `alias/aws/...` alias (or its ARN) names an AWS managed key; any other key ARN is a
customer managed key unless something else the source read says otherwise (a data source
that resolved `alias/aws/dynamodb`, or DescribeKey's `KeyManager: AWS`).
"""

from __future__ import annotations

import re

from checker.model import EncLevel

_AWS_MANAGED_ALIAS = re.compile(r"(^|:)alias/aws/")


def is_aws_alias(name: str) -> bool:
    """True for `alias/aws/...` and its ARN."""
    return bool(_AWS_MANAGED_ALIAS.search(name))


def classify_key_arn(arn: str, aws_managed: frozenset[str] = frozenset()) -> EncLevel:
    """An explicit key ARN: an `alias/aws/...` alias, or a key the source knows is AWS
    managed (*aws_managed*), is AWS managed; any other key is customer managed."""
    if is_aws_alias(arn) or arn in aws_managed:
        return EncLevel.AWS_MANAGED
    return EncLevel.CUSTOMER_MANAGED
