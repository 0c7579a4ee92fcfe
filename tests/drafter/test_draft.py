"""`tablespec spec init` without Terraform or AWS, on tables made by hand: what every table
shares, what differs, what cannot be known (naming: test_spec_init_naming.py; the command:
test_spec_init_cli.py).

Every draft validates, and the tables it was drafted from pass against it (round trip);
what cannot be inferred is a comment, never a value.
"""

from __future__ import annotations

from dataclasses import replace

from checker.iam.document import Attached, parse_policy
from checker.model import EncLevel, Encryption, OnDemandMax, Scaling, TableState, Ttl
from checker.unknown import Unknown
from tests.support.builders import alarm_for
from tests.support.spec_init_util import (
    SEED,
    comments,
    data,
    draft,
    every,
    failing,
    said,
    state,
)

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


def test_streams_table_class_and_a_short_recovery_period_drafted_from_what_exists() -> None:
    """A stream where every table has one (its view type when they share it), the classes
    seen, and PITR's least recovery period where it is below AWS's 35 days; the draft
    passes on what it was drafted from."""
    dev = every("dev", pitr=False, pitr_recovery_days=None, alarms=[],
                deletion_protection=False, stream=None)
    prod = every("prod", stream="NEW_AND_OLD_IMAGES", pitr_recovery_days=14)
    d = draft(dev + prod)
    defaults = data(d)["defaults"]
    assert defaults["pitr"] == {"required_in": ["prod"], "min_recovery_days": 14}
    assert defaults["streams"] == {"required_in": ["prod"], "view_type": "NEW_AND_OLD_IMAGES"}
    assert defaults["table_class"] == ["STANDARD"]
    assert "capacity" not in defaults  # the seed's tables set no on-demand maximum
    assert "contributor_insights" not in defaults  # none has it
    assert failing(d.spec, [dev, prod]) == []


def test_contributor_insights_required_where_every_table_has_it() -> None:
    dev = every("dev", pitr=False, pitr_recovery_days=None, alarms=[],
                deletion_protection=False, contributor_insights=False)
    prod = every("prod", contributor_insights=True)
    d = draft(dev + prod)
    assert data(d)["defaults"]["contributor_insights"] == {"required_in": ["prod"]}
    assert failing(d.spec, [dev, prod]) == []


def test_replica_regions_where_every_table_is_a_global_table() -> None:
    prod = every("prod", region="eu-west-1", replica_regions=("us-east-1",))
    d = draft(every("dev", pitr=False, pitr_recovery_days=None, alarms=[],
                    deletion_protection=False) + prod)
    assert data(d)["defaults"]["replicas"] == {"required_in": ["prod"],
                                               "regions": ["eu-west-1", "us-east-1"]}


def test_the_highest_on_demand_maximum_where_every_table_and_index_sets_one() -> None:
    capped = every("prod", on_demand_max=OnDemandMax(200, 100))
    for s in capped:
        if isinstance(s.gsis, tuple):
            s.gsis = tuple(replace(g, on_demand_max=OnDemandMax(50, 300)) for g in s.gsis)
    d = draft(capped)
    got = data(d)
    assert got["defaults"]["capacity"] == {"on_demand_max": {"read": 200, "write": 100}}
    assert got["tables"]["interaction-events"]["capacity"] == {  # its index allows more
        "on_demand_max": {"read": 200, "write": 300}}
    assert failing(d.spec, [capped]) == []


def _scaled(s: TableState, low: int, high: int) -> TableState:
    """*s* provisioned (its indexes too), with read and write targets for each."""
    gsis = s.gsis
    assert isinstance(gsis, tuple)
    return replace(s, billing_mode="PROVISIONED", read_capacity=5, write_capacity=5,
                   gsis=tuple(replace(g, read_capacity=5, write_capacity=5) for g in gsis),
                   scaling={(i, d): Scaling(low, high, "t") for d in ("read", "write")
                            for i in (None, *(str(g.name) for g in gsis))})


def test_autoscaling_required_where_every_provisioned_table_scales() -> None:
    prod = [_scaled(s, 5, 300) for s in every("prod")]
    prod[2] = replace(prod[2], scaling={**prod[2].scaling, (None, "read"): Scaling(  # type: ignore[dict-item]
        2, 900, "t")})
    dev = every("dev", pitr=False, pitr_recovery_days=None, alarms=[],
                deletion_protection=False, scaling={})  # on demand: nothing to scale
    d = draft(dev + prod)
    got = data(d)
    assert got["defaults"]["capacity"] == {"autoscaling": {
        "required_in": ["prod"], "min": 5, "max": 300}}
    assert got["tables"]["player-rewards"]["capacity"] == {"autoscaling": {  # the widest
        "required_in": ["prod"], "min": 2, "max": 900}}
    assert failing(d.spec, [dev, prod]) == []


def test_a_table_that_does_not_scale_undoes_the_default() -> None:
    prod = [_scaled(s, 5, 10) for s in every("prod")]
    prod[0] = replace(prod[0], scaling={})
    d = draft(prod)
    got = data(d)
    assert got["defaults"]["capacity"] == {"autoscaling": {"required_in": ["prod"], "min": 5,
                                                           "max": 10}}
    assert got["tables"]["player-sessions"]["capacity"] == {}
    assert failing(d.spec, [prod]) == []


def test_resource_policies_drafted_not_public_with_the_accounts_they_name() -> None:
    shared = parse_policy({"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                                          "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                                          "Resource": "*"}]})
    prod = every("prod", resource_policies=())
    prod[0] = replace(prod[0], resource_policies=(Attached("table", "p", shared),))
    d = draft(prod)
    got = data(d)
    assert got["defaults"]["resource_policy"] == {"public": False, "accounts": []}  # none
    assert got["tables"]["player-sessions"]["resource_policy"] == {
        "public": False, "accounts": ["111111111111"]}
    assert failing(d.spec, [prod]) == []
    public = parse_policy({"Statement": [{"Effect": "Allow", "Action": "dynamodb:*",
                                          "Principal": "*", "Resource": "*"}]})
    prod[0] = replace(prod[0], resource_policies=(Attached("table", "p", public),))
    d = draft(prod)
    assert data(d)["tables"]["player-sessions"]["resource_policy"] == {}  # judges nothing
    assert any("public" in c for c in comments(d))
    assert failing(d.spec, [prod]) == []


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
