"""`server_side_encryption` of an aws_dynamodb_table: the encryption level, as exactly as
the source tells it.

No block, or `enabled = false`: the AWS owned key. Enabled with no key (null or ""): the
AWS managed `aws/dynamodb` key. A key that is an `aws_kms_key` (or another customer key
resource) of the configuration, an alias the customer made, or a literal key ARN: customer
managed. An `alias/aws/...` alias, or a key the source read as AWS managed: AWS managed.
A key that is one of a few possible values: the range of their levels. Anything else:
at least AWS managed, maybe customer managed.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import EncLevel, Encryption
from checker.sources.kms import classify_key_arn
from checker.sources.terraform.body import Body, at, once
from checker.sources.typed import boolean, shown
from checker.unknown import Unknown, invalid

# Resources whose key attributes are customer managed keys (or a customer's alias of one).
CUSTOMER_KEYS = {
    "aws_kms_key": ("arn", "key_id", "id"),
    "aws_kms_replica_key": ("arn", "key_id", "id"),
    "aws_kms_external_key": ("arn", "id"),
    "aws_kms_replica_external_key": ("arn", "key_id", "id"),
    "aws_kms_alias": ("arn", "name", "target_key_arn", "target_key_id"),
}
ANY = Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED)


def _levels(key: object, where: str, aws_managed: frozenset[str]) -> set[EncLevel] | Unknown:
    """The levels a key value can stand for, or an Unknown when it can stand for any KMS key.
    *aws_managed*: the keys the source read as AWS managed."""
    if key is None or key == "":
        return {EncLevel.AWS_MANAGED}  # the provider uses the aws/dynamodb key
    if isinstance(key, str):
        return {classify_key_arn(key, aws_managed)}
    if not isinstance(key, Unknown):
        return invalid(f"{where} is {shown(key)}, not a key ARN")
    origin = key.origin
    if origin is not None and origin.aws_managed:
        return {EncLevel.AWS_MANAGED}
    if origin is not None and origin.attr in CUSTOMER_KEYS.get(origin.type, ()):
        return {EncLevel.CUSTOMER_MANAGED}
    if key.possible:
        found: set[EncLevel] = set()
        for value in key.possible:
            levels = _levels(value, where, aws_managed)
            if isinstance(levels, Unknown):
                return key
            found |= levels
        return found
    return key


def read_encryption(body: Body, aws_managed: frozenset[str] = frozenset()) -> Encryption:
    """The table's encryption from its `server_side_encryption` blocks."""
    blocks = once(body, "server_side_encryption")
    if isinstance(blocks, Unknown):
        return Encryption(ANY.low, ANY.high, blocks)
    return _from_blocks(blocks, aws_managed)


def _from_blocks(blocks: Sequence[Body], aws_managed: frozenset[str]) -> Encryption:
    if not blocks:
        return Encryption.exact(EncLevel.AWS_OWNED)
    sse = blocks[0]
    enabled = boolean(sse.value("enabled"), at(sse, "enabled"))
    if enabled is None:
        enabled = invalid(f"{at(sse, 'enabled')} is not set (Terraform requires it)")
    if isinstance(enabled, Unknown) and not enabled.possible:
        return Encryption(ANY.low, ANY.high, enabled)
    states = enabled.possible if isinstance(enabled, Unknown) else (enabled,)
    raw = sse.value("kms_key_arn")
    levels: set[EncLevel] = set()
    why: Unknown | None = raw if isinstance(raw, Unknown) else (
        enabled if isinstance(enabled, Unknown) else None)
    for on in states or ():
        if not on:
            levels.add(EncLevel.AWS_OWNED)
            continue
        found = _levels(raw, at(sse, "kms_key_arn"), aws_managed)
        if isinstance(found, Unknown):
            levels |= {EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED}
            why = found
        else:
            levels |= found
    low, high = min(levels), max(levels)
    if low != high:
        return Encryption(low, high, why)
    key = raw if isinstance(raw, str) and low is not EncLevel.AWS_OWNED else None
    return Encryption.exact(low, key)


def replica_encryption(table: Encryption, replica: Body, aws_managed: frozenset[str]
                       ) -> Encryption:
    """A replica's encryption: the type is its table's (*table*); with KMS, the key is the
    replica's own `kms_key_arn`, none meaning the AWS managed key of its region."""
    if table.high is EncLevel.AWS_OWNED:
        return Encryption.exact(EncLevel.AWS_OWNED)
    raw = replica.value("kms_key_arn")
    found = _levels(raw, at(replica, "kms_key_arn"), aws_managed)
    why: Unknown | None = table.key_arn if isinstance(table.key_arn, Unknown) else None
    if isinstance(found, Unknown):
        levels, why = {EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED}, found
    else:
        levels = set(found)
    if table.low is EncLevel.AWS_OWNED:  # the table's encryption may be off
        levels.add(EncLevel.AWS_OWNED)
    low, high = min(levels), max(levels)
    if low != high:
        return Encryption(low, high, why or Unknown(
            f"{replica.where}: its table's encryption is not known"))
    return Encryption.exact(low, raw if isinstance(raw, str) and raw else None)
