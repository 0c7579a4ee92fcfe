"""AWS::DynamoDB::GlobalTable -> one TableState per replica, each held to the spec in its
own region, through the same reading as AWS::DynamoDB::Table (`table.read_table`).

A global table's properties are split: the keys, indexes, billing, TTL, stream and whether
it is encrypted are the table's; point-in-time recovery, deletion protection, the class,
tags, Contributor Insights, the resource policies, the read capacity (or maximum) and the
KMS key are each replica's (`Replicas`). Each replica is read as a table made of both.
The replica in the stack's region (`--region`) is the table itself; where that region is
not given, every replica is read as a replica, and the table itself from what they all
share (what differs between them is unknown there).
"""

from __future__ import annotations

from typing import Any

from checker.model import Location, Scaling, ScalingKey, TableState
from checker.sources.cfn.parameters import STACK_REGION
from checker.sources.cfn.props import items, member
from checker.sources.cfn.table import read_table
from checker.sources.cfn.typed import integer
from checker.sources.typed import string
from checker.unknown import Unknown

# The table's own properties, as AWS::DynamoDB::Table names them.
SHARED = ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode",
          "TimeToLiveSpecification", "StreamSpecification")
# Each replica's own properties that AWS::DynamoDB::Table has under the same name.
OWN = ("PointInTimeRecoverySpecification", "DeletionProtectionEnabled", "TableClass", "Tags",
       "ContributorInsightsSpecification", "ResourcePolicy")


def _settings(value: object, key: str, where: str) -> tuple[object, object]:
    """(units, autoscaling min) of a Read/WriteProvisionedThroughputSettings."""
    units = member(value, f"{key}CapacityUnits", where)
    scaling = member(value, f"{key}CapacityAutoScalingSettings", where)
    return units, member(scaling, "MinCapacity", where)


def _bounds(settings: object, key: str, where: str) -> Scaling | None:
    """The autoscaling bounds a throughput setting declares (CloudFormation registers the
    scalable target), or None."""
    scaling = member(settings, f"{key}CapacityAutoScalingSettings", where)
    if scaling is None:
        return None
    low, high = (integer(member(scaling, n, where), f"{where}.{n}") for n in
                 ("MinCapacity", "MaxCapacity"))
    return Scaling(low if low is not None else Unknown(f"{where}.MinCapacity is not set"),
                   high if high is not None else Unknown(f"{where}.MaxCapacity is not set"),
                   where)


def _as_table(props: object, replica: object, where: str) -> dict[str, Any]:
    """One replica as the properties of a table."""
    table: dict[str, Any] = {k: member(props, k, where) for k in SHARED}
    table.update({k: member(replica, k, where) for k in OWN})
    sse = member(props, "SSESpecification", where)
    table["SSESpecification"] = {"SSEEnabled": member(sse, "SSEEnabled", where),
                                 "KMSMasterKeyId": member(member(
                                     replica, "SSESpecification", where), "KMSMasterKeyId",
                                     where)}
    stream = table["StreamSpecification"]
    policy = member(member(replica, "ReplicaStreamSpecification", where), "ResourcePolicy",
                    where)
    if isinstance(stream, dict) and policy is not None:
        table["StreamSpecification"] = {**stream, "ResourcePolicy": policy}
    write = member(props, "WriteProvisionedThroughputSettings", where)
    read = member(replica, "ReadProvisionedThroughputSettings", where)
    read_units, read_min = _settings(read, "Read", where)
    table["ProvisionedThroughput"] = {
        "ReadCapacityUnits": read_units if read_units is not None else read_min,
        "WriteCapacityUnits": _settings(write, "Write", where)[1]}
    table["OnDemandThroughput"] = {
        "MaxReadRequestUnits": member(member(replica, "ReadOnDemandThroughputSettings", where),
                                      "MaxReadRequestUnits", where),
        "MaxWriteRequestUnits": member(member(props, "WriteOnDemandThroughputSettings", where),
                                       "MaxWriteRequestUnits", where)}
    table["GlobalSecondaryIndexes"] = _indexes(props, replica, where)
    return table


