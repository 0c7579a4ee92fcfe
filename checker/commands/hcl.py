"""`tablespec hcl [PATH ...]`: the pre-commit check, on Terraform source (.tf, .tfvars)."""

from __future__ import annotations

import argparse

from checker import pipeline
from checker.commands.output import emit, gate, outputs, spec_and_waivers
from checker.findings import Note, NoteKind


def run(args: argparse.Namespace) -> int:
    """Evaluate each Terraform root once and check its tables; a root without any is noted."""
    from checker.sources.hcl import read_hcl

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    roots = read_hcl(args.paths or ["."], args.var_file)
    batches = [pipeline.Batch(root.directory, root.states,
                              [Note(NoteKind.SOURCE, n) for n in root.notes]) for root in roots]
    outcome = pipeline.run(spec, batches, kind="hcl",
                           target=", ".join(r.directory for r in roots), environment=args.env,
                           waivers=waivers, gate=gate(args, args.fail_on_unknown),
                           allow_empty=True,
                           mismatch_is_finding=True, strict_names=args.strict_names)
    return emit(outcome, args)
