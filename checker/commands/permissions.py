"""`tablespec permissions`: the least-privilege IAM policy `tablespec audit` needs.

The table statements are narrowed to the table names the spec can produce: the literal
start of its naming pattern (`table/hypermage-vr-*` for the seed; every table when the
pattern starts with `{table}`), and the names tables give themselves. AssumeRole is
narrowed to the `--role-arn`s given, or with `--org` to the `--org-role` of every account.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from checker.errors import RunError
from checker.sources.live import api, org
from checker.spec.discover import find_spec
from checker.spec.load import load_spec
from checker.spec.model import Spec

_PLACEHOLDER = re.compile(r"\{(table|environment|project)\}")


def _prefix(pattern: str, project: str) -> str:
    """The literal start of the names *pattern* makes, up to the first unknown part."""
    rendered = pattern.replace("{project}", project)
    m = _PLACEHOLDER.search(rendered)
    return rendered[: m.start()] if m else rendered


def table_names(spec: Spec) -> list[str]:
    """Table-name patterns (IAM wildcards) covering every name the spec can produce."""
    prefix = _prefix(spec.pattern, spec.project)
    out = [f"{prefix}*"]
    for table in spec.tables.values():
        own = table.own_name
        if isinstance(own, dict):
            out += list(own.values())
        elif own is not None:
            names = {own.replace("{project}", spec.project).replace("{environment}", env)
                     for env in spec.environments}
            out += sorted(names)
    return ["*"] if "*" in out else list(dict.fromkeys(out))


def table_arns(spec: Spec | None, region: str, account: str) -> list[str]:
    """The table ARNs the policy grants reads on (every table without a spec)."""
    names = table_names(spec) if spec is not None else ["*"]
    return [f"arn:aws:dynamodb:{region}:{account}:table/{n}" for n in names]


def run(args: argparse.Namespace) -> int:
    """Print the policy JSON on stdout; say on stderr what it leaves out and why."""
    sample = args.sample_items > 0
    assume = bool(args.role_arn)
    role = org.role_name(args.org_role, args.org)
    if args.org and args.role_arn:
        raise RunError("--org and --role-arn: use one")
    roles = [org.role_arn("aws", "*", role)] if args.org else list(args.role_arn)
    spec: Spec | None = None
    if not args.all_tables:
        try:
            spec = load_spec(find_spec(args.spec))
        except RunError as err:
            if args.spec:
                raise
            print(f"tablespec: {err.message}; granting reads on every table", file=sys.stderr)
    tables = table_arns(spec, args.region or "*", args.account or "*")
    print(json.dumps(api.policy(sample=sample, assume=assume, org=args.org, tables=tables,
                                roles=roles or None), indent=2))
    given = {api.SAMPLE_OPTION: sample, api.ROLE_OPTION: assume or args.org,
             api.ORG_OPTION: args.org}
    for call in api.optional_calls():
        if not given.get(call.only_for or "", True):
            print(f"tablespec: {call.action} is left out: only `audit {call.only_for}` needs "
                  f"it ({call.why}); see docs/audit.md", file=sys.stderr)
    if args.org:
        print(f"tablespec: each member account needs the role {role}, trusting this identity "
              "and allowed this policy without its AssumeRole and ListAccounts statements "
              "(`tablespec permissions`); see docs/audit.md", file=sys.stderr)
    return 0
