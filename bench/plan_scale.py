"""How `tablespec plan` scales with plan size, against a json.load floor and Checkov.

Method (details in bench/README.md). The real `terraform show -json` plan of
examples/terraform prod is the template: its `module.dynamodb` (3 tables, 6 throttle
alarms) is copied into ceil(N/3) module calls `module.dynamodb_KKKK` throughout the plan
(resource_changes, planned_values, configuration, ...), tables renamed
`hypermage-vr-tNNNNN-prod`. spec-N.yaml is specs/tables.yaml with N tables cycling through
the three real definitions. Tables numbered 50 mod 100 (1 %) have PITR off. Per size, each
of these runs as its own subprocess, forked by a small launcher interpreter and reaped with
os.wait4 (wall time, peak RSS, CPU time); best wall time and highest peak RSS are reported:

  floor      python -c "json.load(open(FILE, 'rb'))" (the same interpreter)
  tablespec  tablespec plan FILE --spec spec-N.yaml --format json -o /dev/null  (exit 1)
  checkov    CHECKOV_MAX_IAC_FILE_SIZE=1 checkov -f FILE --framework terraform_plan
             --skip-download --quiet --compact -o json  (built-in checks; verified to report
             3N resources, CKV_AWS_119 failing N times and CKV_AWS_28 on each PITR-off table)

`.venv/bin/python -m bench.plan_scale [--sizes 100,1000] [--reps 1]`
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from bench.measure import Sample, measure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
TEMPLATE = OUT / "template-prod.plan.json"
MODULE = "dynamodb"
TABLE = "aws_dynamodb_table"
# Spec order of the template's tables; resource names are these with "_".
REAL = ("player-sessions", "interaction-events", "player-rewards")
ENV = "prod"
FLOOR = "import json,sys; json.load(open(sys.argv[1],'rb'))"
# Not a skip: Checkov parses plan JSON under this size (default 50 MB) with a line-tracking
# YAML loader, above it with json.loads and line numbers 0. 1 byte: its fast path at every N.
CHECKOV_ENV = {"CHECKOV_MAX_IAC_FILE_SIZE": "1"}
MB = 1024 * 1024


def swap(obj: Any, subs: list[tuple[str, str]]) -> Any:
    """A deep copy of *obj* with every substring *a* of its JSON text replaced by *b*."""
    text = json.dumps(obj, separators=(",", ":"))
    for a, b in subs:
        text = text.replace(a, b)
    return json.loads(text)


def table_of(res: dict[str, Any]) -> str:
    """The template table a resource belongs to: `player_sessions` for its table and alarms."""
    if res["type"] == TABLE:
        return str(res["name"])
    return str(res.get("index", "")).rsplit("_", 1)[0]  # throttle["player_sessions_read"]


def build_plan(tpl: dict[str, Any], n: int, physical: str) -> dict[str, Any]:
    """The template plan with its module copied until it holds *n* tables."""
    child = tpl["planned_values"]["root_module"]["child_modules"]
    call = tpl["configuration"]["root_module"]["module_calls"]
    assert len(child) == 1 and list(call) == [MODULE], "template must hold one module.dynamodb"
    unit = {"rc": tpl["resource_changes"], "pv": child[0], "call": call[MODULE],
            "rel": tpl["relevant_attributes"], "checks": tpl["checks"]}
    acc: dict[str, list[Any]] = {k: [] for k in unit if k != "call"}
    calls: dict[str, Any] = {}
    first: list[tuple[str, str]] = []
    for g in range(math.ceil(n / 3)):
        nums = list(range(3 * g + 1, min(3 * g + 3, n) + 1))
        mod = f"{MODULE}_{g + 1:04d}"
        subs = [(f"module.{MODULE}", f"module.{mod}")] + [
            (physical.format(table=REAL[j]), physical.format(table=f"t{i:05d}"))
            for j, i in enumerate(nums)]
        first = first or subs
        keep = {"", *(REAL[j].replace("-", "_") for j in range(len(nums)))}  # "": the alarm config
        off = {REAL[j].replace("-", "_") for j, i in enumerate(nums) if i % 100 == 50}
        gone = [f"{TABLE}.{t.replace('-', '_')}" for t in REAL[len(nums):]]
        u = swap(unit, subs)
        body = u["call"]["module"]
        body["outputs"] = {k: v for k, v in body["outputs"].items()
                           if not any(t in json.dumps(v) for t in gone)}
        no_pitr = {"constant_value": False}
        for items, path, value in ((u["rc"], ("change", "after"), False),
                                   (u["pv"]["resources"], ("values",), False),
                                   (body["resources"], ("expressions",), no_pitr)):
            items[:] = [r for r in items if table_of(r) in keep]
            for r in items:
                if r["type"] == TABLE and r["name"] in off:  # the 1 %: PITR off
                    d = r
                    for key in path:
                        d = d[key]
                    d["point_in_time_recovery"] = [{"enabled": value}]
        u["rel"] = [a for a in u["rel"] if not any(a["resource"].endswith(t) for t in gone)]
        u["pv"] = [u["pv"]]
        for k, items in acc.items():
            items += u[k]
        calls[mod] = u["call"]
    plan: dict[str, Any] = swap(tpl, first)  # what is not copied (root outputs): module 1
    plan["planned_values"]["root_module"]["child_modules"] = acc["pv"]
    plan["configuration"]["root_module"]["module_calls"] = calls
    plan["resource_changes"], plan["relevant_attributes"] = acc["rc"], acc["rel"]
    plan["checks"] = acc["checks"]
    return plan


def generate(n: int, regen: bool) -> tuple[Path, Path]:
    """bench/out/plan-N.json and spec-N.yaml (specs/tables.yaml with tables t00001..tN)."""
    plan_path, spec_path = OUT / f"plan-{n}.json", OUT / f"spec-{n}.yaml"
    if regen or not plan_path.exists() or not spec_path.exists():
        if not TEMPLATE.exists():
            from checker import terraform  # needs terraform and the provider mirror
            TEMPLATE.write_bytes(terraform.plan_tree(ROOT / "examples/terraform",
                                                     "environments/prod"))
        spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "tables.yaml").read_text())
        real = spec["tables"]
        spec["tables"] = {f"t{i:05d}": copy.deepcopy(real[REAL[(i - 1) % 3]])  # no aliases
                          for i in range(1, n + 1)}
        physical = spec["naming"]["pattern"].replace("{project}", spec["project"]) \
            .replace("{environment}", ENV)
        plan = build_plan(json.loads(TEMPLATE.read_bytes()), n, physical)
        plan_path.write_text(json.dumps(plan, separators=(",", ":")), encoding="utf-8")
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return plan_path, spec_path


def checkov_counts(report: Path, n: int, deviating: int) -> dict[str, Any]:
    """Results and failures in Checkov's report, and whatever did not verify."""
    data = json.loads(report.read_text() or "[]")
    parts = [p for p in (data if isinstance(data, list) else [data]) if isinstance(p, dict)]
    summary = [p.get("summary", {}) for p in parts]
    failed = [c["check_id"] for p in parts for c in p.get("results", {}).get("failed_checks", [])]
    resources = sum(s.get("resource_count", 0) for s in summary)
    problems = [f"{what} {got} != {want}" for what, got, want in (
        ("resources", resources, 3 * n), ("CKV_AWS_119 fails", failed.count("CKV_AWS_119"), n),
        ("CKV_AWS_28 fails", failed.count("CKV_AWS_28"), deviating)) if got != want]
    return {"checkov_results": sum(s.get("passed", 0) + s.get("failed", 0) for s in summary),
            "checkov_failed": len(failed), "checkov_note": "; ".join(problems)}


