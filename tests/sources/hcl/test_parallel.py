"""Evaluations on two processes: the same results, in the same order, errors included."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from checker.errors import RunError
from checker.sources.hcl import read_hcl
from checker.sources.hcl.layouts import Environments
from checker.sources.hcl.parallel import MIN_JOBS, run_all
from tests.sources.hcl.util import repository, write


def _square(n: int) -> int:
    return n * n


def _fail_at(bad: set[int], n: int) -> int:
    if n in bad:
        raise RunError(f"job {n} failed")
    return n


def test_results_keep_the_order_of_the_jobs() -> None:
    jobs = [partial(_square, n) for n in range(MIN_JOBS * 2 + 1)]
    assert run_all(jobs, 2) == run_all(jobs, 1) == [n * n for n in range(MIN_JOBS * 2 + 1)]


@pytest.mark.parametrize("bad", [{MIN_JOBS - 1}, {3, MIN_JOBS - 1}, {1}])
def test_the_first_job_that_raises_in_order_raises(bad: set[int]) -> None:
    """The child's half (the second) raises in the parent; where the parent's half raises
    too, its error is the first in order, and the child is waited for, not left behind."""
    jobs = [partial(_fail_at, bad, n) for n in range(MIN_JOBS)]
    with pytest.raises(RunError, match=f"job {min(bad)} failed"):
        run_all(jobs, 2)


def test_many_roots_read_on_two_processes_as_on_one(tmp_path: Path) -> None:
    table = ('variable "env" {{}}\nresource "aws_dynamodb_table" "t" {{\n'
             '  name = "shop-t{n}-${{var.env}}"\n  hash_key = "id"\n  read_capacity = {n}\n}}\n')
    write(tmp_path, {f"svc/s{n:02d}/main.tf": table.format(n=n) for n in range(MIN_JOBS // 2)}
          | {f"svc/s{n:02d}/env/{e}.tfvars": f'env = "{e}"\n' for n in range(MIN_JOBS // 2)
             for e in ("qa", "prod")})
    repository(tmp_path)
    envs = Environments(("qa", "prod"))
    one = read_hcl([str(tmp_path)], (), envs, workers=1)
    two = read_hcl([str(tmp_path)], (), envs, workers=2)
    assert len(one) == MIN_JOBS and one == two
    assert [(r.environment, [s.read_capacity for s in r.states]) for r in two][:2] == [
        ("prod", [0]), ("qa", [0])]
