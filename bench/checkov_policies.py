"""Checkov with tablespec's policies against `tablespec plan`, on the same generated plan.

The plan and spec are plan_scale.py's (bench/out/plan-N.json, spec-N.yaml: N tables, 1 %
with PITR off). Each command runs as a fresh process under the launcher of bench/measure.py,
the two alternating, `--reps` times:

  checkov    CHECKOV_MAX_IAC_FILE_SIZE=1 TABLESPEC_SPEC=spec-N.yaml checkov -f PLAN
             --framework terraform_plan --skip-download --external-checks-dir policies -o json
  tablespec  tablespec plan PLAN --spec spec-N.yaml --format json -o /dev/null

  builtin    the same Checkov command without --external-checks-dir (what our checks add)
  replay     the same Checkov command with as many stand-in checks as ours, on the same
             resources, each answering what ours answered in the last run (read from a
             table): what Checkov itself spends on running that many checks and reporting
             their results, without our code (reading the plan, placing, judging)

The overhead of our policies is (checkov - builtin) / builtin, on the best and the median
times; (replay - builtin) / builtin is Checkov's share of it, the rest our code's.

Both run this checkout's code. The last Checkov report is checked: one result for each (table,
check) that `tablespec plan` passes or fails on the same plan, and CKV_TS_PITR_001 failing on
exactly the PITR-off tables.

`.venv/bin/python -m bench.checkov_policies [--tables 1000] [--reps 3]`
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import plan_scale
from bench.measure import Sample, measure
from checker.checkov.ids import checkov_id, rule_id_for

REPLAY = """\"\"\"Stand-ins for tablespec's Checkov checks: each answers what ours answered.\"\"\"
import json
from pathlib import Path

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ANSWERS = json.loads((Path(__file__).parent / "answers.json").read_text())


class Replay(BaseResourceCheck):
    def __init__(self, ours: str) -> None:
        super().__init__(name=f"replay of {ours}", id=ours.replace("CKV_TS_", "CKV_RP_"),
                         categories=[CheckCategories.CONVENTION],
                         supported_resources=["aws_dynamodb_table",
                                              "aws_dynamodb_table_replica"])
        self.answers = ANSWERS[ours]

    def scan_resource_conf(self, conf):
        return CheckResult[self.answers.get(str(conf.get("__address__")), "UNKNOWN")]


CHECKS = [Replay(ours) for ours in ANSWERS]
"""

ROOT = plan_scale.ROOT
OUT = plan_scale.OUT


def expected_results(plan: Path, spec: Path) -> int:
    """Our checks that give PASSED or FAILED: the (table, covered rule) pairs `tablespec plan`
    passes or fails on the same plan, or cannot tell on a critical or high rule (which
    Checkov is told as FAILED; the other unknowns it leaves out)."""
    from checker.batch import Batch
    from checker.checkov.checks import covered_rules
    from checker.engine import evaluate
    from checker.findings import Reason, Severity, Status
    from checker.runpolicy import RunPolicy
    from checker.sources.plan import read_plan, tables_from_plan
    from checker.specfile.load import load_spec

    covered = {r.id: r.severity for r in covered_rules()}
    found = evaluate(load_spec(spec), Batch(str(plan), tables_from_plan(read_plan(plan),
                                                                     str(plan))),
                     RunPolicy(mismatch_is_finding=True)).findings
    return len({(f.resource, f.rule_id) for f in found if f.rule_id in covered and (
        f.status in (Status.PASS, Status.FAIL) or (
            f.status is Status.UNKNOWN and f.reason is not Reason.NOT_EVALUATED
            and covered[f.rule_id].rank >= Severity.HIGH.rank))})


def verify(report: Path, n: int, deviating: int, ours: int) -> list[str]:
    """What is wrong with Checkov's report, if anything."""
    data = json.loads(report.read_text() or "{}")
    parts = data if isinstance(data, list) else [data]
    results = [r for p in parts for kind in ("passed_checks", "failed_checks")
               for r in p.get("results", {}).get(kind, []) if rule_id_for(r["check_id"])]
    failed = [r for p in parts for r in p.get("results", {}).get("failed_checks", [])]
    pitr = sum(1 for r in failed if r["check_id"] == checkov_id("TS-PITR-001"))
    tables = len({r["resource"] for r in results})
    problems = [f"{what}: {got} != {want}" for what, got, want in (
        ("tables with our results", tables, n), ("our results", len(results), ours),
        ("CKV_TS_PITR_001 failures", pitr, deviating)) if got != want]
    return problems


def write_replay(report: Path, directory: Path) -> int:
    """Checks that answer, per resource, what ours answered in *report* (UNKNOWN where
    Checkov reported nothing: it leaves unknowns out); the number of results replayed."""
    from checker.checkov.checks import covered_rules

    data = json.loads(report.read_text() or "{}")
    answers: dict[str, dict[str, str]] = {checkov_id(r.id): {} for r in covered_rules()}
    kinds = {"passed_checks": "PASSED", "failed_checks": "FAILED"}  # CheckResult names
    for part in data if isinstance(data, list) else [data]:
        for kind, result in kinds.items():
            for r in part.get("results", {}).get(kind, []):
                if r["check_id"] in answers:
                    answers[r["check_id"]][r["resource"]] = result
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "__init__.py").write_text("")
    (directory / "answers.json").write_text(json.dumps(answers))
    (directory / "tablespec_replay_checks.py").write_text(REPLAY)
    return sum(len(a) for a in answers.values())


def replay_results(report: Path) -> int:
    """PASSED and FAILED results of the stand-ins in *report*."""
    data = json.loads(report.read_text() or "{}")
    return sum(1 for part in (data if isinstance(data, list) else [data])
               for kind in ("passed_checks", "failed_checks")
               for r in part.get("results", {}).get(kind, [])
               if r["check_id"].startswith("CKV_RP_"))


