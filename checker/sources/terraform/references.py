"""Terraform's references, as a plan's configuration (and Checkov's `references_`) list them.

An expression's references are each traversal it makes, followed by that traversal's
prefixes down to its root: `aws_kms_key.k[0].arn` gives `aws_kms_key.k[0].arn`,
`aws_kms_key.k[0]`, `aws_kms_key.k`. An expression is one reference, and nothing around
it, only when its list is exactly that.
"""

from __future__ import annotations

import re

_STEP = re.compile(r'\.[\w-]+|\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')


def steps_of(ref: str) -> list[str]:
    """`aws_kms_key.k[0].arn` -> [`aws_kms_key`, `.k`, `[0]`, `.arn`]."""
    head, _, rest = ref.partition(".")
    return [head, *(m.group(0) for m in _STEP.finditer("." + rest))] if rest else [head]


def root_size(steps: list[str]) -> int:
    """How many steps name the referenced object: `data.TYPE.NAME` three, others two."""
    return 3 if steps[0] == "data" else 2


def one_traversal(refs: list[str]) -> str | None:
    """The traversal an expression is, when its references are exactly that traversal and
    its prefixes down to its root, in Terraform's order; else None."""
    if not refs or len(refs) > refs[0].count(".") + refs[0].count("[") or len(refs) != len(
            set(refs)):
        return None  # more references than one traversal has prefixes, or one twice
    steps = steps_of(refs[0])
    chain = ["".join(steps[:n]) for n in range(len(steps), root_size(steps) - 1, -1)]
    return refs[0] if refs == chain else None
