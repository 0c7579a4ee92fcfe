"""The plan source: `terraform show -json` output -> [TableState]."""

from checker.sources.kms import classify_key_arn
from checker.sources.plan.file import parse_plan_bytes, read_plan
from checker.sources.plan.source import tables_from_plan

__all__ = ["classify_key_arn", "parse_plan_bytes", "read_plan", "tables_from_plan"]
