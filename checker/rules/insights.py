"""contributor_insights: CloudWatch Contributor Insights on the table where the spec
requires it."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed
from checker.specfile.model import TableSpec

FIELD = "contributor_insights"


def _required(table: TableSpec, environment: str) -> bool:
    return environment in table.contributor_insights_required_in


def _insights(s: Subject) -> list[Verdict]:
    def judge(on: bool) -> Verdict:
        if not on:
            return failed(f"Contributor Insights is off in {s.environment}; enable "
                          "it for the table", "enabled",
                          "disabled", FIELD)
        return passed("Contributor Insights is on", "enabled", "enabled", FIELD)

    return [decide(s.state.contributor_insights, judge, "enabled", FIELD)]


CONTRIBUTOR_INSIGHTS = Rule(
    id="TS-INSIGHTS-001",
    check="contributor_insights",
    severity=Severity.LOW,
    title="Contributor Insights is on where the spec requires it",
    why="Without it, the keys that take the most traffic (a hot partition) and those "
    "throttled cannot be told when a table throttles.",
    fix="Enable Contributor Insights for the table (aws_dynamodb_contributor_insights, "
    "ContributorInsightsSpecification, UpdateContributorInsights ENABLE) in the environments "
    "the spec lists.",
    example='resource "aws_dynamodb_contributor_insights" "t" {\n'
    "  table_name = aws_dynamodb_table.t.name\n}",
    evaluate=_insights,
    applies=_required,
)

RULES = [CONTRIBUTOR_INSIGHTS]
