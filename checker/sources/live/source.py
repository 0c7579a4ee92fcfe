"""The live source: DynamoDB tables of the audited account(s), read-only -> [TableState].

Per (account, region): ListTables (paginated); for each table that follows the spec's
naming pattern, DescribeTable, DescribeTimeToLive, DescribeContinuousBackups and
ListTagsOfResource (`tables`); CloudWatch DescribeAlarms once per region (paginated), tied
to tables by their TableName dimension here; KMS DescribeKey once per distinct key. The
replicas of a global table are read in their own regions the same way (`replicas`). All of
it on one bounded thread pool. Sources never judge: what could not be read is an explicit
Unknown, a failed call for exactly what it tells; at the run's deadline, what was read is
kept and the rest is unknown (`timeout`).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future

from checker.batch import Batch
from checker.errors import RunError
from checker.model import Alarm, EncLevel, Encryption
from checker.sources.alarms import attach
from checker.sources.live import mapping
from checker.sources.live.batches import Progress, RegionAudit, Selection, region_batch
from checker.sources.live.clients import Region, read
from checker.sources.live.faults import PlaceFault
from checker.sources.live.limits import Deadline
from checker.sources.live.pool import Pool
from checker.sources.live.replicas import MakeRegion, Replicas
from checker.sources.live.tables import Keys, Pending, Table, TableRead, named_only
from checker.unknown import Maybe, Unknown

__all__ = ["LiveSource", "Progress", "RegionAudit", "Selection", "named_only"]


def _alarms(region: Region) -> Maybe[list[Alarm]]:
    """Every metric alarm of the region that names a table, and every composite alarm."""
    pages = read(region, "cloudwatch", "DescribeAlarms", pages=True,
                 AlarmTypes=["MetricAlarm", "CompositeAlarm"], MaxRecords=100)
    if isinstance(pages, Unknown):
        return Unknown(f"alarms could not be read: {pages.reason}", pages.kind)
    out: list[Alarm] = []
    for page in pages:
        out += [mapping.alarm(raw, region.name) for raw in page["MetricAlarms"]
                if mapping.names_a_table(raw)]
        out += [mapping.composite(raw, region.name) for raw in page.get("CompositeAlarms") or []]
    return out


def _list(region: Region) -> list[str] | Unknown:
    """The table names; Unknown when they cannot be listed (PlaceFault: credentials refused)."""
    pages = read(region, "dynamodb", "ListTables", pages=True)
    if isinstance(pages, Unknown):
        return Unknown(f"cannot list the tables of {region.label}: {pages.reason}", pages.kind)
    return [name for page in pages for name in page["TableNames"]]


class LiveSource:
    """Reads every region on one bounded pool; `run` returns one RegionAudit per region.

    With *tolerant* (default: more than one region), a region whose tables cannot be listed
    is returned `unreadable`; otherwise it ends the run (RunError). Credentials refused end
    the run with *fatal_credentials* (default: not *tolerant*), and otherwise make that
    region, or that table, unknown. With *replica_region* (the clients of an account in
    another region), the replicas of global tables are read in their regions too, into the
    RegionAudit of the table that lists them (not in a region of *elsewhere*: another shard
    of the run reads its tables there). The deadline is the regions' (`Region.limits`).
    """

    def __init__(self, regions: list[Region], selection: Selection, workers: int,
                 progress: Progress | None = None, tolerant: bool | None = None,
                 replica_region: MakeRegion | None = None,
                 elsewhere: Sequence[str] = (), fatal_credentials: bool | None = None) -> None:
        self.regions = regions
        self.replica_region = replica_region
        self.elsewhere = elsewhere
        self.tolerant = len(regions) > 1 if tolerant is None else tolerant
        self.fatal_credentials = (not self.tolerant if fatal_credentials is None
                                  else fatal_credentials)
        self.deadline = regions[0].limits.deadline if regions else Deadline.never()
        self.selection = selection
        self.workers = max(1, workers)
        self.progress = progress or Progress()
        self._keys = Keys(self._key, self.deadline)
        self._closed = False  # the run has returned: a late worker reports no progress

    def _key(self, region: Region, arn: str) -> Encryption:
        """DescribeKey of this key (once: `Keys`): AWS managed or customer managed."""
        try:
            got = read(region, "kms", "DescribeKey", KeyId=arn)
            if isinstance(got, Unknown):  # KMS SSE is at least AWS managed either way
                return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, got)
            level = mapping.key_level(got["KeyMetadata"])
        except PlaceFault as fault:
            return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, Unknown(
                f"the KMS key {arn} could not be classified: {fault.message}", fault.kind))
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

    kind = "live"

    def read(self) -> list[Batch]:
        """Read every region (`run`): one batch each, in the order of the regions."""
        placer = self.selection.placer
        accounts = placer.spec.accounts if placer is not None else {}
        return [region_batch(a, accounts, self.selection.strict_names) for a in self.run()]

    def target(self, batches: Sequence[Batch]) -> str:
        """Every `account/region` of the run."""
        return ", ".join(b.where for b in batches)

    def run(self) -> list[RegionAudit]:
        """Read everything; RunError (exit 2) when a place cannot be read and that is fatal."""
        pool = Pool(self.workers)
        try:
            return self._run(pool)
        finally:  # past the deadline, calls still in flight are abandoned (daemon workers)
            self._closed = True
            pool.shutdown(wait=not self.deadline.passed())
            self.progress.close()

    def _names(self, audit: RegionAudit, listing: Future[list[str] | Unknown]) -> list[str]:
        """The tables listed in the audit's region; none when it could not be listed."""
        label = audit.region.label
        try:
            names = self.deadline.wait(listing)
        except PlaceFault as fault:  # credentials refused there
            if self.fatal_credentials:
                raise
            names = Unknown(f"cannot list the tables of {label}: {fault.message}", fault.kind)
        if names is None:
            names = self.deadline.unknown(f"the list of tables of {label}")
        if isinstance(names, Unknown) and not self.tolerant:
            raise RunError(names.reason)
        if isinstance(names, Unknown):
            audit.unreadable = names
            return []
        return names

    def _submit(self, pool: Pool, region: Region, name: str, attribute: str | None,
                limit: int, replica: bool = False,
                judged: frozenset[str] = frozenset()) -> Pending:
        reader = TableRead(region, name, attribute, limit, replica, self._keys, judged)
        return Pending(reader, pool.submit(self._stepped, reader))

    def _table(self, pending: Pending) -> Table:
        """A table of an audited region, as read by the deadline."""
        where = f"{pending.reader.name} in {pending.reader.region.label}"
        table, fault = pending.table(self.deadline, where)
        if fault is not None and self.fatal_credentials:
            raise fault
        return table

    def _run(self, pool: Pool) -> list[RegionAudit]:
        sel = self.selection
        listed = [pool.submit(_list, r) for r in self.regions]
        alarms = [pool.submit(_alarms, r) for r in self.regions]
        audits = [RegionAudit(r) for r in self.regions]
        jobs: list[list[Pending]] = []
        for audit, listing in zip(audits, listed, strict=True):
            chosen = self._selected(audit, self._names(audit, listing))
            self.progress.add(len(chosen))
            jobs.append([self._submit(pool, audit.region, name,
                                      sel.ttl_attributes.get(logical or ""), sel.sample_items,
                                      judged=sel.keys_of(logical))
                         for name, logical in chosen])
        tables = [[self._table(job) for job in region_jobs] for region_jobs in jobs]
        replicas = None
        if self.replica_region is not None:  # here, on the main thread: it makes clients
            replicas = Replicas(self.replica_region, self.regions, self.elsewhere)
            replicas.start(audits, tables, lambda r, name: self._submit(
                pool, r, name, None, 0, True, frozenset(sel.judging)),
                lambda r: pool.submit(_alarms, r),
                self.progress)
        for i, (audit, region_tables) in enumerate(zip(audits, tables, strict=True)):
            if not region_tables:  # nothing to tie alarms to (or the region was unreadable)
                continue
            found = self._found_alarms(alarms[i], audit.region)
            for t in region_tables:
                if t.state is None:
                    audit.gone.append(t.name)
                    continue
                if isinstance(found, Unknown):
                    t.state.alarms_incomplete = t.state.alarms_incomplete or found
                audit.states.append(t.state)
            if not isinstance(found, Unknown):
                attach(audit.states, found)
        if replicas is not None:
            replicas.finish(self.deadline)
        return audits

    def _found_alarms(self, job: Future[Maybe[list[Alarm]]],
                      region: Region) -> Maybe[list[Alarm]]:
        try:
            found = self.deadline.wait(job)
        except PlaceFault as fault:  # credentials refused by CloudWatch there
            if self.fatal_credentials:
                raise
            return Unknown(f"alarms could not be read: {fault.message}", fault.kind)
        return self.deadline.unknown(f"the alarms of {region.label}") if found is None else found

    def _stepped(self, reader: TableRead) -> TableRead:
        try:
            return reader.run()
        finally:
            if not self._closed:
                self.progress.step()
