"""`tablespec audit`: the live account(s), read-only, against the spec.

The live source reads each (account, region); the pipeline evaluates each of them on its own
(the same logical table exists once per account and region) into one report whose target
lists every `account/region` and whose resources are table ARNs. An account or region that
could not be read, when others could, stays in the report: its spec tables are unknown.
"""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from checker import pipeline
from checker.commands.output import emit, outputs
from checker.errors import RunError
from checker.findings import Gate, Note, NoteKind, Severity
from checker.placement import Placer
from checker.sources.live import api, compat, org
from checker.sources.live.accounts import Unreadable, assume_roles, base_session, identity
from checker.sources.live.clients import Account, default_region, regions_for, table_arn
from checker.sources.live.source import (
    LiveSource,
    Progress,
    RegionAudit,
    Selection,
    named_only,
)
from checker.spec.discover import find_spec
from checker.spec.load import load_spec
from checker.spec.model import Spec
from checker.waivers import load_waivers

MAX_WORKERS = 64
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass
class AuditOptions:
    """What to audit and how; `from_args` reads them off the CLI."""

    spec: str | None = None  # None: found as the CLI finds it (checker.spec.discover)
    env: str | None = None
    regions: list[str] = field(default_factory=list)
    profile: str | None = None
    roles: list[str] = field(default_factory=list)
    external_id: str | None = None
    max_workers: int = 8
    sample_items: int = 0
    waivers: str | None = None
    progress: bool = True
    fail_on: Severity | None = None
    allow_unknown: bool = False
    strict_names: bool = False
    org: bool = False  # every active account of the organization
    org_role: str | None = None  # the role assumed in each account (default tablespec-audit)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AuditOptions:
        """The options of `tablespec audit`."""
        return cls(spec=args.spec, env=args.env, regions=list(args.region or []),
                   profile=args.profile, roles=list(args.role_arn or []),
                   external_id=args.external_id, max_workers=args.max_workers,
                   sample_items=args.sample_items, waivers=args.waivers,
                   fail_on=Severity(args.fail_on) if args.fail_on else None,
                   allow_unknown=args.allow_unknown, strict_names=args.strict_names,
                   org=args.org, org_role=args.org_role)

    def check(self) -> None:
        """RunError for options that cannot make a run."""
        if not 1 <= self.max_workers <= MAX_WORKERS:
            raise RunError(f"--max-workers {self.max_workers}: use 1 to {MAX_WORKERS}")
        if self.sample_items < 0:
            raise RunError(f"--sample-items {self.sample_items}: use 0 (off) or more")
        for role in self.roles:
            if not _ROLE.match(role):
                raise RunError(f"--role-arn {role}: not a role ARN "
                               "(arn:aws:iam::123456789012:role/NAME)")
        if self.org and self.roles:
            raise RunError("--org and --role-arn: use one (--org assumes --org-role in every "
                           "account of the organization)")
        org.role_name(self.org_role, self.org)
        if self.external_id is not None and not (self.roles or self.org):
            raise RunError("--external-id is used with --role-arn or --org only")
        for region in self.regions:
            if not _REGION.match(region):
                raise RunError(f"--region {region}: not a region name (e.g. eu-west-1)")


@dataclass
class AuditResult:
    """The outcome, and what it took to make it."""

    outcome: pipeline.Outcome
    calls: api.CallLog
    seconds: float


def _batch(spec: Spec, audit: RegionAudit, env: str | None, strict: bool) -> pipeline.Batch:
    region = audit.region
    notes = [Note(NoteKind.TABLE_DELETED, f"{region.label}: {name} was deleted while the audit "
                  "ran") for name in audit.gone]
    if audit.unreadable is not None:
        notes.append(_not_read(region.label, audit.unreadable.reason))
    states = [*audit.states, *(named_only(region, name) for name in audit.strays)]
    if strict:  # reported by name, unread: only their naming is judged
        states += [named_only(region, name) for name in audit.outside]
    elif audit.outside:
        notes.append(Note(NoteKind.IGNORED_TABLES, f"{region.label}: {len(audit.outside)} "
                          "table(s) outside the naming pattern, not checked: "
                          f"{pipeline.shown(audit.outside)}"))
    if audit.other_envs:
        notes.append(Note(NoteKind.OTHER_ENVIRONMENTS, f"{region.label}: "
                          f"{len(audit.other_envs)} table(s) of environments other than "
                          f"{env}, not checked: {pipeline.shown(audit.other_envs)}"))
    account = region.account.account_id
    return pipeline.Batch(region.label, states, notes, region.table_arn,
                          {"account": account, "region": region.name},
                          spec.accounts.get(account), audit.unreadable)


def _not_read(where: str, why: str) -> Note:
    return Note(NoteKind.NOT_READ, f"{where}: not read ({why}); every spec table there is "
                "reported unknown")


def _unread_batches(spec: Spec, account: Unreadable, regions: list[str]) -> list[pipeline.Batch]:
    """An account that could not be entered: each of its regions, every spec table unknown."""
    a = account
    return [pipeline.Batch(f"{a.account_id}/{r}", [], [_not_read(a.account_id, a.reason.reason)],
                           partial(table_arn, a.partition, r, a.account_id),
                           {"account": a.account_id, "region": r},
                           spec.accounts.get(a.account_id), a.reason)
            for r in regions]


