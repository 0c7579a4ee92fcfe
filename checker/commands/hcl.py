"""`tablespec hcl [PATH ...]`: the pre-commit check, on Terraform source (.tf, .tfvars)."""

from __future__ import annotations

import argparse
import os

from checker import pipeline
from checker.commands.output import emit, gate, outputs, spec_and_waivers
from checker.findings import Note, NoteKind
from checker.paths import git_root
from checker.spec.discover import CANDIDATES
from checker.spec.model import Spec

WORKSPACE_VARIABLE = "TF_WORKSPACE"  # Terraform's own: the workspace a run is made in
UNTOLD = ("tell it with --env ENV, a variables file named for it (prod.tfvars, or "
          "environments: {ENV: {var_files: [...]}} in the spec), or --var-file FILE; a root "
          "that reads terraform.workspace is evaluated in each environment's workspace "
          "(environments: {ENV: {workspace: NAME}}, or --workspace)")


def _paths(args: argparse.Namespace, spec: Spec) -> list[str]:
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


def run(args: argparse.Namespace) -> int:
    """Evaluate each Terraform root once per environment it serves and check its tables;
    a root without any is noted."""
    from checker.sources.hcl import read_hcl
    from checker.sources.hcl.layouts import Environments

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    envs = Environments(spec.environments, spec.var_files, spec.workspaces, args.env,
                        args.workspace or os.environ.get(WORKSPACE_VARIABLE) or None)
    roots = read_hcl(_paths(args, spec), args.var_file, envs)
    batches = [pipeline.Batch(f"{r.directory} ({r.selected_by})" if r.selected_by
                              else r.directory, r.states,
                              [Note(NoteKind.SOURCE, n) for n in r.notes],
                              selected=r.environment) for r in roots]
    outcome = pipeline.run(spec, batches, kind="hcl",
                           target=", ".join(dict.fromkeys(r.directory for r in roots)),
                           environment=args.env, waivers=waivers,
                           gate=gate(args, args.fail_on_unknown), allow_empty=True,
                           mismatch_is_finding=True, strict_names=args.strict_names,
                           untold=UNTOLD)
    return emit(outcome, args)
