"""How fast the pre-commit check is: `tablespec hcl` on the prod example, against Checkov.

Method. Three commands, each run as its own process under the launcher of bench/measure.py,
interleaved (one of each per round, so a busy moment hits all three alike), `--runs` rounds
(default 15); min and median wall time of each:

  python     python -c pass                                 (the interpreter's own start-up)
  tablespec  tablespec hcl examples/terraform/environments/prod
  checkov    checkov -d examples/terraform/environments/prod --framework terraform
             --skip-download --quiet --compact                (its built-in checks)

Targets: tablespec at most 0.25 s wall (min), and at least 8x faster than Checkov (median).

  .venv/bin/python -m bench.hcl_speed [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.measure import measure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
TARGET = "examples/terraform/environments/prod"
CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}


def commands() -> dict[str, tuple[list[str], dict[str, str]]]:
    """name -> (command, extra environment)."""
    return {
        "python": ([sys.executable, "-c", "pass"], {}),
        "tablespec": ([str(BIN / "tablespec"), "hcl", TARGET, "--spec", "specs/tables.yaml"],
                      {}),
        "checkov": ([str(BIN / "checkov"), "-d", TARGET, "--framework", "terraform",
                     "--skip-download", "--quiet", "--compact"], CHECKOV_ENV),
    }


def rounds(cmds: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, Any]:
    """*runs* interleaved rounds of *cmds* (one of each per round): every sample, min and
    median wall time of each, and the load average before and after."""
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    load = os.getloadavg()[0]
    for _ in range(runs):
        for name, (cmd, env) in cmds.items():
            walls[name].append(measure(cmd, env=env, ok=(0, 1)).wall)
    stats = {name: {"min": min(w), "median": statistics.median(w)} for name, w in walls.items()}
    return {"runs": runs, "loadavg_start": round(load, 2),
            "loadavg_end": round(os.getloadavg()[0], 2), "stats": stats, "samples": walls}


def stats_table(result: dict[str, Any]) -> list[str]:
    """The load line and the min/median table of *result*, as Markdown lines."""
    lines = [f"(load average {result['loadavg_start']} -> {result['loadavg_end']}).", "",
             "| command | min | median |", "|---|---:|---:|"]
    return lines + [f"| {name} | {s['min']:.3f} s | {s['median']:.3f} s |"
                    for name, s in result["stats"].items()]


def main() -> int:
    """Run the rounds; print and write bench/out/hcl_speed.{json,md}."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    result = rounds(commands(), args.runs)
    stats = result["stats"]
    ratio = stats["checkov"]["median"] / stats["tablespec"]["median"]
    result["checkov_over_tablespec_median"] = ratio
    (OUT / "hcl_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"`tablespec hcl {TARGET}`, {args.runs} interleaved rounds, each command its own "
             "process", *stats_table(result)]
    ok_speed = stats["tablespec"]["min"] <= 0.25
    lines += ["", f"- {'met' if ok_speed else 'MISSED'}: at most 0.25 s wall "
              f"({stats['tablespec']['min']:.3f} s min)",
              f"- {'met' if ratio >= 8 else 'MISSED'}: at least 8x faster than Checkov "
              f"({ratio:.1f}x, medians)", ""]
    text = "\n".join(lines)
    (OUT / "hcl_speed.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
