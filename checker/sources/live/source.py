"""The live source: DynamoDB tables of the audited account(s), read-only -> [TableState].

Per (account, region): ListTables (paginated); for each table that follows the spec's
naming pattern, DescribeTable, DescribeTimeToLive, DescribeContinuousBackups and
ListTagsOfResource; CloudWatch DescribeAlarms once per region (paginated), tied to tables
by their TableName dimension here; KMS DescribeKey once per distinct key. The replicas of a
global table are read in their own regions the same way (`replicas`). All of it on one
bounded thread pool. Sources never judge: what could not be read is an explicit Unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from checker.errors import RunError
from checker.model import Alarm, EncLevel, Encryption, Maybe, TableState, Unknown
from checker.placement import Placer
from checker.sources.alarms import attach
from checker.sources.live import compat, mapping, ttlsample
from checker.sources.live.clients import PlaceFault, Region, TableGone, read
from checker.sources.live.replicas import MakeRegion, Replicas

PENDING = Unknown("the KMS key was not classified")


@dataclass(frozen=True)
class Selection:
    """Which tables to read, and what to sample."""

    placer: Placer | None  # None: every table listed (`spec init --live`, which has no spec)
    environment: str | None = None
    ttl_attributes: dict[str, str] = field(default_factory=dict)  # logical table -> attribute
    sample_items: int = 0


@dataclass
class RegionAudit:
    """What one (account, region) held."""

    region: Region
    states: list[TableState] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # not following the naming pattern
    strays: list[str] = field(default_factory=list)  # following it, not in the spec: unread
    other_envs: list[str] = field(default_factory=list)  # another environment than --env
    gone: list[str] = field(default_factory=list)  # deleted while the audit ran
    unreadable: Unknown | None = None  # why its tables could not even be listed


def named_only(region: Region, name: str) -> TableState:
    """A table known by its name alone (listed, not read: not a table of the spec)."""
    why = Unknown(f"{name} was not read: it is not a table of the spec")
    return TableState(name=name, resource=region.table_arn(name), source="live", hash_key=why,
                      range_key=why, billing_mode=why, read_capacity=why, write_capacity=why,
                      ttl=why, encryption=Encryption(EncLevel.AWS_OWNED,
                                                     EncLevel.CUSTOMER_MANAGED, why),
                      pitr=why, gsis=why, tags=why, account=region.account.account_id,
                      region=region.name)


class Progress:
    """Told about the work as it is found and done; silent by default."""

    def add(self, n: int) -> None:
        """*n* more tables to read."""

    def step(self) -> None:
        """One table read."""

    def close(self) -> None:
        """All done."""


@dataclass
class _Table:
    state: TableState | None  # None: deleted while the audit ran
    name: str
    key_arn: str | None = None
    replicas: tuple[tuple[str, str | None], ...] = ()  # (region, ReplicaStatus) it lists


def _alarms(region: Region) -> Maybe[list[Alarm]]:
    """Every metric alarm of the region that names a table, and every composite alarm."""
    pages = read(region, "cloudwatch", "DescribeAlarms", pages=True,
                 AlarmTypes=["MetricAlarm", "CompositeAlarm"],
                 PaginationConfig={"PageSize": 100})
    if isinstance(pages, Unknown):
        return Unknown(f"alarms could not be read: {pages.reason}", pages.kind)
    out: list[Alarm] = []
    for page in pages:
        out += [mapping.alarm(raw, region.name) for raw in page.get("MetricAlarms") or []
                if mapping.names_a_table(raw)]
        out += [mapping.composite(raw, region.name) for raw in page.get("CompositeAlarms") or []]
    return out


def _list(region: Region) -> list[str] | Unknown:
    """The table names; Unknown when refused; PlaceFault when the region cannot be reached."""
    pages = read(region, "dynamodb", "ListTables", pages=True)
    if isinstance(pages, Unknown):
        return Unknown(f"cannot list the tables of {region.label}: {pages.reason}", pages.kind)
    return [name for page in pages for name in page.get("TableNames", [])]


def _table(region: Region, name: str, sample_attribute: str | None, limit: int,
           replica: bool = False) -> _Table:
    """Read one table with its four calls (five with sampling); with *replica*, the replica
    of a global table in *region* (read even while it is being deleted)."""
    try:
        resp = read(region, "dynamodb", "DescribeTable", table_call=True, TableName=name)
        desc: Maybe[dict[str, Any]] = resp if isinstance(resp, Unknown) else resp["Table"]
        if isinstance(desc, dict) and desc.get("TableStatus") == "DELETING" and not replica:
            return _Table(None, name)
        arn = desc.get("TableArn") if isinstance(desc, dict) else None
        arn = arn or region.table_arn(name)
        ttl = read(region, "dynamodb", "DescribeTimeToLive", table_call=True, TableName=name)
        pitr = read(region, "dynamodb", "DescribeContinuousBackups", table_call=True,
                    TableName=name)
        tags = read(region, "dynamodb", "ListTagsOfResource", pages=True, table_call=True,
                    ResourceArn=arn)
        samples = None
        if sample_attribute and limit > 0:
            samples = ttlsample.sample(region, name, mapping.key_names(desc), sample_attribute,
                                       limit)
    except TableGone:
        return _Table(None, name)
    hash_key, range_key = mapping.keys(desc)
    read_cap, write_cap = mapping.capacity(desc)
    encryption = mapping.sse(desc)
    deletion = desc.get("DeletionProtectionEnabled") if isinstance(desc, dict) else desc
    state = TableState(
        name=name,
        resource=arn,
        source="live",
        hash_key=hash_key,
        range_key=range_key,
        billing_mode=mapping.billing_mode(desc),
        read_capacity=read_cap,
        write_capacity=write_cap,
        ttl=mapping.ttl(ttl),
        encryption=encryption if isinstance(encryption, Encryption) else Encryption(
            EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, PENDING),
        pitr=mapping.pitr(pitr),
        gsis=mapping.gsis(desc),
        tags=mapping.tags(tags),
        deletion_protection=deletion,
        account=region.account.account_id,
        region=region.name,
        ttl_samples=samples,
        replica=region.name if replica else None,
    )
    return _Table(state, name, encryption if isinstance(encryption, str) else None,
                  mapping.replicas(desc))


class LiveSource:
    """Reads every region on one bounded pool; `run` returns one RegionAudit per region.

    A region whose tables cannot be listed ends the run when it is the only place read;
    with *tolerant* (default: more than one region), it is returned `unreadable`. With
    *replica_region* (the clients of an account in another region), the replicas of global
    tables are read in their regions too, into the RegionAudit of the table that lists them
    (not in a region of *elsewhere*: another shard of the run reads its tables there).
    """

    def __init__(self, regions: list[Region], selection: Selection, workers: int,
                 progress: Progress | None = None, tolerant: bool | None = None,
                 replica_region: MakeRegion | None = None,
                 elsewhere: Sequence[str] = ()) -> None:
        self.regions = regions
        self.replica_region = replica_region
        self.elsewhere = elsewhere
        self.tolerant = len(regions) > 1 if tolerant is None else tolerant
        self.selection = selection
        self.workers = max(1, workers)
        self.progress = progress or Progress()
        self._aliases: dict[str, frozenset[str]] = {}
        self._alias_lock = threading.Lock()

    def _alias_targets(self, region: Region) -> frozenset[str]:
        """The key behind alias/aws/dynamodb in *region* (ListAliases once per region).

        Only with the moto workaround (see compat). A set: moto, creating tables
        concurrently, can leave that alias on several keys.
        """
        with self._alias_lock:
            if region.label not in self._aliases:
                pages = read(region, "kms", "ListAliases", pages=True)
                targets: frozenset[str] = frozenset()
                if not isinstance(pages, Unknown):
                    targets = frozenset(str(a["TargetKeyId"]) for p in pages
                                        for a in p.get("Aliases", [])
                                        if a.get("AliasName") == compat.DYNAMODB_ALIAS
                                        and a.get("TargetKeyId"))
                self._aliases[region.label] = targets
            return self._aliases[region.label]

    def _key(self, region: Region, arn: str) -> Encryption:
        """DescribeKey once for this key: AWS managed or customer managed."""
        got = read(region, "kms", "DescribeKey", KeyId=arn)
        if isinstance(got, Unknown):  # KMS SSE is at least AWS managed either way
            return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, got)
        meta = got["KeyMetadata"]
        level = mapping.key_level(meta, frozenset())
        if level is EncLevel.CUSTOMER_MANAGED and compat.enabled():
            level = mapping.key_level(meta, self._alias_targets(region))
        return Encryption.exact(level, arn)

    def _selected(self, audit: RegionAudit, names: list[str]) -> list[tuple[str, str | None]]:
        """(table name, logical table) of the listed tables to read; the others counted.

        A table of the spec is read; with --env, not when its name or account already
        tells another environment (a tag can only be read). A table that follows the
        naming but is not in the spec is kept by name only: its name is all there is to
        judge, and reading it would need permissions on it. Without a placer (spec init,
        before there is a spec), every table is read.
        """
        placer = self.selection.placer
        if placer is None:
            return [(name, None) for name in names]
        out: list[tuple[str, str | None]] = []
        account = audit.region.account.account_id
        for name in names:
            place = placer.place_name(name, account)
            if not place.follows_pattern:
                audit.outside.append(name)
            elif self.selection.environment not in (None, place.environment) and (
                    place.environment is not None):
                audit.other_envs.append(name)
            elif place.logical is None or place.logical not in placer.spec.tables:
                audit.strays.append(name)
            else:
                out.append((name, place.logical))
        return out

    def run(self) -> list[RegionAudit]:
        """Read everything; RunError (exit 2) when the one region cannot be read at all."""
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="tablespec")
        try:
            return self._run(pool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self.progress.close()

    def _run(self, pool: ThreadPoolExecutor) -> list[RegionAudit]:
        sel = self.selection
        listed = [pool.submit(_list, r) for r in self.regions]
        alarms = [pool.submit(_alarms, r) for r in self.regions]
        audits = [RegionAudit(r) for r in self.regions]
        jobs: list[list[Future[_Table]]] = []
        for audit, listing in zip(audits, listed, strict=True):
            try:
                names = listing.result()
            except PlaceFault as fault:  # one place of several: it is reported, not fatal
                if not self.tolerant:
                    raise
                names = Unknown(f"cannot list the tables of {audit.region.label}: "
                                f"{fault.message}", fault.kind)
            if isinstance(names, Unknown) and not self.tolerant:
                raise RunError(names.reason)
            if isinstance(names, Unknown):
                audit.unreadable = names
                names = []
            chosen = self._selected(audit, names)
            self.progress.add(len(chosen))
            jobs.append([pool.submit(self._stepped, _table, audit.region, name,
                                     sel.ttl_attributes.get(logical or ""), sel.sample_items)
                         for name, logical in chosen])
        tables = [[job.result() for job in region_jobs] for region_jobs in jobs]
        replicas = None
        if self.replica_region is not None:  # here, on the main thread: it makes clients
            replicas = Replicas(self.replica_region, self.regions, self.elsewhere)
            replicas.start(audits, tables, lambda r, name: pool.submit(
                self._stepped, _table, r, name, None, 0, True), lambda r: pool.submit(_alarms, r),
                self.progress)
        distinct = dict.fromkeys((i, t.key_arn) for i, region_tables in enumerate(tables)
                                 for t in region_tables if t.key_arn and t.state is not None)
        keys = {(i, arn): pool.submit(self._key, audits[i].region, arn) for i, arn in distinct}
        for i, (audit, region_tables) in enumerate(zip(audits, tables, strict=True)):
            if not region_tables:  # nothing to tie alarms to (or the region was unreadable)
                continue
            try:
                found = alarms[i].result()
            except PlaceFault as fault:  # CloudWatch unreachable there: its alarms unknown
                if not self.tolerant:
                    raise
                found = Unknown(fault.message, fault.kind)
            for t in region_tables:
                if t.state is None:
                    audit.gone.append(t.name)
                    continue
                if t.key_arn is not None:
                    t.state.encryption = keys[(i, t.key_arn)].result()
                if isinstance(found, Unknown):
                    t.state.alarms_incomplete = found
                audit.states.append(t.state)
            if not isinstance(found, Unknown):
                attach(audit.states, found)
        if replicas is not None:
            replicas.finish(lambda r, arn: pool.submit(self._key, r, arn))
        return audits

    def _stepped(self, fn: Callable[..., _Table], *args: Any) -> _Table:
        try:
            return fn(*args)
        finally:
            self.progress.step()
