"""What every source is: the plan (`PlanSource`), Terraform source (`HclSource`),
CloudFormation (`CfnSource`) and the live account(s) (`LiveSource`) each read what they were
pointed at into batches, one per place read (a plan file, a root evaluated for an
environment, a template, an account/region), for the pipeline. A source never judges: what
it could not read is an `Unknown`, or a place unreadable as a whole, never a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from checker.batch import Batch


class Source(Protocol):
    """Tables read from the places a run was pointed at."""

    @property
    def kind(self) -> str:
        """The report's source kind: plan, hcl, cfn or live."""
        ...

    def read(self) -> list[Batch]:
        """Read every place: one batch each (RunError when the run cannot be made)."""
        ...

    def target(self, batches: Sequence[Batch]) -> str:
        """What the run read, as the report names it, given what `read` returned."""
        ...
