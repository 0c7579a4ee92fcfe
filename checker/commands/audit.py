"""`tablespec audit`: the options of the command line -> `checker.audit`."""

from __future__ import annotations

import argparse

from checker.audit import audit
from checker.audit_options import AuditOptions
from checker.commands.output import emit, outputs
from checker.findings import Severity


def options(args: argparse.Namespace) -> AuditOptions:
    """The options of `tablespec audit` (declared in `audit_arguments`)."""
    return AuditOptions(
        spec=args.spec, env=args.env, regions=list(args.region or []), profile=args.profile,
        roles=list(args.role_arn or []), external_id=args.external_id,
        max_workers=args.max_workers, sample_items=args.sample_items, waivers=args.waivers,
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        allow_unknown=args.allow_unknown, strict_names=args.strict_names,
        security_hub=args.security_hub, org=args.org, org_role_name=args.org_role_name,
        ous=list(args.ou or []), exclude_accounts=list(args.exclude_account or []),
        include_management=args.include_management_account,
        **{k: v for k, v in (("timeout", args.timeout), ("call_timeout", args.call_timeout),
                             ("max_attempts", args.max_attempts),
                             ("max_pages", args.max_pages)) if v is not None})


def run(args: argparse.Namespace) -> int:
    """`tablespec audit`: 0 clean, 1 failing or unknown findings (unless --allow-unknown)."""
    outputs(args)  # refuse bad output combinations before the audit, not after it
    return emit(audit(options(args)).outcome, args)
