"""A table's server-side encryption from a plan: the level, as exactly as the plan tells it.

The key is followed through the configuration (variables, module calls, outputs): no key
is the AWS managed key; an `aws_kms_key` of the configuration is customer managed; a data
source that looks up an `alias/aws/...` alias (or a key the plan read as AWS managed) is
AWS managed, whatever bare key ARN it resolves to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.model import EncLevel, Encryption, Unknown
from checker.sources.kms import classify_key_arn, is_aws_alias
from checker.sources.plan.config import Const, PlanConfig, Ref
from checker.sources.plan.values import Values

TABLE = "aws_dynamodb_table"
_KEY_DATA = {"data.aws_kms_alias": "name", "data.aws_kms_key": "key_id"}


def _data_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for res in module.get("resources") or []:
        if res.get("mode") == "data":
            yield res
    for child in module.get("child_modules") or []:
        yield from _data_resources(child)


def aws_managed_keys(plan: dict[str, Any]) -> frozenset[str]:
    """Key ids and ARNs the plan's data sources read as AWS managed keys."""
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    out: set[str] = set()
    for res in _data_resources(root):
        values = res.get("values") or {}
        if res.get("type") == "aws_kms_alias" and is_aws_alias(str(values.get("name") or "")):
            out.update(str(values[k]) for k in ("target_key_arn", "target_key_id")
                       if values.get(k))
        elif res.get("type") == "aws_kms_key" and values.get("key_manager") == "AWS":
            out.update(str(values[k]) for k in ("arn", "id", "key_id") if values.get(k))
    return frozenset(out)


def _aws_alias_lookup(config: PlanConfig, ref: Ref) -> bool:
    """True when *ref* is a data source that looks up an `alias/aws/...` alias."""
    arg = _KEY_DATA.get(ref.type)
    if arg is None:
        return False
    found = config.data_argument(ref.module, ref.type.removeprefix("data."), ref.name, arg)
    return isinstance(found, Const) and isinstance(found.value, str) and is_aws_alias(found.value)


def encryption(values: Values, config: PlanConfig, path: tuple[str, ...], name: str,
               aws_managed: frozenset[str]) -> Encryption:
    """The encryption of table `name` in module *path*, from its planned *values*."""
    blocks = values.blocks("server_side_encryption")
    if isinstance(blocks, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, blocks)
    if not blocks:
        return Encryption.exact(EncLevel.AWS_OWNED)
    sse = blocks[0]
    enabled = sse.get("enabled")
    key = sse.get("kms_key_arn")
    if isinstance(enabled, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, enabled)
    if not enabled:
        return Encryption.exact(EncLevel.AWS_OWNED)
    conf = config.resource(path, TABLE, name)
    expr = config.block_expr(conf, "server_side_encryption", "kms_key_arn")
    resolved = config.resolve(path, expr) if expr is not None else None
    if isinstance(resolved, Const) and not resolved.value:
        # No key configured: the provider fills in the AWS managed aws/dynamodb key.
        return Encryption.exact(EncLevel.AWS_MANAGED, key)
    if isinstance(resolved, Const) and isinstance(resolved.value, str):
        return Encryption.exact(classify_key_arn(resolved.value, aws_managed), resolved.value)
    if isinstance(resolved, Ref) and resolved.type == "aws_kms_key":
        return Encryption.exact(EncLevel.CUSTOMER_MANAGED, key)
    if isinstance(resolved, Ref) and _aws_alias_lookup(config, resolved):
        return Encryption.exact(EncLevel.AWS_MANAGED, key)
    if isinstance(key, str) and key:
        return Encryption.exact(classify_key_arn(key, aws_managed), key)
    # Enabled, key decided at apply: at least AWS managed, maybe customer managed.
    return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, key)
