"""`tablespec merge REPORT.json ...`: one report from many (e.g. one audit per account/region).

The JSON reports are read back and written again in any format, with the summary counted
anew and the exit code of the whole: a scheduled audit that fans out over accounts (one job
each) ends with one report and one verdict. `--expect shards.json` names the shards that
should have reported; each one that did not is an unknown finding.
"""

from __future__ import annotations

import argparse

from checker.commands.output import emit
from checker.errors import RunError
from checker.findings import Gate
from checker.pipeline import EXIT_CLEAN, EXIT_FAILED, Outcome
from checker.report.merge import combine, read_report, read_shards


def run(args: argparse.Namespace) -> int:
    """Merge the reports and write the result; the exit code says what the whole says."""
    if not args.reports and not args.expect:
        raise RunError("nothing to merge: pass the JSON reports (and --expect SHARDS.json)")
    reports = [(p, read_report(p)) for p in args.reports]
    expect = read_shards(args.expect) if args.expect else None
    kinds = {str(r["source"].get("kind")) for _, r in reports}
    policy = Gate.of(args.fail_on, kinds <= {"live"} and not args.allow_unknown)
    report = combine(reports, policy, expect, kind="live" if expect else None)
    failed = policy.failing(report.findings)
    return emit(Outcome(report, EXIT_FAILED if failed else EXIT_CLEAN), args)
