"""One run: spec + source -> findings -> report -> exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checker.engine import evaluate, failing
from checker.errors import RunError
from checker.model import Severity, TableState
from checker.report.model import Report
from checker.spec.load import load_spec
from checker.spec.model import Spec


def _colour(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render(report: Report, fmt: str, colour: bool = False, verbose: bool = False) -> str:
    """The report in *fmt*."""
    if fmt == "json":
        from checker.report import jsonreport

        return jsonreport.render(report)
    from checker.report import text

    return text.render(report, colour=colour, verbose=verbose)


def build_report(
    spec: Spec, states: Sequence[TableState], kind: str, target: str, env: str | None
) -> Report:
    """Evaluate *states* against *spec* into a Report."""
    result = evaluate(spec, states, target, env)
    notes = []
    if result.ignored:
        shown = ", ".join(result.ignored[:5]) + (" ..." if len(result.ignored) > 5 else "")
        notes.append(f"{len(result.ignored)} table(s) outside the naming pattern, not checked: "
                     f"{shown}")
    return Report(kind, target, spec.path, result.findings, result.environments, notes)


def emit(report: Report, args: argparse.Namespace) -> int:
    """Write the report where asked and return the exit code."""
    stream = sys.stdout
    colour = args.output is None and _colour(args.color, stream)
    body = render(report, args.format, colour, args.verbose)
    if args.output:
        try:
            Path(args.output).write_text(body, encoding="utf-8")
        except OSError as err:
            raise RunError(f"{args.output}: cannot write the report: {err.strerror}") from None
    else:
        stream.write(body)
        stream.flush()
    threshold = Severity(args.fail_on) if args.fail_on else None
    # Live state is always knowable: in an audit, unknown means a missing permission or fault.
    unknown_fails = args.command == "audit" and not args.allow_unknown
    return 1 if failing(report.findings, threshold, unknown_fails) else 0


def check_plan(args: argparse.Namespace) -> int:
    """`tablespec plan PLAN.json`."""
    from checker.sources.plan import tables_from_plan
    from checker.sources.planfile import read_plan

    spec = load_spec(args.spec)
    plan = read_plan(args.plan_file)
    states = tables_from_plan(plan, args.plan_file)
    del plan
    return emit(build_report(spec, states, "plan", args.plan_file, args.env), args)
