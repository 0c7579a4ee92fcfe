"""A repository's other roots: which spec tables the roots a run read lack are declared in
the rest of the repository (a monorepo: each root holds some of the tables).

`tablespec hcl` reads the paths it is given; a spec table those roots lack, in an
environment they serve, is looked for in the repository's other roots, and one of them that
declares it answers for it (`pooling` decides what answers for what). A table no root
answers for stays absent.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from checker import pipeline
from checker.batch import Batch
from checker.errors import RunError
from checker.findings import Note, NoteKind
from checker.paths import git_root
from checker.pooling import Holdings, Pair
from checker.runpolicy import RunPolicy
from checker.sources.hcl import HclRoot, read_hcl
from checker.sources.hcl.batches import root_batches
from checker.sources.hcl.discover import config_dirs
from checker.sources.hcl.layouts import Environments
from checker.specfile.model import Spec


class OtherRoots:
    """The rest of the repository of the roots a run read."""

    def __init__(self, spec: Spec, policy: RunPolicy, environment: str | None,
                 environments: Environments, var_files: Sequence[str], workers: int) -> None:
        self.spec, self.policy, self.environment = spec, policy, environment
        self.environments, self.var_files, self.workers = environments, var_files, workers

    def _pairs(self, batch: Batch, anywhere: bool = True) -> set[Pair]:
        return pipeline.held(self.spec, batch, self.policy, self.environment, anywhere)

    def _missing(self, holdings: Holdings, batches: Sequence[Batch]) -> list[tuple[int, Pair]]:
        """(batch, pair): what each batch lacks in the environments it serves."""
        missing: list[tuple[int, Pair]] = []
        for index, batch in enumerate(batches):
            served = {batch.selected} if batch.selected else {e for _, e in holdings.held[index]}
            ours = holdings.elsewhere(index)
            missing += [(index, (t, e)) for e in sorted(served) for t in self.spec.tables
                        if (t, e) not in holdings.held[index] and (t, e) not in ours]
        return missing

    def answering(self, batches: Sequence[Batch], roots: Sequence[HclRoot]
                  ) -> tuple[list[set[Pair]], list[Note]]:
        """What each other root that answers for a table *batches* lack holds (for
        `pipeline.run`'s *others*), and a note naming the tables they answer for."""
        top = git_root(os.path.abspath(roots[0].directory)) if roots else None
        done = {os.path.abspath(r.directory) for r in roots}
        rest = [d for d in config_dirs(top) if d not in done] if top is not None else []
        if not rest:
            return [], []  # nothing else to look in
        holdings = Holdings(self._pairs(b) for b in batches)
        missing = self._missing(holdings, batches)
        if not missing:
            return [], []
        try:
            others = [r for r in read_hcl(rest, self.var_files, self.environments, self.workers)
                      if os.path.abspath(r.directory) not in done]  # (the walk's)
        except RunError as err:
            return [], [Note(NoteKind.OTHER_ROOTS, f"{len(missing)} spec table(s) the roots "
                             f"read lack were not looked for in the rest of the repository: "
                             f"{err}")]
        wheres: dict[int, str] = {}
        for root, batch in zip(others, root_batches(others), strict=True):
            # only a table whose name, and so environment, is known there stands for it
            named = replace(batch, states=[s for s in batch.states if isinstance(s.name, str)])
            wheres[holdings.add(self._pairs(named, anywhere=False))] = root.directory
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
