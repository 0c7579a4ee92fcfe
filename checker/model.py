"""The normalised table model every source produces and every rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple, TypeAlias

from checker.unknown import NOT_READ, Maybe, Unknown, is_unknown

if TYPE_CHECKING:
    from checker.iam.document import Attached

RECOVERY_DAYS_DEFAULT: Final = 35  # PITR's recovery period where none is set, as AWS keeps
TABLE_CLASS_DEFAULT: Final = "STANDARD"  # the class of a table that sets none, as AWS makes it


class EncLevel(IntEnum):
    """Server-side encryption levels, weakest first."""

    AWS_OWNED = 0
    AWS_MANAGED = 1
    CUSTOMER_MANAGED = 2

    @property
    def label(self) -> str:
        """The spelling used in specs and reports."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Encryption:
    """What is known of a table's encryption: a range of possible levels."""

    low: EncLevel
    high: EncLevel
    key_arn: Maybe[str | None] = None

    @classmethod
    def exact(cls, level: EncLevel, key_arn: Maybe[str | None] = None) -> Encryption:
        """An encryption level known exactly."""
        return cls(level, level, key_arn)

    @property
    def known(self) -> bool:
        """True when only one level is possible."""
        return self.low == self.high

    def describe(self) -> str:
        """Human spelling: one level or a range."""
        if self.known:
            return self.low.label
        return f"{self.low.label}..{self.high.label} (key not known)"


@dataclass(frozen=True, slots=True)
class Key:
    """A key attribute: name and DynamoDB scalar type (S, N or B)."""

    name: Maybe[str]
    type: Maybe[str | None]

    def describe(self) -> str:
        """`name (T)` with unknown parts spelled out."""
        name = "unknown" if is_unknown(self.name) else self.name
        typ = "?" if is_unknown(self.type) else (self.type or "undeclared")
        return f"{name} ({typ})"


@dataclass(frozen=True, slots=True)
class Ttl:
    """Time to live: enabled flag and attribute."""

    enabled: Maybe[bool]
    attribute: Maybe[str | None]


TTL_OFF: Final = Ttl(enabled=False, attribute=None)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a thing was declared or read from."""

    file: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class InlineSkip:
    """A skip comment inside a resource block, as written: `#checkov:skip=ID:reason`, or
    `#tablespec:skip=ID@REGION:reason` for the findings of that region only."""

    id: str  # as written: a tablespec rule id, a Checkov id, or another tool's id
    reason: str
    location: Location = field(default_factory=Location)
    region: str | None = None  # only the findings of this region (a replica's); None: all


@dataclass(frozen=True, slots=True)
class Gsi:
    """A global secondary index."""

    name: Maybe[str]
    hash_key: Key
    range_key: Maybe[Key | None]
    projection: Maybe[str]
    non_key_attributes: Maybe[tuple[str, ...]] = ()
    read_capacity: Maybe[int | None] = None
    write_capacity: Maybe[int | None] = None
    # On demand: the most read and write request units it may use (None: no maximum).
    on_demand_max: Maybe[OnDemandMax] = field(default_factory=lambda: NOT_READ)


class OnDemandMax(NamedTuple):
    """An on-demand table's or index's maximum throughput; None where it sets none."""

    read: int | None
    write: int | None

    @classmethod
    def of(cls, read: int | None, write: int | None) -> OnDemandMax:
        """The maximum as AWS and Terraform write it: unset, or -1, is no maximum."""
        return cls(*(None if unit is None or unit < 0 else unit for unit in (read, write)))


NO_MAXIMUM: Final = OnDemandMax(None, None)


class Scaling(NamedTuple):
    """One scalable target (Application Auto Scaling) of a table or an index: its bounds,
    and where it is declared or read."""

    min: Maybe[int]
    max: Maybe[int]
    where: str


# A table's scalable targets by (index name, None for the table itself; "read" or "write").
ScalingKey: TypeAlias = tuple[str | None, str]
# Application Auto Scaling's dimensions of DynamoDB -> (of an index, "read" or "write").
SCALABLE_DIMENSIONS: Final = {
    f"dynamodb:{kind}:{unit}CapacityUnits": (kind == "index", unit.lower())
    for kind in ("table", "index") for unit in ("Read", "Write")}


def by_name(gsi: Gsi) -> tuple[bool, str]:
    """The order indexes are listed in: by name, those whose name is not known last."""
    return (isinstance(gsi.name, Unknown), str(gsi.name))


class AlarmKind(StrEnum):
    """What an alarm evaluates."""

    METRIC = "metric"  # one metric: namespace, name, dimensions
    MATH = "math"  # metric math over several metrics (`metric_query` / `Metrics`)
    COMPOSITE = "composite"  # a rule over other alarms


@dataclass(frozen=True, slots=True)
class MetricStat:
    """One metric a metric-math alarm reads."""

    namespace: Maybe[str | None]
    metric: Maybe[str | None]
    dimensions: Maybe[dict[str, Maybe[str]]]


@dataclass(frozen=True, slots=True)
class Alarm:
    """A CloudWatch alarm that names a table: in its dimensions, in a metric of its metric
    math, or (composite) through the alarms its rule reads. Which of them watch the table's
    metric stream is the rules' to decide."""

    name: Maybe[str]
    resource: str
    namespace: Maybe[str | None]
    metric: Maybe[str | None]
    statistic: Maybe[str | None]
    comparison: Maybe[str | None]
    threshold: Maybe[float | None]
    period: Maybe[int | None]
    evaluation_periods: Maybe[int | None]
    dimensions: Maybe[dict[str, Maybe[str]]]
    # As written: an element is a string (an ARN, or not one) or Unknown; an Unknown whose
    # origin is a resource's `arn` is an action whose ARN is known after apply.
    actions: Maybe[tuple[Maybe[str], ...]]
    actions_enabled: Maybe[bool]
    location: Location = field(default_factory=Location)
    # Where each attribute is written (`threshold`, `alarm_actions`...): sources that read
    # Terraform source fill it; findings about a field point there.
    field_locations: dict[str, Location] = field(default_factory=dict)
    skips: tuple[InlineSkip, ...] = ()
    kind: AlarmKind = AlarmKind.METRIC
    metrics: tuple[MetricStat, ...] = ()  # MATH: the metrics it reads
    children: Maybe[tuple[str, ...]] = ()  # COMPOSITE: the alarm names its rule reads
    region: str | None = None  # the region it is in; None where the source cannot tell
    # Terraform: the provider configuration it uses (`aws`, `aws.west`, as the source keys
    # it): two resources of one configuration share a region, known or not.
    provider: str | None = None


