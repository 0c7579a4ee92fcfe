"""`tablespec hcl [PATH ...]`: the pre-commit check, on Terraform source (.tf, .tfvars)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from checker import pipeline
from checker.commands.output import checked_paths, emit, outputs, spec_and_waivers
from checker.errors import RunError
from checker.findings import Gate, Note, NoteKind
from checker.paths import git_root
from checker.pooling import Holdings, Pair
from checker.runpolicy import RunPolicy
from checker.specfile.model import Spec

if TYPE_CHECKING:
    from checker.sources.hcl import HclRoot
    from checker.sources.hcl.layouts import Environments

WORKERS = min(os.cpu_count() or 1, 2)  # evaluations of many roots on two processes
WORKSPACE_VARIABLE = "TF_WORKSPACE"  # Terraform's own: the workspace a run is made in
UNTOLD = ("tell it with --env ENV, a variables file named for it (prod.tfvars, or "
          "environments: {ENV: {var_files: [...]}} in the spec), or --var-file FILE; a root "
          "that reads terraform.workspace is evaluated in each environment's workspace "
          "(environments: {ENV: {workspace: NAME}}, or --workspace)")


def _policy(args: argparse.Namespace) -> RunPolicy:
    return RunPolicy.source_check(args.strict_names, UNTOLD)


def _batches(roots: Sequence[HclRoot]) -> list[pipeline.Batch]:
    """One batch per evaluation, named by its root and what selected it."""
    return [pipeline.Batch(f"{r.directory} ({r.selected_by})" if r.selected_by
                           else r.directory, r.states,
                           [Note(NoteKind.SOURCE, n) for n in r.notes],
                           selected=r.environment) for r in roots]


def _elsewhere(spec: Spec, batches: list[pipeline.Batch], roots: Sequence[HclRoot],
               envs: Environments, args: argparse.Namespace
               ) -> tuple[list[set[Pair]], list[Note]]:
    """The spec tables the roots read lack, in the environments they serve, looked for in
    the other roots of their repository (a monorepo: each root holds some of the tables):
    what each of those roots holds (`pooling` decides what answers for what), and a note
    naming the tables they answer for; a table no root answers for stays absent."""
    from checker.sources.hcl import read_hcl
    from checker.sources.hcl.discover import config_dirs

    def pairs(batch: pipeline.Batch, anywhere: bool = True) -> set[Pair]:
        return pipeline.held(spec, batch, _policy(args), args.env, anywhere)

    top = git_root(os.path.abspath(roots[0].directory)) if roots else None
    done = {os.path.abspath(r.directory) for r in roots}
    rest = [d for d in config_dirs(top) if d not in done] if top is not None else []
    if not rest:
        return [], []  # nothing else to look in
    holdings = Holdings(pairs(b) for b in batches)
    missing: list[tuple[int, Pair]] = []
    for index, batch in enumerate(batches):
        served = {batch.selected} if batch.selected else {e for _, e in holdings.held[index]}
        ours = holdings.elsewhere(index)
        missing += [(index, (t, e)) for e in sorted(served) for t in spec.tables
                    if (t, e) not in holdings.held[index] and (t, e) not in ours]
    if not missing:
        return [], []
    try:
        others = [r for r in read_hcl(rest, args.var_file, envs, WORKERS)  # (the walk's)
                  if os.path.abspath(r.directory) not in done]
    except RunError as err:
        return [], [Note(NoteKind.OTHER_ROOTS, f"{len(missing)} spec table(s) the roots read "
                         f"lack were not looked for in the rest of the repository: {err}")]
    wheres: dict[int, str] = {}
    for root, batch in zip(others, _batches(others), strict=True):
        # only a table whose name, and so environment, is known there stands for it
        named = replace(batch, states=[s for s in batch.states if isinstance(s.name, str)])
        wheres[holdings.add(pairs(named, anywhere=False))] = root.directory
    declared = {pair: wheres[found[0]] for index, pair in missing
                if (found := holdings.answered_by(index, pair)) and found[0] in wheres}
    if not declared:
        return [], []
    tables = pipeline.shown([f"{t} ({e}, in {where})" for (t, e), where in sorted(
        declared.items())])
    return [holdings.held[i] for i in wheres], [Note(
        NoteKind.OTHER_ROOTS, "spec tables declared in other roots of the repository, not "
        f"among the paths given, are checked with those roots ({len(declared)}, by "
        f"environment): {tables}")]


def run(args: argparse.Namespace) -> int:
    """Evaluate each Terraform root once per environment it serves and check its tables;
    a root without any is noted."""
    from checker.sources.hcl import read_hcl
    from checker.sources.hcl.layouts import Environments

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    envs = Environments(spec.environments, spec.var_files, spec.workspaces, args.env,
                        args.workspace or os.environ.get(WORKSPACE_VARIABLE) or None)
    roots = read_hcl(checked_paths(args, spec), args.var_file, envs, WORKERS)
    batches = _batches(roots)
    others, notes = _elsewhere(spec, batches, roots, envs, args)
    outcome = pipeline.run(spec, batches, kind="hcl", notes=notes, others=others,
                           target=", ".join(dict.fromkeys(r.directory for r in roots)),
                           environment=args.env, waivers=waivers,
                           gate=Gate.of(args.fail_on, args.fail_on_unknown),
                           policy=_policy(args))
    return emit(outcome, args)
