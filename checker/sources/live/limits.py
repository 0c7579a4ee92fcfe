"""How long the audit may take: timeouts and attempts per call, pages per listing, and the
deadline of the whole run.

A call gets `attempts` tries (the first included), each bounded by `connect_timeout` and
`read_timeout`, with botocore's backoff between them (a random 0 to 2^(n-1) s before retry
n, at most 20 s); a paginated call stops at `max_pages`. After the deadline no attempt is
sent, and the run reports what it read: what it had not is unknown (`timeout`).
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, TypeVar

from checker.sources.live.faults import DeadlinePassed
from checker.unknown import Reason, Unknown

T = TypeVar("T")

CONNECT_TIMEOUT = 3.0  # seconds to open a connection, per attempt
READ_TIMEOUT = 15.0  # seconds to wait for an answer, per attempt
MAX_ATTEMPTS = 5  # per call, the first included (botocore's `total_max_attempts`)
PROBE_ATTEMPTS = 2  # STS and Organizations: their first call says whether anything works
PROBE_READ_TIMEOUT = 10.0
MAX_PAGES = 1000  # per paginated call: 100,000 tables or alarms at 100 a page
DEADLINE = 1800.0  # seconds for the whole audit (`--timeout`; 0: none)
BACKOFF_MAX = 20.0  # botocore's longest wait between two attempts


class Deadline:
    """When the run must have read what it reports; `never()` for no deadline."""

    def __init__(self, seconds: float | None, label: str = "") -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds
        self.label = label or (f"--timeout {seconds:g}" if seconds is not None else "")

    @classmethod
    def never(cls) -> Deadline:
        """No deadline: each call is still bounded by its timeouts and attempts."""
        return cls(None)

    def left(self) -> float | None:
        """Seconds left (0 once passed), or None without a deadline."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        """Whether the deadline has passed."""
        return self.at is not None and time.monotonic() >= self.at

    @property
    def why(self) -> str:
        """What the deadline was, for messages."""
        return f"the audit's deadline ({self.label}) passed first"

    def unknown(self, what: str) -> Unknown:
        """The Unknown of *what*, not read by the deadline."""
        return Unknown(f"{what} was not read: {self.why}", Reason.TIMEOUT)

    def wait(self, future: Future[T]) -> T | None:
        """The result of *future*, or None when the deadline passes first (its exception, if
        it raised one)."""
        try:
            return future.result(timeout=self.left())
        except FutureTimeout:
            return None

    def guard(self, client: Any) -> None:
        """Make *client* send no attempt once the deadline has passed (no retry after it)."""
        if self.at is None:
            return

        def check(**_: Any) -> None:
            if self.passed():
                raise DeadlinePassed(why=self.why)

        client.meta.events.register("before-send", check)


@dataclass(frozen=True)
class Limits:
    """The time and size bounds of an audit (CLI options, or the Lambda's settings)."""

    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    attempts: int = MAX_ATTEMPTS
    max_pages: int = MAX_PAGES
    deadline: Deadline = field(default_factory=Deadline.never)

    @property
    def call_bound(self) -> float:
        """The longest one call can take: every attempt timing out, every backoff at most."""
        waits = sum(min(2.0 ** n, BACKOFF_MAX) for n in range(self.attempts - 1))
        return self.attempts * (self.connect_timeout + self.read_timeout) + waits


DEFAULT = Limits()
