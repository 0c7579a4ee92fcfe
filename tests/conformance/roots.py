"""The conformance cases as one Terraform root (a module per case) and the spec they meet.

The root is planned (and applied, for the live mapping) against a moto server in an account
of its own, so that data sources are read as AWS reads them.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.conformance.cases import ALL, Case, module_name
from tests.conformance.shapes import REPLICA_REGION

ACCOUNT = "100000000004"
REGION = "eu-west-1"
PROJECT = "conf"
ENV = "prod"
PROVIDER = f"""terraform {{
  required_providers {{
    aws = {{
      source = "hashicorp/aws"
    }}
  }}
}}

provider "aws" {{
  region                      = "{REGION}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}

provider "aws" {{
  alias                       = "replica"
  region                      = "{REPLICA_REGION}"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}
"""
BASE_TABLE: dict[str, Any] = {"hash_key": {"name": "id", "type": "S"}, "ttl": {"attribute": "ttl"}}
SPEC: dict[str, Any] = {
    "version": 1,
    "project": PROJECT,
    "naming": {"pattern": "{project}-{table}-{environment}"},
    "environments": [ENV],
    "defaults": {
        "encryption": "aws_managed",
        "pitr": {"required_in": [ENV]},
        "billing": {"modes": ["PAY_PER_REQUEST", "PROVISIONED"], "min_capacity": 1},
        "tags": {"required": []},
        "alarms": {"required_in": [], "metrics": [{
            "metric": "ReadThrottleEvents", "namespace": "AWS/DynamoDB", "statistic": "Sum",
            "comparison": "GreaterThanThreshold", "threshold": 10, "period": 300,
            "evaluation_periods": 1, "action_required": True}]},
    },
}


def table_name(case: Case) -> str:
    """The physical name of the case's table."""
    return f"{PROJECT}-{case.id}-{ENV}"


def spec_text() -> str:
    """The conformance spec: one table per case, the base requirements and the case's own."""
    spec = copy.deepcopy(SPEC)
    tables: dict[str, Any] = {}
    for case in ALL:
        entry = {**copy.deepcopy(BASE_TABLE), **copy.deepcopy(case.spec)}
        if "alarms" in entry:  # the spec's metrics, required where the case says
            entry["alarms"] = {**spec["defaults"]["alarms"], **entry["alarms"]}
        tables[case.id] = entry
    spec["tables"] = tables
    return yaml.safe_dump(spec, sort_keys=False)


def _module(case: Case) -> str:
    return case.module.replace("@NAME@", table_name(case)).replace("@ID@", f"{PROJECT}-{case.id}")


def _call(case: Case) -> str:
    args = f"\n  {case.call}" if case.call else ""
    return f'module "{module_name(case)}" {{\n  source = "./cases/{case.id}"{args}\n}}\n'


def files() -> dict[str, str]:
    """Path in the tree -> text: the root's main.tf and each case's module."""
    out = {f"cases/{c.id}/main.tf": _module(c) for c in ALL}
    roots = "".join(c.root for c in ALL)
    out["main.tf"] = PROVIDER + roots + "\n" + "\n".join(_call(c) for c in ALL)
    return out


def write(dest: Path) -> Path:
    """The tree written under *dest*; returns the root directory."""
    for rel, text in files().items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


def case_of(address: str) -> Case | None:
    """The case a resource address belongs to (`module.kms_direct.aws_dynamodb_table.t`)."""
    by_module = {module_name(c): c for c in ALL}
    head = address.split(".")
    return by_module.get(head[1]) if len(head) > 1 and head[0] == "module" else None