def bench_size(n: int, reps: int, timeout: float, regen: bool) -> dict[str, Any]:
    plan, spec = generate(n, regen)
    deviating = sum(1 for i in range(1, n + 1) if i % 100 == 50)
    ts = [str(BIN / "tablespec"), "plan", str(plan), "--spec", str(spec), "--format", "json"]
    report = OUT / f"tablespec-{n}.json"
    measure([*ts, "-o", str(report)])  # untimed: the report to count, and a warm page cache
    data = json.loads(report.read_text())
    runs: dict[str, list[Sample]] = {"floor": [], "tablespec": [], "checkov": []}
    for _ in range(reps):
        runs["floor"].append(measure([sys.executable, "-c", FLOOR, str(plan)]))
        runs["tablespec"].append(measure([*ts, "-o", os.devnull]))
    ck_cmd = [str(BIN / "checkov"), "-f", str(plan), "--framework", "terraform_plan",
              "--skip-download", "--quiet", "--compact", "-o", "json"]
    ck_out = OUT / f"checkov-{n}.json"
    ck: dict[str, Any] = {"checkov_results": None, "checkov_failed": None,
                          "checkov_note": f"timed out after {timeout:.0f} s"}
    for _ in range(reps):
        runs["checkov"].append(measure(ck_cmd, ck_out, timeout, CHECKOV_ENV))
        if runs["checkov"][-1].timed_out:
            break  # a second timeout would say nothing new
        ck = checkov_counts(ck_out, n, deviating)
    best = {k: min(s.wall for s in v) for k, v in runs.items()}
    rss = {k: max(s.rss_mb for s in v) for k, v in runs.items()}
    return {"n": n, "plan_mb": plan.stat().st_size / MB, "floor_s": best["floor"],
            "tablespec_s": best["tablespec"], "checkov_s": best["checkov"],
            "checkov_timeout": all(s.timed_out for s in runs["checkov"]),
            "ts_over_floor": best["tablespec"] / best["floor"],
            "checkov_speedup": best["checkov"] / best["tablespec"],
            "rss_floor_mb": rss["floor"], "rss_tablespec_mb": rss["tablespec"],
            "rss_checkov_mb": rss["checkov"], "rss_ratio": rss["tablespec"] / rss["floor"],
            "findings": len(data["findings"]), "failed": data["summary"]["failed"],
            "deviating": deviating, **ck,
            "samples": {k: [asdict(s) for s in v] for k, v in runs.items()}}


