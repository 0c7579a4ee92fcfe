"""Every registered rule passes, fails and (where it can) is unknown on some case; each case
gives exactly its verdict, on its table and field, and nothing else fails."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

import pytest

import tests.rules
from checker import rules
from checker.findings import Status
from checker.specfile.model import Spec
from tests.rules.harness import Case, decisive, findings_of


def all_cases() -> tuple[list[Case], set[str], set[str]]:
    """The CASES of every family's test module, the rules they say cannot be unknown, and
    the rules about whole places (no table cases: their modules test `when_unread`)."""
    cases: list[Case] = []
    never_unknown: set[str] = set()
    places: set[str] = set()
    for info in pkgutil.iter_modules(tests.rules.__path__):
        if info.name.startswith("test_") and info.name != "test_registry":
            module = importlib.import_module(f"tests.rules.{info.name}")
            cases += getattr(module, "CASES", [])
            never_unknown |= set(getattr(module, "NEVER_UNKNOWN", ()))
            places |= set(getattr(module, "PLACE_RULES", ()))
    return cases, never_unknown, places


CASES, NEVER_UNKNOWN, PLACE_RULES = all_cases()


def test_every_rule_has_a_passing_a_failing_and_an_unknown_case() -> None:
    seen: dict[str, set[Status]] = defaultdict(set)
    for case in CASES:
        seen[case.rule].add(case.status)
    for rule in rules.RULES:
        if rule.id in PLACE_RULES:  # about places: tested through when_unread
            assert rule.when_unread is not None and rule.id not in seen, rule.id
            continue
        wanted = {Status.PASS, Status.FAIL}
        if rule.id not in NEVER_UNKNOWN:
            wanted.add(Status.UNKNOWN)
        assert wanted <= seen[rule.id], f"{rule.id}: cases for {wanted - seen[rule.id]} missing"
    assert set(seen) <= set(rules.BY_ID), "a case names a rule that is not registered"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(spec: Spec, case: Case) -> None:
    findings = findings_of(spec, case)
    mine = [(f.status, f.field) for f in findings
            if f.rule_id == case.rule and f.table == case.table]
    assert (case.status, case.field) in mine, mine
    expected = [] if case.status is Status.PASS else [
        (case.status.value, case.rule, case.table, case.field)]
    assert decisive(findings) == sorted([*expected, *case.also])
