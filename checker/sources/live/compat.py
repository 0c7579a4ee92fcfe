"""A workaround for moto, which the demo and the tests audit instead of a real account.

Real AWS says `KeyManager: AWS` for the aws/dynamodb key; moto says CUSTOMER. With the
workaround on, a key that reports itself customer managed is also compared with the
target of alias/aws/dynamodb (one kms:ListAliases per region). Only the demo and the
tests turn it on: a production audit never makes that call, and the IAM policy that
`tablespec permissions` prints does not grant it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from checker.sources.live.api import ApiCall

DYNAMODB_ALIAS = "alias/aws/dynamodb"
LIST_ALIASES = ApiCall("kms", "ListAliases", "moto only: the aws/dynamodb key, once per region, "
                       "when a key reports itself customer managed")
_on: list[bool] = []


@contextmanager
def moto_workarounds() -> Iterator[None]:
    """Turn the workaround on for the block (demo and tests only)."""
    _on.append(True)
    try:
        yield
    finally:
        _on.pop()


def enabled() -> bool:
    """True inside `moto_workarounds()`."""
    return bool(_on)


def calls() -> frozenset[tuple[str, str]]:
    """(service, operation) the workaround adds to the audit's calls, when it is on."""
    return frozenset({(LIST_ALIASES.service, LIST_ALIASES.operation)}) if enabled() else frozenset()
