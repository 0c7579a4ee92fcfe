"""Checkov's `conf` of one aws_dynamodb_table -> TableState, for `terraform_plan` and `terraform`.

Plan mode reproduces `checker.sources.plan` from what Checkov keeps of a plan: values known
at plan time (unknown ones are dropped, so a missing attribute is Unknown), and a block
left out of a table being created is the AWS default, as it is there. HCL mode reads the
configuration as written: a left-out block or attribute takes its default, unless a
`dynamic` block of that type exists, whose contents Checkov does not render.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from checker.checkov.values import MISSING, Reader, is_expression, unwrap
from checker.model import (
    TTL_OFF,
    EncLevel,
    Encryption,
    Gsi,
    Key,
    Location,
    Maybe,
    TableState,
    Ttl,
    Unknown,
)
from checker.sources.kms import classify_key_arn

TABLE = "aws_dynamodb_table"
_KMS_REFERENCE = re.compile(r"aws_kms_key\.[\w-]+(?:\[[^\]]*\])?(?:\.[\w-]+)*")
_EMPTY_FOR_EACH: tuple[list[Any], ...] = ([[]], [], [{}])

Blocks = list[Reader] | Unknown | None  # None: left out, so the default applies
BlockReader = Callable[[str], Blocks]


def is_plan(conf: dict[str, Any]) -> bool:
    """True for a `terraform_plan` conf: HCL confs carry `__start_line__`, plan confs not."""
    return "__start_line__" not in conf


def _dynamic_blocks(conf: dict[str, Any]) -> dict[str, list[Any]]:
    """`dynamic` block definitions by the block type they generate."""
    out: dict[str, list[Any]] = {}
    for element in conf.get("dynamic") or []:
        if isinstance(element, dict):
            for block_type, body in element.items():
                out.setdefault(block_type, []).append(body)
    return out


def _hcl_blocks(conf: dict[str, Any], reader: Reader) -> BlockReader:
    dynamic = _dynamic_blocks(conf)

    def blocks(key: str) -> Blocks:
        bodies = dynamic.get(key)
        if not bodies:
            return reader.blocks(key)
        # Only a literally empty for_each is understood: it generates no block at all.
        if all(isinstance(b, dict) and "content" in b and b.get("for_each") in _EMPTY_FOR_EACH
               for b in bodies):
            made = [c for b in bodies for c in (b["content"] if isinstance(b["content"], list)
                                                 else [b["content"]])]
            static = [b for b in conf.get(key) or [] if isinstance(b, dict) and b not in made]
            return [Reader(b, f"{key}[{i}].", False) for i, b in enumerate(static)]
        return Unknown(f"{key} is a dynamic block, whose contents Checkov does not render")

    return blocks


def _plan_blocks(conf: dict[str, Any], reader: Reader) -> BlockReader:
    actions = conf.get("__change_actions__")
    fresh = not isinstance(actions, list) or "create" in actions

    def blocks(key: str) -> Blocks:
        got = reader.blocks(key)
        if got is None and not fresh:
            return Unknown(f"{key} known after apply")
        return got

    return blocks


def _key(name: Maybe[str | None], types: Maybe[dict[Any, Any]]) -> Key:
    if isinstance(name, Unknown):
        return Key(name, name)
    if isinstance(types, Unknown):
        return Key(name or "", types)
    return Key(name or "", types.get(name))


def _attribute_types(blocks: BlockReader) -> Maybe[dict[Any, Any]]:
    got = blocks("attribute")
    if isinstance(got, Unknown):
        return got
    types: dict[Any, Any] = {}
    for b in got or []:
        name, typ = b.text("name"), b.text("type")
        for part in (name, typ):
            if isinstance(part, Unknown):
                return part
        types[name] = typ
    return types


def _ttl(blocks: BlockReader) -> Maybe[Ttl]:
    got = blocks("ttl")
    if isinstance(got, Unknown):
        return got
    if not got:
        return TTL_OFF
    enabled, attribute = got[0].flag("enabled"), got[0].text("attribute_name")
    return Ttl(enabled if isinstance(enabled, Unknown) else bool(enabled), attribute or None)


def _required_flag(block: Reader, key: str, plan: bool) -> Maybe[bool | None]:
    """A required boolean: in HCL, leaving it out is not a default but an error."""
    if not plan and key not in block.data:
        return Unknown(f"{block.where}{key} is not set")
    return block.flag(key)


def _pitr(blocks: BlockReader, plan: bool) -> Maybe[bool]:
    got = blocks("point_in_time_recovery")
    if isinstance(got, Unknown):
        return got
    if not got:
        return False
    enabled = _required_flag(got[0], "enabled", plan)
    return enabled if isinstance(enabled, Unknown) else bool(enabled)


def _root(reference: str) -> str:
    """`aws_kms_key.k[0].arn` -> `aws_kms_key.k`; `module.m.out` -> `module.m.out`."""
    parts = re.sub(r"\[[^\]]*\]", "", reference).split(".")
    return ".".join(parts[:3] if parts[0] in ("data", "module") else parts[:2])


def _customer_key(text: str, block: Reader, plan: bool) -> bool:
    """True when *text* stands for exactly one aws_kms_key resource (a customer managed key)."""
    if plan:  # the reference Checkov copied back: its expression's whole reference list
        for refs in block.references():
            if text in refs:
                roots = {_root(r) for r in refs}
                return len(roots) == 1 and roots.pop().startswith("aws_kms_key.")
    return _KMS_REFERENCE.fullmatch(text) is not None


def _encryption(blocks: BlockReader, plan: bool) -> Encryption:
    got = blocks("server_side_encryption")
    if isinstance(got, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, got)
    if not got:
        return Encryption.exact(EncLevel.AWS_OWNED)
    sse = got[0]
    enabled = _required_flag(sse, "enabled", plan)
    if isinstance(enabled, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, enabled)
    if not enabled:
        return Encryption.exact(EncLevel.AWS_OWNED)
    key = sse.data.get("kms_key_arn", MISSING)
    key = key if key is MISSING else unwrap(key)
    maybe_cmk = Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED,
                           Unknown(f"kms_key_arn is not known: {str(key)[:80]}"))
    if key is MISSING:  # HCL: no key set; plan: decided at apply, by an expression not kept
        if plan:
            return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED,
                              Unknown("kms_key_arn known after apply"))
        return Encryption.exact(EncLevel.AWS_MANAGED)
    if key is None or key == "":  # no key: the provider uses the AWS managed aws/dynamodb key
        return Encryption.exact(EncLevel.AWS_MANAGED, None)
    if not isinstance(key, str):
        return maybe_cmk
    if not is_expression(key):
        return Encryption.exact(classify_key_arn(key), key)
    if _customer_key(key, sse, plan):
        return Encryption.exact(EncLevel.CUSTOMER_MANAGED, Unknown(f"{key} known after apply"))
    return maybe_cmk


def _gsis(blocks: BlockReader, types: Maybe[dict[Any, Any]], plan: bool
          ) -> Maybe[tuple[Gsi, ...]]:
    got = blocks("global_secondary_index")
    if isinstance(got, Unknown):
        return got
    out = []
    for b in got or []:
        name = b.text("name")
        if not isinstance(name, str):
            if not plan:
                return name if isinstance(name, Unknown) else Unknown(f"{b.where}name is not set")
            name = "(known after apply)"  # as the plan source says it
        range_name = b.text("range_key")
        out.append(Gsi(
            name=name,
            hash_key=_key(b.text("hash_key"), types),
            range_key=_key(range_name, types) if range_name else None,
            projection=_named(b.text("projection_type"), f"{b.where}projection_type"),
            non_key_attributes=b.strings("non_key_attributes"),
            read_capacity=b.number("read_capacity"),
            write_capacity=b.number("write_capacity"),
        ))
    return tuple(sorted(out, key=lambda g: g.name))


def _tags(reader: Reader, plan: bool, default_tags: Maybe[dict[str, str]] | None
          ) -> Maybe[dict[str, str]]:
    if plan:  # tags_all holds provider default_tags too; it is missing when decided at apply
        tags_all = reader.mapping("tags_all")
        if tags_all is None:
            return Unknown("tags_all known after apply")
        if isinstance(tags_all, Unknown) or tags_all:
            return tags_all
        tags = reader.mapping("tags")
        return Unknown("tags known after apply") if tags is None else tags
    tags = reader.mapping("tags")
    if tags is None:
        tags = {}
    if isinstance(tags, Unknown) or default_tags is None:
        return tags
    if isinstance(default_tags, Unknown):
        return default_tags
    return {**default_tags, **tags}


def _named(value: Maybe[str | None], what: str) -> Maybe[str]:
    return Unknown(f"{what} is not set") if value is None else value


def table_state(conf: dict[str, Any], file: str,
                default_tags: Maybe[dict[str, str]] | None = None) -> TableState:
    """The TableState of one table conf; *default_tags* (HCL only): the provider's."""
    plan = is_plan(conf)
    reader = Reader(conf, "", absent_unknown=plan)
    blocks = _plan_blocks(conf, reader) if plan else _hcl_blocks(conf, reader)
    types = _attribute_types(blocks)
    range_name = reader.text("range_key")
    billing = reader.text("billing_mode")
    line = conf.get("__start_line__")
    return TableState(
        name=_named(reader.text("name"), "name"),
        resource=str(conf.get("__address__") or "?"),
        source="checkov-plan" if plan else "checkov-hcl",
        hash_key=_key(_named(reader.text("hash_key"), "hash_key"), types),
        range_key=_key(range_name, types) if range_name else None,
        billing_mode="PROVISIONED" if billing is None else billing,
        read_capacity=reader.number("read_capacity"),
        write_capacity=reader.number("write_capacity"),
        ttl=_ttl(blocks),
        encryption=_encryption(blocks, plan),
        pitr=_pitr(blocks, plan),
        gsis=_gsis(blocks, types, plan),
        tags=_tags(reader, plan, default_tags),
        deletion_protection=reader.flag("deletion_protection_enabled"),
        alarms_incomplete=Unknown("a Checkov resource check sees the table, not its alarms"),
        location=Location(file=file, line=line if isinstance(line, int) and line > 0 else None),
    )
