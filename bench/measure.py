"""Time a whole command as its own process: wall time, peak RSS and CPU time of that child.

ru_maxrss counts the memory of the process that forked the child (Linux keeps the
high-water mark across exec), so the benchmark must not fork the commands itself: a small
fresh interpreter (the launcher) forks each one and reports its wait4 figures (its own
floor is about 8 MB). A launcher that fails, or a command that exits with a code the
caller did not expect, stops the benchmark: it is never a 0-second sample.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = """import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    json.dump([wall, os.waitstatus_to_exitcode(status), ru.ru_maxrss, ru.ru_utime + ru.ru_stime], f)
"""


@dataclass
class Sample:
    """One run of one command."""

    wall: float
    rss_mb: float
    rc: int
    cpu: float  # user + system seconds: less sensitive than wall to a busy machine
    timed_out: bool = False


class BenchError(SystemExit):
    """The benchmark cannot go on: a launcher or a command failed."""


def measure(cmd: list[str], stdout: Path | None = None, timeout: float | None = None,
            env: dict[str, str] | None = None, ok: Collection[int] = (0, 1)) -> Sample:
    """Run *cmd* once under the launcher; BenchError when it fails or exits outside *ok*."""
    with tempfile.NamedTemporaryFile() as res, tempfile.TemporaryFile() as err, \
            open(stdout or os.devnull, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, res.name, *cmd],
                                stdout=out, stderr=err, start_new_session=True,
                                env={**os.environ, **(env or {})})
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and everything it started
            proc.wait()
            return Sample(float(timeout or 0), 0.0, -9, 0.0, timed_out=True)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        raw = res.read()
        if proc.returncode != 0 or not raw:
            raise BenchError(f"the launcher for {cmd[0]} failed (exit {proc.returncode}):\n"
                             f"{stderr}")
        wall, rc, maxrss_kb, cpu = json.loads(raw)
        if rc not in ok:
            raise BenchError(f"{' '.join(cmd[:3])} ... exited {rc}:\n{stderr}")
    return Sample(wall, maxrss_kb / 1024, rc, cpu)
