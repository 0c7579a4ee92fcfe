"""`tablespec hcl [PATH ...]`: the pre-commit check, on Terraform source (.tf, .tfvars)."""

from __future__ import annotations

import argparse
import os

from checker import pipeline
from checker.commands.output import checked_paths, emit, outputs, spec_and_waivers
from checker.findings import Gate
from checker.runpolicy import RunPolicy

WORKERS = min(os.cpu_count() or 1, 2)  # evaluations of many roots on two processes
WORKSPACE_VARIABLE = "TF_WORKSPACE"  # Terraform's own: the workspace a run is made in
UNTOLD = ("tell it with --env ENV, a variables file named for it (prod.tfvars, or "
          "environments: {ENV: {var_files: [...]}} in the spec), or --var-file FILE; a root "
          "that reads terraform.workspace is evaluated in each environment's workspace "
          "(environments: {ENV: {workspace: NAME}}, or --workspace)")


def run(args: argparse.Namespace) -> int:
    """Evaluate each Terraform root once per environment it serves and check its tables;
    a root without any is noted, and what the roots lack is looked for in the rest of
    their repository (`monorepo`)."""
    from checker.monorepo import OtherRoots
    from checker.sources.hcl.batches import HclSource
    from checker.sources.hcl.layouts import Environments

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    envs = Environments(spec.environments, spec.var_files, spec.workspaces, args.env,
                        args.workspace or os.environ.get(WORKSPACE_VARIABLE) or None)
    policy = RunPolicy.source_check(args.strict_names, UNTOLD)
    source = HclSource(checked_paths(args, spec), args.var_file, envs, WORKERS)
    batches = source.read()
    others, notes = OtherRoots(spec, policy, args.env, envs, args.var_file,
                               WORKERS).answering(batches, source.roots)
    outcome = pipeline.run(spec, batches, kind=source.kind, target=source.target(batches),
                           policy=policy, environment=args.env, waivers=waivers,
                           gate=Gate.of(args.fail_on, args.fail_on_unknown), notes=notes,
                           others=others)
    return emit(outcome, args)
