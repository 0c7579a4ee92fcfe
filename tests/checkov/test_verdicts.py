"""judge(): which file, which spec, which environment, and how many findings make one
Checkov result."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import rustworkx as rx

from checker.checkov import adapter, verdicts
from checker.checkov.adapter import locate
from checker.checkov.checks import covered_rules
from checker.checkov.locate import Located
from checker.checkov.verdicts import (
    ENV_VARIABLE,
    UNKNOWN_VARIABLE,
    RuleResult,
    TableVerdicts,
    cached_judge,
    for_checkov,
    judge,
    judge_state,
)
from checker.findings import Reason, Severity, Status
from checker.model import Gsi, Key, TableState
from checker.specfile.discover import SPEC_VARIABLE
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.support.builders import compliant
from tests.support.paths import REPO

SPEC = REPO / "specs" / "tables.yaml"
PLAN = REPO / "checker" / "data" / "demo-drift.plan.json"
PROD = REPO / "examples" / "terraform" / "environments" / "prod"
EVENTS = "module.dynamodb.aws_dynamodb_table.interaction_events"
RULES = [r.id for r in covered_rules()]


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(SPEC_VARIABLE, str(SPEC))
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    monkeypatch.delenv(UNKNOWN_VARIABLE, raising=False)
    verdicts.forget_specs()
    yield
    verdicts.forget_specs()


def events(spec: Spec, **changes: Any) -> TableState:
    """interaction-events in prod, compliant, then *changes*."""
    return compliant(spec, spec.tables["interaction-events"], "prod", **changes)


def statuses(found: TableVerdicts) -> dict[str, Status]:
    return {rule: found.for_rule(rule).status for rule in RULES}


def graph_of(*vertices: dict[str, Any]) -> Any:
    """A graph shaped as Checkov's RustworkxConnector builds it."""
    graph = rx.PyDiGraph()
    graph.add_nodes_from(list(enumerate(vertices)))
    return graph


def vertex(path: Path | str, address: str, body: dict[str, Any],
           module: object = None) -> dict[str, Any]:
    return {"block_type_": "resource", "resource_type": "aws_dynamodb_table",
            "file_path_": str(path), "__address__": address,
            "config_": {"aws_dynamodb_table": {address.rsplit(".", 1)[-1]: body}},
            "source_module_object_": module}


def test_compliant_table_passes_every_rule_that_applies(spec: Spec) -> None:
    got = statuses(judge_state(events(spec), spec))
    assert got["TS-TTL-002"] is Status.UNKNOWN  # interaction-events keeps a TTL: not its rule
    not_applying = {r.id for r in covered_rules()
                    if not r.applies(spec.tables["interaction-events"], "prod")}
    assert "TS-TTL-002" in not_applying
    assert {r for r, s in got.items() if s is not Status.PASS} == not_applying


def test_one_failure_among_passes_fails_the_rule(spec: Spec) -> None:
    state = events(spec)
    assert isinstance(state.gsis, tuple)
    extra = tuple(Gsi(n, Key("sessionId", "S"), None, "KEYS_ONLY") for n in ("ExtraA", "ExtraB"))
    found = judge_state(replace(state, gsis=(*state.gsis, *extra)), spec)
    result = found.for_rule("TS-GSI-004")
    assert result.status is Status.FAIL
    assert sum("is not in the spec" in line for line in result.details) == 2
    assert found.for_rule("TS-GSI-001").status is Status.PASS


def test_details_carry_message_expected_actual(spec: Spec) -> None:
    result = judge_state(events(spec, pitr=False), spec).for_rule("TS-PITR-001")
    assert result.status is Status.FAIL
    assert result.details == ("interaction-events (prod): PITR is off in prod; enable "
                              "point-in-time recovery", "expected: enabled", "actual: disabled")


def test_unknown_values_never_pass_in_a_named_table(spec: Spec) -> None:
    why = Unknown("var.x (main.tf:1) has no value")
    state = events(spec, hash_key=why, range_key=why, billing_mode=why, tags=why, ttl=why,
                   pitr=why, gsis=why)
    got = statuses(judge_state(state, spec))
    # the name is known and in the spec, and tells the environment: only that passes, and
    # the key, which is the spec's level whatever it is
    assert {r for r, s in got.items() if s is Status.PASS} == {
        "TS-NAME-001", "TS-NAME-003", "TS-SSE-001"}


@pytest.mark.parametrize(("tag", "variable", "expected"), [
    ("staging", None, "staging"), (None, "dev", "dev"), ("prod", "dev", "prod")])
