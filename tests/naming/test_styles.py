"""Names and environments as teams have them: `{table}` alone, tables that name themselves,
one account per environment; the same verdicts as the seed's own naming."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from tests.support.paths import REPO
from tests.support.tfplans import PlanFarm

SEED = REPO / "specs" / "tables.yaml"
TABLES = ("player_sessions", "interaction_events", "player_rewards")
Verdict = tuple[str, str, str, str, str, str]


def spec_with(tmp_path: Path, **changes: Any) -> Path:
    """The seed spec with top-level *changes* (a `tables` entry's keys merged in)."""
    data: dict[str, Any] = yaml.safe_load(SEED.read_text())
    for key, value in changes.items():
        if key == "tables":
            for table, extra in value.items():
                data["tables"][table].update(extra)
        else:
            data[key] = value
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def renamed(names: dict[str, str]) -> dict[str, str]:
    """An override file giving the module's tables these names (resource name -> name)."""
    body = "".join(f'resource "aws_dynamodb_table" "{r}" {{\n  name = "{n}"\n}}\n'
                   for r, n in names.items())
    return {"modules/dynamodb/naming_override.tf": body}


def verdicts(plan: Path, spec: Path, out: Path, *args: str) -> tuple[int, set[Verdict]]:
    """`tablespec plan`'s exit code and (rule, table, env, resource, status, field) set."""
    code = main(["plan", str(plan), "--spec", str(spec), "--format", f"json={out}", *args])
    report = json.loads(out.read_text())
    return code, {(f["rule_id"], f["table"], f["environment"], f["resource"], f["status"],
                   f["field"]) for f in report["findings"]}


@pytest.mark.terraform
def test_table_alone_with_env_gives_the_verdicts_of_the_seed_naming(
    farm: PlanFarm, tmp_path: Path
) -> None:
    bare = farm.plan_with("module", "bare-names",
                          renamed({t: t.replace("_", "-") for t in TABLES}))
    seed = verdicts(farm.plan("module"), SEED, tmp_path / "a.json")
    table_only = spec_with(tmp_path, naming={"pattern": "{table}"})
    assert verdicts(bare, table_only, tmp_path / "b.json", "--env", "prod") == seed
    # without --env, the Environment tag tells it
    assert verdicts(bare, table_only, tmp_path / "c.json") == seed
    # a prod table in a dev plan is a finding, and dev's tables are absent from it
    code, dev = verdicts(bare, table_only, tmp_path / "d.json", "--env", "dev")
    assert code == 1
    assert {(r, t) for r, t, e, _, s, _ in dev if s == "fail" and r == "TS-NAME-003"} == {
        ("TS-NAME-003", t.replace("_", "-")) for t in TABLES}


@pytest.mark.terraform
def test_tables_that_name_themselves(farm: PlanFarm, tmp_path: Path) -> None:
    legacy = {"player_rewards": "PlayerRewards_prod", "interaction_events": "legacy-events"}
    plan = farm.plan_with("module", "legacy-names", renamed(legacy))
    spec = spec_with(tmp_path, tables={
        "player-rewards": {"name": "PlayerRewards_{environment}"},
        "interaction-events": {"name": {"prod": "legacy-events", "dev": "events-dev"}},
    })
    seed = verdicts(farm.plan("module"), SEED, tmp_path / "a.json")
    assert verdicts(plan, spec, tmp_path / "b.json") == seed
    # the seed's naming does not know them: both tables are absent, and their tables noted
    code, absent = verdicts(plan, SEED, tmp_path / "c.json")
    assert code == 1 and {t for r, t, _, _, s, _ in absent if r == "TS-PRES-001" and s == "fail"
                          } == {"player-rewards", "interaction-events"}


def test_a_table_alone_pattern_notes_other_tables_instead_of_reporting_them(
    tmp_path: Path
) -> None:
    from checker import pipeline
    from checker.runpolicy import RunPolicy
    from checker.specfile.load import load_spec
    from tests.support.builders import compliant

    spec = load_spec(spec_with(tmp_path, naming={"pattern": "{table}"}))
    states = [compliant(spec, t, "prod") for t in spec.tables.values()]
    other = compliant(spec, spec.tables["player-sessions"], "prod")
    other.name, other.resource = "some-other-team-table", "aws_dynamodb_table.other"
    out = pipeline.run(spec, [pipeline.Batch("t", [*states, other])], kind="plan", target="t",
                       environment="prod", policy=RunPolicy(mismatch_is_finding=True))
    assert not [f for f in out.report.findings if f.resource == other.resource]
    assert [n.kind.value for n in out.report.notes] == ["ignored_tables"]
    assert out.exit_code == 0
