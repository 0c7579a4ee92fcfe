"""The drafts of the spec's later table keys: PITR's recovery period, the on-demand
maximum, a global table's regions, streams, the table class and the resource policies
(see `tables`)."""

from __future__ import annotations

from checker.drafter.common import Notes, Seen, at
from checker.drafter.settle import (
    CapacityVal,
    ClassesVal,
    PitrVal,
    TableDraft,
    envs_where,
    flag,
    todo_unknown,
)
from checker.iam.access import outsiders, public
from checker.iam.document import Policy, named_accounts
from checker.model import RECOVERY_DAYS_DEFAULT, OnDemandMax
from checker.specfile.model import AutoscalingPolicy, PolicyLimits, ReplicasPolicy, StreamsPolicy
from checker.specfile.schema import TABLE_CLASSES
from checker.unknown import NOT_READ, Unknown


def pitr(items: list[Seen], path: str, notes: Notes) -> tuple[str, ...] | PitrVal:
    """Where every table has PITR on, and the least recovery period there when it is below
    AWS's 35 days."""
    envs = envs_where(items, lambda s: flag(s.state, "pitr"), "PITR", path, notes)
    days = [s.state.pitr_recovery_days for s in items if s.env in envs]
    known = [d for d in days if isinstance(d, int)]
    if envs and known and len(known) == len(days) and min(known) < RECOVERY_DAYS_DEFAULT:
        return PitrVal(envs, min(known))
    return envs


def capacity(items: list[Seen], path: str, notes: Notes) -> CapacityVal | None:
    """The on-demand maximum and the autoscaling seen (nothing of either where none is)."""
    most = _capacity_max(items)
    scaling = _autoscaling(items, path, notes)
    if most is None and scaling is None:
        return None
    return CapacityVal(most[0] if most else None, most[1] if most else None, scaling)


def _autoscaling(items: list[Seen], path: str, notes: Notes) -> AutoscalingPolicy | None:
    """Where every provisioned table scales its table and index capacity, and the widest
    bounds seen there (nothing where no provisioned table does, or targets are not read:
    `spec init --live` does not ask)."""
    def scales(s: Seen) -> bool | Unknown:
        found = s.state.scaling
        if found is NOT_READ or s.state.billing_mode != "PROVISIONED":
            return found is not NOT_READ and s.state.billing_mode == "PAY_PER_REQUEST"
        if isinstance(found, Unknown):
            return found
        gsis = s.state.gsis
        indexes = [g.name for g in gsis] if isinstance(gsis, tuple) else [None]
        return all((i, d) in found for i in (None, *indexes) for d in ("read", "write"))

    envs = tuple(e for e in envs_where(items, scales, "autoscaling", path, notes)
                 if any(s.env == e and s.state.billing_mode == "PROVISIONED" for s in items))
    bounds = [b for s in items if s.env in envs and isinstance(s.state.scaling, dict)
              for b in s.state.scaling.values()]
    lows = [b.min for b in bounds if isinstance(b.min, int)]
    highs = [b.max for b in bounds if isinstance(b.max, int)]
    if not envs or not bounds or len(lows) != len(bounds) or len(highs) != len(bounds):
        return None
    return AutoscalingPolicy(envs, min(lows), max(highs))


def _capacity_max(items: list[Seen]) -> tuple[int, int] | None:
    """The highest on-demand maximum seen, where every on-demand table and index sets one
    (nothing where one does not, or where one is not known)."""
    caps: list[object] = []
    for s in items:
        if s.state.billing_mode != "PAY_PER_REQUEST":
            continue
        gsis = s.state.gsis
        caps += [s.state.on_demand_max, *(g.on_demand_max for g in gsis)] if isinstance(
            gsis, tuple) else [gsis]
    known = [c for c in caps if isinstance(c, OnDemandMax) and None not in c]
    if not caps or len(known) != len(caps):
        return None
    return max(c.read or 0 for c in known), max(c.write or 0 for c in known)


def replicas(items: list[Seen], path: str, notes: Notes) -> ReplicasPolicy | None:
    """Where every table is a global table, and the regions every one of them is in (the
    tables themselves: their replicas are judged with them)."""
    tables = [s for s in items if s.state.replica is None]
    envs = envs_where(tables, lambda s: s.state.replica_regions if isinstance(
        s.state.replica_regions, Unknown) else bool(s.state.replica_regions),
        "replicas", path, notes)
    shared: set[str] | None = None
    for s in tables:
        if s.env not in envs:
            continue
        others = s.state.replica_regions
        if s.state.region is None or isinstance(others, Unknown):
            notes.add(path, f"TODO: the region of {s.name} is not known")
            return None
        regions = {s.state.region, *others}
        shared = regions if shared is None else shared & regions
    return ReplicasPolicy(envs, tuple(sorted(shared))) if envs and shared else None


def streams(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    """Where every table has a stream, and their view type when they all share one."""
    path = at(t.name, "streams")
    envs = envs_where(items, lambda s: s.state.stream if isinstance(
        s.state.stream, Unknown) else s.state.stream is not None, "stream", path, notes)
    views = {s.state.stream for s in items if s.env in envs}
    view = next(iter(views)) if len(views) == 1 else None
    t.policies["streams"] = StreamsPolicy(envs, view if isinstance(view, str) else None) \
        if envs else None


def table_class(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    """The table classes seen (AWS's default, STANDARD, where none is set)."""
    path = at(t.name, "table_class")
    seen = set()
    for s in items:
        found = s.state.table_class
        if isinstance(found, Unknown):
            todo_unknown(s, "table class", found, path, notes)
        elif found in TABLE_CLASSES:
            seen.add(found)
        else:
            notes.add(path, f"TODO: the table class of {s.name} is {found!r}")
    t.policies["table_class"] = ClassesVal(tuple(c for c in TABLE_CLASSES if c in seen)) \
        if seen else None


def resource_policy(items: list[Seen], path: str, notes: Notes) -> PolicyLimits | None:
    """Not public, and the accounts the policies name, where every table's policies are
    known and none is public (nothing where they are not read: `spec init --live` does not
    ask). Accounts are left out where the policies grant others than those they name."""
    docs: list[Policy] = []
    for s in items:
        found = s.state.resource_policies
        if found is NOT_READ:
            return None
        if isinstance(found, Unknown):
            todo_unknown(s, "resource policies", found, path, notes)
            return None
        for attached in found:
            if isinstance(attached.document, Unknown):
                todo_unknown(s, f"the {attached.on}'s resource policy", attached.document,
                             path, notes)
                return None
            docs.append(attached.document)
    if any(public(d).status != "ok" for d in docs):
        notes.add(path, "TODO: a resource policy is public, or may be: decide whether it "
                  "should be")
        return None
    accounts = frozenset().union(*(named_accounts(d) for d in docs))
    if any(outsiders(d, accounts, None, None).status != "ok" for d in docs):
        notes.add(path, "TODO: the resource policies grant principals other than accounts "
                  "(an organization, federated users): list the accounts allowed")
        return PolicyLimits(public=False)
    return PolicyLimits(public=False, accounts=tuple(sorted(accounts)))
