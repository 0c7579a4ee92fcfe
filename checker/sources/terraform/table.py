"""aws_dynamodb_table -> TableState: the one meaning of each table setting in Terraform.

`tablespec plan`, `tablespec hcl` and the Checkov policies read their input into `Body`s
and call `read_table`; none of them decides what an attribute means. The provider's
defaults (hashicorp/aws 5.100) stand where a setting is left out: billing PROVISIONED, no
TTL, PITR off, the AWS owned key, no deletion protection, no stream, class STANDARD. Every
value is read as its schema type; one that is not is `invalid_value`, never taken as on.
"""

from __future__ import annotations

from checker.model import (
    NO_MAXIMUM,
    RECOVERY_DAYS_DEFAULT,
    TABLE_CLASS_DEFAULT,
    TTL_OFF,
    Gsi,
    Key,
    Location,
    OnDemandMax,
    TableState,
    Ttl,
    by_name,
)
from checker.sources.terraform.body import Body, at, once
from checker.sources.terraform.encryption import read_encryption
from checker.sources.typed import boolean, string, string_map, strings, whole
from checker.unknown import Maybe, Unknown, invalid

TABLE = "aws_dynamodb_table"
Types = Maybe[dict[str, Maybe[str | None]]]


def _required(value: Maybe[str | None], where: str) -> Maybe[str]:
    return invalid(f"{where} is not set") if value is None else value


def _types(body: Body) -> Types:
    """Attribute name -> its declared type, from the `attribute` blocks."""
    found = body.blocks("attribute")
    if isinstance(found, Unknown):
        return found
    out: dict[str, Maybe[str | None]] = {}
    for block in found:
        name = _required(string(block.value("name"), at(block, "name")), at(block, "name"))
        if isinstance(name, Unknown):
            return name
        out[name] = _required(string(block.value("type"), at(block, "type")), at(block, "type"))
    return out


def _key(value: object, where: str, types: Types) -> Key:
    name = _required(string(value, where), where)
    if isinstance(name, Unknown):
        return Key(name, name)
    return Key(name, types if isinstance(types, Unknown) else types.get(name))


def _optional_key(body: Body, name: str, types: Types) -> Maybe[Key | None]:
    raw = body.value(name)
    if raw is None or raw == "":
        return None
    return _key(raw, at(body, name), types)


def _ttl(body: Body) -> Maybe[Ttl]:
    found = once(body, "ttl")
    if isinstance(found, Unknown):
        return found
    if not found:
        return TTL_OFF
    block = found[0]
    enabled = boolean(block.value("enabled"), at(block, "enabled"))
    attribute = string(block.value("attribute_name"), at(block, "attribute_name"))
    return Ttl(False if enabled is None else enabled, attribute or None)


def _pitr(body: Body) -> Maybe[bool]:
    found = once(body, "point_in_time_recovery")
    if isinstance(found, Unknown):
        return found
    if not found:
        return False
    where = at(found[0], "enabled")
    enabled = boolean(found[0].value("enabled"), where)
    return invalid(f"{where} is not set (Terraform requires it)") if enabled is None else enabled


def _recovery_days(body: Body, pitr: Maybe[bool]) -> Maybe[int | None]:
    """`point_in_time_recovery.recovery_period_in_days` where PITR is on (unset: 35);
    None where it is off."""
    if pitr is False:
        return None
    if isinstance(pitr, Unknown):  # on or off, not known: so is whether it keeps any
        return Unknown(pitr.reason, pitr.kind, origin=pitr.origin)
    found = once(body, "point_in_time_recovery")
    if isinstance(found, Unknown) or not found:
        return found if isinstance(found, Unknown) else None
    days = whole(found[0].value("recovery_period_in_days"),
                 at(found[0], "recovery_period_in_days"))
    return RECOVERY_DAYS_DEFAULT if days is None else days


def _stream(body: Body) -> Maybe[str | None]:
    """The stream's view type; None without a stream (`stream_enabled` unset or false:
    the view type is then not the table's, whatever is written)."""
    enabled = boolean(body.value("stream_enabled"), at(body, "stream_enabled"))
    if enabled is None or enabled is False:
        return None
    where = at(body, "stream_view_type")
    view = string(body.value("stream_view_type"), where)
    if view in (None, ""):
        view = invalid(f"{where} is not set, with stream_enabled = true (the provider "
                       "refuses it)")
    if not isinstance(enabled, Unknown):
        return view
    # on or off, not known: the view type it would have, or none
    if set(enabled.possible or ()) <= {True, False} and enabled.possible and isinstance(
            view, str):
        return enabled.but(possible=tuple(view if on else None for on in enabled.possible))
    return Unknown(enabled.reason, enabled.kind, origin=enabled.origin)


