"""AWS::DynamoDB::Table -> TableState: the one meaning of each table property in
CloudFormation.

`read_table` takes a table's Properties with every intrinsic function evaluated (values,
or an `Unknown` where only deploy decides, perhaps knowing the values it can only be), and
decides nothing else: CloudFormation's defaults stand where a property is left out
(billing PROVISIONED, no TTL, PITR off, the AWS owned key, no deletion protection, no
stream, class STANDARD, no Contributor Insights, no resource policy). A value that is not
of the property's type is `invalid_value`, never taken as on.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.iam.document import Attached, Policy, parse_policy
from checker.model import (
    NO_MAXIMUM,
    RECOVERY_DAYS_DEFAULT,
    TABLE_CLASS_DEFAULT,
    TTL_OFF,
    EncLevel,
    Encryption,
    Gsi,
    Key,
    Location,
    OnDemandMax,
    TableState,
    Ttl,
    by_name,
)
from checker.sources.cfn.props import items, member, pairs, required, strings
from checker.sources.cfn.typed import flag, integer
from checker.sources.kms import classify_key_arn
from checker.sources.typed import string, wrong_type
from checker.unknown import Maybe, Unknown, invalid

TABLE = "AWS::DynamoDB::Table"
# Resource types whose Ref / Arn / KeyId is a customer managed key (or a customer's alias).
CUSTOMER_KEYS = {"AWS::KMS::Key": ("Ref", "Arn", "KeyId"),
                 "AWS::KMS::ReplicaKey": ("Ref", "Arn", "KeyId"),
                 "AWS::KMS::Alias": ("Ref",)}
Types = Maybe[dict[str, Maybe[str | None]]]


def _types(props: object, at: Callable[[str], str]) -> Types:
    """Attribute name -> its declared type (AttributeDefinitions)."""
    found = items(member(props, "AttributeDefinitions", at("")), at("AttributeDefinitions"))
    if isinstance(found, Unknown):
        return found
    out: dict[str, Maybe[str | None]] = {}
    for i, item in enumerate(found):
        spot = at(f"AttributeDefinitions[{i}]")
        name = required(string(member(item, "AttributeName", spot), spot), spot)
        if isinstance(name, Unknown):
            return name
        out[name] = required(string(member(item, "AttributeType", spot), spot), spot)
    return out


def _keys(schema: object, where: str, types: Types) -> tuple[Maybe[Key], Maybe[Key | None]]:
    """(hash key, range key) of a KeySchema."""
    found = items(schema, where)
    if isinstance(found, Unknown):
        return Key(found, found), found
    keys: dict[str, Maybe[Key]] = {}
    for i, item in enumerate(found):
        spot = f"{where}[{i}]"
        kind = string(member(item, "KeyType", spot), spot)
        name = required(string(member(item, "AttributeName", spot), spot), spot)
        if isinstance(kind, Unknown):
            return Key(kind, kind), kind
        key = Key(name, name) if isinstance(name, Unknown) else Key(
            name, types if isinstance(types, Unknown) else types.get(name))
        keys[str(kind)] = key
    hash_key = keys.get("HASH", invalid(f"{where} names no HASH key"))
    return hash_key, keys.get("RANGE")


def _ttl(props: object, where: str) -> Maybe[Ttl]:
    spec = member(props, "TimeToLiveSpecification", where)
    if spec is None:
        return TTL_OFF
    enabled = flag(member(spec, "Enabled", where), f"{where}.Enabled")
    attribute = string(member(spec, "AttributeName", where), f"{where}.AttributeName")
    if isinstance(enabled, Unknown):
        return enabled
    if isinstance(attribute, Unknown):
        return attribute if enabled else Ttl(False, None)
    return Ttl(bool(enabled), attribute or None)


def _pitr(props: object, where: str) -> tuple[Maybe[bool], Maybe[int | None]]:
    """(PITR on, its recovery period where on: unset is 35)."""
    spec = member(props, "PointInTimeRecoverySpecification", where)
    on = flag(member(spec, "PointInTimeRecoveryEnabled", where),
              f"{where}.PointInTimeRecoveryEnabled")
    on = False if on is None else on
    if on is False:
        return False, None
    days = integer(member(spec, "RecoveryPeriodInDays", where), f"{where}.RecoveryPeriodInDays")
    if isinstance(on, Unknown):
        return on, Unknown(on.reason, on.kind, origin=on.origin)
    return on, RECOVERY_DAYS_DEFAULT if days is None else days


def _encryption(props: object, where: str) -> Encryption:
    """SSESpecification: off (or left out) is the AWS owned key; on without a key, the AWS
    managed one; a key of the template, an alias the customer made or a key ARN, customer
    managed."""
    spec = member(props, "SSESpecification", where)
    enabled = flag(member(spec, "SSEEnabled", where), f"{where}.SSEEnabled")
    if enabled is None or enabled is False:
        return Encryption.exact(EncLevel.AWS_OWNED)
    key = member(spec, "KMSMasterKeyId", where)
    if isinstance(enabled, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, enabled)
    if key is None or key == "":
        return Encryption.exact(EncLevel.AWS_MANAGED)
    if isinstance(key, str):
        return Encryption.exact(classify_key_arn(key), key)
    if isinstance(key, Unknown):
        origin = key.origin
        if origin is not None and origin.attr in CUSTOMER_KEYS.get(origin.type, ()):
            return Encryption.exact(EncLevel.CUSTOMER_MANAGED, key)
        return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, key)
    return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED,
                      wrong_type(f"{where}.KMSMasterKeyId", key, "a key id, ARN or alias"))


def _stream(props: object, where: str) -> Maybe[str | None]:
    spec = member(props, "StreamSpecification", where)
    if spec is None:
        return None
    view = string(member(spec, "StreamViewType", where), f"{where}.StreamViewType")
    return invalid(f"{where}.StreamViewType is not set") if view is None else view


def on_demand_max(props: object, where: str) -> Maybe[OnDemandMax]:
    """OnDemandThroughput of a table or index (left out, or a unit -1: no maximum)."""
    spec = member(props, "OnDemandThroughput", where)
    if spec is None:
        return NO_MAXIMUM
    units: list[int | None] = []
    for name in ("MaxReadRequestUnits", "MaxWriteRequestUnits"):
        unit = integer(member(spec, name, where), f"{where}.{name}")
        if isinstance(unit, Unknown):
            return Unknown(unit.reason, unit.kind, origin=unit.origin)
        units.append(unit)
    return OnDemandMax.of(*units)


def _throughput(props: object, where: str) -> tuple[Maybe[int | None], Maybe[int | None]]:
    spec = member(props, "ProvisionedThroughput", where)
    return (integer(member(spec, "ReadCapacityUnits", where), f"{where}.ReadCapacityUnits"),
            integer(member(spec, "WriteCapacityUnits", where), f"{where}.WriteCapacityUnits"))


def _gsis(props: object, where: str, types: Types) -> Maybe[tuple[Gsi, ...]]:
    found = items(member(props, "GlobalSecondaryIndexes", where),
                   f"{where}.GlobalSecondaryIndexes")
    if isinstance(found, Unknown):
        return found
    out = []
    for i, item in enumerate(found):
        spot = f"{where}.GlobalSecondaryIndexes[{i}]"
        hash_key, range_key = _keys(member(item, "KeySchema", spot), f"{spot}.KeySchema", types)
        projection = member(item, "Projection", spot)
        non_key = items(member(projection, "NonKeyAttributes", spot),
                         f"{spot}.Projection.NonKeyAttributes")
        read, write = _throughput(item, spot)
        out.append(Gsi(
            name=required(string(member(item, "IndexName", spot), spot), f"{spot}.IndexName"),
            hash_key=hash_key if isinstance(hash_key, Key) else Key(hash_key, hash_key),
            range_key=range_key,
            projection=required(string(member(projection, "ProjectionType", spot), spot),
                                 f"{spot}.Projection.ProjectionType"),
            non_key_attributes=non_key if isinstance(non_key, Unknown) else strings(
                non_key, f"{spot}.Projection.NonKeyAttributes"),
            read_capacity=read, write_capacity=write,
            on_demand_max=on_demand_max(item, spot)))
    return tuple(sorted(out, key=by_name))


def tags(value: object, where: str) -> Maybe[dict[str, Maybe[str]]]:
    """A Tags list of {Key, Value} (left out: none)."""
    return pairs(value, where, "Key", "Value")


def _policies(props: object, where: str) -> Maybe[tuple[Attached, ...]]:
    """ResourcePolicy of the table, and of its stream (StreamSpecification.ResourcePolicy)."""
    out: list[Attached] = []
    stream = member(props, "StreamSpecification", where)
    for on, holder, spot in (("table", props, where),
                             ("stream", stream, f"{where}.StreamSpecification")):
        policy = member(holder, "ResourcePolicy", spot)
        if policy is None:
            continue
        if isinstance(policy, Unknown) and not policy.possible:
            return policy  # whether it has a policy at all is not known
        doc = member(policy, "PolicyDocument", f"{spot}.ResourcePolicy")
        document: Policy | Unknown
        if doc is None:
            document = invalid(f"{spot}.ResourcePolicy.PolicyDocument is not set")
        elif isinstance(doc, Unknown):
            document = doc if doc.decoded is None else parse_policy(doc.decoded)
        else:
            document = parse_policy(doc)
        out.append(Attached("stream" if on == "stream" else "table",
                            f"{spot}.ResourcePolicy", document))
    return tuple(out)


def read_table(props: object, logical: str, location: Location) -> TableState:
    """The TableState of one AWS::DynamoDB::Table, from its evaluated Properties."""
    where = f"{logical}.Properties"
    types = _types(props, lambda p: f"{where}.{p}" if p else where)
    hash_key, range_key = _keys(member(props, "KeySchema", where), f"{where}.KeySchema", types)
    name = string(member(props, "TableName", where), f"{where}.TableName")
    billing = string(member(props, "BillingMode", where), f"{where}.BillingMode")
    protection = flag(member(props, "DeletionProtectionEnabled", where),
                      f"{where}.DeletionProtectionEnabled")
    pitr, days = _pitr(props, where)
    read, write = _throughput(props, where)
    insights = flag(member(member(props, "ContributorInsightsSpecification", where),
                           "Enabled", where), f"{where}.ContributorInsightsSpecification")
    table_class = string(member(props, "TableClass", where), f"{where}.TableClass")
    return TableState(
        name=Unknown(f"{where}.TableName is not set: CloudFormation names the table at "
                     "deploy") if name is None else name,
        resource=logical,
        source="cfn",
        hash_key=hash_key if isinstance(hash_key, Key) else Key(hash_key, hash_key),
        range_key=range_key,
        billing_mode="PROVISIONED" if billing is None else billing,
        read_capacity=read,
        write_capacity=write,
        ttl=_ttl(props, where),
        encryption=_encryption(props, where),
        pitr=pitr,
        pitr_recovery_days=days,
        gsis=_gsis(props, where, types),
        tags=tags(member(props, "Tags", where), f"{where}.Tags"),
        deletion_protection=False if protection is None else protection,
        location=location,
        on_demand_max=on_demand_max(props, where),
        stream=_stream(props, where),
        table_class=TABLE_CLASS_DEFAULT if table_class is None else table_class,
        contributor_insights=False if insights is None else insights,
        resource_policies=_policies(props, where),
        replica_regions=(),
    )

