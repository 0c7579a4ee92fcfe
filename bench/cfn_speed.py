"""How fast `tablespec cfn` is as users run it, against cfn-lint and Checkov, on three targets.

Targets: "example" is examples/cloudformation/tables.yaml as it is (3 tables, 6 throttle
alarms, an SNS topic); "CDK assembly" is the cloud assembly of the tests' CDK app
(tests/sources/cfn/cdk/app/app.js, synthesized into the cache: four stacks, one nested,
ten tables and replicas checked), held to the tests' spec for it (written to
bench/out/spec.yaml); "large"
is generated into bench/out/cfn-tables-N.yaml (`--tables`, default 1,000: 3,001 resources,
past CloudFormation's 500 a stack, as a monorepo's worth in one file): the example's header
(parameters, condition), its topic, and tables T00001 ... TN cycling through the example's
three table shapes (player-sessions, interaction-events, player-rewards), each renamed
`hypermage-vr-t00001-${Environment}` ... and followed by its two throttle alarms, in the
example's own YAML with short-form tags. Its spec, bench/out/cfn-spec-N.yaml, is
specs/tables.yaml with tables t00001 ... tN cycling through the three real definitions, as
bench/audit_scale.py writes its spec. Both files are written again on every run, byte for
byte the same.

Method. Each command runs as its own process under the launcher of bench/measure.py (wall
time, and the peak RSS of that child alone), one of each per round, `--reps` rounds (default
5) per template; min and median wall time, the highest peak RSS, and the ratios cfn-lint /
tablespec and Checkov / tablespec (of the mins and of the medians):

  tablespec  tablespec cfn TEMPLATE --spec SPEC --env prod --format json -o REPORT
             (the assembly: no --env, each stack's names tell; exit 0 or 1; 2 or 3 stops
             the bench with its stderr)
  cfn-lint   cfn-lint TEMPLATE        (the assembly: its *.template.json; exit 0 or a sum
             of 2, 4, 8: findings; any other, a crash)
  checkov    checkov -f TEMPLATE --framework cloudformation --quiet --compact --skip-download
             (the assembly: -d DIR) with CKV_SKIP_PACKAGE_UPDATE_CHECK=true and
             BC_SKIP_MAPPING=TRUE (built-in checks)

Before the rounds, untimed (which also warms the page cache): tablespec once (its report's
summary, passed / failed / unknown, shows it did the work; every timed run must give the same
summary), `cfn-lint --format json` (its findings by rule) and Checkov with `-o json`, without
--quiet (its passed and failed checks), then Checkov again with tablespec's policies loaded
(`--external-checks-dir policies`, PYTHONPATH and TABLESPEC_SPEC set as in
bench/checkov_policies.py). If that run gives any result of ours (CKV_TS_*), the same command
is timed as a fourth row; if not, the output says so and Checkov is timed without them.

  .venv/bin/python -m bench.cfn_speed [--reps 5] [--tables 1000]

Writes bench/out/cfn_speed.{json,md} (the JSON has every sample) and prints the Markdown.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.measure import BenchError, Sample, measure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "cloudformation" / "tables.yaml"
SPEC = ROOT / "specs" / "tables.yaml"
POLICIES = ROOT / "policies"
# The example's three table shapes: (logical id in the template, logical table in the spec).
SHAPES = (("PlayerSessions", "player-sessions"), ("InteractionEvents", "interaction-events"),
          ("PlayerRewards", "player-rewards"))
ALARMS = ("ReadThrottles", "WriteThrottles")
CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
CFN_LINT_OK = tuple(range(0, 16, 2))  # 0, or a sum of 2 (error), 4 (warning), 8 (info)

Cmd = tuple[list[str], dict[str, str], tuple[int, ...]]  # command, extra environment, ok codes


def resource_blocks(text: str) -> tuple[str, dict[str, str]]:
    """The text before `Resources:` and each resource's block (from its `  Name:` line to
    the next one, trailing blank lines dropped), by logical id."""
    head, sep, body = text.partition("\nResources:\n")
    if not sep:
        raise BenchError(f"{EXAMPLE}: no `Resources:` section")
    blocks = {}
    for part in re.split(r"(?m)^(?=  [A-Za-z0-9]+:\n)", body):
        if part.strip():
            name = part.split(":", 1)[0].strip()
            blocks[name] = part.rstrip("\n") + "\n"
    return head + "\nResources:\n", blocks


def write_template(n: int) -> Path:
    """bench/out/cfn-tables-N.yaml: N tables in the example's three shapes, each with its two
    alarms, after the example's parameters, condition and SNS topic."""
    head, blocks = resource_blocks(EXAMPLE.read_text(encoding="utf-8"))
    wanted = {"Alerts", *(lid + a for lid, _ in SHAPES for a in ("", *ALARMS))}
    if missing := wanted - blocks.keys():
        raise BenchError(f"{EXAMPLE}: no resource {', '.join(sorted(missing))}")
    head = re.sub(r"(?ms)^Description: .*?\n\n",
                  f"Description: >-\n  {n} DynamoDB tables shaped like the example's "
                  "(examples/cloudformation/tables.yaml),\n  each with its two throttle "
                  "alarms (generated by bench/cfn_speed.py).\n\n", head, count=1)
    parts = [head, blocks["Alerts"]]
    for i in range(1, n + 1):
        logical, table = SHAPES[(i - 1) % 3]
        for suffix in ("", *ALARMS):
            block = blocks[logical + suffix].replace(logical, f"T{i:05d}")
            parts.append("\n" + block.replace(table, f"t{i:05d}"))
    path = OUT / f"cfn-tables-{n}.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_spec(n: int) -> Path:
    """bench/out/cfn-spec-N.yaml: specs/tables.yaml with tables t00001..tN, cycling through
    the three real definitions (as bench/audit_scale.py writes its spec)."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    real = spec["tables"]
    spec["tables"] = {f"t{i:05d}": copy.deepcopy(real[SHAPES[(i - 1) % 3][1]])
                      for i in range(1, n + 1)}
    path = OUT / f"cfn-spec-{n}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def commands(template: Path, spec: Path, report: Path) -> dict[str, Cmd]:
    """name -> the timed command, its extra environment and the exit codes that are not a
    failure. A directory is a cloud assembly: tablespec reads it as one (each stack in its
    environment), cfn-lint is given its templates, Checkov the directory (`-d`)."""
    assembly = template.is_dir()
    env = [] if assembly else ["--env", "prod"]
    files = sorted(str(t) for t in template.glob("*.template.json")) if assembly else [
        str(template)]
    return {
        "tablespec cfn": ([str(BIN / "tablespec"), "cfn", str(template), "--spec", str(spec),
                           *env, "--format", "json", "-o", str(report)], {}, (0, 1)),
        "cfn-lint": ([str(BIN / "cfn-lint"), *files], {}, CFN_LINT_OK),
        "checkov": ([str(BIN / "checkov"), "-d" if assembly else "-f", str(template),
                     "--framework", "cloudformation", "--quiet", "--compact",
                     "--skip-download"], CHECKOV_ENV, (0, 1)),
    }


def with_policies(cmd: Cmd, spec: Path) -> Cmd:
    """The Checkov command with tablespec's policies loaded, as bench/checkov_policies.py
    runs it."""
    argv, env, ok = cmd
    return ([*argv, "--external-checks-dir", str(POLICIES)],
            {**env, "PYTHONPATH": str(ROOT), "TABLESPEC_SPEC": str(spec)}, ok)


def summary(report: Path) -> dict[str, int]:
    """passed / failed / unknown / waived of a tablespec JSON report."""
    return dict(json.loads(report.read_text(encoding="utf-8"))["summary"])


def checkov_results(cmd: Cmd, out: Path) -> dict[str, Any]:
    """One untimed Checkov run with `-o json` and without --quiet: its summary and the
    passed and failed checks by id."""
    argv, env, ok = cmd
    measure([a for a in argv if a != "--quiet"] + ["-o", "json"], out, env=env, ok=ok)
    data = json.loads(out.read_text(encoding="utf-8") or "{}")
    parts = data if isinstance(data, list) else [data]
    by_status: dict[str, Counter[str]] = {"passed": Counter(), "failed": Counter()}
    for part in parts:
        for status, counter in by_status.items():
            counter.update(r["check_id"] for r in part.get("results", {})
                           .get(f"{status}_checks", []))
    return {"resource_count": sum(p.get("summary", {}).get("resource_count", 0) for p in parts),
            "parsing_errors": sum(p.get("summary", {}).get("parsing_errors", 0) for p in parts),
            "passed": dict(sorted(by_status["passed"].items())),
            "failed": dict(sorted(by_status["failed"].items()))}


def cfn_lint_findings(template: Path, out: Path) -> dict[str, int]:
    """One untimed `cfn-lint --format json` run: its findings by rule id."""
    files = sorted(str(t) for t in template.glob("*.template.json")) if template.is_dir() \
        else [str(template)]
    measure([str(BIN / "cfn-lint"), "--format", "json", *files], out, ok=CFN_LINT_OK)
    found = json.loads(out.read_text(encoding="utf-8") or "[]")
    return dict(sorted(Counter(f["Rule"]["Id"] for f in found).items()))


def bench_template(name: str, template: Path, spec: Path, tables: int,
                   reps: int) -> dict[str, Any]:
    """The untimed runs, then *reps* interleaved rounds of the commands on *template*."""
    report = OUT / f"cfn-speed-report-{name}.json"
    cmds = commands(template, spec, report)
    argv, env, ok = cmds["tablespec cfn"]
    measure(argv, env=env, ok=ok)
    verdict = summary(report)
    files = sorted(template.glob("*.json")) if template.is_dir() else [template]
    info: dict[str, Any] = {
        "tables": tables, "template": _shown(template), "spec": _shown(spec),
        "lines": sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files),
        "bytes": sum(f.stat().st_size for f in files), "tablespec_summary": verdict,
        "cfn_lint_findings": cfn_lint_findings(template, OUT / f"cfn-speed-lint-{name}.json"),
        "checkov": checkov_results(cmds["checkov"], OUT / f"cfn-speed-checkov-{name}.json"),
    }
    policies = checkov_results(with_policies(cmds["checkov"], spec),
                               OUT / f"cfn-speed-checkov-policies-{name}.json")
    ours = sum(n for status in ("passed", "failed") for cid, n in policies[status].items()
               if cid.startswith("CKV_TS"))
    info["checkov_policies_results"] = ours
    if ours:
        cmds["checkov + tablespec policies"] = with_policies(cmds["checkov"], spec)
    samples: dict[str, list[Sample]] = {k: [] for k in cmds}
    load = os.getloadavg()[0]
    for _ in range(reps):
        for key, (argv, env, ok) in cmds.items():
            if key == "tablespec cfn":
                report.unlink(missing_ok=True)  # a run that wrote nothing cannot agree
            samples[key].append(measure(argv, env=env, ok=ok))
            if key == "tablespec cfn" and summary(report) != verdict:
                raise BenchError(f"tablespec runs disagree: {summary(report)} != {verdict}")
    stats: dict[str, dict[str, Any]] = {
        key: {"min": min(s.wall for s in v), "median": statistics.median(s.wall for s in v),
              "peak_rss_mb": max(s.rss_mb for s in v),
              "cpu_median": statistics.median(s.cpu for s in v),
              "exit_codes": sorted({s.rc for s in v})} for key, v in samples.items()}
    base = stats["tablespec cfn"]
    for s in stats.values():
        s["ratio_min"] = s["min"] / base["min"]
        s["ratio_median"] = s["median"] / base["median"]
    return {"name": name, **info, "reps": reps, "loadavg_start": round(load, 2),
            "loadavg_end": round(os.getloadavg()[0], 2), "stats": stats,
            "samples": {k: [vars(s) for s in v] for k, v in samples.items()}}


def _shown(path: Path) -> str:
    """*path* relative to the checkout where it is in it (the CDK assembly is in the cache)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def version(tool: str) -> str:
    """`TOOL --version`, its first line."""
    done = subprocess.run([str(BIN / tool), "--version"], capture_output=True, text=True,
                          env={**os.environ, **CHECKOV_ENV})
    return (done.stdout or done.stderr).strip().splitlines()[0]


