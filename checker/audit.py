"""`tablespec audit` and `tablespec permissions`: the live account(s), read-only, against the spec.

The live source reads each (account, region); the engine evaluates each of them on its own
(the same logical table exists once per account and region); the findings go into one
report whose target lists every `account/region` and whose resources are table ARNs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from checker.engine import evaluate
from checker.errors import RunError
from checker.model import Finding
from checker.naming import Naming
from checker.report.model import Report
from checker.run import emit, outputs, shown, waive, waivers_for
from checker.sources import liveapi
from checker.sources.live import LiveSource, Progress, RegionAudit, Selection
from checker.sources.liveclients import accounts, base_session, default_region, regions_for
from checker.spec.load import load_spec
from checker.spec.model import Spec
from checker.waivers import Waiver

MAX_WORKERS = 64
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass
class AuditOptions:
    """What to audit and how; `from_args` reads them off the CLI."""

    spec: str = "specs/tables.yaml"
    env: str | None = None
    regions: list[str] = field(default_factory=list)
    profile: str | None = None
    roles: list[str] = field(default_factory=list)
    external_id: str | None = None
    max_workers: int = 8
    sample_items: int = 0
    waivers: str | None = None
    progress: bool = True

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AuditOptions:
        """The options of `tablespec audit`."""
        return cls(spec=args.spec, env=args.env, regions=list(args.region or []),
                   profile=args.profile, roles=list(args.role_arn or []),
                   external_id=args.external_id, max_workers=args.max_workers,
                   sample_items=args.sample_items, waivers=getattr(args, "waivers", None))

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
        if self.external_id is not None and not self.roles:
            raise RunError("--external-id is used with --role-arn only")
        for region in self.regions:
            if not _REGION.match(region):
                raise RunError(f"--region {region}: not a region name (e.g. eu-west-1)")


@dataclass
class AuditResult:
    """The report, and what it took to make it."""

    report: Report
    audits: list[RegionAudit]
    calls: liveapi.CallLog
    seconds: float


def _with_arn(f: Finding, audit: RegionAudit) -> Finding:
    """Findings on an absent table carry its would-be ARN, so they keep account and region."""
    if f.resource.startswith("arn:"):
        return f
    return replace(f, resource=audit.region.table_arn(f.resource))


def _notes(audit: RegionAudit, env: str | None) -> list[str]:
    label = audit.region.label
    notes = []
    if audit.outside:
        notes.append(f"{label}: {len(audit.outside)} table(s) outside the naming pattern, "
                     f"not checked: {shown(audit.outside)}")
    if audit.other_envs:
        notes.append(f"{label}: {len(audit.other_envs)} table(s) of environments other than "
                     f"{env}, not checked: {shown(audit.other_envs)}")
    notes.extend(f"{label}: {name} was deleted while the audit ran" for name in audit.gone)
    return notes


def build_report(spec: Spec, audits: list[RegionAudit], env: str | None,
                 sample_items: int = 0, waivers: Sequence[Waiver] = ()) -> Report:
    """Evaluate each (account, region) on its own and gather the findings in one report."""
    findings: list[Finding] = []
    environments: set[str] = set()
    notes: list[str] = []
    for audit in audits:
        notes += _notes(audit, env)
        if env is None and not audit.states:
            notes.append(f"{audit.region.label}: no table follows the naming pattern "
                         f"{spec.pattern!r}; nothing checked there (--env ENV requires the "
                         "spec's tables in every region)")
            continue
        result = evaluate(spec, audit.states, audit.region.label, env)
        findings += [_with_arn(f, audit) for f in result.findings]
        environments.update(result.environments)
    target = ", ".join(a.region.label for a in audits)
    if not findings:
        raise RunError(f"{target}: no table follows the naming pattern {spec.pattern!r} of "
                       f"{spec.path}, so the environment is unknown; pass --env ENV")
    if sample_items == 0 and any(t.ttl for t in spec.tables.values()):
        notes.append("TTL values not sampled: --sample-items N reads N items per TTL table "
                     "(TS-TTL-003; needs dynamodb:Scan)")
    findings, stale = waive(findings, waivers)
    envs = [e for e in spec.environments if e in environments]
    return Report("live", target, spec.path, findings, envs, notes + stale)


def audit(opts: AuditOptions, progress: Progress | None = None,
          spec: Spec | None = None) -> AuditResult:
    """Read the account(s) and build the report; RunError when the run cannot be made.

    *spec*, when given, is used instead of loading `opts.spec` (the demo's embedded spec).
    """
    opts.check()
    started = time.monotonic()
    spec = spec or load_spec(opts.spec)
    waivers = waivers_for(spec, opts.waivers)  # a bad waiver file stops the run before it reads
    if opts.env is not None and opts.env not in spec.environments:
        raise RunError(f"--env {opts.env}: not an environment of {spec.path} "
                       f"({', '.join(spec.environments)})")
    base = base_session(opts.profile)
    names = list(dict.fromkeys(opts.regions)) or [default_region(base)]
    permitted = liveapi.allowed(sample=opts.sample_items > 0, assume=bool(opts.roles))
    log = liveapi.CallLog()
    accts = accounts(base, list(dict.fromkeys(opts.roles)), opts.external_id, names[0],
                     permitted, log)
    regions = [r for a in accts for r in regions_for(a, names, opts.max_workers, permitted, log)]
    selection = Selection(
        naming=Naming(spec.pattern, spec.project, spec.environments),
        environment=opts.env,
        ttl_attributes={n: t.ttl.attribute for n, t in spec.tables.items() if t.ttl},
        sample_items=opts.sample_items,
    )
    if progress is None and opts.progress:
        from checker.progress import for_stderr

        progress = for_stderr()
    audits = LiveSource(regions, selection, opts.max_workers, progress).run()
    report = build_report(spec, audits, opts.env, opts.sample_items, waivers)
    return AuditResult(report, audits, log, time.monotonic() - started)


def run_audit(args: argparse.Namespace) -> int:
    """`tablespec audit`: 0 clean, 1 failing or unknown findings (unless --allow-unknown)."""
    outputs(args)  # refuse bad output combinations before the audit, not after it
    result = audit(AuditOptions.from_args(args))
    return emit(result.report, args)


def print_permissions(args: argparse.Namespace) -> int:
    """`tablespec permissions`: the least-privilege IAM policy JSON on stdout."""
    sample = getattr(args, "sample_items", 0) > 0
    assume = bool(getattr(args, "role_arn", None))
    print(json.dumps(liveapi.policy(sample=sample, assume=assume), indent=2))
    for call in liveapi.optional_calls():
        if (call.only_for == liveapi.SAMPLE_OPTION and not sample) or (
                call.only_for == liveapi.ROLE_OPTION and not assume):
            print(f"tablespec: {call.action} is left out: only `audit {call.only_for}` needs "
                  f"it ({call.why}); see docs/audit.md", file=sys.stderr)
    return 0