def table_class(value: object, where: str) -> Maybe[str]:
    """A table class as written: unset (or null, as a 5.100 plan writes an explicit
    STANDARD) is STANDARD, as AWS makes a table."""
    found = string(value, where)
    if isinstance(found, Unknown) and found.possible:
        return found.but(possible=tuple(TABLE_CLASS_DEFAULT if v in (None, "") else v
                                        for v in found.possible))
    return TABLE_CLASS_DEFAULT if found in (None, "") else found


def on_demand_max(body: Body) -> Maybe[OnDemandMax]:
    """`on_demand_throughput` of a table or index body: its maximum request units (a block
    left out, a unit unset or -1: no maximum)."""
    found = once(body, "on_demand_throughput")
    if isinstance(found, Unknown):
        return found
    if not found:
        return NO_MAXIMUM
    units: list[int | None] = []
    for attr in ("max_read_request_units", "max_write_request_units"):
        unit = whole(found[0].value(attr), at(found[0], attr))
        if isinstance(unit, Unknown):  # (what it may be is a number, not a maximum)
            return Unknown(unit.reason, unit.kind, origin=unit.origin)
        units.append(unit)
    return OnDemandMax.of(*units)


def _non_key(block: Body) -> Maybe[tuple[str, ...]]:
    found = strings(block.value("non_key_attributes"), at(block, "non_key_attributes"))
    if isinstance(found, Unknown):
        return found
    unknown = next((v for v in found if isinstance(v, Unknown)), None)
    return unknown if unknown is not None else tuple(v for v in found if isinstance(v, str))


def _gsis(body: Body, types: Types) -> Maybe[tuple[Gsi, ...]]:
    found = body.blocks("global_secondary_index")
    if isinstance(found, Unknown):
        return found
    out = []
    for block in found:
        where = at(block, "name")
        out.append(Gsi(
            name=_required(string(block.value("name"), where), where),
            hash_key=_key(block.value("hash_key"), at(block, "hash_key"), types),
            range_key=_optional_key(block, "range_key", types),
            projection=_required(string(block.value("projection_type"),
                                        at(block, "projection_type")),
                                 at(block, "projection_type")),
            non_key_attributes=_non_key(block),
            read_capacity=whole(block.value("read_capacity"), at(block, "read_capacity")),
            write_capacity=whole(block.value("write_capacity"), at(block, "write_capacity")),
            on_demand_max=on_demand_max(block),
        ))
    return tuple(sorted(out, key=by_name))


def read_tags(body: Body, default_tags: object) -> Maybe[dict[str, Maybe[str]]]:
    """`tags_all` where the source knows it, else the provider's default_tags under the
    resource's own tags (Terraform's merge). *default_tags*: None when the provider sets
    none, a map, or an Unknown."""
    tags_all = string_map(body.value("tags_all"), at(body, "tags_all"))
    if isinstance(tags_all, dict) and tags_all:
        return tags_all
    own = string_map(body.value("tags"), at(body, "tags"))
    if default_tags is None or isinstance(own, Unknown):
        return own
    defaults = string_map(default_tags, f"{body.where}: the provider's default_tags")
    if isinstance(defaults, Unknown):
        return defaults
    return {**defaults, **own}


def read_table(body: Body, source: str, *, default_tags: object = None,
               aws_managed: frozenset[str] = frozenset(),
               location: Location | None = None) -> TableState:
    """The TableState of one aws_dynamodb_table instance. *aws_managed*: the KMS keys the
    source read as AWS managed."""
    types = _types(body)
    name = _required(string(body.value("name"), at(body, "name")), at(body, "name"))
    billing = string(body.value("billing_mode"), at(body, "billing_mode"))
    protection = boolean(body.value("deletion_protection_enabled"),
                         at(body, "deletion_protection_enabled"))
    pitr = _pitr(body)
    return TableState(
        name=name,
        resource=body.where,
        source=source,
        hash_key=_key(body.value("hash_key"), at(body, "hash_key"), types),
        range_key=_optional_key(body, "range_key", types),
        billing_mode="PROVISIONED" if billing is None else billing,
        read_capacity=whole(body.value("read_capacity"), at(body, "read_capacity")),
        write_capacity=whole(body.value("write_capacity"), at(body, "write_capacity")),
        ttl=_ttl(body),
        encryption=read_encryption(body, aws_managed),
        pitr=pitr,
        pitr_recovery_days=_recovery_days(body, pitr),
        on_demand_max=on_demand_max(body),
        gsis=_gsis(body, types),
        tags=read_tags(body, default_tags),
        deletion_protection=False if protection is None else protection,
        location=location or Location(),
        stream=_stream(body),
        table_class=table_class(body.value("table_class"), at(body, "table_class")),
    )
