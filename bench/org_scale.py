"""How the organization fan-out scales, against the single-process `audit --org`, in one run.

Method. A moto server runs in its own process. An AWS Organization is made on it with the
management account's credentials (`bench/org_world.py`): N member accounts (default 120),
the spec's tables in every 4th of them in every region (some drifted), the rest with none
(not timed). Then, per latency and repetition:

- the fan-out, as the state machine runs it: `checker.lambdas.fanout.list_shards` as its own
  process, every shard through `checker.lambdas.scheduled.handler` in a pool of K worker
  processes (each imports tablespec once and handles shards in turn, as warm Lambda
  containers do; `bench/org_pool.py`), then `checker.lambdas.fanout.merge` as its own process.
  The whole is timed wall clock; each shard's handler time is timed inside its worker.
- `tablespec audit --org --region R ... --format json` as its own process, with
  `--max-workers` at its default and at 16 (wall time and peak RSS from wait4).

With a latency, every process talks to moto through `bench/proxy.py`, which sleeps that long
before forwarding each call and counts the calls on the wire (at 0 ms: moto directly, and one
untimed counted run of each first). The merged report and every single-process report must
hold the same findings (rule id, table, resource, status) and scope, or the bench fails.

  .venv/bin/python -m bench.org_scale [--accounts 120] [--regions eu-west-1,us-east-1,eu-central-1]
      [--workers 8] [--cli-workers default,16] [--latency-ms 0,20] [--reps 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.audit_scale import moto_process
from bench.measure import BenchError, measure
from bench.org_pool import run_pool
from bench.org_world import BUCKET, ROLE, Org, build
from bench.proxy import latency_proxy
from checker.specfile.load import load_spec
from tests.support.moto import session_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SPEC = ROOT / "specs" / "tables.yaml"
WORKER = [sys.executable, "-m", "bench.org_worker"]
Verdict = tuple[tuple[tuple[str, ...], ...], frozenset[tuple[str, str]]]


def stats(xs: list[float]) -> dict[str, float]:
    """min, median and max, in seconds."""
    return {"min": round(min(xs), 4), "median": round(statistics.median(xs), 4),
            "max": round(max(xs), 4)} if xs else {}


def verdict(report: dict[str, Any]) -> Verdict:
    """What two reports of the same organization must agree on: findings and scope."""
    return (tuple(sorted((f["rule_id"], f["table"] or "", f["resource"], f["status"])
                         for f in report["findings"])),
            frozenset((s["account"], s["region"]) for s in report["source"].get("scope", [])))


class Bench:
    """The organization, its hub's bucket, and the processes run against it."""

    def __init__(self, org: Org, moto: str) -> None:
        self.org, self.moto = org, moto
        mine = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env = {**mine, **org.env, "AWS_DEFAULT_REGION": org.regions[0],
                    "AWS_EC2_METADATA_DISABLED": "true", "PYTHONPATH": str(ROOT),
                    "TABLESPEC_REPORT_BUCKET": BUCKET, "TABLESPEC_SPEC": str(SPEC),
                    "TABLESPEC_REGIONS": ",".join(org.regions),
                    "TABLESPEC_ORG_ROLE_NAME": ROLE}
        self.s3 = session_for(org.env).client("s3", region_name=org.regions[0],
                                              endpoint_url=moto)

    def read(self, key: str) -> Any:
        """A JSON object of the hub's bucket (read directly from moto, not counted)."""
        return json.loads(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())

    def fan_out(self, url: str, workers: int, run_id: str) -> tuple[dict[str, Any], Any]:
        """list_shards, every shard through the pool, merge: the figures and the report."""
        env = {**self.env, "AWS_ENDPOINT_URL": url}
        started = time.perf_counter()
        listed = measure([*WORKER, "list", run_id], OUT / "org-list.json", env=env, ok=(0,))
        shards = self.read(json.loads((OUT / "org-list.json").read_text())["key"])
        began = time.perf_counter()
        pool = run_pool(shards, workers, env, OUT)
        pooled = time.perf_counter() - began
        merged = measure([*WORKER, "merge", run_id], OUT / "org-merge.json", env=env,
                         ok=(0,))
        wall = time.perf_counter() - started
        done = [(s, t) for w in pool for s, t in zip(w.summaries, w.seconds, strict=True)]
        cpu = [c for w in pool for c in w.cpu]
        bad = [s for s, _ in done if s["exit_code"] not in (0, 1)]
        if len(done) != len(shards) or bad:
            raise BenchError(f"{len(done)} of {len(shards)} shards answered; shards that could "
                             f"not be audited (exit 2 or 3): {bad[:3]}")
        full = [t for s, t in done if s["passed"] + s["failed"] + s["unknown"] > 0]
        empty = [t for s, t in done if s["passed"] + s["failed"] + s["unknown"] == 0]
        figures = {
            "workers": workers, "shards": len(shards), "wall": round(wall, 3),
            "list_seconds": round(listed.wall, 3), "shards_seconds": round(pooled, 3),
            "merge_seconds": round(merged.wall, 3),
            "shards_per_second": round(len(shards) / wall, 2),
            "shards_per_second_pool": round(len(shards) / pooled, 2),
            "handler": stats([t for _, t in done]), "handler_with_tables": stats(full),
            "handler_empty": stats(empty), "handler_cpu": stats(cpu),
            "handler_samples": [round(t, 4) for _, t in done],
            "worker_import_seconds": stats([w.import_seconds for w in pool]),
            "worker_peak_rss_mb": [round(w.peak_rss_mb, 1) for w in pool],
            "list_peak_rss_mb": round(listed.rss_mb, 1),
            "merge_peak_rss_mb": round(merged.rss_mb, 1),
        }
        return figures, self.read(json.loads((OUT / "org-merge.json").read_text())["key"])

    def single(self, url: str, workers: int | None) -> tuple[dict[str, Any], Any]:
        """`tablespec audit --org` as its own process: the figures and the report."""
        report = OUT / "org-audit-report.json"
        cmd = [str(Path(sys.executable).parent / "tablespec"), "audit", "--org",
               *(a for r in self.org.regions for a in ("--region", r)), "--format", "json",
               "-o", str(report), *(["--max-workers", str(workers)] if workers else [])]
        got = measure(cmd, env={**self.env, "AWS_ENDPOINT_URL": url})
        figures = {"workers": workers or "default", "wall": round(got.wall, 3),
                   "cpu": round(got.cpu, 3), "peak_rss_mb": round(got.rss_mb, 1)}
        return figures, json.loads(report.read_text())


