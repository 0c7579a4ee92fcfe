"""The CDK's `Table` with `replicationRegions`: a `Custom::DynamoDBReplica` per region, which a
Lambda the CDK writes turns into a replica of the table (it names the table with `Ref` in
`TableName`, and its `Region`).

Each is a replica of that table in its region: the table's keys, TTL, indexes, billing,
stream and encryption type. What a replica has of its own (point-in-time recovery, its
recovery period, tags, deletion protection, class, Contributor Insights, resource policy,
capacity and scaling) the custom resource does not say: unknown, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from checker.model import Location, TableState
from checker.sources.typed import string
from checker.unknown import Unknown

CUSTOM_REPLICA: Final = "Custom::DynamoDBReplica"


@dataclass(frozen=True)
class CustomReplica:
    """One Custom::DynamoDBReplica: the table it names, its region, whether it is made."""

    logical: str
    table: str | Unknown | None  # the table's name (or an Unknown whose origin is its resource)
    region: str | Unknown | None
    there: bool | Unknown
    location: Location


def read_custom_replica(props: object, logical: str, there: bool | Unknown,
                        location: Location) -> CustomReplica:
    """The replica a Custom::DynamoDBReplica's (evaluated) *props* make."""
    where = f"{logical}.Properties"
    values = props if isinstance(props, Mapping) else {}
    return CustomReplica(logical, string(values.get("TableName"), f"{where}.TableName"),
                         string(values.get("Region"), f"{where}.Region"), there, location)


def _names(replica: CustomReplica, table: TableState) -> bool | None:
    """Whether *replica* names *table* (None: not known)."""
    named = replica.table
    if isinstance(named, str):
        return named == table.name
    origin = named.origin if isinstance(named, Unknown) else None
    return origin.address == table.resource if origin is not None else None


def add_replicas(tables: list[TableState], replicas: list[CustomReplica]) -> list[TableState]:
    """The replica states *replicas* make of *tables* (their `replica_regions` extended);
    a replica whose table, region or existence is not known leaves the replica regions of
    the tables it may be of unknown."""
    out: list[TableState] = []
    for replica in replicas:
        why = Unknown(f"{replica.logical} ({CUSTOM_REPLICA}, a custom resource) makes this "
                      "replica; what it has of its own is not in the template")
        for table in tables:
            names = _names(replica, table)
            if names is False:
                continue
            region = replica.region
            cause = (Unknown(f"which table {replica.logical} replicates is not known")
                     if names is None else next(
                         (v for v in (region, replica.there) if isinstance(v, Unknown)),
                         None if region else Unknown(f"{replica.logical} sets no Region")))
            if cause is not None or not isinstance(region, str):
                why_not = cause or Unknown(f"{replica.logical} sets no Region")
                table.replica_regions = Unknown(why_not.reason, why_not.kind)
                continue
            if isinstance(table.replica_regions, tuple):
                table.replica_regions = (*table.replica_regions, region)
            out.append(replace(
                table, replica=region, region=region, alarms=[], alarms_incomplete=None,
                skips=(), previous_name=None, location=replica.location, pitr=why,
                pitr_recovery_days=why, tags=why, deletion_protection=why, table_class=why,
                contributor_insights=why, resource_policies=why, scaling=why,
                on_demand_max=why, replica_regions=()))
    return out


__all__ = ["CUSTOM_REPLICA", "CustomReplica", "add_replicas", "read_custom_replica"]
