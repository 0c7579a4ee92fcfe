"""`tablespec spec init`: draft a spec from a plan, Terraform source, CloudFormation templates
(or a CDK cloud assembly) or the live account(s)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TypeVar

from checker.commands.stdout import to_stdout
from checker.errors import RunError

HELP = ("draft a spec from what exists: a plan, Terraform source, CloudFormation templates or "
        "the live account(s)")
DESCRIPTION = """\
Draft a spec (specs/tables.yaml) from the DynamoDB tables that exist: the naming pattern,
project and environments from their names (accounts or an environment tag when the names
carry no environment), each table's keys, TTL and indexes, and the policies every table
meets (encryption, PITR, billing, tags, alarms) in `defaults:`. What cannot be inferred is a
TODO comment; values that differ between environments are a CONFLICT comment. The draft
validates, and checking the same tables against it finds nothing failing (but what its NOTE
comments say). Review it before you rely on it: it says what is, not what should be.

--live reads the account(s) read-only, with the calls of `tablespec audit`: it needs
dynamodb:ListTables, and dynamodb:DescribeTable, DescribeTimeToLive,
DescribeContinuousBackups and ListTagsOfResource on every table
(arn:aws:dynamodb:*:*:table/*), cloudwatch:DescribeAlarms and kms:DescribeKey
(`tablespec permissions --all-tables` prints that policy)."""
P = TypeVar("P", bound=argparse.ArgumentParser)
SCHEMA = "tables.schema.json"  # the spec's JSON Schema, beside specs/tables.yaml
EPILOG = """\
exit codes:
  0  the draft is written
  2  it could not be made: an unreadable plan or directory, unreachable AWS or a denied
     permission, bad arguments (one line on stderr says which)
  3  tablespec itself failed (a bug); set TABLESPEC_DEBUG=1 to see the traceback"""


def add_parser(spec_sub: argparse._SubParsersAction[P]) -> None:
    """`spec init` and its options."""
    init = spec_sub.add_parser("init", help=HELP, description=DESCRIPTION, epilog=EPILOG,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    source = init.add_mutually_exclusive_group(required=True)
    source.add_argument("--plan", action="append", metavar="PLAN.json",
                        help="a plan as JSON (terraform show -json); repeat for several, "
                        "e.g. one per environment")
    source.add_argument("--hcl", action="append", metavar="DIR",
                        help="a Terraform directory (a module is read through its callers); "
                        "repeat for several")
    source.add_argument("--cfn", action="append", metavar="PATH",
                        help="CloudFormation templates, directories holding them, or a CDK "
                        "cloud assembly (cdk.out); repeat for several")
    source.add_argument("--live", action="store_true",
                        help="the live account(s), read-only (see above for the permissions)")
    init.add_argument("--source-dir", metavar="DIR",
                      help="--plan: the root module the plans were made in; it decides what a "
                      "plan alone cannot (a block left out or written as dynamic)")
    init.add_argument("--var-file", action="append", default=[], metavar="FILE",
                      help="--hcl: a .tfvars file, as terraform -var-file (repeatable: applied "
                      "together, in order); without it each variables file of a root is read "
                      "on its own")
    init.add_argument("--workspace", metavar="NAME",
                      help="--hcl: the Terraform workspace (terraform.workspace) to read the "
                      "roots in (default: $TF_WORKSPACE, else default)")
    init.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                      help="--cfn: a template parameter's value (repeatable; default: its "
                      "Default)")
    init.add_argument("--region", action="append", default=[],
                      help="--live: region to read (repeatable; default: the credential "
                      "chain's)")
    init.add_argument("--role-arn", action="append", default=[],
                      help="--live: role to assume, one per account (repeatable)")
    init.add_argument("--profile", help="--live: AWS profile to use")
    init.add_argument("--external-id", help="--live: external ID for --role-arn")
    init.add_argument("--project", help="the project name (default: inferred from the names "
                      "or a Project tag)")
    init.add_argument("--pattern", help="the naming pattern, e.g. '{project}-{table}-"
                      "{environment}' (default: inferred from the names)")
    init.add_argument("--output", "-o", metavar="FILE",
                      help="write the draft to FILE (default: stdout)")
    init.add_argument("--force", action="store_true",
                      help="overwrite FILE when it exists")


def _check(args: argparse.Namespace) -> None:
    if not args.live:
        used = [flag for flag, value in (("--region", args.region), ("--role-arn", args.role_arn),
                                         ("--profile", args.profile),
                                         ("--external-id", args.external_id)) if value]
        if used:
            raise RunError(f"{used[0]} is used with --live only")
    if not args.hcl and (args.var_file or args.workspace):
        raise RunError(f"{'--var-file' if args.var_file else '--workspace'} is used with --hcl "
                       "only")
    if args.source_dir is not None and not args.plan:
        raise RunError("--source-dir is used with --plan only")
    if args.parameter and not args.cfn:
        raise RunError("--parameter is used with --cfn only")
    if args.output and Path(args.output).exists() and not args.force:
        raise RunError(f"{args.output}: exists; pass --force to overwrite it, or choose "
                       "another -o FILE")


def run(args: argparse.Namespace) -> int:
    """Draft the spec; 0 written, 2 bad input (a RunError), 3 a bug."""
    from checker.drafter import draft_spec
    from checker.drafter.read import from_cfn, from_hcl, from_live, from_plans

    _check(args)
    if args.plan:
        found = from_plans(args.plan, args.source_dir)
    elif args.hcl:
        found = from_hcl(args.hcl, args.var_file,
                         args.workspace or os.environ.get("TF_WORKSPACE") or None)
    elif args.cfn:
        found = from_cfn(args.cfn, args.parameter)
    else:
        found = from_live(args.region, args.role_arn, args.profile, args.external_id)
    draft = draft_spec(found.states, found.origin, project=args.project, pattern=args.pattern,
                       roles=bool(args.role_arn))
    if args.output:
        text = draft.text
        if (Path(args.output).parent / SCHEMA).is_file():  # as specs/tables.yaml: for editors
            text = f"# yaml-language-server: $schema={SCHEMA}\n{text}"
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as err:
            raise RunError(f"{args.output}: cannot write the draft: {err.strerror}") from None
    else:
        to_stdout(draft.text)
    where = args.output or "stdout"
    left = f"; {draft.todos} TODO and {draft.conflicts} CONFLICT comment(s) to review" \
        if draft.todos or draft.conflicts else ""
    print(f"tablespec: drafted {len(draft.spec.tables)} table(s), environments "
          f"{', '.join(draft.spec.environments)}, to {where}{left}", file=sys.stderr)
    return 0
