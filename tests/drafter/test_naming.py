"""`tablespec spec init`, naming: separators, environments from names, tags and accounts,
legacy names, a project and pattern given. Every draft validates and round-trips."""

from __future__ import annotations

import pytest

from tests.support.spec_init_util import (
    SEED,
    data,
    draft,
    every,
    failing,
    said,
    state,
)


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
