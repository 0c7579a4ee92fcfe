"""A progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from checker.sources.live.source import Progress


class Bar(Progress):
    """`audit  [#####.....]  37/150 tables` on one line, redrawn at most 10 times a second."""

    WIDTH = 30

    def __init__(self, stream: TextIO, label: str = "audit") -> None:
        self.stream = stream
        self.label = label
        self.total = 0
        self.done = 0
        self._lock = threading.Lock()
        self._drawn = 0.0
        self._shown = False

    def add(self, n: int) -> None:
        """More tables found."""
        with self._lock:
            self.total += n
            self._draw(force=True)

    def step(self) -> None:
        """One table read."""
        with self._lock:
            self.done += 1
            self._draw(force=self.done == self.total)

    def close(self) -> None:
        """Erase the bar."""
        with self._lock:
            if self._shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._shown = False

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        filled = self.WIDTH * self.done // self.total if self.total else 0
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} tables")
        self.stream.flush()
        self._shown = True


def for_stderr(label: str = "audit") -> Progress:
    """A Bar when stderr is a terminal; otherwise a Progress that prints nothing."""
    stream = sys.stderr
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return Bar(stream, label)
    return Progress()
