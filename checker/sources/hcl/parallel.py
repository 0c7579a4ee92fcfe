"""Evaluations spread over two processes, where there are many and two processors.

`os.fork` and one pipe, not `multiprocessing` (which needs /dev/shm, absent in AWS Lambda):
the child runs the second half of the jobs on the parent's parsed modules (shared
copy-on-write) and sends its results back pickled; the parent runs the first half. The
results keep the jobs' order, and so do errors: the first job that raises, in order,
raises here, as it would run one after another.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
MIN_JOBS = 16  # fewer: not worth a fork (about 10 ms)


def run_all(jobs: Sequence[Callable[[], T]], workers: int) -> list[T]:
    """Every job's result, in order; on two processes when *workers* > 1 and the jobs
    are many."""
    if workers < 2 or len(jobs) < MIN_JOBS or not hasattr(os, "fork"):
        return [job() for job in jobs]
    half = len(jobs) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the second half, pickled to the pipe, then gone
        os.close(read_end)
        code = 0
        try:
            try:
                payload = pickle.dumps((True, [job() for job in jobs[half:]]))
            except BaseException as exc:  # sent to the parent, raised there in order
                payload = pickle.dumps((False, exc))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    try:
        first = [job() for job in jobs[:half]]
        data = pipe.read()
    finally:  # closed first: a child still writing then stops (a broken pipe), never hangs
        pipe.close()
        os.waitpid(pid, 0)
    if not data:  # the child could not send its results: run its half here
        return [*first, *(job() for job in jobs[half:])]
    ok, rest = pickle.loads(data)
    if not ok:
        raise rest
    return [*first, *rest]
