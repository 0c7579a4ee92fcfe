"""The `tablespec` command line."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from checker import __version__
from checker.errors import RunError
from checker.model import Severity

DEFAULT_SPEC = "specs/tables.yaml"
FORMATS = ("text", "json", "sarif", "junit", "markdown")


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


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spec", default=DEFAULT_SPEC, help="spec file (default: %(default)s)")
    p.add_argument("--env", help="environment to check (default: from the table names)")
    p.add_argument("--format", type=_format, action="append", default=[], metavar="FMT[=FILE]",
                   help=f"report format ({', '.join(FORMATS)}); repeat for several, "
                   "e.g. --format text --format sarif=out.sarif (default: text)")
    p.add_argument("--output", "-o", help="write the report without =FILE there, not stdout")
    p.add_argument("--waivers", help="waiver file (YAML); adds to `waivers:` in the spec")
    p.add_argument("--fail-on", choices=[s.value for s in Severity], default=None,
                   help="exit 1 only for failures of this severity or above (default: any)")
    p.add_argument("--verbose", "-v", action="store_true", help="text: show passing checks too")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="text: colour (default: only on a terminal)")


def build_parser() -> argparse.ArgumentParser:
    """The whole CLI."""
    parser = _Parser(prog="tablespec", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tablespec {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    plan = sub.add_parser("plan", help="check `terraform show -json` output (CI gate)")
    plan.add_argument("plan_file", metavar="PLAN.json")
    _common(plan)
    audit = sub.add_parser("audit", help="audit the live account(s), read-only")
    audit.add_argument("--region", action="append", default=[],
                       help="region to audit (repeatable; default: the credential chain's)")
    audit.add_argument("--profile", help="AWS profile to use")
    audit.add_argument("--role-arn", action="append", default=[],
                       help="role to assume, one per account (repeatable)")
    audit.add_argument("--external-id", help="external ID for --role-arn")
    audit.add_argument("--max-workers", type=int, default=8,
                       help="concurrent API workers (default: %(default)s)")
    audit.add_argument("--allow-unknown", action="store_true",
                       help="do not fail the run on unknown findings")
    audit.add_argument("--sample-items", type=int, default=0, metavar="N",
                       help="read up to N items per TTL table to check TTL values "
                       "(needs dynamodb:Scan)")
    _common(audit)
    perms = sub.add_parser("permissions", help="print the least-privilege IAM policy `audit` needs")
    perms.add_argument("--sample-items", type=int, default=0, metavar="N",
                       help="include dynamodb:Scan, which `audit --sample-items N` needs")
    perms.add_argument("--role-arn", action="append", default=[],
                       help="include sts:AssumeRole, which `audit --role-arn` needs")
    spec = sub.add_parser("spec", help="work with spec files")
    spec_sub = spec.add_subparsers(dest="spec_command", required=True, parser_class=_Parser)
    validate = spec_sub.add_parser("validate", help="check a spec file")
    validate.add_argument("--spec", default=DEFAULT_SPEC, help="spec file (default: %(default)s)")
    spec_sub.add_parser("schema", help="print the spec's JSON Schema (for editors)")
    demo = sub.add_parser("demo", help="check the bundled example plan, compliant and drifted")
    demo.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "plan":
        from checker.run import check_plan

        return check_plan(args)
    if args.command == "audit":
        from checker.audit import run_audit

        return run_audit(args)
    if args.command == "permissions":
        from checker.audit import print_permissions

        return print_permissions(args)
    if args.command == "spec" and args.spec_command == "schema":
        import json

        from checker.spec.load import spec_json_schema

        print(json.dumps(spec_json_schema(), indent=2))
        return 0
    if args.command == "spec":
        from checker.spec.load import load_spec

        spec = load_spec(args.spec)
        print(f"{args.spec}: ok: {len(spec.tables)} tables, environments "
              f"{', '.join(spec.environments)}")
        return 0
    if args.command == "demo":
        from checker.demo import run_demo

        return run_demo(args)
    raise RunError(f"unknown command {args.command}")  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit 0 clean, 1 failing findings, 2 the run could not be made."""
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
    except RunError as err:
        print(f"tablespec: {err.message}", file=sys.stderr)
        if getattr(args, "spec_command", None) == "validate" and len(err.details) > 1:
            for line in err.details[1:]:
                print(f"tablespec: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tablespec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as err:  # never a traceback for users; TABLESPEC_DEBUG=1 shows it
        if os.environ.get("TABLESPEC_DEBUG"):
            raise
        print(f"tablespec: internal error: {type(err).__name__}: {err} "
              "(rerun with TABLESPEC_DEBUG=1 and report it)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
