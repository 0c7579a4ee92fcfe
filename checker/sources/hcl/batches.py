"""Terraform source as the pipeline reads it: each root, once per environment it serves, a
batch (`Source`)."""

from __future__ import annotations

from collections.abc import Sequence

from checker.batch import Batch
from checker.findings import Note, NoteKind
from checker.sources.hcl import HclRoot, read_hcl
from checker.sources.hcl.layouts import Environments


def root_batches(roots: Sequence[HclRoot]) -> list[Batch]:
    """One batch per evaluation, named by its root and what selected it."""
    return [Batch(f"{r.directory} ({r.selected_by})" if r.selected_by else r.directory,
                  r.states, [Note(NoteKind.SOURCE, n) for n in r.notes],
                  selected=r.environment) for r in roots]


class HclSource:
    """The Terraform roots of *paths* (a module through the roots that call it), each with
    its variables files (or *var_files*) in the environments *environments* tells."""

    kind = "hcl"

    def __init__(self, paths: Sequence[str], var_files: Sequence[str] = (),
                 environments: Environments | None = None, workers: int = 1) -> None:
        self.paths = list(paths)
        self.var_files = list(var_files)
        self.environments = environments or Environments()
        self.workers = workers
        self.roots: list[HclRoot] = []  # what `read` evaluated

    def read(self) -> list[Batch]:
        """Evaluate every root (`read_hcl`): one batch per evaluation."""
        self.roots = read_hcl(self.paths, self.var_files, self.environments, self.workers)
        return root_batches(self.roots)

    def target(self, batches: Sequence[Batch]) -> str:
        """The roots read, each once."""
        return ", ".join(dict.fromkeys(r.directory for r in self.roots))