def _targets(opts: AuditOptions, base: Any, region: str, permitted: frozenset[tuple[str, str]],
             log: api.CallLog) -> tuple[list[Account | Unreadable], list[Note]]:
    """The accounts to read: the credentials' own, one per --role-arn, or the organization's.

    With several, one that cannot be entered is Unreadable and the others are read.
    """
    roles = list(dict.fromkeys(opts.roles))
    workers = opts.max_workers
    if not opts.org:
        if not roles:
            return [identity(base, region, permitted, log)], []
        return assume_roles(base, roles, opts.external_id, region, permitted, log,
                            tolerant=len(roles) > 1, workers=workers), []
    me = identity(base, region, permitted, log)
    members = org.members(base, region, permitted, log)
    notes = [Note(NoteKind.NOT_AUDITED, f"account {m.account_id} ({m.name}) is "
                  f"{m.state.lower()} in the organization: not audited")
             for m in members if not m.active]
    active = [m.account_id for m in members if m.active]
    name = org.role_name(opts.org_role, True)
    assumed = iter(assume_roles(
        base, [org.role_arn(me.partition, a, name) for a in active if a != me.account_id],
        opts.external_id, region, permitted, log, tolerant=True, workers=workers))
    return [me if a == me.account_id else next(assumed) for a in active], notes


def _accounts_notes(spec: Spec, read: set[str], env: str | None, in_org: bool) -> list[Note]:
    """The accounts the spec lists for the checked environments that were not read."""
    fix = "it is not an active account of the organization" if in_org else \
        "add --role-arn for it"
    return [Note(NoteKind.NOT_AUDITED, f"account {account} ({where}) is listed in "
                 f"{spec.path} but was not audited; {fix}")
            for account, where in spec.accounts.items()
            if account not in read and env in (None, where)]


def audit(opts: AuditOptions, progress: Progress | None = None,
          spec: Spec | None = None) -> AuditResult:
    """Read the account(s) and run the pipeline; RunError when the run cannot be made.

    *spec*, when given, is used instead of loading `opts.spec` (the demo's embedded spec).
    """
    opts.check()
    started = time.monotonic()
    spec = spec or load_spec(find_spec(opts.spec))
    extra = load_waivers(opts.waivers, spec.environments) if opts.waivers else []
    if opts.env is not None and opts.env not in spec.environments:
        raise RunError(f"--env {opts.env}: not an environment of {spec.path} "
                       f"({', '.join(spec.environments)})")
    base = base_session(opts.profile)
    names = list(dict.fromkeys(opts.regions)) or [default_region(base)]
    permitted = api.allowed(sample=opts.sample_items > 0, assume=bool(opts.roles),
                            org=opts.org)
    permitted |= compat.calls()
    log = api.CallLog()
    targets, notes = _targets(opts, base, names[0], permitted, log)
    notes += _accounts_notes(spec, {a.account_id for a in targets}, opts.env, opts.org)
    if opts.env is not None:  # --env selects: the accounts of other environments are not read
        skipped = [a for a in targets if spec.accounts.get(a.account_id, opts.env) != opts.env]
        notes += [Note(NoteKind.OTHER_ENVIRONMENTS, f"account {a.account_id} is "
                       f"{spec.accounts[a.account_id]}, not {opts.env}: not read")
                  for a in skipped]
        targets = [a for a in targets if a not in skipped]
    unread = [a for a in targets if isinstance(a, Unreadable)]
    regions = [r for a in targets if isinstance(a, Account)
               for r in regions_for(a, names, opts.max_workers, permitted, log)]
    selection = Selection(
        placer=Placer(spec),
        environment=opts.env,
        ttl_attributes={n: t.ttl.attribute for n, t in spec.tables.items() if t.ttl},
        sample_items=opts.sample_items,
    )
    if progress is None and opts.progress:
        from checker.progress import for_stderr

        progress = for_stderr()
    audits = LiveSource(regions, selection, opts.max_workers, progress,
                        tolerant=len(regions) + len(unread) > 1).run()
    if opts.sample_items == 0 and any(t.ttl for t in spec.tables.values()):
        notes.append(Note(NoteKind.NOT_SAMPLED, "TTL values not sampled: --sample-items N "
                          "reads N items per TTL table (TS-TTL-003; needs dynamodb:Scan)"))
    read = iter(audits)  # in the order of `regions`: each account's regions in turn
    batches = [b for a in targets for b in (
        _unread_batches(spec, a, names) if isinstance(a, Unreadable)
        else [_batch(spec, next(read), opts.env, opts.strict_names) for _ in names])]
    outcome = pipeline.run(
        spec, batches, kind="live", target=", ".join(b.where for b in batches),
        environment=opts.env, waivers=[*spec.waivers, *extra], notes=notes,
        # Live state is always knowable: unknown there means a missing permission or a fault.
        gate=Gate(opts.fail_on, unknown_fails=not opts.allow_unknown),
        strict_names=opts.strict_names,
    )
    return AuditResult(outcome, log, time.monotonic() - started)


def run(args: argparse.Namespace) -> int:
    """`tablespec audit`: 0 clean, 1 failing or unknown findings (unless --allow-unknown)."""
    outputs(args)  # refuse bad output combinations before the audit, not after it
    return emit(audit(AuditOptions.from_args(args)).outcome, args)
