"""access: a place that could not be read is one unknown finding, about the place."""

from __future__ import annotations

from checker import rules
from checker.batch import Batch
from checker.engine import PLACE, UNPLACED, evaluate, unread
from checker.findings import Reason, Status
from checker.runpolicy import RunPolicy
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import states

PLACE_RULES = ("TS-ACCESS-001",)
WHY = Unknown("cannot assume arn:aws:iam::111111111111:role/audit (AccessDenied)",
              Reason.ACCESS_DENIED)


def test_an_unread_place_is_one_finding_per_place_rule_naming_why() -> None:
    ev = unread("111111111111/eu-west-1", None, WHY, "arn:aws:dynamodb:eu-west-1:1:table/*")
    place_rules = [r for r in rules.RULES if r.when_unread is not None]
    assert [f.rule_id for f in ev.findings] == [r.id for r in place_rules]
    assert [r.id for r in place_rules] == list(PLACE_RULES)
    (f,) = ev.findings
    assert (f.status, f.reason, f.table, f.environment) == (
        Status.UNKNOWN, Reason.ACCESS_DENIED, PLACE, UNPLACED)
    assert WHY.reason in f.message and f.resource.endswith(":table/*")
    assert ev.environments == []


def test_an_unread_place_of_a_known_environment_is_in_it(spec: Spec) -> None:
    ev = evaluate(spec, Batch("a/b", states(spec), absent_resource=lambda t: f"arn/{t}",
                              environment="prod", unreadable=WHY))
    assert [(f.rule_id, f.environment, f.resource) for f in ev.findings] == [
        ("TS-ACCESS-001", "prod", "arn/*")]  # what states it was given is not judged
    assert ev.environments == ["prod"]


def test_a_place_rule_judges_no_table(spec: Spec) -> None:
    ev = evaluate(spec, Batch("plan.json", states(spec)), RunPolicy(mismatch_is_finding=True),
                  "prod")
    assert not [f for f in ev.findings if f.rule_id in PLACE_RULES]
