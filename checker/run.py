"""One run: spec + source -> findings -> waivers -> reports -> exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from checker.engine import evaluate, failing
from checker.errors import RunError
from checker.model import Finding, Severity, TableState
from checker.report.model import Report
from checker.spec.load import load_spec
from checker.spec.model import Spec
from checker.waivers import Waiver, apply_waivers, load_waivers

STALE = "stale waiver: "
_RENDERERS = {
    "json": "checker.report.jsonreport",
    "sarif": "checker.report.sarif",
    "junit": "checker.report.junit",
    "markdown": "checker.report.markdown",
}


def _colour(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render(report: Report, fmt: str, colour: bool = False, verbose: bool = False) -> str:
    """The report in *fmt*."""
    if fmt == "text":
        from checker.report import text

        return text.render(report, colour=colour, verbose=verbose)
    module = import_module(_RENDERERS[fmt])
    return str(module.render(report))


def waivers_for(spec: Spec, path: str | None) -> list[Waiver]:
    """The spec's own waivers plus those of --waivers."""
    extra = load_waivers(path, spec.environments) if path else []
    return [*spec.waivers, *extra]


def build_report(
    spec: Spec,
    states: Sequence[TableState],
    kind: str,
    target: str,
    env: str | None,
    waivers: Sequence[Waiver] = (),
) -> Report:
    """Evaluate *states* against *spec*, apply *waivers*, into a Report."""
    result = evaluate(spec, states, target, env)
    notes = []
    if result.ignored:
        notes.append(f"{len(result.ignored)} table(s) outside the naming pattern, not checked: "
                     f"{shown(result.ignored)}")
    if result.other_environments:
        notes.append(f"{len(result.other_environments)} table(s) of other environments, "
                     f"not checked: {shown(result.other_environments)}")
    findings, stale = waive(result.findings, waivers)
    return Report(kind, target, spec.path, findings, result.environments, notes + stale)


def shown(names: Sequence[str], most: int = 5) -> str:
    """The first few *names*, with `...` when there are more."""
    return ", ".join(names[:most]) + (" ..." if len(names) > most else "")


def waive(findings: list[Finding], waivers: Sequence[Waiver]) -> tuple[list[Finding], list[str]]:
    """Findings after *waivers*, and a note for each stale waiver."""
    if not waivers:
        return findings, []
    done = apply_waivers(findings, list(waivers))
    return done.findings, [f"{STALE}{w.describe()} matches no failing finding; remove it"
                           for w in done.stale]


def outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) for each requested report."""
    requested: list[tuple[str, str | None]] = args.format or [("text", None)]
    out = [(fmt, path or args.output) for fmt, path in requested]
    to_stdout = [fmt for fmt, path in out if path is None]
    if len(to_stdout) > 1:
        raise RunError(f"formats {', '.join(to_stdout)} would all go to stdout; "
                       "give all but one a file, e.g. --format sarif=report.sarif")
    return out


def emit(report: Report, args: argparse.Namespace) -> int:
    """Write every requested report and return the exit code."""
    targets = outputs(args)
    for note in report.notes:
        if note.startswith(STALE):
            print(f"tablespec: warning: {note}", file=sys.stderr)
    for fmt, path in targets:
        colour = path is None and _colour(args.color, sys.stdout)
        body = render(report, fmt, colour, args.verbose)
        if path is None:
            sys.stdout.write(body)
            sys.stdout.flush()
            continue
        try:
            Path(path).write_text(body, encoding="utf-8")
        except OSError as err:
            raise RunError(f"{path}: cannot write the {fmt} report: {err.strerror}") from None
    threshold = Severity(args.fail_on) if args.fail_on else None
    # Live state is always knowable: in an audit, unknown means a missing permission or fault.
    unknown_fails = args.command == "audit" and not args.allow_unknown
    return 1 if failing(report.findings, threshold, unknown_fails) else 0


def check_plan(args: argparse.Namespace) -> int:
    """`tablespec plan PLAN.json`."""
    from checker.sources.plan import tables_from_plan
    from checker.sources.planfile import read_plan

    spec = load_spec(args.spec)
    waivers = waivers_for(spec, args.waivers)
    outputs(args)  # refuse bad output combinations before reading anything big
    plan = read_plan(args.plan_file)
    states = tables_from_plan(plan, args.plan_file)
    del plan
    report = build_report(spec, states, "plan", args.plan_file, args.env, waivers)
    return emit(report, args)
