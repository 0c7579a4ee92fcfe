"""One Checkov check per tablespec rule Checkov can judge, made from the rule registry.

Each check is the same thin shell: conf -> (once per table) TableState -> every rule ->
this rule's result. No rule is written here; `checker.rules.RULES` decides what is checked.
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import (
    BaseResourceCheck as CfnResourceCheck,
)
from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from checker import rules
from checker.checkov.adapter import REPLICA, TABLE
from checker.checkov.cfn import TABLE_TYPES
from checker.checkov.ids import checkov_id
from checker.checkov.verdicts import (
    RuleResult,
    cached_judge,
    cached_judge_cfn,
    for_checkov,
    unknown_mode,
)
from checker.findings import Status
from checker.rules import ttl
from checker.rules.base import Rule

# Rules a Checkov resource check cannot judge, and why.
OUT_OF_REACH_FAMILIES = {
    "presence": "Checkov sees only resources that exist: a missing table has no conf to check",
    "alarms": "a resource check sees one resource, and Checkov's connection policies follow "
    "references only: alarms that name their table through a for_each over a local map (the "
    "module and inline examples) connect to no table, so every compliant table would fail",
}
PLACES = "it judges no table: it answers for an account or region an audit could not read"
LIVE_ONLY = {ttl.TTL_VALUES.id: "needs items read from the live table (audit --sample-items)"}

CATEGORIES = {
    "keys": CheckCategories.CONVENTION,
    "ttl": CheckCategories.GENERAL_SECURITY,
    "encryption": CheckCategories.ENCRYPTION,
    "pitr": CheckCategories.BACKUP_AND_RECOVERY,
    "gsi": CheckCategories.CONVENTION,
    "billing": CheckCategories.CONVENTION,
    "tags": CheckCategories.CONVENTION,
    "naming": CheckCategories.CONVENTION,
    "deletion_protection": CheckCategories.BACKUP_AND_RECOVERY,
    "capacity": CheckCategories.CONVENTION,
    "streams": CheckCategories.GENERAL_SECURITY,
    "table_class": CheckCategories.CONVENTION,
    "resource_policy": CheckCategories.IAM,
    "contributor_insights": CheckCategories.LOGGING,
    "replicas": CheckCategories.BACKUP_AND_RECOVERY,
}
_RESULTS = {
    Status.PASS: CheckResult.PASSED,
    Status.FAIL: CheckResult.FAILED,
    Status.UNKNOWN: CheckResult.UNKNOWN,
    Status.WAIVED: CheckResult.SKIPPED,
}


def out_of_reach(rule: Rule) -> str | None:
    """Why Checkov cannot judge *rule*, or None when it has a check."""
    if rule.when_unread is not None:
        return PLACES
    return OUT_OF_REACH_FAMILIES.get(rule.check) or LIVE_ONLY.get(rule.id)


def covered_rules() -> list[Rule]:
    """The rules that have a Checkov check, in registry order."""
    return [r for r in rules.RULES if out_of_reach(r) is None]


class TablespecCheck(BaseResourceCheck):
    """A tablespec rule as a Checkov check on aws_dynamodb_table (and its replicas)."""

    def __init__(self, rule: Rule) -> None:
        self.rule_id = rule.id
        self.rule_severity = rule.severity
        super().__init__(
            name=f"{rule.id}: {rule.title}",
            id=checkov_id(rule.id),
            categories=[CATEGORIES[rule.check]],
            supported_resources=[TABLE, REPLICA],
        )
        self.severity = Severities[rule.severity.name]  # type: ignore[assignment]  # None in Checkov's base class

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        """This rule's verdict on the table, from the verdicts computed once per table."""
        file = self.entity_path.rsplit(":", 2)[0]
        result = for_checkov(cached_judge(conf, file, self.graph).for_rule(self.rule_id),
                             self.rule_severity, unknown_mode())
        self.details = list(result.details)
        return _RESULTS[result.status]


class TablespecCfnCheck(CfnResourceCheck):
    """The same rule as a Checkov check on AWS::DynamoDB::Table and GlobalTable (the
    `cloudformation` framework): the same verdicts, read as `tablespec cfn` reads."""

    def __init__(self, rule: Rule) -> None:
        self.rule_id = rule.id
        self.rule_severity = rule.severity
        super().__init__(name=f"{rule.id}: {rule.title}", id=checkov_id(rule.id),
                         categories=[CATEGORIES[rule.check]], supported_resources=TABLE_TYPES)
        self.severity = Severities[rule.severity.name]  # type: ignore[assignment]  # None in Checkov's base class

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        """This rule's verdict on the table, from the verdicts computed once per table."""
        result: RuleResult = for_checkov(cached_judge_cfn(conf, self.entity_path).for_rule(
            self.rule_id), self.rule_severity, unknown_mode())
        self.details = list(result.details)
        return _RESULTS[result.status]


_CHECKS: list[TablespecCheck | TablespecCfnCheck] = []


def register_all() -> list[TablespecCheck | TablespecCfnCheck]:
    """Create (and so register) every check once per process, for Terraform (HCL and plan)
    and for CloudFormation; later calls return them."""
    if not _CHECKS:
        _CHECKS.extend(TablespecCheck(rule) for rule in covered_rules())
        _CHECKS.extend(TablespecCfnCheck(rule) for rule in covered_rules())
    return _CHECKS