class TtlKind(StrEnum):
    """What a sampled item's TTL attribute holds."""

    SECONDS = "seconds"  # a Number of epoch seconds
    MILLISECONDS = "milliseconds"  # a Number too large for seconds: milliseconds (or finer)
    MISSING = "missing"  # no TTL attribute
    WRONG_TYPE = "wrong_type"  # not a Number (a String, a Map...), or a Number that is not one


@dataclass(frozen=True, slots=True)
class TtlSample:
    """One sampled item's TTL attribute, typed by the source: no judgement."""

    key: str  # the item's key, e.g. "playerId=p1, sessionId=s1"
    kind: TtlKind
    epoch: float | None = None  # the Number read, in epoch seconds (SECONDS only)
    shown: str = ""  # the value as read, for messages: `N 1767225600`, `S "1767..."`, `missing`


@dataclass(frozen=True, slots=True)
class TtlSamples:
    """Items read from a table to check its TTL values (`audit --sample-items`)."""

    attribute: str
    taken_at: float  # epoch seconds when the items were read
    items: tuple[TtlSample, ...]


@dataclass(slots=True)
class TableState:
    """One DynamoDB table as a source sees it, normalised."""

    name: Maybe[str]
    resource: str
    source: str
    hash_key: Maybe[Key]
    range_key: Maybe[Key | None]
    billing_mode: Maybe[str | None]
    read_capacity: Maybe[int | None]
    write_capacity: Maybe[int | None]
    ttl: Maybe[Ttl]
    encryption: Encryption
    pitr: Maybe[bool]
    gsis: Maybe[tuple[Gsi, ...]]
    tags: Maybe[dict[str, Maybe[str]]]
    deletion_protection: Maybe[bool | None] = None
    alarms: list[Alarm] = field(default_factory=list)
    # Set when the source could not tie every alarm to its table (or read alarms at all):
    # the list above may then be incomplete.
    alarms_incomplete: Unknown | None = None
    location: Location = field(default_factory=Location)
    account: str | None = None
    region: str | None = None
    # TTL values read from the table (live source with --sample-items); None: not sampled.
    ttl_samples: Maybe[TtlSamples] | None = None
    # Where each attribute or block is written, keyed by its Terraform path
    # (`point_in_time_recovery`, `point_in_time_recovery.enabled`,
    # `global_secondary_index.PlayerIdIndex`, `tags`...); filled by sources that read
    # Terraform source. A finding about a field points at its longest written prefix.
    field_locations: dict[str, Location] = field(default_factory=dict)
    skips: tuple[InlineSkip, ...] = ()
    # The name the table had before this change (a plan renaming it, or replacing one
    # for_each/count instance of a resource by another): a rename is then told apart.
    previous_name: str | None = None
    # A replica of a global table, held to the spec as the same logical table in its own
    # region: what tells it apart from the table and its other replicas (its region, or
    # `replica[i]` where the region is not known). None: the table itself.
    replica: str | None = None
    # Terraform: the provider configuration it uses (see Alarm.provider).
    provider: str | None = None
    on_demand_max: Maybe[OnDemandMax] = field(default_factory=lambda: NOT_READ)
    # A global table's replicas: the regions they are in, besides the table's own (none:
    # not a global table). Set on the table itself, not on its replicas.
    replica_regions: Maybe[tuple[str, ...]] = field(default_factory=lambda: NOT_READ)
    # CloudWatch Contributor Insights on the table (not on an index).
    contributor_insights: Maybe[bool] = field(default_factory=lambda: NOT_READ)
    # Application Auto Scaling's targets of the table and its indexes (none: not scaled).
    scaling: Maybe[dict[ScalingKey, Scaling]] = field(default_factory=lambda: NOT_READ)
    # The resource-based policies of the table and of its stream (none: no policy).
    resource_policies: Maybe[tuple[Attached, ...]] = field(default_factory=lambda: NOT_READ)
    # PITR's recovery period in days where PITR is on (AWS's default: 35); None where off.
    pitr_recovery_days: Maybe[int | None] = field(default_factory=lambda: NOT_READ)
    # The stream's view type (NEW_AND_OLD_IMAGES...); None: the table has no stream.
    stream: Maybe[str | None] = field(default_factory=lambda: NOT_READ)
    # The table class (STANDARD, STANDARD_INFREQUENT_ACCESS); AWS's default is STANDARD.
    table_class: Maybe[str] = field(default_factory=lambda: NOT_READ)