def _indexes(props: object, replica: object, where: str) -> object:
    """The table's indexes, each with this replica's read settings."""
    found = items(member(props, "GlobalSecondaryIndexes", where), f"{where}.GSIs")
    if isinstance(found, Unknown):
        return found
    own = items(member(replica, "GlobalSecondaryIndexes", where), f"{where}.replica GSIs")
    by_name = {} if isinstance(own, Unknown) else {
        member(i, "IndexName", where): i for i in own}
    out = []
    for index in found:
        mine = by_name.get(member(index, "IndexName", where))
        read_units, read_min = _settings(member(mine, "ReadProvisionedThroughputSettings",
                                                where), "Read", where)
        out.append({
            **(index if isinstance(index, dict) else {}),
            "ProvisionedThroughput": {
                "ReadCapacityUnits": read_units if read_units is not None else read_min,
                "WriteCapacityUnits": _settings(member(
                    index, "WriteProvisionedThroughputSettings", where), "Write", where)[1]},
            "OnDemandThroughput": {
                "MaxReadRequestUnits": member(member(mine, "ReadOnDemandThroughputSettings",
                                                     where), "MaxReadRequestUnits", where),
                "MaxWriteRequestUnits": member(member(
                    index, "WriteOnDemandThroughputSettings", where), "MaxWriteRequestUnits",
                    where)}})
    return out


def _scaling(props: object, replica: object, where: str) -> dict[ScalingKey, Scaling]:
    """The scalable targets CloudFormation registers for a replica: its read, the table's
    write, and each index's."""
    out: dict[ScalingKey, Scaling] = {}
    pairs: list[tuple[str | None, object, object]] = [
        (None, member(replica, "ReadProvisionedThroughputSettings", where),
         member(props, "WriteProvisionedThroughputSettings", where))]
    indexes = items(member(props, "GlobalSecondaryIndexes", where), where)
    own = items(member(replica, "GlobalSecondaryIndexes", where), where)
    by_name = {} if isinstance(own, Unknown) else {member(i, "IndexName", where): i
                                                    for i in own}
    for index in [] if isinstance(indexes, Unknown) else indexes:
        name = member(index, "IndexName", where)
        if isinstance(name, str):
            pairs.append((name, member(by_name.get(name), "ReadProvisionedThroughputSettings",
                                       where),
                          member(index, "WriteProvisionedThroughputSettings", where)))
    for index_name, read, write in pairs:
        for dim, settings, key in (("read", read, "Read"), ("write", write, "Write")):
            bounds = _bounds(settings, key, where)
            if bounds is not None:
                out[(index_name, dim)] = bounds
    return out


def read_global_table(props: object, logical: str, location: Location,
                      region: str | None) -> list[TableState]:
    """A state per replica (the one in *region*, the stack's, is the table itself)."""
    where = f"{logical}.Properties"
    replicas = items(member(props, "Replicas", where), f"{where}.Replicas")
    if isinstance(replicas, Unknown) or not replicas:
        state = read_table(_as_table(props, None, where), logical, location)
        why = replicas if isinstance(replicas, Unknown) else Unknown(
            f"{where}.Replicas is empty (CloudFormation requires one)")
        state.replica_regions = why
        return [state]
    regions = [string(member(r, "Region", where), f"{where}.Replicas.Region") for r in replicas]
    home = next((i for i, at in enumerate(regions) if _stack_region(at, region)), None)
    states: list[TableState] = []
    for i, (replica, at) in enumerate(zip(replicas, regions, strict=True)):
        state = read_table(_as_table(props, replica, where), logical, location)
        state.scaling = _scaling(props, replica, where)
        state.region = at if isinstance(at, str) else None
        mine = i == home
        state.replica = None if mine else (at if isinstance(at, str) else f"replica[{i}]")
        state.replica_regions = tuple(r for j, r in enumerate(regions) if isinstance(r, str)
                                      and j != i) if mine else ()
        states.append(state)
    if home is None:  # the table itself: what every replica shares
        table = read_table(_as_table(props, _shared(replicas, where), where), logical,
                           location)
        table.scaling = Unknown(f"{logical}: the stack's region is not given (--region)")
        known = [r for r in regions if isinstance(r, str)]
        table.replica_regions = tuple(known) if len(known) == len(regions) else Unknown(
            f"{where}.Replicas: a replica's Region is not known")
        states.insert(0, table)
    return states


def _stack_region(at: object, region: str | None) -> bool:
    """Whether a replica's Region is the stack's own: the region given, or `Ref AWS::Region`
    where none is given."""
    if region is not None:
        return at == region
    return isinstance(at, Unknown) and at.origin == STACK_REGION


def _shared(replicas: list[object], where: str) -> dict[str, Any]:
    """The replica settings every replica has alike; the others unknown."""
    out: dict[str, Any] = {}
    for key in (*OWN, "SSESpecification", "ReadProvisionedThroughputSettings",
                "ReadOnDemandThroughputSettings", "GlobalSecondaryIndexes",
                "ReplicaStreamSpecification"):
        values = [member(r, key, where) for r in replicas]
        first = values[0]
        out[key] = first if all(v == first for v in values[1:]) else Unknown(
            f"{where}.Replicas: {key} differs between the replicas, and the stack's region "
            "is not given (--region)")
    return out
