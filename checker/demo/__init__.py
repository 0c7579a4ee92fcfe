"""`tablespec demo`: the CI gate on the example, compliant and drifted; then a live audit."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import TextIO

from checker import pipeline
from checker.errors import RunError
from checker.report import text
from checker.sources.plan import parse_plan_bytes
from checker.sources.plan.sourcedir import plan_states
from checker.specfile.load import parse_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "terraform"
DRIFT_FILE = "modules/dynamodb/tablespec_demo_drift_override.tf"
PROD_ROOT = "environments/prod"


def _data(name: str) -> bytes:
    return resources.files("checker").joinpath("data", name).read_bytes()


def demo_plans(stream: TextIO | None = None) -> tuple[bytes, bytes, str]:
    """(prod plan, drifted plan, how they were made): real Terraform when it can run."""
    from checker import terraform

    why = ""
    if not EXAMPLES.is_dir():
        why = "the examples/terraform tree is not next to this install"
    elif terraform.terraform_binary() is None:
        why = "terraform is not on PATH"
    elif terraform.find_mirror() is None:
        why = f"no provider mirror found (set {terraform.MIRROR_VARIABLE})"
    if not why:
        try:
            prod, drifted = make_plans()
            return prod, drifted, "planned just now with terraform"
        except RunError as err:
            why = err.message
    print(f"tablespec demo: {why}; using the committed plan JSON instead",
          file=stream or sys.stderr)
    return (_data("demo-prod.plan.json"), _data("demo-drift.plan.json"),
            "committed plan JSON (terraform not run)")


def make_plans() -> tuple[bytes, bytes]:
    """Fresh plans of the compliant and the drifted example, made in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    from checker import terraform

    drift = _data("demo_drift_override.tf").decode()
    with ThreadPoolExecutor(max_workers=2) as pool:
        prod = pool.submit(terraform.plan_tree, EXAMPLES, PROD_ROOT)
        drifted = pool.submit(terraform.plan_tree, EXAMPLES, PROD_ROOT, {DRIFT_FILE: drift})
        return prod.result(), drifted.result()


def refresh_data() -> None:
    """Rewrite the committed plan JSON the demo falls back on (`make demo-data`)."""
    data = Path(__file__).resolve().parents[1] / "data"
    prod, drifted = make_plans()
    for name, raw in (("demo-prod.plan.json", prod), ("demo-drift.plan.json", drifted)):
        (data / name).write_bytes(json.dumps(json.loads(raw), indent=1).encode() + b"\n")


def run_demo(args: argparse.Namespace) -> int:
    """Check the compliant and the drifted prod plan; 0 when the gate behaves as it should."""
    spec = parse_spec("specs/tables.yaml (embedded)", _data("tables.yaml").decode())
    colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    prod, drifted, how = demo_plans()
    verdicts = []
    for title, raw, target in (
        ("1. examples/terraform/environments/prod, as committed", prod, "prod.plan.json"),
        ("2. the same with drift (PITR off, TTL on rewards, alarm silenced)", drifted,
         "drift.plan.json"),
    ):
        plan = parse_plan_bytes(target, raw)
        # The example's source decides what the plan alone cannot (the rewards table's
        # left-out ttl block); an installed tablespec has no example source: the plan alone.
        source = str(EXAMPLES / PROD_ROOT) if (EXAMPLES / PROD_ROOT).is_dir() else None
        states, _ = plan_states(plan, target, source)
        report = pipeline.run(spec, [pipeline.Batch(target, states)], kind="plan",
                              target=target).report
        print(f"== {title} [{how}]\n")
        print(text.render(report, colour=colour))
        verdicts.append(report.contract_summary()["failed"])
    ok = verdicts[0] == 0 and verdicts[1] > 0
    print("demo: the gate passes the compliant plan and fails the drifted one"
          if ok else "demo: UNEXPECTED verdicts; see above")
    from checker.demo.live import demo_audit

    print()
    live = demo_audit(spec, colour, sys.stdout)
    if live is not None:
        print("demo: the audit finds the drift made in the live (moto) account"
              if live else "demo: UNEXPECTED audit verdicts; see above")
    return 0 if ok and live is not False else 1
