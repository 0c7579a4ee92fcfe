"""contributor_insights: on where the spec requires it, and not judged elsewhere."""

from __future__ import annotations

from checker.findings import Status
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "contributor_insights"


def in_prod(spec: Spec) -> Spec:
    """Contributor Insights required in prod."""
    return with_tables(spec, contributor_insights_required_in=("prod",))


CASES = [
    Case("TS-INSIGHTS-001", PASS, REWARDS, FIELD, spec=in_prod),
    Case("TS-INSIGHTS-001", FAIL, REWARDS, FIELD, {"contributor_insights": False},
         spec=in_prod),
    Case("TS-INSIGHTS-001", UNKNOWN, REWARDS, FIELD, {"contributor_insights": Unknown(
        "aws_dynamodb_contributor_insights.c may be the table's")}, spec=in_prod),
]


def test_not_judged_where_the_spec_does_not_require_it(spec: Spec) -> None:
    off = states(in_prod(spec), "dev", **{REWARDS: {"contributor_insights": False}})
    assert not [f for f in run(in_prod(spec), off, "dev") if f.rule_id == "TS-INSIGHTS-001"]
    assert not [f for f in run(spec, states(spec)) if f.rule_id == "TS-INSIGHTS-001"]
