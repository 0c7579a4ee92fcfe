"""`tablespec spec init` without Terraform or AWS: tables made by hand and the example's source.

Every draft validates, and the tables it was drafted from pass against it (round trip);
what cannot be inferred is a comment, never a value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import pipeline
from checker.cli import main
from checker.findings import Status
from checker.model import EncLevel, Encryption, TableState, Ttl, Unknown
from checker.spec.draft import Draft, draft_spec
from checker.spec.load import load_spec
from checker.spec.model import Spec
from tests.builders import alarm_for, compliant

REPO = Path(__file__).resolve().parent.parent
SEED = load_spec(REPO / "specs" / "tables.yaml")
EXAMPLE = REPO / "examples" / "terraform" / "environments"
WHEN = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)


def state(table: str, env: str, name: str | None = None, **changes: Any) -> TableState:
    """A table of the seed spec as it should be in *env* (named *name*), then *changes*."""
    made = compliant(SEED, SEED.tables[table], env, **changes)
    if name is not None:
        made.name = name
    return made


def every(env: str, names: dict[str, str] | None = None, **changes: Any) -> list[TableState]:
    """Every seed table in *env*, some renamed."""
    return [state(t, env, (names or {}).get(t), **changes) for t in SEED.tables]


def draft(states: Sequence[TableState], **options: Any) -> Draft:
    return draft_spec(states, "tables made by hand", now=WHEN, **options)


def failing(spec: Spec, batches: Iterable[Sequence[TableState]], env: str | None = None
            ) -> list[tuple[str, str, str, str]]:
    """(rule, table, environment, message) of every failing finding, each batch on its own."""
    out = pipeline.run(spec, [pipeline.Batch(f"batch{i}", list(b)) for i, b in
                              enumerate(batches)], kind="plan", target="t", environment=env,
                       mismatch_is_finding=True)
    return [(f.rule_id, f.table, f.environment, f.message) for f in out.report.findings
            if f.status is Status.FAIL]


def data(d: Draft) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(d.text)
    return loaded


def comments(d: Draft) -> list[str]:
    return [line.strip() for line in d.text.splitlines() if line.strip().startswith("#")]


def said(d: Draft) -> str:
    """Every comment of the draft as one line of text."""
    return " ".join(c.removeprefix("#").strip() for c in comments(d))


# -- naming ------------------------------------------------------------------------------------


def test_seed_names_give_the_seed_naming_and_a_clean_round_trip() -> None:
    states = every("prod")
    d = draft(states)
    got = data(d)
    assert (got["project"], got["naming"], got["environments"]) == (
        SEED.project, {"pattern": SEED.pattern}, ["prod"])
    assert set(got["tables"]) == set(SEED.tables)
    assert not any("name" in t for t in got["tables"].values())  # all follow the pattern
    assert failing(d.spec, [states]) == []


@pytest.mark.parametrize(("sep", "names"), [
    ("_", {t: f"shop_{t.replace('-', '')}_{{env}}" for t in SEED.tables}),
    (".", {t: f"{{env}}.shop.{t}" for t in SEED.tables}),
    ("-", {t: f"shop-{{env}}-{t}" for t in SEED.tables}),
])
def test_separator_and_place_of_the_environment(sep: str, names: dict[str, str]) -> None:
    states = [state(t, env, n.format(env=env), tags={"Owner": "o"})
              for env in ("dev", "prod") for t, n in names.items()]
    d = draft(states)
    got = data(d)
    assert got["project"] == "shop"
    pattern = got["naming"]["pattern"]
    assert sep in pattern and "{project}" in pattern and "{environment}" in pattern
    assert got["environments"] == ["dev", "prod"]
    tables = {n.format(env="prod").replace("prod", "").replace("shop", "").strip(sep)
              for n in names.values()}
    assert set(got["tables"]) == tables
    assert failing(d.spec, [states[:3], states[3:]]) == []


def test_names_without_an_environment_take_it_from_the_environment_tag() -> None:
    states = every("prod", {t: t for t in SEED.tables})
    d = draft(states)
    got = data(d)
    assert got["naming"] == {"pattern": "{table}"}
    assert got["project"] == SEED.project  # from the Project tag, though no name has it
    assert got["environments"] == ["prod"]
    assert "the environment must come from accounts, a tag or --env" in said(d)
    assert failing(d.spec, [states]) == []


def test_names_and_tags_without_an_environment_are_one_placeholder_environment() -> None:
    states = every("prod", {t: t for t in SEED.tables}, tags={"Owner": "o"})
    d = draft(states)
    got = data(d)
    assert got["environments"] == ["default"]
    assert got["project"] == "project" and "TODO: name the project" in d.text
    assert "run with --env default" in said(d)
    assert failing(d.spec, [states], env="default") == []
    # without --env nothing tells the environment: the run says so, table by table
    assert {r for r, *_ in failing(d.spec, [states])} == {"TS-NAME-003"}


def test_another_environment_tag_is_named_in_the_naming() -> None:
    states = [state(t, env, t, tags={"Stage": env, "Owner": "o"})
              for env in ("qa", "prod") for t in SEED.tables]
    d = draft(states)
    got = data(d)
    assert got["naming"] == {"pattern": "{table}", "environment_tag": "Stage"}
    assert got["environments"] == ["qa", "prod"]
    assert failing(d.spec, [states[:3], states[3:]]) == []


@pytest.mark.parametrize("roles", [True, False])
def test_accounts_are_listed_when_each_role_reads_one_environment(roles: bool) -> None:
    dev = every("dev", account="111111111111")
    prod = every("prod", account="222222222222")
    d = draft(dev + prod, roles=roles)
    envs = data(d)["environments"]
    if roles:
        assert envs == {"dev": {"accounts": ["111111111111"]},
                        "prod": {"accounts": ["222222222222"]}}
        assert d.spec.accounts == {"111111111111": "dev", "222222222222": "prod"}
    else:
        assert envs == ["dev", "prod"]
    assert failing(d.spec, [dev, prod]) == []


def test_names_without_an_environment_in_accounts_take_it_from_the_account() -> None:
    dev = every("dev", {t: t for t in SEED.tables}, account="111111111111", pitr=False)
    prod = every("prod", {t: t for t in SEED.tables}, account="222222222222")
    d = draft(dev + prod)
    got = data(d)
    assert got["environments"] == {"dev": {"accounts": ["111111111111"]},
                                   "prod": {"accounts": ["222222222222"]}}
    assert got["defaults"]["pitr"] == {"required_in": ["prod"]}
    assert failing(d.spec, [dev, prod]) == []
    for s in dev + prod:
        assert isinstance(s.tags, dict)
        del s.tags["Environment"]
    d = draft(dev + prod)
    envs = data(d)["environments"]
    assert envs == {f"account-{a}": {"accounts": [a]} for a in ("111111111111", "222222222222")}
    assert said(d).count("TODO: account-") == 2
    assert failing(d.spec, [dev, prod]) == []


def test_an_environment_tag_that_disagrees_with_the_name_is_a_note() -> None:
    prod = every("prod")
    assert isinstance(prod[0].tags, dict)
    prod[0].tags["Environment"] = "production"
    d = draft(prod)
    assert data(d)["environments"] == ["prod"]
    assert f"the Environment tag of {prod[0].name} says production" in said(d)
    assert [r for r, *_ in failing(d.spec, [prod])] == ["TS-NAME-002"]


def test_a_legacy_name_gets_a_name_of_its_own() -> None:
    states = every("prod", {"player-rewards": "PlayerRewards_prod"})
    d = draft(states)
    got = data(d)
    assert got["naming"]["pattern"] == SEED.pattern
    assert got["tables"]["player-rewards"]["name"] == {"prod": "PlayerRewards_prod"}
    assert failing(d.spec, [states]) == []


def test_a_legacy_stem_seen_per_environment_is_a_pattern_and_a_literal_stays_literal() -> None:
    dev = every("dev", {"player-rewards": "PlayerRewards_dev"})
    prod = every("prod", {"player-rewards": "PlayerRewards_prod"})
    prod.append(state("interaction-events", "prod", "legacy-events"))
    d = draft(dev + prod)
    got = data(d)["tables"]
    assert got["player-rewards"]["name"] == "PlayerRewards_{environment}"
    assert got["legacy-events"]["name"] == "legacy-events"
    assert failing(d.spec, [dev, prod]) == [
        ("TS-PRES-001", "legacy-events", "dev",
         "no table named legacy-events in batch0; create it or restore its name")]
    assert "seen in prod only" in said(d)


def test_a_legacy_name_in_an_environment_the_table_lacks_joins_it() -> None:
    states = every("dev") + every("prod", {"player-rewards": "PlayerRewards_prod"})
    d = draft(states)
    got = data(d)["tables"]
    assert set(got) == set(SEED.tables)
    assert got["player-rewards"]["name"] == {"prod": "PlayerRewards_prod"}
    assert "PlayerRewards_prod is taken as this table in prod" in said(d)
    assert failing(d.spec, [states[:3], states[3:]]) == []


def test_project_and_pattern_given_win() -> None:
    states = every("prod")
    d = draft(states, project="hypermage")
    got = data(d)
    assert got["project"] == "hypermage"
    assert set(got["tables"]) == {f"vr-{t}" for t in SEED.tables}
    assert failing(d.spec, [states]) == []
    d = draft(states, pattern="hypermage-vr-{table}-prod")
    got = data(d)
    assert got["naming"] == {"pattern": "hypermage-vr-{table}-prod"}
    assert set(got["tables"]) == set(SEED.tables)
    assert failing(d.spec, [states]) == []  # the Environment tag tells it


# -- what every table shares, and what differs -------------------------------------------------


def test_pitr_alarms_and_deletion_protection_required_only_where_every_table_has_them() -> None:
    dev = every("dev", pitr=False, alarms=[], deletion_protection=False)
    prod = every("prod")
    d = draft(dev + prod)
    got = data(d)
    defaults = got["defaults"]
    assert defaults["pitr"] == {"required_in": ["prod"]}
    assert defaults["deletion_protection"] == {"required_in": ["prod"]}
    assert defaults["alarms"]["required_in"] == ["prod"]
    assert [m["metric"] for m in defaults["alarms"]["metrics"]] == [
        "ReadThrottleEvents", "WriteThrottleEvents"]
    assert {m["threshold"] for m in defaults["alarms"]["metrics"]} == {10}
    assert not any({"pitr", "alarms"} & set(t) for t in got["tables"].values())
    assert failing(d.spec, [dev, prod]) == []


def test_a_table_that_differs_writes_its_own_key_and_a_table_key_replaces_the_default() -> None:
    prod = every("prod")
    odd = prod[2]
    assert isinstance(odd.tags, dict)
    prod[2] = replace(odd, pitr=False, encryption=Encryption.exact(EncLevel.CUSTOMER_MANAGED),
                      tags={**odd.tags, "Extra": "x"},
                      alarms=[alarm_for(str(odd.name), "ReadThrottleEvents", threshold=50.0)])
    d = draft(prod)
    got = data(d)
    mine = got["tables"][list(SEED.tables)[2]]
    assert mine["pitr"] == {"required_in": []}
    assert mine["encryption"] == "customer_managed"
    assert "Extra" in mine["tags"]["required"]
    assert mine["alarms"]["metrics"][0]["threshold"] == 50
    assert len(mine["alarms"]["metrics"]) == 1
    assert got["defaults"]["encryption"] == "aws_managed"
    assert failing(d.spec, [prod]) == []


def test_the_weakest_encryption_and_every_billing_mode_seen() -> None:
    dev = every("dev", encryption=Encryption.exact(EncLevel.AWS_OWNED),
                billing_mode="PROVISIONED", read_capacity=5, write_capacity=5,
                gsis=())
    prod = every("prod", gsis=())
    d = draft(dev + prod)
    got = data(d)["defaults"]
    assert got["encryption"] == "aws_owned"
    assert got["billing"] == {"modes": ["PAY_PER_REQUEST", "PROVISIONED"], "min_capacity": 1}
    assert failing(d.spec, [dev, prod]) == []


def test_indexes_with_include_projection_and_ttl_off_everywhere() -> None:
    events = state("interaction-events", "prod")
    assert isinstance(events.gsis, tuple)
    gsi = replace(events.gsis[0], projection="INCLUDE", non_key_attributes=("b", "a"))
    states = [replace(events, gsis=(gsi,)), state("player-rewards", "prod")]
    d = draft(states)
    got = data(d)["tables"]
    assert got["interaction-events"]["gsis"]["PlayerIdIndex"] == {
        "hash_key": {"name": "playerId", "type": "S"},
        "range_key": {"name": "timestamp", "type": "S"},
        "projection": "INCLUDE", "non_key_attributes": ["a", "b"]}
    assert got["player-rewards"]["ttl"] is False
    assert failing(d.spec, [states]) == []


def test_values_that_differ_between_environments_are_a_conflict_comment() -> None:
    dev = every("dev")
    prod = every("prod")
    dev[0] = replace(dev[0], ttl=Ttl(True, "expires_at"))
    d = draft(dev + prod)
    table = next(iter(SEED.tables))
    assert data(d)["tables"][table]["ttl"] == {"attribute": "ttl"}  # prod's, and said so
    conflict = [c for c in comments(d) if c.startswith("# CONFLICT")]
    assert len(conflict) == 1 and "on expires_at in dev" in d.text and d.conflicts == 1
    assert {(r, e) for r, t, e, _ in failing(d.spec, [dev, prod])} == {("TS-TTL-001", "dev")}


# -- what cannot be known ----------------------------------------------------------------------


def test_values_unknown_at_plan_time_are_comments_never_values() -> None:
    prod = every("prod")
    sessions, events, rewards = prod
    later = Unknown("known after apply")
    prod[0] = replace(sessions, pitr=later, tags=later)
    prod[1] = replace(events, ttl=Ttl(True, later),
                      encryption=Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED,
                                            later))
    prod[2] = replace(rewards, hash_key=later, alarms=[
        alarm_for(str(rewards.name), "ReadThrottleEvents", threshold=later),
        alarm_for(str(rewards.name), "WriteThrottleEvents", actions=later)])
    d = draft(prod)
    got = data(d)
    tables = got["tables"]
    text = said(d)
    # PITR unknown on one table: it is not required there, and the comment says why
    assert tables["player-sessions"]["pitr"] == {"required_in": []}
    assert f"TODO: {sessions.name}: PITR not known (known after apply)" in text
    # the other tables' tags are required; this table's are not guessed
    assert f"TODO: {sessions.name}: tags not known" in text
    assert tables["interaction-events"]["ttl"] == {"attribute": "TODO"}
    assert "a placeholder: write the TTL attribute" in text
    assert tables["player-rewards"]["hash_key"] == {"name": "TODO", "type": "S"}
    # an alarm threshold known only after apply: the table keeps the default alarms
    assert "alarms" not in tables["player-rewards"]
    assert "no ReadThrottleEvents alarm has settings known here" in text
    assert f"TODO: {rewards.name}: actions of alarm" in text
    assert "at most aws_managed" in text
    assert d.todos >= 5
    assert failing(d.spec, [prod]) == []  # unknown is never a failure of the plan gate


def test_a_table_whose_name_is_not_known_or_not_a_name_is_not_drafted_and_said_so() -> None:
    prod = every("prod")
    prod.append(replace(prod[0], name=Unknown("name known after apply"),
                        resource="aws_dynamodb_table.random"))
    prod.append(replace(prod[0], name="no such name!", resource="aws_dynamodb_table.bad"))
    d = draft(prod)
    assert set(data(d)["tables"]) == set(SEED.tables)
    assert "# TODO: not drafted: aws_dynamodb_table.random (name known after apply)" in d.text
    assert "not drafted: aws_dynamodb_table.bad ('no such name!' is not a DynamoDB" in said(d)
    assert d.todos == 2


def test_a_pattern_given_that_tells_no_environment_keeps_names_to_themselves() -> None:
    states = every("prod", {t: t for t in SEED.tables}, tags={"Owner": "o"})
    d = draft(states, pattern="{table}{environment}")
    got = data(d)
    assert got["naming"] == {"pattern": "{table}{environment}"}
    assert {t["name"] for t in got["tables"].values()} == set(SEED.tables)
    assert failing(d.spec, [states], env="default") == []


def test_yaml_quoting_of_names_that_look_like_other_things() -> None:
    states = [state("player-rewards", "prod", "yes_prod", tags={"on": "1", "Owner": "o"}),
              state("player-sessions", "prod", "1.5_prod", tags={"on": "1", "Owner": "o"})]
    d = draft(states, project="true")
    got = data(d)
    assert got["project"] == "true" and set(got["tables"]) == {"yes", "1.5"}
    assert got["defaults"]["tags"] == {"required": ["on", "Owner"]}
    assert failing(d.spec, [states]) == []


# -- the command -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["spec", "init", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check(kind: str, *args: str, tmp: Path) -> tuple[int, dict[str, Any]]:
    out = tmp / "report.json"
    code = main([kind, *args, "--format", "json", "-o", str(out)])
    report: dict[str, Any] = json.loads(out.read_text())
    return code, report


def test_hcl_of_dev_and_prod_requires_pitr_and_alarms_in_prod_only_and_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev, prod = str(EXAMPLE / "dev"), str(EXAMPLE / "prod")
    draft_file = tmp_path / "tables.yaml"
    code, out, err = run(capsys, "--hcl", dev, "--hcl", prod, "-o", str(draft_file))
    assert code == 0 and out == ""
    assert err.startswith("tablespec: drafted 3 table(s), environments dev, prod")
    text = draft_file.read_text()
    assert text.startswith("# DRAFT spec written by `tablespec spec init` from the Terraform "
                           "source")
    got = yaml.safe_load(text)
    assert got["defaults"]["pitr"] == {"required_in": ["prod"]}
    assert got["defaults"]["alarms"]["required_in"] == ["prod"]
    assert main(["spec", "validate", "--spec", str(draft_file)]) == 0
    code, report = check("hcl", dev, prod, "--spec", str(draft_file), tmp=tmp_path)
    assert code == 0 and report["summary"]["failed"] == 0
    assert {f["environment"] for f in report["findings"]} == {"dev", "prod"}


def test_hcl_of_prod_looks_like_the_seed_spec(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"))
    assert code == 0
    got = yaml.safe_load(out)
    seed = yaml.safe_load((REPO / "specs" / "tables.yaml").read_text())
    assert list(got) == [k for k in seed if k in got]  # the seed's key order
    for name, table in seed["tables"].items():
        mine = got["tables"][name]
        for key in ("hash_key", "range_key", "gsis"):
            assert mine.get(key) == table.get(key)
        assert mine["ttl"] == (table["ttl"] and {"attribute": table["ttl"]["attribute"]})
    defaults = got["defaults"]
    assert defaults["encryption"] == seed["defaults"]["encryption"]
    assert set(seed["defaults"]["tags"]["required"]) <= set(defaults["tags"]["required"])
    assert defaults["alarms"]["metrics"] == seed["defaults"]["alarms"]["metrics"]


@pytest.mark.parametrize(("args", "says"), [
    (["--plan", "missing.json"], "missing.json: plan file not found"),
    (["--hcl", "no/such/dir"], "no/such/dir"),
    (["--plan", "p.json", "--region", "eu-west-1"], "--region is used with --live only"),
    (["--hcl", str(EXAMPLE / "prod"), "--pattern", "{project}-{environment}"],
     "--pattern {project}-{environment}: must contain {table} exactly once"),
    (["--hcl", str(EXAMPLE / "prod"), "--project", "a b"], "--project a b: use letters"),
    (["--plan", "a.json", "--hcl", "x"], "not allowed with argument"),
    ([], "one of the arguments --plan --hcl --live is required"),
])
def test_bad_input_is_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                           args: list[str], says: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and says in err, err


def test_a_plan_that_is_not_a_plan_is_exit_2(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"format_version": "1.2", "truncated')
    code, out, err = run(capsys, "--plan", str(bad))
    assert (code, out) == (2, "") and str(bad) in err and len(err.strip().splitlines()) == 1


def test_an_existing_output_is_kept_without_force(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    target = tmp_path / "tables.yaml"
    target.write_text("mine\n")
    code, _, err = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target))
    assert code == 2 and "pass --force" in err and target.read_text() == "mine\n"
    code, _, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("# DRAFT")


def test_help_names_the_permissions_live_needs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "dynamodb:ListTables" in flat and "arn:aws:dynamodb:*:*:table/*" in flat
    assert "DescribeTable, DescribeTimeToLive, DescribeContinuousBackups" in flat


def test_a_draft_beside_the_schema_names_it_for_editors(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "tables.schema.json").write_text("{}")
    target = tmp_path / "tables.yaml"
    code, _, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target))
    first, second = target.read_text().splitlines()[:2]
    assert code == 0 and first == "# yaml-language-server: $schema=tables.schema.json"
    assert second.startswith("# DRAFT")
    assert main(["spec", "validate", "--spec", str(target)]) == 0
