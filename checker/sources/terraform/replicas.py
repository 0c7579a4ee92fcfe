"""Replicas of a global table in Terraform: each one the same spec table in its own region.

Two ways to write one (hashicorp/aws 5.100):

- a `replica` block of `aws_dynamodb_table`: `region_name`, `kms_key_arn`,
  `point_in_time_recovery` (off unless set; its recovery period AWS's 35) and
  `propagate_tags` are its own; it has the table's keys, TTL, indexes, billing and
  encryption type. AWS creates it without deletion protection, and Terraform cannot set
  that there. Its tags are the table's with
  `propagate_tags = true`; without, Terraform does not manage them (not known).
- `aws_dynamodb_table_replica`, in the region of its provider: also its own
  `deletion_protection_enabled`, `tags` and `table_class_override`. The rest is its
  table's, found by `global_table_arn` (the table resource, or an ARN naming one this
  source holds).

Encryption: the type is the table's; with KMS, the replica's own `kms_key_arn`, none
meaning the AWS managed key of its region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from checker.model import RECOVERY_DAYS_DEFAULT, Encryption, Location, TableState
from checker.sources.terraform.body import Body, at
from checker.sources.terraform.encryption import ANY, replica_encryption
from checker.sources.terraform.table import TABLE, read_tags
from checker.sources.typed import boolean, string
from checker.unknown import Maybe, Unknown

REPLICA = "aws_dynamodb_table_replica"
# The spec's fields a replica block sets itself: the attribute that sets each.
_FIELDS = {"point_in_time_recovery": "point_in_time_recovery",
           "server_side_encryption": "kms_key_arn", "tags": "propagate_tags"}


def _flag(body: Body, name: str) -> Maybe[bool]:
    """An optional bool that is off unless set."""
    found = boolean(body.value(name), at(body, name))
    return False if found is None else found


def _own(table: TableState, replica: str, region: str | None) -> TableState:
    """*table* as a replica's starting point: its settings, none of its own parts."""
    return replace(table, replica=replica, region=region, provider=None, alarms=[], skips=(),
                   field_locations={}, alarms_incomplete=None, previous_name=None)


def replica_blocks(body: Body, table: TableState, aws_managed: frozenset[str]
                   ) -> list[TableState]:
    """A TableState for each `replica` block of the table *body* read as *table*."""
    found = body.blocks("replica")
    if isinstance(found, Unknown):
        why = found.but(f"which replicas {table.resource} has is not known: {found.reason}")
        return [replace(_own(table, "replica[?]", None), pitr=why, tags=why,
                        encryption=Encryption(ANY.low, ANY.high, why),
                        deletion_protection=why, stream=why, table_class=why,
                        pitr_recovery_days=why, on_demand_max=why)]
    out = []
    for i, block in enumerate(found):
        region = string(block.value("region_name"), at(block, "region_name"))
        known = region if isinstance(region, str) and region else None
        propagate = boolean(block.value("propagate_tags"), at(block, "propagate_tags"))
        tags: Maybe[dict[str, Maybe[str]]] = table.tags if propagate is True else (
            propagate if isinstance(propagate, Unknown) else Unknown(
                f"{at(block, 'propagate_tags')} is not true: Terraform does not manage the "
                "replica's tags, so they are not known"))
        pitr = _flag(block, "point_in_time_recovery")
        out.append(replace(
            _own(table, known or f"replica[{i}]", known),
            pitr=pitr, pitr_recovery_days=_default_days(pitr),
            encryption=replica_encryption(table.encryption, block, aws_managed),
            tags=tags, deletion_protection=False))
    return out


def place_block(replica: TableState, written: dict[str, Location], table: Location) -> None:
    """Point a replica block's findings at its own block: *written* is where the table's
    blocks and attributes are written (`replica.REGION`, `replica.REGION.kms_key_arn`);
    *table*, the table's own place."""
    here = f"replica.{replica.region}"
    if here not in written:
        replica.location = table
        return
    replica.location = written[here]
    replica.field_locations = {field: written[f"{here}.{attr}"]
                               for field, attr in _FIELDS.items() if f"{here}.{attr}" in written}


