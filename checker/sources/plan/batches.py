"""The plan source as the pipeline reads it: each plan file a batch (`Source`)."""

from __future__ import annotations

from collections.abc import Sequence

from checker.batch import Batch
from checker.findings import Note, NoteKind
from checker.sources.plan.file import read_plan
from checker.sources.plan.sourcedir import plan_states

STDIN = "<stdin>"


class PlanSource:
    """`terraform show -json` files (`-`: stdin), completed by their root's source when
    *source_dir* is given."""

    kind = "plan"

    def __init__(self, paths: Sequence[str], source_dir: str | None = None) -> None:
        self.paths = list(paths)
        self.source_dir = source_dir

    def read(self) -> list[Batch]:
        """One batch per plan file, with what the source directory could not tell."""
        return [self._batch(path) for path in self.paths]

    def _batch(self, path: str) -> Batch:
        plan = read_plan(path)
        where = STDIN if path == "-" else path
        states, notes = plan_states(plan, where, self.source_dir)
        return Batch(where, states, [Note(NoteKind.SOURCE, n) for n in notes])

    def target(self, batches: Sequence[Batch]) -> str:
        """The plan files read."""
        return ", ".join(b.where for b in batches)
