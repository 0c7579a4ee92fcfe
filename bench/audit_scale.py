"""How `tablespec audit` scales: 1,000 tables and 2,000 alarms on a local moto server.

Method. A moto server runs in its own process on 127.0.0.1 (a free port), so the audit's
threads do not share a GIL with it. A spec with the keys of specs/tables.yaml lists N
logical tables t00001..tN, cycling through the three real table definitions; every one is
created in prod through boto3 (TTL, PITR, tags, the two throttle alarms each: 2N alarms),
and every table numbered 50 mod 100 (1 %) gets PITR turned off, so there are real failures.
Then, in the same run, the audit (`checker.audit.audit`, exactly what `tablespec audit
--env prod` runs) is timed with one worker and with the pool, each repetition on its own,
and the best wall time is kept. Every API call is counted by the audit's own call log. With
`--latency-ms`, each HTTP attempt first sleeps that long, standing in for the round trip to
a real regional endpoint that a local server does not have.

  .venv/bin/python bench/audit_scale.py [--tables 1000] [--workers 1,8,16]
                                        [--latency-ms 0,20] [--reps 2]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
import yaml

from checker.audit import AuditOptions, audit
from checker.demoaudit import free_port
from checker.exampleaccount import Writers, create_spec_tables
from checker.sources.liveclients import client_hook
from checker.spec.load import load_spec

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REGION = "eu-west-1"
REAL = ("player-sessions", "interaction-events", "player-rewards")
PER_TABLE = ("DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups",
             "ListTagsOfResource")


@dataclass
class Run:
    """One timed audit."""

    workers: int
    latency_ms: int
    seconds: float
    calls: dict[str, int]
    failed: int
    passed: int


@contextmanager
def moto_process() -> Iterator[str]:
    """A moto server in a child process; stopped (and waited for) at the end."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("moto server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def write_spec(n: int) -> Path:
    """bench/out/audit-spec-N.yaml: specs/tables.yaml with tables t00001..tN."""
    spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "tables.yaml").read_text())
    real = spec["tables"]
    spec["tables"] = {f"t{i:05d}": copy.deepcopy(real[REAL[(i - 1) % 3]])
                      for i in range(1, n + 1)}
    path = OUT / f"audit-spec-{n}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def populate(spec_path: Path, endpoint: str) -> tuple[int, int]:
    """Create every table of the spec in prod; PITR off on 1 %. Returns (tables, alarms)."""
    spec = load_spec(spec_path)
    writers = Writers(boto3.Session(), REGION, endpoint)
    names = create_spec_tables(writers, spec, "prod", workers=8)
    for i, name in enumerate(names, start=1):
        if i % 100 == 50:
            writers.dynamodb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={
                    "PointInTimeRecoveryEnabled": False})
    alarms = sum(len(p["MetricAlarms"]) for p in
                 writers.cloudwatch.get_paginator("describe_alarms").paginate())
    return len(names), alarms


def _latency(ms: int) -> Any:
    def install(client: Any) -> None:
        def wait(**_: Any) -> None:
            time.sleep(ms / 1000)
        client.meta.events.register("before-send", wait)
    return install


def timed(spec_path: Path, workers: int, latency_ms: int) -> Run:
    """One audit of prod in the region."""
    opts = AuditOptions(spec=str(spec_path), env="prod", regions=[REGION], max_workers=workers,
                        progress=False)
    with client_hook(_latency(latency_ms)) if latency_ms else _nothing():
        result = audit(opts)
    calls = {f"{s}:{o}": n for (s, o), n in sorted(result.calls.counts.items())}
    summary = result.report.contract_summary()
    return Run(workers, latency_ms, result.seconds, calls, summary["failed"], summary["passed"])


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main() -> int:
    """Run the benchmark; print and write bench/out/audit_scale.{json,md}."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--workers", default="1,8,16")
    ap.add_argument("--latency-ms", default="0,20")
    ap.add_argument("--reps", type=int, default=2)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    worker_counts = [int(w) for w in args.workers.split(",")]
    latencies = [int(x) for x in args.latency_ms.split(",")]
    spec_path = write_spec(args.tables)
    with moto_process() as endpoint:
        os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION=REGION,
                          AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                          AWS_EC2_METADATA_DISABLED="true")
        started = time.monotonic()
        tables, alarms = populate(spec_path, endpoint)
        setup = time.monotonic() - started
        print(f"moto: {tables} tables, {alarms} alarms created in {setup:.1f}s", flush=True)
        runs: list[Run] = []
        for latency in latencies:
            for workers in worker_counts:
                best = min((timed(spec_path, workers, latency) for _ in range(args.reps)),
                           key=lambda r: r.seconds)
                runs.append(best)
                print(f"latency {latency:>3} ms  workers {workers:>2}: {best.seconds:7.2f}s  "
                      f"{best.failed} failed / {best.passed} passed", flush=True)
    assert len({(r.failed, r.passed) for r in runs}) == 1, "runs disagree"
    calls = runs[0].calls
    per_table = sum(calls.get(f"dynamodb:{op}", 0) for op in PER_TABLE) / tables
    result = {
        "tables": tables, "alarms": alarms, "setup_seconds": round(setup, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "calls": calls, "calls_per_table": per_table,
        "runs": [asdict(r) for r in runs],
        "speedup": {f"{lat}ms": {str(w): round(_best(runs, lat, 1) / _best(runs, lat, w), 2)
                                 for w in worker_counts}
                    for lat in latencies if 1 in worker_counts},
    }
    (OUT / "audit_scale.json").write_text(json.dumps(result, indent=2) + "\n")
    (OUT / "audit_scale.md").write_text(markdown(result))
    print(markdown(result))
    return 0


def _best(runs: list[Run], latency: int, workers: int) -> float:
    return next(r.seconds for r in runs if r.latency_ms == latency and r.workers == workers)


def markdown(r: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    calls = r["calls"]
    lines = [f"{r['tables']} tables, {r['alarms']} alarms on a local moto server "
             f"({r['machine']}).", "",
             "| latency per call | workers | wall time | speed-up vs 1 worker |",
             "| ---: | ---: | ---: | ---: |"]
    for run in r["runs"]:
        lat = f"{run['latency_ms']}ms"
        speed = r["speedup"].get(lat, {}).get(str(run["workers"]))
        lines.append(f"| {lat} | {run['workers']} | {run['seconds']:.2f} s | "
                     f"{'' if speed is None else f'{speed:.2f}x'} |")
    lines += ["", f"API calls per audit: {sum(calls.values())} — "
              f"{r['calls_per_table']:.2f} per table (DescribeTable, DescribeTimeToLive, "
              "DescribeContinuousBackups, ListTagsOfResource), "
              f"{calls.get('dynamodb:ListTables', 0)} ListTables pages, "
              f"{calls.get('cloudwatch:DescribeAlarms', 0)} DescribeAlarms page(s), "
              f"{calls.get('kms:DescribeKey', 0)} kms:DescribeKey (one per distinct key), "
              f"{calls.get('kms:ListAliases', 0)} kms:ListAliases, "
              f"{calls.get('sts:GetCallerIdentity', 0)} sts:GetCallerIdentity.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
