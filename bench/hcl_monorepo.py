"""How fast the pre-commit check is on a monorepo: `tablespec hcl DIR` on 100 roots with two
var files each and one shared module, against `checkov -d` on the same directory.

The repository (bench/out/monorepo, made when missing or with `--regen`): the example's
module (examples/terraform/modules/dynamodb) in modules/dynamodb; services/s001 ...
services/s100, each a root calling it with `project_name = "hv-sNNN"` and its environment
from env/dev.tfvars or env/prod.tfvars (PITR and throttle alarms in prod); a spec naming
the 300 tables (sNNN-player-sessions, ...: the example spec's three definitions); a git
work tree, as a team's repository is. tablespec evaluates each root once per var file: 200
evaluations, 600 tables. Every tenth service has PITR off in prod, so the run reports real
failures (exit 1).

Method: as bench/hcl_speed.py, each command its own process under the launcher of
bench/measure.py, one of each per round (`--runs`, default 5), min and median wall time:

  tablespec  tablespec hcl bench/out/monorepo --spec bench/out/monorepo/specs/tables.yaml
  tablespec, one root given
             tablespec hcl bench/out/monorepo/services/s050/main.tf --spec ...
             (pre-commit after a change to one root: that root is checked, and the other
             roots are read to find the spec tables it does not declare)
  checkov    checkov -d bench/out/monorepo --framework terraform --skip-download --quiet
             --compact                                        (its built-in checks)

Target: tablespec's whole run under 1 s (median), with one root given too.

  .venv/bin/python -m bench.hcl_monorepo [--runs 5] [--regen]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bench.hcl_speed import BIN, CHECKOV_ENV, ROOT, rounds, stats_table

OUT = ROOT / "bench" / "out"
REPO = OUT / "monorepo"
ROOTS = 100
TABLES = ("player-sessions", "interaction-events", "player-rewards")
ROOT_TF = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "environment" {
  type = string
}

variable "pitr" {
  type    = bool
  default = false
}

variable "alarm_topics" {
  type    = list(string)
  default = []
}

module "dynamodb" {
  source = "../../modules/dynamodb"

  project_name                  = "hv-%(name)s"
  environment                   = var.environment
  billing_mode                  = "PAY_PER_REQUEST"
  enable_point_in_time_recovery = var.pitr
  enable_cloudwatch_alarms      = length(var.alarm_topics) > 0
  alarm_sns_topic_arns          = var.alarm_topics

  tags = {
    CostCenter = "%(name)s"
    Owner      = "DevOps Team"
  }
}
"""
PROD = ('environment  = "prod"\npitr         = %s\n'
        'alarm_topics = ["arn:aws:sns:eu-west-1:123456789012:alerts"]\n')


def generate(dest: Path) -> None:
    """Write the monorepo at *dest* (replacing it)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / "terraform" / "modules" / "dynamodb",
                    dest / "modules" / "dynamodb")
    spec = yaml.safe_load((ROOT / "specs" / "tables.yaml").read_text())
    spec["project"] = "hv"
    spec["environments"] = ["dev", "prod"]
    spec["tables"] = {f"{name}-{table}": spec["tables"][table]
                      for name in _names() for table in TABLES}
    (dest / "specs").mkdir()
    (dest / "specs" / "tables.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    for number, name in enumerate(_names(), start=1):
        root = dest / "services" / name
        (root / "env").mkdir(parents=True)
        (root / "main.tf").write_text(ROOT_TF % {"name": name})
        (root / "env" / "dev.tfvars").write_text('environment = "dev"\n')
        pitr = "false" if number % 10 == 0 else "true"
        (root / "env" / "prod.tfvars").write_text(PROD % pitr)
    subprocess.run(["git", "init", "-q", str(dest)], check=True)


def _names() -> list[str]:
    """The services' names: s001 ... s100."""
    return [f"s{i:03d}" for i in range(1, ROOTS + 1)]


def main() -> int:
    """Run the rounds; print and write bench/out/hcl_monorepo.{json,md}."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--regen", action="store_true", help="make the repository again")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    if args.regen or not (REPO / "specs" / "tables.yaml").is_file():
        generate(REPO)
    target = str(REPO.relative_to(ROOT))
    cmds = {
        "tablespec": ([str(BIN / "tablespec"), "hcl", target, "--spec",
                       f"{target}/specs/tables.yaml"], {}),
        "tablespec, one root given": ([str(BIN / "tablespec"), "hcl",
                                       f"{target}/services/s050/main.tf", "--spec",
                                       f"{target}/specs/tables.yaml"], {}),
        "checkov": ([str(BIN / "checkov"), "-d", target, "--framework", "terraform",
                     "--skip-download", "--quiet", "--compact"], CHECKOV_ENV),
    }
    result = rounds(cmds, args.runs)
    stats = result["stats"]
    ratio = stats["checkov"]["median"] / stats["tablespec"]["median"]
    result["checkov_over_tablespec_median"] = ratio
    (OUT / "hcl_monorepo.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"`tablespec hcl {target}` ({ROOTS} roots, two var files each, one module), "
             f"{args.runs} interleaved rounds, each command its own process",
             *stats_table(result), "",
             *(f"- {'met' if stats[n]['median'] < 1 else 'MISSED'}: {n}, the whole run "
               f"under 1 s ({stats[n]['median']:.3f} s median)"
               for n in ("tablespec", "tablespec, one root given")),
             f"- Checkov takes {ratio:.1f}x as long (medians)", ""]
    text = "\n".join(lines)
    (OUT / "hcl_monorepo.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