def overhead(runs: dict[str, list[Sample]], key: str) -> tuple[float, float, float]:
    """The time of *key* over Checkov's built-in checks alone, minus one: best and median
    wall time, and best CPU time (user + system: less moved by a busy machine)."""
    def ratio(pick: Any, figure: str) -> float:
        return float(pick(getattr(s, figure) for s in runs[key]) /
                     pick(getattr(s, figure) for s in runs["builtin"]) - 1)
    return ratio(min, "wall"), ratio(statistics.median, "wall"), ratio(min, "cpu")


def _row(name: str, samples: list[Sample]) -> str:
    walls = [s.wall for s in samples]
    return (f"| {name} | {len(samples)} | {min(walls):.2f} | {statistics.median(walls):.2f} "
            f"| {min(s.cpu for s in samples):.2f} "
            f"| {max(s.rss_mb for s in samples):.0f} | {sorted({s.rc for s in samples})} |")


def markdown(n: int, runs: dict[str, list[Sample]], problems: list[str],
             facts: dict[str, Any], replayed: int) -> str:
    """The results as a small Markdown table with the ratio."""
    best = {k: min(s.wall for s in v) for k, v in runs.items()}
    mid = {k: statistics.median(s.wall for s in v) for k, v in runs.items()}
    ours, hosting = overhead(runs, "checkov"), overhead(runs, "replay")
    met = "met" if ours[0] <= 0.10 else "MISSED"
    lines = [f"# checkov_policies: {n} tables", "",
             "| command | runs | min s | median s | min CPU s | peak RSS MB | exit codes |",
             "|---|---:|---:|---:|---:|---:|---|",
             _row("checkov + tablespec policies", runs["checkov"]),
             _row("checkov, built-in checks only", runs["builtin"]),
             _row("checkov + stand-ins replaying our answers", runs["replay"]),
             _row("tablespec plan", runs["tablespec"]), "",
             f"Our policies add {ours[0]:+.1%} (min) / {ours[1]:+.1%} (median) wall time and "
             f"{ours[2]:+.1%} CPU time (min) to Checkov's own (target: at most +10%: {met}). "
             f"Of that, Checkov's running of as many checks with the same {replayed} results "
             f"(the stand-ins): {hosting[0]:+.1%} / {hosting[1]:+.1%} / {hosting[2]:+.1%}; our "
             f"code (reading the plan, placing, judging): {ours[0] - hosting[0]:+.1%} / "
             f"{ours[1] - hosting[1]:+.1%} / {ours[2] - hosting[2]:+.1%}.", "",
             f"Checkov / tablespec: {best['checkov'] / best['tablespec']:.1f}x (min), "
             f"{mid['checkov'] / mid['tablespec']:.1f}x (median)", "",
             "Checkov report: " + ("; ".join(problems) if problems else "verified"), "",
             "Machine:", *[f"- {k}: {v}" for k, v in facts.items()], ""]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tables", type=int, default=1000, help="table count (default: %(default)s)")
    p.add_argument("--reps", type=int, default=3, help="runs of each (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per Checkov run")
    p.add_argument("--regen", action="store_true", help="regenerate the plan and spec")
    args = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    facts = plan_scale.machine()
    plan, spec = plan_scale.generate(args.tables, args.regen)
    deviating = sum(1 for i in range(1, args.tables + 1) if i % 100 == 50)
    env = {"PYTHONPATH": str(ROOT), "TABLESPEC_SPEC": str(spec), **plan_scale.CHECKOV_ENV,
           "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
    env.pop("TABLESPEC_ENV", None)
    ts = [sys.executable, "-m", "checker.cli", "plan", str(plan), "--spec", str(spec),
          "--format", "json", "-o", os.devnull]
    ck = [str(plan_scale.BIN / "checkov"), "-f", str(plan), "--framework", "terraform_plan",
          "--skip-download", "--external-checks-dir", str(ROOT / "policies"), "-o", "json"]
    report = OUT / f"checkov-policies-{args.tables}.json"
    builtin = [a for a in ck if a not in ("--external-checks-dir", str(ROOT / "policies"))]
    # the stand-ins are generated code: outside the tree, which mypy and ruff check
    replay_dir = Path(tempfile.mkdtemp(prefix="tablespec-replay-"))
    replay_out = OUT / f"checkov-replay-{args.tables}.json"
    replay = [*builtin, "--external-checks-dir", str(replay_dir)]
    runs: dict[str, list[Sample]] = {"checkov": [], "builtin": [], "replay": [],
                                     "tablespec": []}
    measure(ts, env=env)  # untimed: a warm page cache for both
    measure(ck, report, args.timeout, env)  # untimed: our answers, for the stand-ins
    replayed = write_replay(report, replay_dir)
    try:
        for _ in range(args.reps):
            runs["tablespec"].append(measure(ts, env=env))
            runs["checkov"].append(measure(ck, report, args.timeout, env))
            runs["builtin"].append(measure(builtin, None, args.timeout, env))
            runs["replay"].append(measure(replay, replay_out, args.timeout, env))
    finally:
        shutil.rmtree(replay_dir, ignore_errors=True)
    problems = verify(report, args.tables, deviating, expected_results(plan, spec))
    got = replay_results(replay_out)
    problems += [f"replayed results: {got} != {replayed}"] if got != replayed else []
    facts["loadavg_end"] = round(os.getloadavg()[0], 2)
    text = markdown(args.tables, runs, problems, facts, replayed)
    (OUT / f"checkov_policies-{args.tables}.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
