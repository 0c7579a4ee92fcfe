"""`audit --security-hub`: the run's findings into Security Hub, the audit's only write.

Each (account, region) of the report is imported with that account's own credentials (the
default product only takes findings of the calling account): the caller's, the member role
of `--role-arn`, or a shard's. There the former run's findings are read once (GetFindings,
bounded), the run's findings imported 100 a call (adaptive retries on throttling), and a
former finding this run no longer makes, in a place it read whole, re-imported ARCHIVED: its
table is gone (or the rule no longer applies). A finding Security Hub refuses, or a place it
cannot be written in, is a note, never dropped in silence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from checker.engine import UNPLACED
from checker.findings import Finding, Note, NoteKind
from checker.report.common import about_place, repo_path
from checker.report.model import Report
from checker.securityhub.asff import (
    GENERATOR_PREFIX,
    Place,
    archived,
    asff,
    finding_id,
    place_of,
    product_arn,
)
from checker.sources.live import api
from checker.sources.live.faults import error_code
from checker.sources.live.limits import DEFAULT, Deadline, Limits

BATCH = 100  # findings per BatchImportFindings call, the API's most
SHOWN_FAILURES = 3
NOT_ENABLED = ("InvalidAccessException", "ResourceNotFoundException")  # no hub there


@dataclass
class Tally:
    """What the import did, per run."""

    imported: int = 0
    archived: int = 0
    places: int = 0
    notes: list[Note] = field(default_factory=list)

    def failed(self, message: str) -> None:
        """Findings that did not reach Security Hub."""
        self.notes.append(Note(NoteKind.SECURITY_HUB_FAILED, f"Security Hub: {message}"))


def _client(session: boto3.Session, region: str, limits: Limits) -> Any:
    """A Security Hub client that may call only the two operations of the import."""
    config = Config(retries={"mode": "adaptive", "total_max_attempts": max(limits.attempts, 5)},
                    connect_timeout=limits.connect_timeout, read_timeout=limits.read_timeout)
    client = session.client("securityhub", region_name=region, config=config)
    api.guard(client, api.security_hub_calls())
    return client


def _read_whole(report: Report) -> set[tuple[str, str]]:
    """The (account, region) places the run read whole: in its scope, with no finding about
    the place itself (an account or region that could not be read)."""
    scope = {(s.get("account", ""), s.get("region", "")) for s in report.scope}
    unread = {(p.account, p.region) for f in report.findings if about_place(f)
              for p in [place_of(f)] if p is not None}
    return scope - unread


def _home(earlier: Mapping[str, Any]) -> str | None:
    """The region a former finding was imported in (a hub that aggregates holds others)."""
    resources = earlier.get("Resources") or [{}]
    region = resources[0].get("Region") or earlier.get("Region")
    return region if isinstance(region, str) else None


def _earlier(client: Any, place: Place, max_pages: int) -> Iterator[dict[str, Any]]:
    """The active findings tablespec imported before in *place*; filtered here too, since a
    hub may answer with more (an aggregating region, an emulator ignoring filters)."""
    arn = product_arn(place)
    filters = {"ProductArn": [{"Value": arn, "Comparison": "EQUALS"}],
               "GeneratorId": [{"Value": GENERATOR_PREFIX, "Comparison": "PREFIX"}],
               "AwsAccountId": [{"Value": place.account, "Comparison": "EQUALS"}],
               "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]}
    token: str | None = None
    for _ in range(max_pages):
        page = client.get_findings(Filters=filters, MaxResults=100,
                                   **({"NextToken": token} if token else {}))
        for item in page.get("Findings", []):
            if (isinstance(item.get("Id"), str) and item.get("ProductArn") == arn
                    and item.get("RecordState", "ACTIVE") == "ACTIVE"
                    and str(item.get("GeneratorId", "")).startswith(GENERATOR_PREFIX)
                    and item.get("AwsAccountId") == place.account
                    and _home(item) == place.region):
                yield item
        token = page.get("NextToken")
        if not token:
            return
    raise OverflowError(f"more than {max_pages} pages of earlier findings")


def _why(err: Exception) -> str:
    if isinstance(err, ClientError):
        code = error_code(err)
        hint = " (is Security Hub enabled in that account and region?)" if code in (
            NOT_ENABLED) else ""
        return f"{code}{hint}"
    return type(err).__name__


def _send(client: Any, findings: list[dict[str, Any]], where: str, tally: Tally,
          deadline: Deadline) -> int:
    """Import *findings*, 100 a call, while the audit's deadline allows; the number Security
    Hub took. Refused ones, and those not sent, are noted."""
    taken = 0
    refused: list[str] = []
    for start in range(0, len(findings), BATCH):
        batch = findings[start:start + BATCH]
        if deadline.passed():  # the report itself must still be written
            tally.failed(f"{where}: {len(findings) - start} finding(s) not imported: "
                         f"{deadline.why}")
            break
        try:
            answer = client.batch_import_findings(Findings=batch)
        except (ClientError, BotoCoreError) as err:  # after its retries: the rest is not sent
            tally.failed(f"{where}: {len(findings) - start} finding(s) not imported: {_why(err)}")
            break
        taken += int(answer.get("SuccessCount", 0))
        refused += [f"{item.get('Id', '?')}: {item.get('ErrorCode', '?')} "
                    f"{item.get('ErrorMessage', '')}".strip()
                    for item in answer.get("FailedFindings", [])]
    if refused:
        shown = "; ".join(refused[:SHOWN_FAILURES])
        more = f" and {len(refused) - SHOWN_FAILURES} more" if len(refused) > SHOWN_FAILURES else ""
        tally.failed(f"{where}: {len(refused)} finding(s) refused: {shown}{more}")
    return taken


def _stale(earlier: Iterable[dict[str, Any]], current: set[str],
           environments: set[str]) -> list[dict[str, Any]]:
    """Former findings this run does not make again, of the environments it checked."""
    return [e for e in earlier if e.get("Id") not in current and (
        not environments or e.get("ProductFields", {}).get("tablespec/Environment")
        in environments)]


def _one_place(client: Any, place: Place, findings: list[Finding], report: Report,
               whole: bool, limits: Limits, tally: Tally) -> None:
    where = f"{place.account}/{place.region}"
    spec = repo_path(report.spec_path)[0]
    try:
        earlier = {e["Id"]: e for e in _earlier(client, place, limits.max_pages)}
    except (ClientError, BotoCoreError) as err:
        if isinstance(err, ClientError) and error_code(err) in NOT_ENABLED:
            tally.failed(f"{where}: {len(findings)} finding(s) not imported: {_why(err)}")
            return
        earlier, whole = {}, False  # imported all the same; only the archiving needs them
        tally.failed(f"{where}: the earlier findings could not be read ({_why(err)}): none "
                     "archived (securityhub:GetFindings)")
    except OverflowError as err:
        earlier, whole = {}, False
        tally.failed(f"{where}: {err}: none archived")
    made = [asff(f, place, report.created, spec, report.version, earlier.get(finding_id(f)))
            for f in findings]
    tally.imported += _send(client, made, where, tally, limits.deadline)
    tally.places += 1
    if whole:
        checked = {*report.environments, UNPLACED} if report.environments else set()
        gone = _stale(earlier.values(), {m["Id"] for m in made}, checked)
        tally.archived += _send(client, [archived(e, report.created) for e in gone], where,
                                tally, limits.deadline)


def import_findings(report: Report, sessions: Mapping[str, boto3.Session],
                    limits: Limits = DEFAULT) -> list[Note]:
    """Import *report*'s findings, each with the session of its account; the notes to add.

    *sessions*: the credentials of each account the audit entered, by account id.
    """
    tally = Tally()
    by_place: dict[Place, list[Finding]] = defaultdict(list)
    for f in report.findings:
        place = place_of(f)
        if place is not None:
            by_place[place].append(f)
    whole = _read_whole(report)
    for s in report.scope:  # a place read whole with no finding: its former ones may be gone
        account, region = s.get("account", ""), s.get("region", "")
        if (account, region) in whole and account in sessions:
            partition = sessions[account].get_partition_for_region(region)
            by_place.setdefault(Place(partition, account, region), [])
    for place, findings in sorted(by_place.items(), key=lambda kv: (kv[0].account, kv[0].region)):
        session = sessions.get(place.account)
        if session is None:
            tally.failed(f"{place.account}/{place.region}: {len(findings)} finding(s) not "
                         "imported: the audit could not enter that account, and the default "
                         "product takes only an account's own findings")
            continue
        client = _client(session, place.region, limits)
        _one_place(client, place, findings, report,
                   (place.account, place.region) in whole, limits, tally)
    summary = Note(NoteKind.SECURITY_HUB, f"Security Hub: {tally.imported} finding(s) imported "
                   f"and {tally.archived} archived, in {tally.places} account/region(s)")
    return [summary, *tally.notes]
