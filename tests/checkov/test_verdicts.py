"""judge(): which spec, which environment, and how many findings make one Checkov result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.checkov import verdicts
from checker.checkov.checks import covered_rules
from checker.checkov.hclgraph import HclContext
from checker.checkov.verdicts import ENV_VARIABLE, TableVerdicts, cached_judge, judge
from checker.findings import Status
from checker.spec.discover import SPEC_VARIABLE
from checker.spec.load import load_spec
from checker.spec.model import Spec
from tests.checkov.confs import FOREACH_HCL, Conf, hcl_conf, plan_conf, without

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "tables.yaml"
RULES = [r.id for r in covered_rules()]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(SPEC_VARIABLE, str(SPEC))
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    verdicts.forget_specs()
    yield
    verdicts.forget_specs()


def statuses(conf: dict[str, object]) -> dict[str, Status]:
    found = judge(conf, "/plan.json")
    return {rule: found.for_rule(rule).status for rule in RULES}


def test_compliant_table_passes_every_rule_that_applies() -> None:
    got = statuses(plan_conf())
    assert got["TS-TTL-002"] is Status.UNKNOWN  # interaction-events keeps a TTL: not its rule
    events = load_spec(SPEC).tables["interaction-events"]
    not_applying = {r.id for r in covered_rules() if not r.applies(events, "prod")}
    assert "TS-TTL-002" in not_applying
    assert {r for r, s in got.items() if s is not Status.PASS} == not_applying


def test_one_failure_among_passes_fails_the_rule() -> None:
    extra = [{"hash_key": ["sessionId"], "name": [n], "projection_type": ["KEYS_ONLY"]}
             for n in ("ExtraA", "ExtraB")]
    conf = hcl_conf(global_secondary_index=[*hcl_conf()["global_secondary_index"], *extra])
    found = judge(conf, "/main.tf")
    result = found.for_rule("TS-GSI-004")
    assert result.status is Status.FAIL
    assert sum("is not in the spec" in line for line in result.details) == 2
    assert found.for_rule("TS-GSI-001").status is Status.PASS


def test_details_carry_message_expected_actual() -> None:
    result = judge(plan_conf(point_in_time_recovery=[{"enabled": [False]}]),
                   "/p.json").for_rule("TS-PITR-001")
    assert result.status is Status.FAIL
    assert result.details == ("interaction-events (prod): PITR is off in prod; enable "
                              "point_in_time_recovery", "expected: enabled", "actual: disabled")


def test_unknown_beats_pass_and_never_becomes_one() -> None:
    got = statuses(FOREACH_HCL)
    assert set(got.values()) == {Status.UNKNOWN}


def test_unknown_values_never_pass_in_a_named_table() -> None:
    conf = hcl_conf(hash_key=["var.h"], range_key=["var.r"], billing_mode=["var.b"],
                    tags=["${var.tags}"], ttl=[{"enabled": ["var.t"], "attribute_name": ["ttl"]}],
                    point_in_time_recovery=[{"enabled": ["var.p"]}],
                    server_side_encryption=[{"enabled": ["var.e"]}],
                    global_secondary_index=[{"name": ["var.g"]}], attribute=[])
    got = statuses(conf)
    # the name is known and in the spec, and tells the environment: only that passes
    assert {r for r, s in got.items() if s is Status.PASS} == {"TS-NAME-001", "TS-NAME-003"}


def test_environment_from_the_name_beats_the_tag_and_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VARIABLE, "dev")
    found = judge(hcl_conf(), "/main.tf")
    assert found.for_rule("TS-PITR-001").details[0].startswith("interaction-events (prod)")
    assert found.for_rule("TS-NAME-002").status is Status.PASS


@pytest.mark.parametrize(("tag", "variable", "expected"), [
    ("staging", None, "staging"), (None, "dev", "dev"), ("prod", "dev", "prod")])
def test_unnamed_table_environment(monkeypatch: pytest.MonkeyPatch, tag: str | None,
                                   variable: str | None, expected: str) -> None:
    if variable:
        monkeypatch.setenv(ENV_VARIABLE, variable)
    conf = without(plan_conf(), "name")
    conf["tags_all"] = [{"Environment": [tag]} if tag else {"Owner": ["DevOps Team"]}]
    result = judge(conf, "/p.json").for_rule("TS-NAME-001")
    assert result.status is Status.UNKNOWN
    assert result.details[0].startswith(f"(unnamed) ({expected}): cannot tell")


def test_unnamed_table_without_environment_is_unknown_with_a_reason() -> None:
    conf = without(plan_conf(), "name")
    conf["tags_all"] = [{}]
    conf["tags"] = [{}]
    found = judge(conf, "/p.json")
    assert {found.for_rule(r).status for r in RULES} == {Status.UNKNOWN}
    assert ENV_VARIABLE in found.for_rule("TS-KEY-001").details[0]


def test_table_outside_the_pattern_is_not_judged() -> None:
    found = judge(plan_conf(name=["legacy-player-rewards"]), "/p.json")
    assert {found.for_rule(r).status for r in RULES} == {Status.UNKNOWN}
    assert "does not follow the naming pattern" in found.for_rule("TS-KEY-001").details[0]


def test_table_in_the_pattern_but_not_the_spec_fails_naming_only() -> None:
    found = judge(plan_conf(name=["hypermage-vr-leaderboard-prod"]), "/p.json")
    assert found.for_rule("TS-NAME-001").status is Status.FAIL
    assert {found.for_rule(r).status for r in RULES if r != "TS-NAME-001"} == {Status.UNKNOWN}


def test_no_spec_fails_every_check_saying_where_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_VARIABLE)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    found = judge(plan_conf(), "/p.json")
    for rule in RULES:
        result = found.for_rule(rule)
        assert result.status is Status.FAIL
        assert "no spec found" in result.details[0] and str(tmp_path) in result.details[0]


def test_bad_spec_fails_every_check_with_the_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "tables.yaml"
    bad.write_text("version: 1\nproject: x\n", encoding="utf-8")
    monkeypatch.setenv(SPEC_VARIABLE, str(bad))
    result = judge(plan_conf(), "/p.json").for_rule("TS-SSE-001")
    assert result.status is Status.FAIL and str(bad) in result.details[0]


def test_spec_waivers_are_not_applied_inside_checkov(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Checkov has its own suppressions (#checkov:skip=..., --skip-check)."""
    spec = tmp_path / "tables.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8") + (
        "\nwaivers:\n  - table: interaction-events\n    rule: TS-PITR-001\n"
        "    reason: restores tested on the replica\n    owner: DevOps Team\n"
        "    expires: 2999-01-01\n"), encoding="utf-8")
    monkeypatch.setenv(SPEC_VARIABLE, str(spec))
    result = judge(plan_conf(point_in_time_recovery=[{"enabled": [False]}]),
                   "/p.json").for_rule("TS-PITR-001")
    assert result.status is Status.FAIL


def test_spec_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(path: Path) -> Spec:
        calls.append(path)
        return load_spec(path)

    monkeypatch.setattr("checker.checkov.verdicts.load_spec", counting)
    for _ in range(3):
        judge(plan_conf(), "/p.json")
    assert len(calls) == 1


def test_one_judgement_per_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(conf: Conf, file: str, context: HclContext | None) -> TableVerdicts:
        calls.append(conf)
        return judge(conf, file, context)

    monkeypatch.setattr("checker.checkov.verdicts.judge", counting)
    conf = plan_conf()
    first = cached_judge(conf, "/p.json")
    assert all(cached_judge(conf, "/p.json") is first for _ in RULES)
    cached_judge(plan_conf(), "/p.json")  # a new conf object: a later run, judged afresh
    assert len(calls) == 2
