"""`tablespec plan PLAN.json`: the CI gate on `terraform show -json` output."""

from __future__ import annotations

import argparse

from checker import pipeline
from checker.commands.output import emit, gate, outputs, spec_and_waivers
from checker.sources.plan import read_plan, tables_from_plan


def run(args: argparse.Namespace) -> int:
    """Check the plan; 0 clean, 1 failing findings, 2 bad input, 3 a bug."""
    spec, waivers = spec_and_waivers(args)
    outputs(args)  # refuse bad output combinations before reading anything big
    plan = read_plan(args.plan_file)
    states = tables_from_plan(plan, args.plan_file)
    del plan
    outcome = pipeline.run(spec, [pipeline.Batch(args.plan_file, states)], kind="plan",
                           target=args.plan_file, environment=args.env, waivers=waivers,
                           gate=gate(args))
    return emit(outcome, args)
