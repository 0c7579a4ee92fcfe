"""How `tablespec audit` scales: 1,000 tables and 2,000 alarms on a local moto server.

Method. A moto server runs in its own process on 127.0.0.1 (a free port). A spec with the
keys of specs/tables.yaml lists N logical tables t00001..tN, cycling through the three real
table definitions; every one is created in prod through boto3 (TTL, PITR, tags, the two
throttle alarms each: 2N alarms), and every table numbered 50 mod 100 (1 %) gets PITR
turned off, so there are real failures. Then the command users run,

  tablespec audit --spec SPEC --env prod --region eu-west-1 --max-workers W --format json

is timed as its own process (start-up, imports and rendering included) for each
configuration (latency, workers), the configurations alternating within each repetition;
the best wall time per configuration is kept. With a latency, the audit talks to moto
through a proxy that sleeps that long before forwarding each HTTP attempt, standing in for
the round trip to a real regional endpoint. The API calls are counted on the wire, by the
proxy, in one untimed run before the timed ones.

  .venv/bin/python -m bench.audit_scale [--tables 1000] [--workers 1,8,16]
                                        [--latency-ms 0,20] [--reps 2] [--all-keys]

With --all-keys the spec also sets every key that reads with calls of its own (Contributor
Insights, resource policies, autoscaling: ALL_KEYS), so the calls per table show their cost.
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
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import boto3
import yaml

from bench.measure import measure
from bench.proxy import latency_proxy
from checker.demo.account import Writers, create_spec_tables
from checker.specfile.load import load_spec
from tests.support.moto import free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
REGION = "eu-west-1"
REAL = ("player-sessions", "interaction-events", "player-rewards")
PER_TABLE = ("DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups",
             "ListTagsOfResource", "DescribeContributorInsights", "GetResourcePolicy")
# The spec keys whose audit makes calls of its own, for --all-keys.
ALL_KEYS: dict[str, Any] = {
    "contributor_insights": {"required_in": ["prod"]},
    "resource_policy": {"public": False, "accounts": ["111111111111"]},
    "capacity": {"autoscaling": {"required_in": ["prod"], "min": 1, "max": 1000}},
}


@dataclass
class Run:
    """The best timed audit of one configuration."""

    workers: int
    latency_ms: int
    seconds: float
    samples: list[float]
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


def write_spec(n: int, all_keys: bool = False) -> Path:
    """bench/out/audit-spec-N.yaml: specs/tables.yaml with tables t00001..tN (and, with
    *all_keys*, ALL_KEYS in its defaults)."""
    spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "tables.yaml").read_text())
    if all_keys:
        spec["defaults"].update(copy.deepcopy(ALL_KEYS))
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


def audit_once(spec: Path, endpoint: str, workers: int, report: Path) -> float:
    """`tablespec audit` as its own process; its wall time (exit 2 or 3 stops the bench)."""
    cmd = [str(BIN / "tablespec"), "audit", "--spec", str(spec), "--env", "prod", "--region",
           REGION, "--max-workers", str(workers), "--format", "json", "-o", str(report)]
    return measure(cmd, env={"AWS_ENDPOINT_URL": endpoint}).wall


def summary(report: Path) -> tuple[int, int]:
    """(failed, passed) of a JSON report."""
    data = json.loads(report.read_text())
    return data["summary"]["failed"], data["summary"]["passed"]


def main() -> int:
    """Run the benchmark; print and write bench/out/audit_scale.{json,md}."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--workers", default="1,8,16")
    ap.add_argument("--latency-ms", default="0,20")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--all-keys", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    workers = [int(w) for w in args.workers.split(",")]
    latencies = [int(x) for x in args.latency_ms.split(",")]
    spec_path = write_spec(args.tables, args.all_keys)
    report = OUT / "audit-report.json"
    os.environ.update(AWS_DEFAULT_REGION=REGION, AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench", AWS_EC2_METADATA_DISABLED="true")
    with moto_process() as moto:
        started = time.monotonic()
        tables, alarms = populate(spec_path, moto)
        setup = time.monotonic() - started
        print(f"moto: {tables} tables, {alarms} alarms created in {setup:.1f}s", flush=True)
        with latency_proxy(moto, 0) as (counted, calls):
            audit_once(spec_path, counted, max(workers), report)  # untimed: the call count
        verdict = summary(report)
        samples: dict[tuple[int, int], list[float]] = {(lat, w): [] for lat in latencies
                                                       for w in workers}
        for _ in range(args.reps):
            for lat in latencies:
                with latency_proxy(moto, lat) if lat else nullcontext((moto, None)) as (url, _):
                    for w in workers:
                        samples[(lat, w)].append(audit_once(spec_path, url, w, report))
                        if summary(report) != verdict:
                            raise SystemExit(f"runs disagree: {summary(report)} != {verdict}")
                        print(f"latency {lat:>3} ms  workers {w:>2}: "
                              f"{samples[(lat, w)][-1]:7.2f}s", flush=True)
    runs = [Run(w, lat, min(s), s, *verdict) for (lat, w), s in samples.items()]
    per_table = sum(calls.get(f"DynamoDB_20120810:{op}", 0) for op in PER_TABLE) / tables
    result = {
        "tables": tables, "alarms": alarms, "setup_seconds": round(setup, 1),
        "spec_keys": sorted(ALL_KEYS) if args.all_keys else [],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "calls": dict(sorted(calls.items())), "calls_per_table": per_table,
        "runs": [asdict(r) for r in runs],
        "speedup": {f"{lat}ms": {str(w): round(_best(runs, lat, 1) / _best(runs, lat, w), 2)
                                 for w in workers}
                    for lat in latencies if 1 in workers},
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
    keys = f"; the spec also sets {', '.join(r['spec_keys'])}" if r["spec_keys"] else ""
    lines = [f"{r['tables']} tables, {r['alarms']} alarms on a local moto server "
             f"({r['machine']}); `tablespec audit` timed as its own process{keys}.", "",
             "| latency per call | workers | wall time (best) | all samples | speed-up vs 1 |",
             "| ---: | ---: | ---: | --- | ---: |"]
    for run in r["runs"]:
        lat = f"{run['latency_ms']}ms"
        speed = r["speedup"].get(lat, {}).get(str(run["workers"]))
        every = ", ".join(f"{s:.2f}" for s in run["samples"])
        lines.append(f"| {lat} | {run['workers']} | {run['seconds']:.2f} s | {every} | "
                     f"{'' if speed is None else f'{speed:.2f}x'} |")
    listed = ", ".join(f"{n} {op}" for op, n in calls.items())
    lines += ["", f"API calls on the wire per audit: {sum(calls.values())} "
              f"({r['calls_per_table']:.2f} per table): {listed}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