def targets(f: dict[str, Any]) -> list[str]:
    """The project's targets (issue 27: the CI gate at the floor), judged on one row."""
    bound = " (a lower bound: Checkov timed out)" if f["checkov_timeout"] else ""
    return [f"- {'met' if ok else 'MISSED'}: {what}" for ok, what in (
        (f["ts_over_floor"] <= 2,
         f"at most 2x the json.load floor ({f['ts_over_floor']:.2f}x: "
         f"{f['tablespec_s']:.3f} s against {f['floor_s']:.3f} s)"),
        (f["checkov_speedup"] >= 30,
         f">= 30x faster than Checkov's built-in checks ({f['checkov_speedup']:.1f}x){bound}"),
        (f["rss_ratio"] <= 1.1,
         f"peak RSS within 1.1x of json.load's ({f['rss_ratio']:.3f}x: "
         f"{f['rss_tablespec_mb']:.1f} MB against {f['rss_floor_mb']:.1f} MB)"))]


def markdown(rows: list[dict[str, Any]], facts: dict[str, Any]) -> str:
    lines = ["| tables | plan MB | floor s | tablespec s | checkov s | ts/floor | checkov/ts "
             "| RSS floor MB | RSS ts MB | RSS ts/floor | RSS checkov MB | ts findings (failed) "
             "| checkov results (failed) |", "|" + "---:|" * 13]
    for f in rows:
        gt = "> " if f["checkov_timeout"] else ""
        ckres = "-" if f["checkov_results"] is None else \
            f"{f['checkov_results']} ({f['checkov_failed']})"
        lines.append(
            f"| {f['n']} | {f['plan_mb']:.1f} | {f['floor_s']:.3f} | {f['tablespec_s']:.3f} "
            f"| {gt}{f['checkov_s']:.2f} | {f['ts_over_floor']:.2f}x "
            f"| {gt}{f['checkov_speedup']:.0f}x "
            f"| {f['rss_floor_mb']:.0f} | {f['rss_tablespec_mb']:.0f} | {f['rss_ratio']:.2f}x "
            f"| {'-' if gt else round(f['rss_checkov_mb'])} | {f['findings']} ({f['failed']}) "
            f"| {ckres} |")
    notes = [f"- {f['n']} tables: checkov {f['checkov_note']}" for f in rows if f["checkov_note"]]
    goal = [t for f in rows if f["n"] == 1000 for t in ["Targets at 1000 tables:", *targets(f)]]
    facts_md = [f"- {k}: {v}" for k, v in facts.items()]
    return "\n".join(["# plan_scale", "", *lines, "", *notes, "", *goal, "", "Machine:",
                      *facts_md, ""])


def machine() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text()
                .splitlines() if ln.startswith("model name")), platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "tablespec": version("tablespec"),
            "checkov": version("checkov"), "loadavg_start": round(os.getloadavg()[0], 2),
            "commit": subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                                     capture_output=True, text=True).stdout.strip()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,1000,10000", help="table counts (default: %(default)s)")
    p.add_argument("--reps", type=int, help="repetitions (default: 3, and 2 at 10000 tables)")
    p.add_argument("--checkov-timeout", type=float, default=600.0, help="seconds per Checkov run")
    p.add_argument("--regen", action="store_true", help="regenerate plans and specs")
    args = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    started, facts = time.perf_counter(), machine()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        reps = args.reps or (2 if n >= 10000 else 3)
        rows.append(bench_size(n, reps, args.checkov_timeout, args.regen))
        print(f"N={n} done at {time.perf_counter() - started:.0f} s", file=sys.stderr)
    facts["loadavg_end"] = round(os.getloadavg()[0], 2)
    facts["total_run_s"] = round(time.perf_counter() - started, 1)
    text = markdown(rows, facts)
    (OUT / "plan_scale.md").write_text(text, encoding="utf-8")
    (OUT / "plan_scale.json").write_text(json.dumps({"machine": facts, "rows": rows}, indent=2))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