def test_unnamed_table_environment(spec: Spec, monkeypatch: pytest.MonkeyPatch,
                                   tag: str | None, variable: str | None,
                                   expected: str) -> None:
    if variable:
        monkeypatch.setenv(ENV_VARIABLE, variable)
    state = events(spec, name=Unknown("name known after apply"),
                   tags={"Environment": tag} if tag else {"Owner": "DevOps Team"})
    result = judge_state(state, spec).for_rule("TS-NAME-001")
    assert result.status is Status.UNKNOWN
    assert result.details[0].startswith(f"(unnamed) ({expected}): cannot tell")


def test_unnamed_table_without_environment_is_unknown_with_a_reason(spec: Spec) -> None:
    state = events(spec, name=Unknown("name known after apply"), tags={})
    found = judge_state(state, spec)
    assert {found.for_rule(r).status for r in RULES} == {Status.UNKNOWN}
    assert ENV_VARIABLE in found.for_rule("TS-KEY-001").details[0]


def test_table_outside_the_pattern_is_not_judged(spec: Spec) -> None:
    found = judge_state(events(spec, name="legacy-player-rewards"), spec)
    assert {found.for_rule(r).status for r in RULES} == {Status.UNKNOWN}
    assert "does not follow the naming pattern" in found.for_rule("TS-KEY-001").details[0]


def test_table_in_the_pattern_but_not_the_spec_fails_naming_only(spec: Spec) -> None:
    found = judge_state(events(spec, name="hypermage-vr-leaderboard-prod"), spec)
    assert found.for_rule("TS-NAME-001").status is Status.FAIL
    assert {found.for_rule(r).status for r in RULES if r != "TS-NAME-001"} == {Status.UNKNOWN}


def test_the_plan_file_of_the_vertex_is_read_as_tablespec_plan_reads_it() -> None:
    conf: dict[str, Any] = {"__address__": EVENTS}
    found = judge(conf, graph_of(vertex(PLAN, EVENTS, conf)))
    assert found.for_rule("TS-PITR-001").status is Status.FAIL  # the drifted plan
    assert found.for_rule("TS-KEY-001").status is Status.PASS


def test_a_module_is_read_from_the_root_that_calls_it() -> None:
    conf: dict[str, Any] = {"__address__": EVENTS, "__start_line__": 51, "__end_line__": 99}
    caller = '{"path": "%s", "name": "dynamodb", "foreach_idx": null}' % (PROD / "main.tf")
    module = REPO / "examples" / "terraform" / "modules" / "dynamodb" / "main.tf"
    located = locate(conf, graph_of(vertex(module, EVENTS, conf, caller)))
    assert located == Located(False, str(PROD), EVENTS)
    assert statuses(judge(conf, graph_of(vertex(module, EVENTS, conf, caller))))[
        "TS-PITR-001"] is Status.PASS


@pytest.mark.parametrize(("graph", "says"), [
    (None, "Checkov gave no graph"),
    (graph_of(), "is not in Checkov's graph once"),
    (graph_of(vertex("plan.json", EVENTS, {"__address__": "x"})), "no absolute path"),
])
def test_a_table_that_cannot_be_found_is_unknown_saying_why(graph: Any, says: str) -> None:
    conf: dict[str, Any] = {"__address__": EVENTS}
    if graph is not None and says == "no absolute path":
        graph = graph_of(vertex("plan.json", EVENTS, conf))
    found = judge(conf, graph)
    assert {found.for_rule(r).status for r in RULES} == {Status.UNKNOWN}
    assert says in found.for_rule("TS-KEY-001").details[0]


def test_an_unreadable_file_is_unknown_saying_so(tmp_path: Path) -> None:
    broken = tmp_path / "plan.json"
    broken.write_text("{", encoding="utf-8")
    conf: dict[str, Any] = {"__address__": EVENTS}
    found = judge(conf, graph_of(vertex(broken, EVENTS, conf)))
    assert found.for_rule("TS-KEY-001").status is Status.UNKNOWN
    assert f"tablespec cannot read {broken}" in found.for_rule("TS-KEY-001").details[0]


def test_no_spec_fails_every_check_saying_where_it_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_VARIABLE)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    found = judge({"__address__": EVENTS}, None)
    for rule in RULES:
        result = found.for_rule(rule)
        assert result.status is Status.FAIL
        assert "no spec found" in result.details[0] and str(tmp_path) in result.details[0]


def test_bad_spec_fails_every_check_with_the_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "tables.yaml"
    bad.write_text("version: 1\nproject: x\n", encoding="utf-8")
    monkeypatch.setenv(SPEC_VARIABLE, str(bad))
    result = judge({"__address__": EVENTS}, None).for_rule("TS-SSE-001")
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
    conf: dict[str, Any] = {"__address__": EVENTS}
    result = judge(conf, graph_of(vertex(PLAN, EVENTS, conf))).for_rule("TS-PITR-001")
    assert result.status is Status.FAIL


