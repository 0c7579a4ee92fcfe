"""The parts of a table's spec: its keys, indexes, TTL and alarms, and each setting's policy
(where it is required, and within which bounds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeySpec:
    """A required key attribute."""

    name: str
    type: str

    def describe(self) -> str:
        """`name (T)`."""
        return f"{self.name} ({self.type})"


@dataclass(frozen=True)
class TtlSpec:
    """TTL must be enabled on *attribute*; *horizon_hours* bounds sampled values."""

    attribute: str
    horizon_hours: float | None = None
    slack_hours: float = 0.0


@dataclass(frozen=True)
class GsiSpec:
    """A required global secondary index."""

    name: str
    hash_key: KeySpec
    range_key: KeySpec | None
    projection: str
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlarmSpec:
    """A required CloudWatch alarm on one table metric."""

    metric: str
    namespace: str
    statistic: str
    comparison: str
    threshold: float
    period: int
    evaluation_periods: int
    action_required: bool


@dataclass(frozen=True)
class AlarmPolicy:
    """Which alarms each table needs, and where they are required."""

    required_in: tuple[str, ...]
    metrics: tuple[AlarmSpec, ...]


@dataclass(frozen=True)
class BillingPolicy:
    """Allowed billing modes and the least provisioned capacity."""

    modes: tuple[str, ...]
    min_capacity: int = 1


@dataclass(frozen=True)
class StreamsPolicy:
    """Where a table must have a stream, and of which view type (None: any)."""

    required_in: tuple[str, ...]
    view_type: str | None = None


@dataclass(frozen=True)
class ReplicasPolicy:
    """Where a table must be a global table, in which regions (and, with *only*, no other)."""

    required_in: tuple[str, ...]
    regions: tuple[str, ...]
    only: bool = False


@dataclass(frozen=True)
class AutoscalingPolicy:
    """Where a provisioned table (and each index) must scale, within which bounds (None:
    that bound not judged)."""

    required_in: tuple[str, ...]
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class PolicyLimits:
    """What a table's resource-based policies may grant: public access or not (None: not
    judged), and the accounts (besides the table's own) and organization a principal may
    be in (accounts None: not judged)."""

    public: bool | None = None
    accounts: tuple[str, ...] | None = None
    organization: str | None = None


__all__ = ["AlarmPolicy", "AlarmSpec", "AutoscalingPolicy", "BillingPolicy", "GsiSpec",
           "KeySpec", "PolicyLimits", "ReplicasPolicy", "StreamsPolicy", "TtlSpec"]
