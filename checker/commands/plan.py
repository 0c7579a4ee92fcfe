"""`tablespec plan PLAN.json ...`: the CI gate on `terraform show -json` output."""

from __future__ import annotations

import argparse

from checker import pipeline
from checker.commands.output import emit, outputs, spec_and_waivers
from checker.findings import Gate, Note, NoteKind
from checker.runpolicy import RunPolicy
from checker.sources.plan import read_plan
from checker.sources.plan.sourcedir import default_source_dir, plan_states

STDIN = "<stdin>"


def _batch(plan_file: str, source_dir: str | None) -> pipeline.Batch:
    plan = read_plan(plan_file)
    plan_file = STDIN if plan_file == "-" else plan_file
    states, notes = plan_states(plan, plan_file, source_dir)
    return pipeline.Batch(plan_file, states, [Note(NoteKind.SOURCE, n) for n in notes])


def run(args: argparse.Namespace) -> int:
    """Check the plan(s); 0 clean, 1 failing findings, 2 bad input, 3 a bug."""
    spec, waivers = spec_and_waivers(args)
    outputs(args)  # refuse bad output combinations before reading anything big
    source_dir = default_source_dir(args.source_dir)
    batches = [_batch(p, source_dir) for p in args.plan_files]
    outcome = pipeline.run(spec, batches, kind="plan", target=", ".join(b.where for b in batches),
                           environment=args.env, waivers=waivers,
                           gate=Gate.of(args.fail_on, args.fail_on_unknown),
                           policy=RunPolicy.source_check(args.strict_names, allow_empty=False))
    return emit(outcome, args)