def machine() -> dict[str, Any]:
    """The machine and the versions, as the other benches describe them."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text()
                .splitlines() if ln.startswith("model name")), platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "tablespec": version("tablespec"), "cfn-lint": version("cfn-lint"),
            "checkov": version("checkov"), "loadavg_start": round(os.getloadavg()[0], 2),
            "commit": subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                                     capture_output=True, text=True).stdout.strip()}


def _counts(by_id: dict[str, int]) -> str:
    return ", ".join(f"{n} {cid}" for cid, n in by_id.items()) or "none"


def markdown(results: list[dict[str, Any]], facts: dict[str, Any]) -> str:
    """The results as a Markdown table, what each tool found, and the machine."""
    lines = ["# cfn_speed: `tablespec cfn` against cfn-lint and Checkov", "",
             "Each command its own process, one of each per round, rounds per template: "
             f"{results[0]['reps']}; x ts = command / `tablespec cfn` (of the mins, of the "
             "medians); peak RSS is the highest of the rounds.", "",
             "| template | command | min s | median s | peak RSS MB | x ts (min) "
             "| x ts (median) | exit codes |", "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        label = f"{r['name']} ({r['tables']} tables, {r['lines']} lines)"
        for key, s in r["stats"].items():
            lines.append(f"| {label} | {key} | {s['min']:.3f} | {s['median']:.3f} "
                         f"| {s['peak_rss_mb']:.0f} | {s['ratio_min']:.1f}x "
                         f"| {s['ratio_median']:.1f}x | {s['exit_codes']} |")
    lines += ["", "What each found (untimed runs before the rounds):", ""]
    for r in results:
        ts, ck = r["tablespec_summary"], r["checkov"]
        clean = ts.get("failed") == 0 and ts.get("unknown") == 0  # the templates comply
        lines += [f"- {r['name']} (`{r['template']}`, {r['bytes']:,} bytes; load average "
                  f"{r['loadavg_start']} -> {r['loadavg_end']}):",
                  f"  - tablespec: {ts['passed']} passed, {ts['failed']} failed, "
                  f"{ts['unknown']} unknown" + ("" if clean else
                                                " (EXPECTED none failed or unknown)"),
                  f"  - cfn-lint: {sum(r['cfn_lint_findings'].values())} findings "
                  f"({_counts(r['cfn_lint_findings'])})",
                  f"  - checkov: {ck['resource_count']} resources, {ck['parsing_errors']} "
                  f"parsing errors; passed {sum(ck['passed'].values())} "
                  f"({_counts(ck['passed'])}); failed {sum(ck['failed'].values())} "
                  f"({_counts(ck['failed'])})",
                  "  - checkov with `--external-checks-dir policies`: "
                  + (f"{r['checkov_policies_results']} results of ours, timed above"
                     if r["checkov_policies_results"] else
                     "no CKV_TS result (EXPECTED tablespec's verdicts): Checkov is timed "
                     "without them")]
    lines += ["", "Machine:", *[f"- {k}: {v}" for k, v in facts.items()], ""]
    return "\n".join(lines)


def main() -> int:
    """Generate the large template and its spec, bench both templates; print and write
    bench/out/cfn_speed.{json,md}."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="rounds per template (default: 5)")
    ap.add_argument("--tables", type=int, default=1000,
                    help="tables in the large template (default: 1000)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    started, facts = time.perf_counter(), machine()
    from tests.sources.cfn.cdk.synth import COMPLIANT, assembly
    from tests.sources.cfn.cdk.synth import spec as cdk_spec

    templates = [("example", EXAMPLE, SPEC, 3),  # the CDK app of the tests, synthesized:
                 ("CDK assembly", assembly(COMPLIANT), cdk_spec(OUT), 10),
                 ("large", write_template(args.tables), write_spec(args.tables), args.tables)]
    results = []
    for name, template, spec, tables in templates:
        results.append(bench_template(name, template, spec, tables, args.reps))
        print(f"{name} done at {time.perf_counter() - started:.0f} s", file=sys.stderr)
    facts["loadavg_end"] = round(os.getloadavg()[0], 2)
    facts["total_run_s"] = round(time.perf_counter() - started, 1)
    text = markdown(results, facts)
    (OUT / "cfn_speed.json").write_text(
        json.dumps({"machine": facts, "templates": results}, indent=2) + "\n", encoding="utf-8")
    (OUT / "cfn_speed.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