def test_spec_loaded_once_and_each_file_read_once_per_run(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    specs: list[object] = []
    reads: list[object] = []

    def counting_spec(path: Path) -> Spec:
        specs.append(path)
        return load_spec(path)

    def counting_read(located: Located) -> list[TableState]:
        reads.append(located)
        return verdicts_read(located)

    verdicts_read = adapter.read
    monkeypatch.setattr("checker.checkov.verdicts.load_spec", counting_spec)
    monkeypatch.setattr("checker.checkov.verdicts.read", counting_read)
    graph = graph_of(*(vertex(PLAN, a, {"__address__": a}) for a in (EVENTS, EVENTS + "x")))
    for _ in range(3):
        judge({"__address__": EVENTS}, graph)
    assert len(specs) == 1 and len(reads) == 1


def test_one_judgement_per_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(conf: dict[str, Any], graph: Any, file: str) -> TableVerdicts:
        calls.append(conf)
        return judge(conf, graph, file)

    monkeypatch.setattr("checker.checkov.verdicts.judge", counting)
    conf: dict[str, Any] = {"__address__": EVENTS}
    first = cached_judge(conf, "/p.json", None)
    assert all(cached_judge(conf, "/p.json", None) is first for _ in RULES)
    cached_judge({"__address__": EVENTS}, "/p.json", None)  # a new conf: a later run
    assert len(calls) == 2


@pytest.mark.parametrize(("mode", "severity", "expected"), [
    ("severity", Severity.CRITICAL, Status.FAIL), ("severity", Severity.HIGH, Status.FAIL),
    ("severity", Severity.MEDIUM, Status.UNKNOWN), ("severity", Severity.LOW, Status.UNKNOWN),
    ("fail", Severity.LOW, Status.FAIL), ("unknown", Severity.CRITICAL, Status.UNKNOWN)])
def test_what_checkov_is_told_of_an_unknown(mode: str, severity: Severity,
                                             expected: Status) -> None:
    cannot = RuleResult(Status.UNKNOWN, ("t (dev): cannot tell: ttl is known after apply",
                                         "expected: on", "actual: unknown"),
                        Reason.UNKNOWN_VALUE)
    told = for_checkov(cannot, severity, mode)
    assert (told.status, told.details) == (expected, cannot.details)
    # a rule that does not apply, or a verdict that only follows another, never fails
    for quiet in (RuleResult(Status.UNKNOWN, ("does not apply to t (dev)",)),
                  replace(cannot, reason=Reason.NOT_EVALUATED)):
        assert for_checkov(quiet, severity, mode) == quiet
    for known in (Status.PASS, Status.FAIL):
        assert for_checkov(RuleResult(known, ("x",)), severity, mode).status is known


def test_an_unknown_made_to_fail_says_it_cannot_tell(spec: Spec) -> None:
    state = events(spec, name=Unknown("name known after apply"), tags={})
    told = for_checkov(judge_state(state, spec).for_rule("TS-KEY-001"), Severity.CRITICAL,
                       "severity")
    assert told.status is Status.FAIL
    assert told.details[0].startswith("cannot tell: the environment of name known after apply")
    # a table outside the naming is no spec table's: nothing applies, nothing fails
    outside = judge_state(events(spec, name="legacy-player-rewards"), spec)
    assert for_checkov(outside.for_rule("TS-KEY-001"), Severity.CRITICAL, "fail").status is (
        Status.UNKNOWN)


def test_a_bad_unknown_mode_fails_every_check_naming_the_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UNKNOWN_VARIABLE, "sometimes")
    result = judge({"__address__": EVENTS}, None).for_rule("TS-SSE-001")
    assert result.status is Status.FAIL and UNKNOWN_VARIABLE in result.details[0]


def test_a_table_judged_in_each_environment_passes_where_a_rule_applies(
        spec: Spec) -> None:
    """A module's table that fits one spec table in every environment: deletion protection,
    required in prod only, passes there; it does not turn unknown because the rule does not
    apply in dev."""
    table = replace(spec.tables["interaction-events"], deletion_protection_required_in=("prod",))
    spec = replace(spec, tables={**spec.tables, "interaction-events": table})
    parts = ("hypermage-vr-interaction-events-", None)
    state = events(spec, name=Unknown("var.environment has no value", parts=parts),
                   tags={"Owner": "DevOps Team"}, deletion_protection=True)
    found = judge_state(state, spec)
    protected = found.for_rule("TS-DEL-001")
    assert protected.status is Status.PASS
    assert protected.details[0].startswith("interaction-events (prod)")
    off = judge_state(replace(state, deletion_protection=False), spec).for_rule("TS-DEL-001")
    assert off.status is Status.FAIL
    # an instance that cannot be told is never outweighed by one that passes
    untold = judge_state(replace(state, name=Unknown("name known after apply")), spec)
    assert verdicts._combined([found, untold]).for_rule("TS-DEL-001").status is Status.UNKNOWN
