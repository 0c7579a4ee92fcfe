"""`tablespec plan PLAN.json ...`: the CI gate on `terraform show -json` output."""

from __future__ import annotations

import argparse

from checker import pipeline
from checker.commands.output import emit, outputs, spec_and_waivers
from checker.findings import Gate
from checker.runpolicy import RunPolicy
from checker.sources.plan.batches import PlanSource
from checker.sources.plan.sourcedir import default_source_dir


def run(args: argparse.Namespace) -> int:
    """Check the plan(s); 0 clean, 1 failing findings, 2 bad input, 3 a bug."""
    spec, waivers = spec_and_waivers(args)
    outputs(args)  # refuse bad output combinations before reading anything big
    source = PlanSource(args.plan_files, default_source_dir(args.source_dir))
    outcome = pipeline.check(spec, source, environment=args.env, waivers=waivers,
                             gate=Gate.of(args.fail_on, args.fail_on_unknown),
                             policy=RunPolicy.source_check(args.strict_names,
                                                           allow_empty=False))
    return emit(outcome, args)
