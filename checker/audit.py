"""The audit: the live account(s), read-only, against the spec (`tablespec audit`, the
Lambda, a shard of the organisation's fan-out, the demo).

The live source reads each (account, region); the pipeline evaluates each of them on its own
(the same logical table exists once per account and region) into one report whose target
lists every `account/region` and whose resources are table ARNs. The replicas of a global
table, read in their own regions, are judged with it, each finding carrying its region. An
account or region that could not be read, when others could, stays in the report: its spec
tables are unknown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from checker import pipeline
from checker.audit_options import AuditOptions
from checker.findings import Note, NoteKind
from checker.naming.placement import Placer
from checker.runpolicy import RunPolicy
from checker.sources.live import api
from checker.sources.live.accounts import Unreadable, base_session
from checker.sources.live.batches import Progress, Selection, unread_batches
from checker.sources.live.clients import Account, default_region, region_for, regions_for
from checker.sources.live.limits import Deadline
from checker.sources.live.source import LiveSource
from checker.sources.live.targets import targets as live_targets
from checker.specfile.discover import find_spec
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from checker.waivers import load_waivers


@dataclass
class AuditResult:
    """The outcome, and what it took to make it."""

    outcome: pipeline.Outcome
    calls: api.CallLog
    seconds: float


def _accounts_notes(spec: Spec, read: set[str], env: str | None, in_org: bool) -> list[Note]:
    """The accounts the spec lists for the checked environments that were not read."""
    fix = "it is not in the --org scope (see the notes above)" if in_org else \
        "add --role-arn for it"
    return [Note(NoteKind.NOT_AUDITED, f"account {account} ({where}) is listed in "
                 f"{spec.path} but was not audited; {fix}")
            for account, where in spec.accounts.items()
            if account not in read and env in (None, where)]


def _late(deadline: Deadline) -> list[Note]:
    """A note when the deadline passed: what was not read by then is unknown."""
    if not deadline.passed():
        return []
    return [Note(NoteKind.NOT_READ, f"the audit's deadline ({deadline.label}) passed before "
                 "everything was read: what was not read by then is reported unknown (timeout)")]


def audit(opts: AuditOptions, progress: Progress | None = None,
          spec: Spec | None = None) -> AuditResult:
    """Read the account(s) and run the pipeline; RunError when the run cannot be made.

    *spec*, when given, is used instead of loading `opts.spec` (the demo's embedded spec).
    """
    opts.check()
    started = time.monotonic()
    limits = opts.limits()
    spec = spec or load_spec(find_spec(opts.spec))
    extra = load_waivers(opts.waivers, spec.environments, tuple(spec.tables)) \
        if opts.waivers else []
    pipeline.check_environment(spec, opts.env)
    base = base_session(opts.profile)
    names = list(dict.fromkeys(opts.regions)) or [default_region(base)]
    judging = spec.judging()
    permitted = api.allowed(sample=opts.sample_items > 0, assume=bool(opts.roles),
                            keys=judging, org=opts.org)
    log = api.CallLog()
    targets, notes = live_targets(
        base, names[0], permitted, log, roles=opts.roles, external_id=opts.external_id,
        scope=opts.org_scope() if opts.org else None, tolerant=True,
        workers=opts.max_workers, limits=limits)
    notes += _accounts_notes(spec, {a.account_id for a in targets}, opts.env, opts.org)
    kept, others = pipeline.accounts_of(spec, [a.account_id for a in targets], opts.env)
    targets, notes = [a for a in targets if a.account_id in kept], notes + others
    regions = [r for a in targets if isinstance(a, Account)
               for r in regions_for(a, names, opts.max_workers, permitted, log, limits)]
    selection = Selection(
        placer=Placer(spec),
        environment=opts.env,
        ttl_attributes={n: t.ttl.attribute for n, t in spec.tables.items() if t.ttl},
        sample_items=opts.sample_items,
        judging=judging,
        strict_names=opts.strict_names,
    )
    if progress is None and opts.progress:
        from checker.progress import for_stderr

        progress = for_stderr()
    # The caller's own credentials refused in the one place read: nothing else would work.
    own = not (opts.roles or opts.org or opts.shard) and len(regions) == 1
    source = LiveSource(regions, selection, opts.max_workers, progress, tolerant=True,
                        replica_region=lambda account, name: region_for(
                            account, name, opts.max_workers, permitted, log, limits),
                        elsewhere=opts.elsewhere, fatal_credentials=own)
    read = iter(source.read())  # in the order of `regions`: each account's regions in turn
    notes += _late(limits.deadline)
    if opts.sample_items == 0 and any(t.ttl for t in spec.tables.values()):
        notes.append(Note(NoteKind.NOT_SAMPLED, "TTL values not sampled: --sample-items N "
                          "reads N items per TTL table (TS-TTL-003; needs dynamodb:Scan)"))
    batches = [b for a in targets for b in (
        unread_batches(a, names, spec.accounts) if isinstance(a, Unreadable)
        else [next(read) for _ in names])]
    outcome = pipeline.run(
        spec, batches, kind=source.kind, target=source.target(batches),
        environment=opts.env, waivers=[*spec.waivers, *extra], notes=notes,
        gate=opts.gate(),
        policy=RunPolicy(strict_names=opts.strict_names, empty_is_clean=opts.several),
    )
    if opts.security_hub:  # the audit's only write, with each account's own credentials
        from checker.securityhub.importer import import_findings

        sessions = {a.account_id: a.session for a in targets if isinstance(a, Account)}
        outcome.report.notes += import_findings(outcome.report, sessions, limits)
    return AuditResult(outcome, log, time.monotonic() - started)

