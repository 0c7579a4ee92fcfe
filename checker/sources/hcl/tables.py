"""Resource instances -> TableState and Alarm, mirroring the plan source's normalisation."""

from __future__ import annotations

from checker.model import (
    TTL_OFF,
    Alarm,
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
from checker.sources.hcl.blocks import Nested, nested, syntax_locations
from checker.sources.hcl.convert import (
    actions,
    as_bool,
    as_float,
    as_int,
    as_str,
    str_map,
    str_tuple,
    unknown,
)
from checker.sources.hcl.index import skips_of
from checker.sources.hcl.resources import Instance
from checker.sources.hcl.values import Unk, origin_of, plain

TABLE = "aws_dynamodb_table"
ALARM = "aws_cloudwatch_metric_alarm"
_KMS_KEY_ATTRS = ("arn", "key_id", "id")


def _classify(arn: str) -> EncLevel:
    """The level of a literal key ARN (the plan source's rule)."""
    from checker.sources.kms import classify_key_arn

    return classify_key_arn(arn)


class _Table:
    """Builds one TableState from one resource instance."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.body = inst.block.body
        self.locations = syntax_locations(self.body)

    def blocks(self, btype: str) -> list[Nested] | Unk:
        """The nested blocks of one type, dynamic ones expanded."""
        return nested(self.body, btype, self.inst.scope)

    def types(self) -> Maybe[dict[str, Maybe[str | None]]]:
        """Attribute name -> type, from the `attribute` blocks."""
        found = self.blocks("attribute")
        if isinstance(found, Unk):
            return unknown(found)
        out: dict[str, Maybe[str | None]] = {}
        for block in found:
            name = plain(block.value("name"))
            if isinstance(name, Unk):
                return unknown(name)
            out[str(name)] = as_str(block.value("type"))
            for key, loc in block.locations(f"attribute.{name}").items():
                self.locations.setdefault(key, loc)
        return out

    def key(self, value: object, types: Maybe[dict[str, Maybe[str | None]]]) -> Key:
        """A key attribute with its type."""
        name = as_str(value)
        if isinstance(name, Unknown) or name is None:
            return Key(name or "", name)
        return Key(name, types if isinstance(types, Unknown) else types.get(name))

    def ttl(self) -> Maybe[Ttl]:
        """Time to live (no block: off)."""
        found = self.blocks("ttl")
        if isinstance(found, Unk):
            return unknown(found)
        if not found:
            return TTL_OFF
        enabled = as_bool(found[0].value("enabled"))
        attribute = as_str(found[0].value("attribute_name"))
        return Ttl(False if enabled is None else enabled, attribute or None)

    def pitr(self) -> Maybe[bool]:
        """Point-in-time recovery (no block: off)."""
        found = self.blocks("point_in_time_recovery")
        if isinstance(found, Unk):
            return unknown(found)
        if not found:
            return False
        enabled = as_bool(found[0].value("enabled"))
        return bool(enabled) if not isinstance(enabled, Unknown) else enabled

    def encryption(self) -> Encryption:
        """Encryption level range, decided as the plan source decides it."""
        found = self.blocks("server_side_encryption")
        if isinstance(found, Unk):
            return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, unknown(found))
        if not found:
            return Encryption.exact(EncLevel.AWS_OWNED)
        enabled = as_bool(found[0].value("enabled"))
        if isinstance(enabled, Unknown):
            return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, enabled)
        if not enabled:
            return Encryption.exact(EncLevel.AWS_OWNED)
        raw = found[0].value("kms_key_arn")
        key, origin = plain(raw), origin_of(raw)
        if origin is not None and origin.type == "aws_kms_key" and origin.attr in _KMS_KEY_ATTRS:
            return Encryption.exact(EncLevel.CUSTOMER_MANAGED, as_str(raw))
        if origin is not None and origin.aws_managed:
            return Encryption.exact(EncLevel.AWS_MANAGED, as_str(raw))
        if key is None or key == "":
            return Encryption.exact(EncLevel.AWS_MANAGED)
        if isinstance(key, str):
            return Encryption.exact(_classify(key), key)
        return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, as_str(raw))

    def gsis(self, types: Maybe[dict[str, Maybe[str | None]]]) -> Maybe[tuple[Gsi, ...]]:
        """Global secondary indexes, sorted by name."""
        found = self.blocks("global_secondary_index")
        if isinstance(found, Unk):
            return unknown(found)
        out: list[Gsi] = []
        for block in found:
            name = as_str(block.value("name"))
            label = name if isinstance(name, str) else "(known after apply)"
            if isinstance(name, str):
                for key, loc in block.locations(f"global_secondary_index.{name}").items():
                    self.locations.setdefault(key, loc)
            range_value = block.value("range_key")
            non_key = str_tuple(block.value("non_key_attributes"))
            out.append(Gsi(
                name=label,
                hash_key=self.key(block.value("hash_key"), types),
                range_key=self.key(range_value, types) if plain(range_value) else None,
                projection=as_str(block.value("projection_type")),  # type: ignore[arg-type]
                non_key_attributes=non_key,
                read_capacity=as_int(block.value("read_capacity")),
                write_capacity=as_int(block.value("write_capacity")),
            ))
        return tuple(sorted(out, key=lambda g: g.name))

    def tags(self) -> Maybe[dict[str, str]]:
        """Provider default_tags merged under the resource's tags (like tags_all)."""
        provider = self.body.attributes.get("provider")
        key = provider.expr.text if provider is not None else "aws"
        thunk = self.inst.module.providers.get(key)
        defaults = plain(thunk.get()) if thunk is not None else {}
        own = plain(self.inst.value("tags"))
        for part in (defaults, own):
            if isinstance(part, Unk):
                return unknown(part)
        merged: dict[str, object] = {}
        for part in (defaults, own):
            if isinstance(part, dict):
                merged.update(part)
            elif part is not None:
                return Unknown(f"{self.inst.address}: tags is not a map")
        return str_map(merged)

    def build(self) -> TableState:
        """The TableState."""
        inst = self.inst
        types = self.types()
        billing = as_str(inst.value("billing_mode"))
        name: Maybe[str | None] = as_str(inst.value("name"))
        if inst.unknown is not None:
            name = Unknown(inst.unknown)
        elif name is None:
            block = inst.block
            name = Unknown(f"{inst.address} ({block.file}:{block.line}) has no name argument")
        range_value = inst.value("range_key")
        state = TableState(
            name=name,
            resource=inst.address,
            source="hcl",
            hash_key=self.key(inst.value("hash_key"), types),
            range_key=self.key(range_value, types) if plain(range_value) else None,
            billing_mode="PROVISIONED" if billing is None else billing,
            read_capacity=as_int(inst.value("read_capacity")),
            write_capacity=as_int(inst.value("write_capacity")),
            ttl=self.ttl(),
            encryption=self.encryption(),
            pitr=self.pitr(),
            gsis=self.gsis(types),
            tags=self.tags(),
            deletion_protection=as_bool(inst.value("deletion_protection_enabled")),
            location=Location(inst.block.file, inst.block.line),
            skips=skips_of(inst.block.comments),
        )
        state.field_locations = self.locations
        return state


def build_alarm(inst: Instance) -> Alarm:
    """The Alarm one aws_cloudwatch_metric_alarm instance makes."""
    enabled = as_bool(inst.value("actions_enabled"))
    body = inst.block.body
    return Alarm(
        name=as_str(inst.value("alarm_name")),  # type: ignore[arg-type]
        resource=inst.address,
        namespace=as_str(inst.value("namespace")),
        metric=as_str(inst.value("metric_name")),
        statistic=as_str(inst.value("statistic")),
        comparison=as_str(inst.value("comparison_operator")),
        threshold=as_float(inst.value("threshold")),
        period=as_int(inst.value("period")),
        evaluation_periods=as_int(inst.value("evaluation_periods")),
        dimensions=str_map(inst.value("dimensions"), drop_null=True),
        actions=actions(inst.value("alarm_actions")),
        actions_enabled=True if enabled is None else enabled,
        location=Location(inst.block.file, inst.block.line),
        field_locations={n: Location(a.file, a.line) for n, a in body.attributes.items()},
        skips=skips_of(inst.block.comments),
    )


def _owner(inst: Instance, by_name: dict[str, TableState],
           by_address: dict[str, TableState]) -> TableState | Unk | None:
    """The table an alarm watches; None when it watches no table here; Unk when not known."""
    if inst.unknown is not None:
        return Unk(inst.unknown)
    dims = plain(inst.value("dimensions"))
    if isinstance(dims, Unk):
        return dims
    if not isinstance(dims, dict) or "TableName" not in dims:
        return None
    raw = dims["TableName"]
    name, origin = plain(raw), origin_of(raw)
    if isinstance(name, str) and name in by_name:
        return by_name[name]
    if origin is not None and origin.type == TABLE and origin.address in by_address:
        return by_address[origin.address]
    return name if isinstance(name, Unk) else None


def build_states(tables: list[Instance], alarms: list[Instance]) -> list[TableState]:
    """TableStates for *tables*, with the alarms of *alarms* attached to their tables."""
    states = [_Table(inst).build() for inst in tables]
    by_name = {s.name: s for s in states if isinstance(s.name, str)}
    by_address = {s.resource: s for s in states}
    loose: list[tuple[Alarm, Unk]] = []
    for inst in alarms:
        owner = _owner(inst, by_name, by_address)
        if owner is None:
            continue
        alarm = build_alarm(inst)
        if isinstance(owner, Unk):
            loose.append((alarm, owner))
        else:
            owner.alarms.append(alarm)
    if loose:
        alarm, why = loose[0]
        reason = Unknown(f"alarm {alarm.resource}: its table is not known from source: "
                         f"{why.reason}")
        for state in states:
            state.alarms_incomplete = reason
    return states
