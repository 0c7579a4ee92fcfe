"""tablespec's answers to the expressions `console` puts to Terraform."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from checker.errors import RunError
from checker.sources.hcl.exprnodes import Lit, Source
from checker.sources.hcl.functions.encoding import cty_json
from checker.sources.hcl.valuemodel import EvalError, Unknown, deep, find_unknown
from tests.sources.hcl.functions.console import DIR, ERR
from tests.sources.hcl.util import instance, repository, write

SITE = Lit(Source("test", b""), 1, 0, 0, None)


def _evaluate(directory: Path, exprs: list[str]) -> list[tuple[str, str]]:
    """Each expression as `local.eN` of one module in *directory*."""
    body = "".join(f"  e{i} = {e}\n" for i, e in enumerate(exprs))
    (directory / "main.tf").write_text(f"locals {{\n{body}}}\n", encoding="utf-8")
    module = instance(directory)
    out: list[tuple[str, str]] = []
    for i in range(len(exprs)):
        value = deep(module.local(f"e{i}", SITE))
        unknown = find_unknown(value)
        if unknown is not None:
            out.append((ERR, unknown.reason))
            continue
        try:
            out.append((cty_json([value]), ""))
        except EvalError as exc:
            out.append((ERR, str(exc)))
    return out


def our_answers(exprs: list[str], files: Mapping[str, str] | None = None
                ) -> dict[str, tuple[str, str]]:
    """Our answer to each of *exprs*: (JSON of `[value]`, "") or (ERR, the unknown's reason)."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = repository(write(Path(tmp).resolve(), dict(files or {})))
        try:
            answers = _evaluate(directory, exprs)
        except RunError:  # one expression we cannot read: each on its own
            answers = []
            for expr in exprs:
                try:
                    answers.extend(_evaluate(directory, [expr]))
                except RunError as exc:
                    answers.append((ERR, str(exc)))
        here = str(directory)
        return {e: (a.replace(here, DIR), r) for e, (a, r) in zip(exprs, answers, strict=True)}


__all__ = ["Unknown", "our_answers"]
