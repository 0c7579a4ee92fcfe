"""What differs between the commands in how a run treats what its sources found.

Each command passes one `RunPolicy` to the pipeline (which hands it to the engine) instead
of a flag per difference: the CI gate and the pre-commit checks hold a table of another
environment against the run, the audit only notes it; pre-commit accepts places with no
table at all; an audit of several accounts may find none of the spec's tables anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

UNTOLD = "pass --env ENV"


@dataclass(frozen=True)
class RunPolicy:
    """How one run treats what it finds (the default: the audit's, of one account)."""

    # plan, hcl, cfn: a table of another environment than the run's is a finding (a prod
    # table in a dev plan); the audit only notes it (--env selects what it reads).
    mismatch_is_finding: bool = False
    # --strict-names: a table outside the spec's naming is a (low) finding, not only a note.
    strict_names: bool = False
    # pre-commit (hcl, cfn): places that hold no table at all are only noted.
    allow_empty: bool = False
    # an audit of several accounts (or a shard of one): none of the spec's tables anywhere
    # is a clean answer, each place read saying so in a note.
    empty_is_clean: bool = False
    # the places are parts of one whole (a plan's files, a repository's roots, templates):
    # a spec table one lacks is no finding where another answers for it (`pooling`).
    pooled: bool = False
    # what to do when nothing tells the environment (the end of that error's sentence).
    untold: str = UNTOLD

    @classmethod
    def source_check(cls, strict_names: bool, untold: str = UNTOLD,
                     allow_empty: bool = True) -> RunPolicy:
        """The policy of the checks before deploy (plan; hcl and cfn: *allow_empty*)."""
        return cls(mismatch_is_finding=True, strict_names=strict_names,
                   allow_empty=allow_empty, pooled=True, untold=untold)


LENIENT = RunPolicy()  # the default: another environment's table is only noted