@contextmanager
def wire(moto: str, latency_ms: int) -> Iterator[tuple[str, Counter[str] | None]]:
    """Through the counting proxy with a latency; at 0 ms, moto directly (nothing counted)."""
    if not latency_ms:
        yield moto, None
        return
    with latency_proxy(moto, latency_ms) as (url, counter):
        yield url, counter


def main() -> int:
    """Run the benchmark; print and write bench/out/org_scale.{json,md}."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--accounts", type=int, default=120)
    ap.add_argument("--regions", default="eu-west-1,us-east-1,eu-central-1")
    ap.add_argument("--workers", type=int, default=8, help="shard worker processes (K)")
    ap.add_argument("--cli-workers", default="default,16")
    ap.add_argument("--latency-ms", default="0,20")
    ap.add_argument("--reps", type=int, default=1)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    regions = args.regions.split(",")
    cli_workers = [None if w == "default" else int(w) for w in args.cli_workers.split(",")]
    latencies = [int(x) for x in args.latency_ms.split(",")]
    load_start, begun = os.getloadavg(), time.monotonic()
    runs: list[dict[str, Any]] = []
    calls: dict[str, Counter[str]] = {}
    reference: list[tuple[str, Verdict]] = []  # the first run's answer, and which run
    with moto_process() as moto:
        started = time.monotonic()
        org = build(moto, load_spec(SPEC), args.accounts, regions)
        setup = time.monotonic() - started
        print(f"moto: {len(org.members)} accounts x {len(regions)} regions, {org.tables} spec "
              f"tables ({org.pitr_off} places with PITR off, {org.alarms_deleted} alarms "
              f"deleted) made in {setup:.1f}s", flush=True)
        bench = Bench(org, moto)

        def check(report: Any, what: str) -> None:
            got = verdict(report)
            if not reference:
                reference.append((what, got))
            first, want = reference[0]
            if got != want:
                only = sorted(set(got[0]) ^ set(want[0]))[:4]
                raise BenchError(f"wrong answer: {what} and {first} disagree ({len(got[0])} vs "
                                 f"{len(want[0])} findings, scope "
                                 f"{'equal' if got[1] == want[1] else 'differs'}); findings "
                                 f"in one only, e.g. {only}")

        def one(url: str, lat: int, rep: int, counter: Counter[str] | None,
                timed: bool = True) -> None:
            for kind in ("fanout", *(f"single-{w or 'default'}" for w in cli_workers)):
                before = Counter(counter or {})
                if kind == "fanout":
                    figures, report = bench.fan_out(url, args.workers, f"l{lat}-r{rep}")
                else:
                    w = kind.removeprefix("single-")
                    figures, report = bench.single(url, None if w == "default" else int(w))
                check(report, f"{kind} at {lat} ms")
                name = "fanout" if kind == "fanout" else "single"
                if counter is not None and name not in calls:
                    calls[name] = Counter(counter) - before
                if timed:
                    runs.append({"kind": name, "latency_ms": lat, "rep": rep, **figures,
                                 "summary": report["summary"]})
                    print(f"latency {lat:>3} ms  {kind:<15} {figures['wall']:8.2f}s",
                          flush=True)

        if not any(latencies):
            with latency_proxy(moto, 0) as (url, counter):
                one(url, 0, 0, counter, timed=False)  # untimed: the calls on the wire
        for rep in range(1, args.reps + 1):
            for lat in latencies:
                with wire(moto, lat) as (url, live):
                    one(url, lat, rep, live)
    tables = org.tables
    result = {
        "accounts": len(org.members), "regions": regions, "shards": org.shards,
        "spec_tables": tables, "places_with_tables": org.places,
        "pitr_off_places": org.pitr_off, "alarms_deleted": org.alarms_deleted,
        "setup_seconds": round(setup, 1), "fanout_workers": args.workers,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "total_seconds": round(time.monotonic() - begun, 1),
        "findings": len(reference[0][1][0]) if reference else 0,
        "calls": {k: dict(sorted(c.items())) for k, c in calls.items()},
        "calls_per_table": {k: round(sum(c.values()) / tables, 2) for k, c in calls.items()},
        "reads_per_table": {k: round(sum(n for op, n in c.items() if not op.startswith("s3:"))
                                     / tables, 2) for k, c in calls.items()},
        "runs": runs,
    }
    (OUT / "org_scale.json").write_text(json.dumps(result, indent=2) + "\n")
    (OUT / "org_scale.md").write_text(markdown(result))
    print(markdown(result))
    return 0


def markdown(r: dict[str, Any]) -> str:
    """The figures as a Markdown table and a few lines."""
    lines = [f"{r['accounts']} accounts x {len(r['regions'])} regions = {r['shards']} shards, "
             f"{r['spec_tables']} spec tables in {r['places_with_tables']} of them, on a local "
             f"moto server ({r['machine']}; load average {r['load_average']['start'][0]} at "
             f"start, {r['load_average']['end'][0]} at end).", "",
             "| latency | command | wall | shards/s | shard handler min / median / max | "
             "median with tables / empty | CPU per shard (median) | peak RSS |",
             "| ---: | --- | ---: | ---: | --- | --- | ---: | --- |"]
    for run in r["runs"]:
        if run["kind"] == "fanout":
            h, full, empty = run["handler"], run["handler_with_tables"], run["handler_empty"]
            rss = run["worker_peak_rss_mb"]
            lines.append(
                f"| {run['latency_ms']} ms | fan-out, K={run['workers']} | "
                f"{run['wall']:.2f} s (list {run['list_seconds']:.2f} + shards "
                f"{run['shards_seconds']:.2f} + merge {run['merge_seconds']:.2f}) | "
                f"{run['shards_per_second']:.1f} | {h['min']:.3f} / {h['median']:.3f} / "
                f"{h['max']:.3f} s | {full.get('median', 0):.3f} / {empty.get('median', 0):.3f}"
                f" s | {run['handler_cpu']['median']:.3f} s | workers {min(rss):.0f}-"
                f"{max(rss):.0f} MB, merge {run['merge_peak_rss_mb']:.0f} MB |")
        else:
            lines.append(f"| {run['latency_ms']} ms | `audit --org`, --max-workers "
                         f"{run['workers']} | {run['wall']:.2f} s | "
                         f"{r['shards'] / run['wall']:.1f} | | | {run['cpu']:.2f} s in all | "
                         f"{run['peak_rss_mb']:.0f} MB |")
    lines.append("")
    for kind, calls in r["calls"].items():
        listed = ", ".join(f"{n} {op}" for op, n in calls.items())
        lines.append(f"{kind}: {sum(calls.values())} calls on the wire, "
                     f"{r['calls_per_table'][kind]:.2f} per spec table "
                     f"({r['reads_per_table'][kind]:.2f} without S3): {listed}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
