"""The `tablespec` command line: parse, dispatch to checker.commands, map errors to exit codes."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from checker import __version__
from checker.errors import RunError, report_bug
from checker.findings import Severity
from checker.report import FORMATS

SPEC_HELP = ("the spec (default: $TABLESPEC_SPEC, else specs/tables.yaml or tablespec.yaml in "
             "this directory or the nearest parent that has one, up to the git root)")
ABOUT = """\
tablespec holds DynamoDB tables to one written spec (specs/tables.yaml): keys, TTL (and no
TTL where data must persist), encryption level, point-in-time recovery, indexes, throttle
alarms, billing, tags and naming. It reads Terraform source (pre-commit), a Terraform plan
(the CI gate) or the live account(s), read-only (a scheduled audit), and reports every
spec table in every environment it checks: pass, fail, unknown (the value cannot be known
there) or waived. The same rules run inside Checkov as custom policies."""
EXIT_CODES = """\
exit codes:
  0  no failing finding
  1  at least one failing finding (audit: an unknown one too, unless --allow-unknown;
     plan and hcl: with --fail-on-unknown)
  2  the run could not be made: bad spec, plan or arguments, no credentials (one line on
     stderr says which file and line, and what to do)
  3  tablespec itself failed (a bug): the reports it could make are written; set
     TABLESPEC_DEBUG=1 to see the traceback"""


def _format(value: str) -> tuple[str, str | None]:
    """`FMT` (to --output or stdout) or `FMT=FILE`."""
    name, sep, path = value.partition("=")
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"unknown format {name!r}; use one of {', '.join(FORMATS)}, optionally as FMT=FILE")
    if sep and not path:
        raise argparse.ArgumentTypeError(f"--format {value}: name a file after '='")
    return name, path or None


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"tablespec: {message} (see `{self.prog} --help`)\n")


def _outputs(p: argparse.ArgumentParser) -> None:
    """The options of every command that writes a report."""
    p.add_argument("--format", type=_format, action="append", default=[], metavar="FMT[=FILE]",
                   help=f"report format ({', '.join(FORMATS)}); repeat for several, "
                   "e.g. --format text --format sarif=out.sarif (default: text)")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write the report to FILE instead of stdout (a --format given as "
                   "FMT=FILE goes to its own file)")
    p.add_argument("--fail-on", choices=[s.value for s in Severity], default=None,
                   help="exit 1 only for failures of this severity or above (default: any)")
    p.add_argument("--verbose", "-v", action="store_true", help="text: show passing checks too")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="text: colour (default: only on a terminal)")


FAIL_ON_UNKNOWN = ("an unknown finding (at or above --fail-on) fails the run too, as in an "
                   "audit: what the source cannot tell does not pass")


def _common(p: argparse.ArgumentParser) -> None:
    """The options of every checking command."""
    p.add_argument("--spec", metavar="FILE", help=SPEC_HELP)
    p.add_argument("--env", default=os.environ.get("TABLESPEC_ENV") or None,
                   help="environment to check (default: $TABLESPEC_ENV, else from the table "
                   "names, accounts, tags, var files or workspaces)")
    p.add_argument("--waivers", help="waiver file (YAML); adds to `waivers:` in the spec")
    p.add_argument("--strict-names", action="store_true",
                   help="a table outside the spec's naming is a (low) finding, not only a note")
    _outputs(p)


def build_parser() -> argparse.ArgumentParser:
    """The whole CLI."""
    parser = _Parser(prog="tablespec", description=ABOUT, epilog=EXIT_CODES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tablespec {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    plan = sub.add_parser("plan", help="check `terraform show -json` output (CI gate)",
                          epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    plan.add_argument("plan_files", nargs="+", metavar="PLAN.json",
                      help="the plan as JSON: terraform plan -out tf.plan && "
                      "terraform show -json tf.plan > PLAN.json; `-` reads it from stdin")
    plan.add_argument("--fail-on-unknown", action="store_true", help=FAIL_ON_UNKNOWN)
    plan.add_argument("--source-dir", metavar="DIR",
                      help="the Terraform root the plan was made from: findings then point "
                      "at .tf lines (default: the current directory when it holds .tf files)")
    _common(plan)
    hcl = sub.add_parser("hcl", help="check Terraform source, .tf and .tfvars (pre-commit)",
                         epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    hcl.add_argument("paths", nargs="*", metavar="PATH",
                     help=".tf/.tfvars files or Terraform directories (default: the current "
                     "directory); a module is checked through the roots that call it")
    hcl.add_argument("--fail-on-unknown", action="store_true", help=FAIL_ON_UNKNOWN)
    hcl.add_argument("--var-file", action="append", default=[], metavar="FILE",
                     help="a .tfvars file applied to every root, as terraform -var-file "
                     "(repeatable: one evaluation with all of them, in order); without it, "
                     "each variables file of a root is an evaluation of its own")
    hcl.add_argument("--workspace", metavar="NAME",
                     help="the Terraform workspace (terraform.workspace) of every evaluation "
                     "(default: $TF_WORKSPACE, else each environment's, for roots that read it)")
    _common(hcl)
    cfn = sub.add_parser("cfn", help="check CloudFormation templates (pre-commit, CI)",
                         epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    from checker.commands.cfn import arguments

    arguments(cfn)
    cfn.add_argument("--fail-on-unknown", action="store_true", help=FAIL_ON_UNKNOWN)
    _common(cfn)
    audit = sub.add_parser("audit", help="audit the live account(s), read-only", epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    from checker.commands.audit_arguments import arguments as audit_arguments

    audit_arguments(audit)
    _common(audit)
    perms = sub.add_parser("permissions", help="print the least-privilege IAM policy `audit` needs")
    perms.add_argument("--sample-items", type=int, default=0, metavar="N",
                       help="include dynamodb:Scan, which `audit --sample-items N` needs "
                       "(default 0: left out)")
    perms.add_argument("--role-arn", action="append", default=[],
                       help="include sts:AssumeRole on this role, which `audit --role-arn` "
                       "needs (repeatable)")
    perms.add_argument("--security-hub", action="store_true",
                       help="include securityhub:BatchImportFindings (and GetFindings, to "
                       "archive findings of tables gone), which `audit --security-hub` needs")
    perms.add_argument("--org", action="store_true",
                       help="the policy of the identity that runs `audit --org` (the hub): "
                       "reading the organization and sts:AssumeRole on the member role only; "
                       "without it, the member role's policy")
    perms.add_argument("--org-role-name", metavar="NAME",
                       help="the member role's name (default: tablespec-audit)")
    perms.add_argument("--spec", metavar="FILE", help=SPEC_HELP + "; its naming narrows the "
                       "tables the policy grants reads on")
    perms.add_argument("--region", action="append", default=[],
                       help="pin the table ARNs to this region (repeatable; default: *); "
                       "list the regions of global tables' replicas too")
    perms.add_argument("--account", help="pin the table ARNs to this account (default: *)")
    perms.add_argument("--all-tables", action="store_true",
                       help="grant reads on every table, not only the spec's: what "
                       "`spec init --live` needs")
    merge = sub.add_parser("merge", help="one report from several JSON reports (e.g. one "
                           "audit per account/region)", epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    merge.add_argument("reports", nargs="*", metavar="REPORT.json",
                       help="reports written with --format json, of one source and one spec "
                       "(default: none; then --expect alone)")
    merge.add_argument("--expect", metavar="SHARDS.json",
                       help="the shards that should have reported (a JSON list of "
                       '{"account": ..., "region": ...}, e.g. the fan-out\'s shards.json): '
                       "each one without a report is an unknown finding")
    merge.add_argument("--allow-unknown", action="store_true",
                       help="live reports: do not fail on unknown findings")
    _outputs(merge)
    sub.add_parser("checkov-policies",
                   help="print the directory of tablespec's Checkov policies: "
                   'checkov --external-checks-dir "$(tablespec checkov-policies)"')
    spec = sub.add_parser("spec", help="work with spec files")
    spec_sub = spec.add_subparsers(dest="spec_command", required=True, parser_class=_Parser)
    validate = spec_sub.add_parser("validate", help="check a spec file")
    validate.add_argument("file", nargs="?", metavar="FILE", help=SPEC_HELP)
    validate.add_argument("--spec", metavar="FILE", help="the same as FILE")
    spec_sub.add_parser("schema", help="print the spec's JSON Schema (for editors)")
    from checker.commands.init import add_parser as add_init

    add_init(spec_sub)
    demo = sub.add_parser(
        "demo", help="the CI gate on the bundled example plan, compliant and drifted, then a "
        "live audit of a local stand-in AWS account with one drift")
    demo.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour (default: only on a terminal)")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "plan":
        from checker.commands import plan

        return plan.run(args)
    if args.command == "hcl":
        from checker.commands import hcl

        return hcl.run(args)
    if args.command == "cfn":
        from checker.commands import cfn

        return cfn.run(args)
    if args.command == "audit":
        from checker.commands import audit

        return audit.run(args)
    if args.command == "permissions":
        from checker.commands import permissions

        return permissions.run(args)
    if args.command == "spec":
        if args.spec_command == "init":
            from checker.commands import init

            return init.run(args)
        from checker.commands import spec

        return spec.schema(args) if args.spec_command == "schema" else spec.validate(args)
    if args.command == "merge":
        from checker.commands import merge

        return merge.run(args)
    if args.command == "checkov-policies":
        from checker.checkov.locate import policies_dir
        from checker.commands.stdout import to_stdout

        to_stdout(f"{policies_dir()}\n")
        return 0
    if args.command == "demo":
        from checker.demo import run_demo

        return run_demo(args)
    raise AssertionError(f"unknown command {args.command}")  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit 0 clean, 1 failing findings, 2 the run could not be made, 3 a bug."""
    # A run is short and builds large acyclic trees (plan JSON, findings): the cyclic
    # collector would only rescan them, several times over, for nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version, or a bad argument (already reported)
        return done.code if isinstance(done.code, int) else 2
    try:
        return _run(args)
    except RunError as err:  # one line; a file with several problems: each on its own
        for line in [err.message, *err.more]:
            print(f"tablespec: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tablespec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout went away (`| head`): not a failure
        return 0
    except Exception as err:  # a bug of ours: one line for users, TABLESPEC_DEBUG=1 shows it
        import traceback  # only for a bug

        report_bug(f"{type(err).__name__}: {err}", [traceback.format_exc()])
        return 3


def entry() -> NoReturn:
    """The `tablespec` program: `main`, then out without tearing the interpreter down.

    A run ends with everything it built still alive (a plan of 1,000 tables is a million
    objects); freeing them one by one at exit cost 30 ms of a 0.57 s run and changes
    nothing. So the streams are flushed and the process ends (as mypy does). Every report
    file is closed by then; a stdout that cannot take the last bytes is a run that could not
    be made.
    """
    code = main()
    try:
        if sys.stdout is not None:  # None: started with stdout closed
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): as in `main`, not a failure
        pass
    except OSError as err:
        print(f"tablespec: cannot write to stdout: {err.strerror}", file=sys.stderr)
        code = max(code, 2)
    with contextlib.suppress(OSError, AttributeError):  # stderr full, or closed (None)
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