def _global_table(arn: object, tables: Sequence[TableState], where: str
                  ) -> tuple[Maybe[str], TableState | Unknown]:
    """The name of the table `global_table_arn` names, and its state in this source."""
    if isinstance(arn, Unknown):
        origin = arn.origin
        if origin is not None and origin.type == TABLE:
            named = [t for t in tables if t.replica is None and (
                t.resource == origin.address or t.resource.startswith(origin.address + "["))]
            if len(named) == 1:
                return named[0].name, named[0]
        why = arn.but(f"{where}: which table it replicates is not known: {arn.reason}")
        return why, why
    name = string(arn, where)
    if not isinstance(name, str):
        why = name if isinstance(name, Unknown) else Unknown(f"{where} is not set")
        return why, why
    logical = name.rpartition(":table/")[2] if ":table/" in name else ""
    if not logical:
        why = Unknown(f"{where} is {name!r}, not a DynamoDB table ARN")
        return why, why
    held = [t for t in tables if t.replica is None and t.name == logical]
    return logical, held[0] if len(held) == 1 else Unknown(
        f"{where}: table {logical} is not declared in this source, so the settings a "
        "replica takes from it (keys, TTL, indexes, billing, encryption type) are not known")


def replica_resource(body: Body, tables: Sequence[TableState], aws_managed: frozenset[str],
                     *, source: str, region: str | None, provider: str | None,
                     default_tags: object = None, location: Location | None = None
                     ) -> TableState:
    """The TableState of one `aws_dynamodb_table_replica` instance, in *region* (that of
    its provider; None where not known)."""
    name, table = _global_table(body.value("global_table_arn"), tables,
                                at(body, "global_table_arn"))
    if isinstance(table, Unknown):
        why = table
        table = TableState(name=name, resource=body.where, source=source, hash_key=why,
                           range_key=why, billing_mode=why, read_capacity=why,
                           write_capacity=why, ttl=why,
                           encryption=Encryption(ANY.low, ANY.high, why), pitr=why, gsis=why,
                           tags=why, stream=why, table_class=why, pitr_recovery_days=why,
                           on_demand_max=why)
    pitr = _flag(body, "point_in_time_recovery")
    return replace(
        _own(table, region or body.where, region), name=name, resource=body.where,
        source=source, provider=provider, pitr=pitr, pitr_recovery_days=_default_days(pitr),
        encryption=replica_encryption(table.encryption, body, aws_managed),
        tags=read_tags(body, default_tags),
        deletion_protection=_flag(body, "deletion_protection_enabled"),
        table_class=_class_override(body, table),
        location=location or Location())


def _default_days(pitr: Maybe[bool]) -> Maybe[int | None]:
    """A replica's recovery period: Terraform cannot set it there, so AWS's 35 where its
    PITR is on."""
    if isinstance(pitr, Unknown):
        return pitr
    return RECOVERY_DAYS_DEFAULT if pitr else None


def _class_override(body: Body, table: TableState) -> Maybe[str]:
    """`table_class_override`, else the table's class."""
    where = at(body, "table_class_override")
    found = string(body.value("table_class_override"), where)
    return table.table_class if found in (None, "") else found


def link_replica_regions(states: list[TableState]) -> None:
    """Set each table's `replica_regions` from the replicas among *states*: its `replica`
    blocks (read from its own resource) and the `aws_dynamodb_table_replica` resources of
    its name; unknown where one of them is in a region not known, or where a replica
    resource replicates a table not known (it may be this one)."""
    tables = {s.resource for s in states if s.replica is None}
    resources = [s for s in states if s.replica is not None and s.resource not in tables]
    untied = next((r for r in resources if isinstance(r.name, Unknown)), None)
    # each replica's place in *states*, under its resource and (a replica resource's) name
    by_resource: dict[str, list[int]] = defaultdict(list)
    by_name: dict[object, list[int]] = defaultdict(list)
    for i, r in enumerate(states):
        if r.replica is not None:
            by_resource[r.resource].append(i)
            if r.resource not in tables:
                by_name[r.name].append(i)
    for table in states:
        if table.replica is not None:
            continue
        if untied is not None:
            assert isinstance(untied.name, Unknown)
            table.replica_regions = untied.name.but(
                f"which table {untied.resource} replicates is not known: {untied.name.reason}")
            continue
        mine = [states[i] for i in sorted({*by_resource.get(table.resource, ()),
                                            *by_name.get(table.name, ())})]
        unplaced = next((r for r in mine if r.region is None), None)
        table.replica_regions = Unknown(
            f"the region of {unplaced.resource}'s replica {unplaced.replica} is not known"
        ) if unplaced is not None else tuple(sorted({str(r.region) for r in mine}))
