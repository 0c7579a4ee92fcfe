"""A fixed pool of daemon worker threads, for calls the run may abandon at its deadline.

`concurrent.futures.ThreadPoolExecutor` joins its workers when the interpreter exits, so a
call still waiting for its answer at the deadline would keep the process up for as long as
that call may take after the report is out. These workers are daemons: once the report is
written, nothing the run no longer waits for keeps it alive.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class Pool:
    """`submit` work to *workers* daemon threads; `shutdown` when done."""

    def __init__(self, workers: int, name: str = "tablespec") -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"{name}_{i}", daemon=True)
                         for i in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run *fn(*args)* on a worker; its future."""
        job: Future[T] = Future()
        self._jobs.put((job, fn, args))
        return job

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, fn, args = item
            if not job.set_running_or_notify_cancel():
                continue
            try:
                job.set_result(fn(*args))
            except BaseException as err:  # handed to whoever waits on the job
                job.set_exception(err)

    def shutdown(self, wait: bool = True) -> None:
        """Cancel what has not started, let the workers end; with *wait*, wait for them."""
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        for _ in self._threads:
            self._jobs.put(None)
        if wait:
            for thread in self._threads:
                thread.join()
