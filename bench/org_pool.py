"""K shard workers (`bench/org_worker.py shards`), fed shard events from one queue.

Each worker is a fresh interpreter that imports tablespec once and then handles shards in
turn, as a warm Lambda container does. It is started through a small launcher that forks
and execs it, so that its ru_maxrss is its own: Linux keeps the forking process's
high-water mark across fork + exec (see bench/measure.py).
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import BenchError

LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


@dataclass
class Worker:
    """What one worker did: its import time, each shard's handler time, CPU and summary."""

    import_seconds: float
    seconds: list[float]
    cpu: list[float]
    summaries: list[dict[str, Any]]
    peak_rss_mb: float


def _reply(proc: subprocess.Popen[str], log: Path) -> dict[str, Any]:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        tail = log.read_text(errors="replace")[-3000:]
        raise BenchError(f"shard worker exited {proc.returncode} mid-run ({log}):\n{tail}")
    got: dict[str, Any] = json.loads(line)
    return got


def _drive(todo: queue.SimpleQueue[dict[str, Any]], env: dict[str, str], log: Path) -> Worker:
    cmd = [sys.executable, "-I", "-S", "-c", LAUNCHER, sys.executable, "-m",
           "bench.org_worker", "shards"]
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err, env=env, text=True)
    assert proc.stdin is not None
    try:
        ready = _reply(proc, log)
        seconds: list[float] = []
        cpu: list[float] = []
        summaries: list[dict[str, Any]] = []
        while True:
            try:
                event = todo.get_nowait()
            except queue.Empty:
                break
            proc.stdin.write(json.dumps(event) + "\n")
            proc.stdin.flush()
            got = _reply(proc, log)
            seconds.append(got["seconds"])
            cpu.append(got["cpu"])
            summaries.append(got["summary"])
        proc.stdin.close()
        peak = _reply(proc, log)["peak_rss_mb"]
        if proc.wait(timeout=60) != 0:
            raise BenchError(f"shard worker exited {proc.returncode} ({log})")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Worker(ready["import_seconds"], seconds, cpu, summaries, peak)


def run_pool(shards: list[dict[str, Any]], workers: int, env: dict[str, str],
             logs: Path) -> list[Worker]:
    """Every shard through *workers* worker processes; what each worker did."""
    todo: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    for shard in shards:
        todo.put(shard)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda i: _drive(todo, env, logs / f"org-worker-{i}.log"),
                             range(workers)))
