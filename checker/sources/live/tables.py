"""One table's calls, kept as they come back, and the TableState they make.

DescribeTable (then DescribeKey for its KMS key, once per distinct key: `Keys`),
DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource (and Scan with
`--sample-items`), one after the other on a worker. Each answer, or the Unknown that stands
for a call that failed, is kept as it comes: at the run's deadline the main thread makes the
table of what was read, every call not answered yet standing for what it hides.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from checker.model import EncLevel, Encryption, TableState
from checker.sources.live import api, mapping, settings, ttlsample
from checker.sources.live.clients import Region, TableGone, read
from checker.sources.live.faults import NO_POLICY, PlaceFault
from checker.sources.live.limits import Deadline
from checker.unknown import NOT_READ, Maybe, Unknown

ANSWERED = Unknown("every call was answered")  # the *missing* of a read that ended
Classify = Callable[[Region, str], Encryption]  # DescribeKey of a key in a region


def unread(region: Region, name: str, why: Unknown, replica: bool = False) -> TableState:
    """Table *name* in *region*, which could not be read at all: every setting *why*."""
    return TableState(name=name, resource=region.table_arn(name), source="live", hash_key=why,
                      range_key=why, billing_mode=why, read_capacity=why, write_capacity=why,
                      ttl=why, encryption=Encryption(EncLevel.AWS_OWNED,
                                                     EncLevel.CUSTOMER_MANAGED, why),
                      pitr=why, gsis=why, tags=why, deletion_protection=why,
                      alarms_incomplete=why, account=region.account.account_id,
                      region=region.name, replica=region.name if replica else None,
                      stream=why, table_class=why, pitr_recovery_days=why,
                      on_demand_max=why, replica_regions=why, contributor_insights=why,
                      resource_policies=why, scaling=why)


def named_only(region: Region, name: str) -> TableState:
    """A table known by its name alone (listed, not read: not a table of the spec)."""
    why = Unknown(f"{name} was not read: it is not a table of the spec")
    return TableState(name=name, resource=region.table_arn(name), source="live", hash_key=why,
                      range_key=why, billing_mode=why, read_capacity=why, write_capacity=why,
                      ttl=why, encryption=Encryption(EncLevel.AWS_OWNED,
                                                     EncLevel.CUSTOMER_MANAGED, why),
                      pitr=why, gsis=why, tags=why, account=region.account.account_id,
                      region=region.name)


class Keys:
    """DescribeKey once per distinct key of a region, made by the first table that asks;
    the others wait for it (by the deadline)."""

    def __init__(self, classify: Classify, deadline: Deadline) -> None:
        self._classify = classify
        self._deadline = deadline
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, str], Future[Encryption]] = {}

    def __call__(self, region: Region, arn: str) -> Encryption:
        with self._lock:
            job = self._keys.get((region.label, arn))
            mine = job is None
            if job is None:
                job = self._keys[(region.label, arn)] = Future()
        if mine:
            try:
                job.set_result(self._classify(region, arn))
            except BaseException as err:
                job.set_exception(err)
                raise
        got = self._deadline.wait(job)
        return got if got is not None else Encryption(
            EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED,
            self._deadline.unknown(f"the KMS key {arn}"))


@dataclass
class Table:
    """A table as read: None when it was deleted while the audit ran."""

    state: TableState | None
    name: str
    replicas: tuple[tuple[str, str | None], ...] = ()  # (region, ReplicaStatus) it lists


class TableRead:
    """The calls about table *name* in *region*; with *replica*, the replica of a global
    table there (read even while it is being deleted)."""

    def __init__(self, region: Region, name: str, sample_attribute: str | None = None,
                 limit: int = 0, replica: bool = False, keys: Classify | None = None,
                 judged: frozenset[str] = frozenset()) -> None:
        self.region = region
        self.judged = judged  # the spec keys judged here that need calls of their own
        self.keys = keys
        self.name = name
        self.sample_attribute = sample_attribute if limit > 0 else None
        self.limit = limit
        self.replica = replica
        self.answers: dict[str, Any] = {}  # operation -> its answer (or Unknown)
        self.gone = False
        self.fault: PlaceFault | None = None  # credentials refused: nothing more is asked

    def run(self) -> TableRead:
        """Make the calls (on a worker)."""
        try:
            self._calls()
        except TableGone:
            self.gone = True
        except PlaceFault as fault:
            self.fault = fault
        return self

    def _calls(self) -> None:
        region, name, got = self.region, self.name, self.answers
        resp = read(region, "dynamodb", "DescribeTable", table_call=True, TableName=name)
        desc: Maybe[dict[str, Any]] = resp if isinstance(resp, Unknown) else resp["Table"]
        if isinstance(desc, dict) and desc["TableStatus"] == "DELETING" and not self.replica:
            self.gone = True
            return
        got["DescribeTable"] = desc
        key = mapping.sse(desc)
        if isinstance(key, str) and self.keys is not None:
            got["DescribeKey"] = self.keys(region, key)
        got["DescribeTimeToLive"] = read(region, "dynamodb", "DescribeTimeToLive",
                                         table_call=True, TableName=name)
        got["DescribeContinuousBackups"] = read(region, "dynamodb", "DescribeContinuousBackups",
                                                table_call=True, TableName=name)
        got["ListTagsOfResource"] = read(region, "dynamodb", "ListTagsOfResource", pages=True,
                                         table_call=True, ResourceArn=self._arn(desc))
        if api.INSIGHTS_KEY in self.judged:
            got["DescribeContributorInsights"] = read(
                region, "dynamodb", "DescribeContributorInsights", table_call=True,
                TableName=name)
        if api.POLICY_KEY in self.judged:
            self._policies(desc)
        if api.AUTOSCALING_KEY in self.judged:
            got["DescribeScalableTargets"] = region.shared.once(
                "DescribeScalableTargets", lambda: read(
                    region, "application-autoscaling", "DescribeScalableTargets", pages=True,
                    ServiceNamespace="dynamodb"))
        if self.sample_attribute:
            got["Scan"] = ttlsample.sample(region, name, mapping.key_names(desc),
                                           self.sample_attribute, self.limit)

    def _policies(self, desc: Maybe[dict[str, Any]]) -> None:
        """GetResourcePolicy of the table, and of its stream where it has one."""
        for key, arn in ((settings.TABLE_POLICY, self._arn(desc)),
                         (settings.STREAM_POLICY, settings.stream_arn(desc))):
            if isinstance(arn, str):
                self.answers[key] = read(
                    self.region, "dynamodb", "GetResourcePolicy", absent=NO_POLICY,
                    table_call=key == settings.TABLE_POLICY, ResourceArn=arn)

    def _arn(self, desc: Maybe[dict[str, Any]]) -> str:
        arn = desc.get("TableArn") if isinstance(desc, dict) else None
        return str(arn or self.region.table_arn(self.name))

    def table(self, missing: Unknown = ANSWERED) -> Table:
        """The table as read so far; each call not answered stands as *missing*."""
        region, name = self.region, self.name
        if self.gone:
            return Table(None, name)
        got = dict(self.answers)  # a worker may still be adding to it (at the deadline)
        if self.fault is not None and "DescribeTable" not in got:
            return Table(unread(region, name, missing, self.replica), name)
        desc = got.get("DescribeTable", missing)
        hash_key, range_key = mapping.keys(desc)
        read_cap, write_cap = mapping.capacity(desc)
        encryption = mapping.sse(desc)
        if isinstance(encryption, str):  # a KMS key: AWS or customer managed
            encryption = got.get("DescribeKey", Encryption(
                EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, missing))
        samples = got.get("Scan", missing) if self.sample_attribute else None
        state = TableState(
            name=name,
            resource=self._arn(desc),
            source="live",
            hash_key=hash_key,
            range_key=range_key,
            billing_mode=mapping.billing_mode(desc),
            read_capacity=read_cap,
            write_capacity=write_cap,
            ttl=mapping.ttl(got.get("DescribeTimeToLive", missing)),
            encryption=encryption,
            pitr=mapping.pitr(got.get("DescribeContinuousBackups", missing)),
            pitr_recovery_days=settings.recovery_days(got.get("DescribeContinuousBackups",
                                                              missing)),
            gsis=mapping.gsis(desc),
            tags=mapping.tags(got.get("ListTagsOfResource", missing)),
            deletion_protection=desc.get("DeletionProtectionEnabled") if isinstance(
                desc, dict) else desc,
            account=region.account.account_id,
            region=region.name,
            ttl_samples=samples,
            replica=region.name if self.replica else None,
            stream=settings.stream(desc),
            on_demand_max=settings.on_demand_max(desc),
            contributor_insights=settings.insights(got.get(
                "DescribeContributorInsights", missing)) if api.INSIGHTS_KEY in self.judged
            else NOT_READ,
            resource_policies=settings.policies(desc, got, missing)
            if api.POLICY_KEY in self.judged else NOT_READ,
            scaling=settings.scaling(got.get("DescribeScalableTargets", missing), name)
            if api.AUTOSCALING_KEY in self.judged else NOT_READ,
            table_class=settings.table_class(desc),
        )
        state.replica_regions = desc if isinstance(desc, Unknown) else tuple(sorted(
            {r for r, _ in mapping.replicas(desc)} - {region.name}))
        return Table(state, name, mapping.replicas(desc))


@dataclass
class Pending:
    """A table being read on the pool: its calls as they come back, and the job."""

    reader: TableRead
    job: Future[TableRead]

    def table(self, deadline: Deadline, where: str) -> tuple[Table, PlaceFault | None]:
        """The table as read by the deadline, and the credentials fault that stopped it."""
        reader = self.reader
        if deadline.wait(self.job) is None:
            return reader.table(deadline.unknown(where)), None
        fault = reader.fault
        if fault is None:
            return reader.table(), None
        return reader.table(Unknown(f"{where} could not be read: {fault.message}",
                                    fault.kind)), fault
