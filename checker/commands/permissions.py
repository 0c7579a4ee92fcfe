"""`tablespec permissions`: the least-privilege IAM policy `tablespec audit` needs.

The table statements are narrowed to the table names the spec can produce: the literal
start of its naming pattern (`table/hypermage-vr-*` for the seed; where the pattern starts
with `{table}`, each table's own start, or its whole name), and the names tables give
themselves. With `--role-arn`, two labelled policies: the auditor's, AssumeRole on exactly
those roles, and the member role's, the reads; with `--org`, the hub's (the organization's
reads, AssumeRole on the `--org-role` of every account).
`--region` (repeatable) pins the table ARNs to those regions: the audit also reads each
replica of a global table in the replica's own region, so those regions belong there too.
"""

from __future__ import annotations

import argparse
import json
import sys

from checker.commands.stdout import to_stdout
from checker.errors import RunError
from checker.naming.wildcards import table_arns
from checker.sources.live import api, org
from checker.specfile.discover import find_spec
from checker.specfile.load import load_spec
from checker.specfile.model import Spec


def _pinned(regions: list[str]) -> None:
    """Say on stderr that replicas of global tables are read in their own regions."""
    print(f"tablespec: the table ARNs are pinned to {', '.join(regions)}: `audit` reads each "
          "replica of a global table in the replica's own region, with these same reads: "
          "give those regions too (--region R, repeatable)", file=sys.stderr)


def _left_out(given: dict[str, bool]) -> None:
    """Say on stderr which calls the policy leaves out, and which option needs them."""
    by_option: dict[str, list[api.ApiCall]] = {}
    for call in api.optional_calls():
        if call.only_for is not None and not given.get(call.only_for, True):
            by_option.setdefault(call.only_for, []).append(call)
    for option, calls in by_option.items():
        if option in api.SPEC_KEYS:
            what = (f"{calls[0].action} is left out: only a spec that sets "
                    f"{option} needs it ({calls[0].why})")
        elif len(calls) == 1:
            what = f"{calls[0].action} is left out: only `audit {option}` needs it " \
                   f"({calls[0].why})"
        else:
            what = f"{', '.join(c.action for c in calls)} are left out: only `audit {option}` " \
                   f"needs them (`tablespec permissions {option}` prints that policy)"
        print(f"tablespec: {what}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Print the policy JSON on stdout; say on stderr what it leaves out and why."""
    sample = args.sample_items > 0
    assume = bool(args.role_arn)
    role = org.role_name(args.org_role_name, args.org)
    if args.org and args.role_arn:
        raise RunError("--org and --role-arn: use one")
    roles = [org.role_arn("aws", "*", role)] if args.org else list(args.role_arn)
    spec: Spec | None = None
    if not args.all_tables and not args.org:  # the hub reads no table itself
        try:
            spec = load_spec(find_spec(args.spec))
        except RunError as err:
            if args.spec:
                raise
            print(f"tablespec: {err.message}; granting reads on every table", file=sys.stderr)
    tables = table_arns(spec, args.region, args.account or "*")
    if args.region and not args.org:
        _pinned(args.region)
    keys = api.SPEC_KEYS if spec is None else tuple(spec.judging())
    reads = api.policy(sample=sample, assume=assume and args.org, org=args.org, tables=tables,
                       roles=roles or None, keys=keys, security_hub=args.security_hub)
    if assume and not args.org:  # two identities: the one that assumes, the roles that read
        to_stdout(json.dumps({"auditor": api.auditor_policy(roles), "member_role": reads},
                             indent=2) + "\n")
        print("tablespec: two policies: `auditor` for the identity that runs `audit "
              "--role-arn` (it only assumes the roles), `member_role` for each role, which "
              "reads its account and trusts that identity (jq .member_role)", file=sys.stderr)
    else:
        to_stdout(f"{json.dumps(reads, indent=2)}\n")
    if not args.org:
        _left_out({api.SAMPLE_OPTION: sample, api.ROLE_OPTION: assume, api.ORG_OPTION: False,
                   api.SECURITY_HUB_OPTION: args.security_hub,
                   **{key: key in keys for key in api.SPEC_KEYS}})
    elif args.security_hub:
        print("tablespec: --security-hub: the hub imports nothing; each member role does, into "
              "its own account (`tablespec permissions --security-hub` prints its policy)",
              file=sys.stderr)
    else:
        print(f"tablespec: this is the hub's policy; each account in scope needs the role "
              f"{role}, trusting the hub, with the policy `tablespec permissions` prints (the "
              "hub assumes it in each account and reads nothing itself)", file=sys.stderr)
    return 0
