"""What every checking command shares: its spec and waivers, its reports, its last words."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from checker.commands.stdout import to_stdout
from checker.errors import RunError, report_bug
from checker.findings import NoteKind
from checker.paths import git_root
from checker.pipeline import Outcome
from checker.report import render
from checker.specfile.discover import CANDIDATES, find_spec
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from checker.waivers import Waiver, load_waivers


def spec_and_waivers(args: argparse.Namespace) -> tuple[Spec, list[Waiver]]:
    """The spec, and its waivers plus those of --waivers (a bad file stops the run here)."""
    spec = load_spec(find_spec(args.spec))
    extra = load_waivers(args.waivers, spec.environments, tuple(spec.tables)) \
        if args.waivers else []
    return spec, [*spec.waivers, *extra]


def outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) for each requested report."""
    requested: list[tuple[str, str | None]] = args.format or [("text", None)]
    out = [(fmt, path or args.output) for fmt, path in requested]
    to_stdout = [fmt for fmt, path in out if path is None]
    if len(to_stdout) > 1:
        raise RunError(f"formats {', '.join(to_stdout)} would all go to stdout; "
                       "give all but one a file, e.g. --format sarif=report.sarif")
    return out


def _colour(choice: str, stream: TextIO) -> bool:
    if choice in ("always", "never"):
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


def emit(outcome: Outcome, args: argparse.Namespace) -> int:
    """Write every requested report, warn on stderr, and return the exit code."""
    report = outcome.report
    requested = outputs(args)
    if ("text", None) not in requested:  # a text report on stdout shows them once, as notes
        for note in report.notes:
            if note.kind in (NoteKind.STALE_WAIVER, NoteKind.SECURITY_HUB_FAILED):
                print(f"tablespec: warning: {note.message}", file=sys.stderr)
    for fmt, path in requested:
        body = render(report, fmt, path is None and _colour(args.color, sys.stdout),
                      args.verbose)
        if path is None:
            to_stdout(body)
            continue
        try:
            Path(path).write_text(body, encoding="utf-8")
        except OSError as err:
            raise RunError(f"{path}: cannot write the {fmt} report: {err.strerror}") from None
    if outcome.errors:
        report_bug(f"{len(outcome.errors)} rule evaluation(s) failed and are reported as "
                   "unknown (reason rule_error); the other findings are complete",
                   outcome.errors)
    return outcome.exit_code


def checked_paths(args: argparse.Namespace, spec: Spec) -> list[str]:
    """The paths to read: a spec or waivers file among them (pre-commit passes it when it
    changes; any file named as specs are) stands for every root of its repository."""
    given: list[str] = args.paths or ["."]
    own = [spec.path, *([args.waivers] if args.waivers else [])]
    out: list[str] = []
    for path in given:
        named = path.replace(os.sep, "/").endswith(tuple(f"/{c}" for c in CANDIDATES)) or (
            path in CANDIDATES)
        if os.path.isfile(path) and (named or any(_same(path, o) for o in own)):
            out.append(git_root(os.path.dirname(os.path.abspath(path))) or ".")
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _same(a: str, b: str) -> bool:
    """True when *a* and *b* are the same file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
