"""The table settings the spec's later keys judge, from DescribeTable (the stream, the
table class, the on-demand maximum), DescribeContinuousBackups (PITR's recovery period),
DescribeContributorInsights, GetResourcePolicy and DescribeScalableTargets: pure
functions, as in `mapping`, each given a response or the Unknown of a call not made."""

from __future__ import annotations

from typing import Any

from checker.iam.document import Attached, parse_policy
from checker.model import (
    NO_MAXIMUM,
    RECOVERY_DAYS_DEFAULT,
    SCALABLE_DIMENSIONS,
    TABLE_CLASS_DEFAULT,
    OnDemandMax,
    Scaling,
    ScalingKey,
)
from checker.sources.typed import boolean, string, whole
from checker.unknown import Maybe, Unknown


def on_demand_max(described: Maybe[dict[str, Any]]) -> Maybe[OnDemandMax]:
    """OnDemandThroughput of a table or index description: its maximum request units
    (absent, or -1: no maximum)."""
    if isinstance(described, Unknown):
        return described
    found = described.get("OnDemandThroughput")
    if found is None:
        return NO_MAXIMUM
    if not isinstance(found, dict):
        return Unknown("DescribeTable: OnDemandThroughput is not an object")
    units: list[int | None] = []
    for name in ("MaxReadRequestUnits", "MaxWriteRequestUnits"):
        unit = whole(found.get(name), f"DescribeTable: {name}")
        if isinstance(unit, Unknown):
            return unit
        units.append(unit)
    return OnDemandMax.of(*units)


def stream(desc: Maybe[dict[str, Any]]) -> Maybe[str | None]:
    """StreamSpecification -> the stream's view type; None when the table has none."""
    if isinstance(desc, Unknown):
        return desc
    spec = desc.get("StreamSpecification")
    if spec is None:
        return None
    if not isinstance(spec, dict):
        return Unknown("DescribeTable: StreamSpecification is not an object")
    enabled = boolean(spec.get("StreamEnabled"), "DescribeTable: StreamEnabled")
    if isinstance(enabled, Unknown):
        return enabled
    if not enabled:
        return None
    view = string(spec.get("StreamViewType"), "DescribeTable: StreamViewType")
    return Unknown("DescribeTable: a stream without StreamViewType") if view in (
        None, "") else view


def table_class(desc: Maybe[dict[str, Any]]) -> Maybe[str]:
    """TableClassSummary.TableClass; a table that never set one has none: STANDARD."""
    if isinstance(desc, Unknown):
        return desc
    summary = desc.get("TableClassSummary")
    if summary is None:
        return "STANDARD"
    if not isinstance(summary, dict):
        return Unknown("DescribeTable: TableClassSummary is not an object")
    found = string(summary.get("TableClass"), "DescribeTable: TableClass")
    return TABLE_CLASS_DEFAULT if found in (None, "") else found


def recovery_days(resp: Maybe[dict[str, Any]]) -> Maybe[int | None]:
    """DescribeContinuousBackups -> PITR's recovery period where it is on (35 where the
    response names none, as before the period could be set); None where it is off."""
    if isinstance(resp, Unknown):
        return resp
    backups = resp.get("ContinuousBackupsDescription") or {}
    recovery = backups.get("PointInTimeRecoveryDescription") or {}
    if recovery.get("PointInTimeRecoveryStatus") != "ENABLED":
        return None
    days = whole((backups.get("PointInTimeRecoveryDescription") or {}).get(
        "RecoveryPeriodInDays"), "DescribeContinuousBackups: RecoveryPeriodInDays")
    return RECOVERY_DAYS_DEFAULT if days is None else days


def insights(resp: Maybe[dict[str, Any]]) -> Maybe[bool]:
    """DescribeContributorInsights -> on (ENABLED, or ENABLING) or off."""
    if isinstance(resp, Unknown):
        return resp
    status = string(resp.get("ContributorInsightsStatus"),
                    "DescribeContributorInsights: ContributorInsightsStatus")
    if isinstance(status, Unknown):
        return status
    return status in ("ENABLED", "ENABLING")


TABLE_POLICY = "GetResourcePolicy"  # the answers' keys: of the table, of its stream
STREAM_POLICY = "GetResourcePolicy (stream)"


def stream_arn(desc: Maybe[dict[str, Any]]) -> Maybe[str | None]:
    """The table's stream (LatestStreamArn): None where it has none."""
    if isinstance(desc, Unknown):
        return desc
    return string(desc.get("LatestStreamArn"), "DescribeTable: LatestStreamArn")


def policies(desc: Maybe[dict[str, Any]], got: dict[str, Any],
             missing: Unknown) -> Maybe[tuple[Attached, ...]]:
    """GetResourcePolicy of the table and of its stream -> the policies attached (an
    answer of None: no policy); unknown when either could not be read."""
    out: list[Attached] = []
    stream = stream_arn(desc)
    if isinstance(stream, Unknown):
        return stream
    asked = (("table", TABLE_POLICY), *((("stream", STREAM_POLICY),) if stream else ()))
    for on, key in asked:
        resp = got.get(key, missing)
        if isinstance(resp, Unknown):
            return resp.but(f"the {on}'s resource policy: {resp.reason}")
        if resp is not None:
            out.append(Attached(on, f"GetResourcePolicy of the {on}",
                                parse_policy(resp.get("Policy"))))
    return tuple(out)


def scaling(pages: Maybe[list[dict[str, Any]]], table: str) -> Maybe[dict[ScalingKey, Scaling]]:
    """DescribeScalableTargets (the region's, every page) -> the targets of *table* and of
    its indexes, by (index, dim)."""
    if isinstance(pages, Unknown):
        return pages.but(f"the region's scalable targets: {pages.reason}")
    out: dict[ScalingKey, Scaling] = {}
    for page in pages:
        for target in page["ScalableTargets"]:
            resource, dimension = target["ResourceId"], target["ScalableDimension"]
            if target["ServiceNamespace"] != "dynamodb" or dimension not in SCALABLE_DIMENSIONS:
                continue
            on_index, dim = SCALABLE_DIMENSIONS[dimension]
            name, _, index = resource.removeprefix("table/").partition("/index/")
            if resource.startswith("table/") and name == table and bool(index) == on_index:
                out[(index or None, dim)] = Scaling(target["MinCapacity"],
                                                    target["MaxCapacity"],
                                                    f"DescribeScalableTargets: {resource}")
    return out
