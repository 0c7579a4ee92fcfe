"""The replicas of global tables, each read in its own region as any table is read there.

DescribeTable of a global table (version 2019.11.21) lists its replicas: `Table.Replicas`,
one `ReplicaDescription` each (`RegionName`, `ReplicaStatus`, ...). A replica in a region
the audit reads for that account anyway is read there, as a table of its own. Every other
one is read here, once, in its region, with the same calls: DescribeTable,
DescribeTimeToLive, DescribeContinuousBackups and ListTagsOfResource of the table there,
DescribeKey there for its KMS key (a replica has its own key, of its region), and
DescribeAlarms once per replica region (alarms are per region: one in another region does
not watch this replica). It becomes a TableState with `replica` and `region` set to its
region, in the RegionAudit of the table that lists it. A replica whose region cannot be read
(access denied, region not enabled, no connection) has every setting `Unknown`, with the
reason: it is never dropped, and it never ends the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.model import Alarm, TableState
from checker.sources.alarms import attach
from checker.sources.live.clients import Account, Region
from checker.sources.live.faults import PlaceFault
from checker.sources.live.limits import Deadline
from checker.sources.live.tables import Pending, Table, unread
from checker.unknown import Maybe, Unknown

if TYPE_CHECKING:
    from checker.sources.live.batches import Progress, RegionAudit

MakeRegion = Callable[[Account, str], Region]  # the guarded clients of an account elsewhere
ReadTable = Callable[[Region, str], Pending]  # a replica's four calls, submitted
ReadAlarms = Callable[[Region], "Future[Maybe[list[Alarm]]]"]


@dataclass
class _Job:
    audit: RegionAudit  # the table's: the replica's state goes there
    region: Region  # the replica's
    name: str
    status: str | None  # its ReplicaStatus
    read: Pending

    def state(self, deadline: Deadline) -> TableState:
        """The replica's state as read by the deadline."""
        where = f"the replica of {self.name} in {self.region.label}" + (
            f" (ReplicaStatus {self.status})" if self.status else "")
        got, _ = self.read.table(deadline, where)  # its region refused: it alone is unknown
        if got.state is None:
            return unread(self.region, self.name, Unknown(
                f"{where} is listed by DescribeTable, but DescribeTable there finds no such "
                "table (not created yet, or deleted)"), replica=True)
        return got.state


class Replicas:
    """The replicas of one run's tables: `start` once the tables are read (on the main
    thread: it makes the clients of the replica regions), `finish` after the tables."""

    def __init__(self, make_region: MakeRegion, audited: Iterable[Region],
                 elsewhere: Iterable[str] = ()) -> None:
        self._make = make_region
        self._audited = {(r.account.account_id, r.name) for r in audited}
        self._elsewhere = frozenset(elsewhere)  # regions other shards of the run audit
        self._regions: dict[tuple[str, str], Region] = {}
        self._alarms: dict[tuple[str, str], Future[Maybe[list[Alarm]]]] = {}
        self._jobs: list[_Job] = []

    def wanted(self, audits: Sequence[RegionAudit], tables: Sequence[Sequence[Table]]
               ) -> list[tuple[RegionAudit, str, str, str | None]]:
        """(audit, table name, replica region, ReplicaStatus) of each replica to read here:
        once each, not in a region this run reads for the account anyway."""
        seen: set[tuple[str, str, str]] = set()
        out = []
        for audit, region_tables in zip(audits, tables, strict=True):
            account = audit.region.account.account_id
            for table in region_tables:
                for where, status in table.replicas if table.state is not None else ():
                    key = (account, table.name, where)
                    if ((account, where) in self._audited or where in self._elsewhere
                            or key in seen):
                        continue  # its own region, one read anyway, or listed already
                    seen.add(key)
                    out.append((audit, table.name, where, status))
        return out

    def start(self, audits: Sequence[RegionAudit], tables: Sequence[Sequence[Table]],
              read_table: ReadTable, read_alarms: ReadAlarms, progress: Progress) -> None:
        """Submit the reads of every replica, and of the alarms of each replica region."""
        wanted = self.wanted(audits, tables)
        progress.add(len(wanted))
        for audit, table, where, status in wanted:
            account = audit.region.account
            key = (account.account_id, where)
            if key not in self._regions:
                self._regions[key] = region = self._make(account, where)
                self._alarms[key] = read_alarms(region)
            region = self._regions[key]
            self._jobs.append(_Job(audit, region, table, status, read_table(region, table)))

    def finish(self, deadline: Deadline) -> None:
        """Tie each region's alarms to its replicas, and add every replica to the
        RegionAudit of its table (what is read by the deadline)."""
        by_region: dict[tuple[str, str], list[TableState]] = {}
        for job in self._jobs:
            state = job.state(deadline)
            by_region.setdefault((job.region.account.account_id, job.region.name),
                                 []).append(state)
            job.audit.states.append(state)
        for key, replicas in by_region.items():
            try:
                found = deadline.wait(self._alarms[key])
            except PlaceFault as fault:  # credentials refused by CloudWatch there
                found = Unknown(fault.message, fault.kind)
            if found is None:
                found = deadline.unknown(f"the alarms of {replicas[0].region}")
            if isinstance(found, Unknown):
                for state in replicas:
                    state.alarms_incomplete = state.alarms_incomplete or found
            else:
                attach(replicas, found)
