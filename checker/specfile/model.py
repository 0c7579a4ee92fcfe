"""The spec: what each table must be, per environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from checker.model import EncLevel
from checker.specfile.settings import (
    AlarmPolicy,
    AlarmSpec,
    AutoscalingPolicy,
    BillingPolicy,
    GsiSpec,
    KeySpec,
    PolicyLimits,
    ReplicasPolicy,
    StreamsPolicy,
    TtlSpec,
)

if TYPE_CHECKING:
    from checker.waivers import Waiver

# The spec keys the audit reads with calls of its own (made, and granted by `tablespec
# permissions`, only where a table judges them): `Spec.judging`, `live.api.ApiCall.only_for`.
INSIGHTS_KEY: Final = "contributor_insights"
POLICY_KEY: Final = "resource_policy"
AUTOSCALING_KEY: Final = "capacity.autoscaling"


@dataclass(frozen=True)
class TableSpec:
    """Everything the spec says of one logical table."""

    name: str
    description: str
    hash_key: KeySpec
    range_key: KeySpec | None
    ttl: TtlSpec | None
    encryption: EncLevel
    pitr_required_in: tuple[str, ...]
    gsis: tuple[GsiSpec, ...]
    alarms: AlarmPolicy
    billing: BillingPolicy
    required_tags: tuple[str, ...]
    line: int | None = None
    deletion_protection_required_in: tuple[str, ...] = ()
    # The table's own name: a pattern without {table} or a literal (str), or one literal
    # per environment (dict); None: the spec's naming pattern.
    own_name: str | dict[str, str] | None = None
    # Streams: required where the policy says (None: not judged; False: the table has none).
    pitr_min_recovery_days: int | None = None  # where PITR is required (None: any)
    # On demand: the most request units a table and each index may allow (read, write);
    # None: not judged, or that dimension not judged.
    on_demand_max: tuple[int | None, int | None] | None = None
    autoscaling: AutoscalingPolicy | None = None  # None: not judged
    replicas: ReplicasPolicy | None = None  # None: not judged
    contributor_insights_required_in: tuple[str, ...] = ()
    resource_policy: PolicyLimits | None = None  # None: not judged
    streams: StreamsPolicy | bool | None = None
    table_classes: tuple[str, ...] | None = None  # the classes allowed (None: not judged)


@dataclass(frozen=True)
class Spec:
    """A whole spec file."""

    path: str
    project: str
    pattern: str
    environments: tuple[str, ...]
    tables: dict[str, TableSpec] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    environment_tag: str = "Environment"  # the tag that carries a table's environment
    # CloudFormation: the template parameter whose value is the stack's environment
    environment_parameter: str | None = None
    accounts: dict[str, str] = field(default_factory=dict)  # account id -> its environment
    # Terraform source: environment -> the variables files that make it (relative to a root)
    var_files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    workspaces: dict[str, str] = field(default_factory=dict)  # environment -> its workspace

    @classmethod
    def unread(cls, path: str) -> Spec:
        """The spec file *path* in the report of a run that could not be made, maybe because
        the file itself could not be read: no table, no environment."""
        return cls(path, "", "{table}", ())

    def judging(self) -> dict[str, frozenset[str]]:
        """Spec key -> the tables that judge it, for the keys the audit reads with calls of
        their own (made for those tables alone); keys no table judges are left out."""
        found = {
            INSIGHTS_KEY: frozenset(
                n for n, t in self.tables.items() if t.contributor_insights_required_in),
            POLICY_KEY: frozenset(
                n for n, t in self.tables.items() if t.resource_policy is not None and (
                    t.resource_policy.public is False or t.resource_policy.accounts is not None)),
            AUTOSCALING_KEY: frozenset(
                n for n, t in self.tables.items() if t.autoscaling is not None
                and t.autoscaling.required_in),
        }
        return {k: v for k, v in found.items() if v}


__all__ = ["AUTOSCALING_KEY", "INSIGHTS_KEY", "POLICY_KEY", "AlarmPolicy", "AlarmSpec",
           "AutoscalingPolicy", "BillingPolicy", "GsiSpec", "KeySpec", "PolicyLimits",
           "ReplicasPolicy", "Spec", "StreamsPolicy", "TableSpec", "TtlSpec"]
