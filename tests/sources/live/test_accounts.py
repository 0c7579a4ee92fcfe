"""Accounts and regions: --role-arn per account through STS, --region, --profile, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.sources.live.clients import client_hook
from checker.specfile.model import Spec
from tests.support.audit_helpers import SPEC, Deny, Guard, audit_json, not_passing
from tests.support.audit_world import TABLES, World, seed

ACCOUNTS_REGION = "ap-southeast-2"
EMPTY_REGION = "sa-east-1"
GOOD, DRIFTED = "111111111111", "222222222222"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture(scope="session")
def two_accounts(moto_endpoint: str, spec: Spec) -> tuple[World, World]:
    """The spec's tables in two accounts; PITR off on the events table of the second."""
    good = seed(moto_endpoint, ACCOUNTS_REGION, spec, account=GOOD)
    drifted = seed(moto_endpoint, ACCOUNTS_REGION, spec, account=DRIFTED)
    drifted.writers.dynamodb.update_continuous_backups(
        TableName=TABLES["interaction-events"],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    return good, drifted


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/tablespec-audit"


def test_one_role_per_account_each_region_reported_by_account_and_region(
    two_accounts: tuple[World, World], aws: str, tmp_path: Path, read_only: Guard
) -> None:
    good, drifted = two_accounts
    code, report = audit_json(tmp_path, "--role-arn", role(GOOD), "--role-arn", role(DRIFTED),
                              "--external-id", "ext-1234", "--region", ACCOUNTS_REGION,
                              "--region", EMPTY_REGION)
    assert code == 1
    assert report["source"]["target"] == ", ".join(
        f"{a}/{r}" for a in (GOOD, DRIFTED) for r in (ACCOUNTS_REGION, EMPTY_REGION))
    assert not_passing(report) == [("fail", "TS-PITR-001", "interaction-events",
                                    drifted.arn("interaction-events"), "enabled", "disabled")]
    accounts = {f["resource"].split(":")[4] for f in report["findings"]}
    assert accounts == {GOOD, DRIFTED}
    assumed = [p for svc, op, p in read_only.params if op == "AssumeRole"]
    assert [(p["RoleArn"], p["ExternalId"]) for p in assumed] == [
        (role(GOOD), "ext-1234"), (role(DRIFTED), "ext-1234")]
    assert read_only.count("GetCallerIdentity") == 0
    assert good.account == GOOD


def test_env_requires_the_tables_in_every_region_with_arns_of_that_region(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    code, report = audit_json(tmp_path, "--env", "prod", "--region", seeded.region,
                              "--region", EMPTY_REGION)
    assert code == 1
    fails = [(f["rule_id"], f["resource"]) for f in report["findings"] if f["status"] == "fail"]
    assert sorted(fails) == sorted(
        ("TS-PRES-001", f"arn:aws:dynamodb:{EMPTY_REGION}:{seeded.account}:table/{name}")
        for name in TABLES.values())


def test_no_matching_table_anywhere_without_env_is_exit_2(
    aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--spec", SPEC, "--region", EMPTY_REGION]) == 2
    err = capsys.readouterr().err
    assert "no table follows the naming pattern" in err and "pass --env ENV" in err


def test_profile_gives_credentials_and_region(
    seeded: World, aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(str(tmp_path / "aws-config"))
    keys = "".join(f"{name.lower()} = {value}\n" for name, value in seeded.env.items())
    config.write_text(f"[profile auditor]\nregion = {seeded.region}\n{keys}")
    for name in (*seeded.env, "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    code, report = audit_json(tmp_path, "--profile", "auditor")
    assert code == 0
    assert report["source"]["target"] == f"{seeded.account}/{seeded.region}"


@pytest.mark.parametrize("variable", ["AWS_DEFAULT_REGION", "AWS_REGION"])
def test_region_defaults_to_the_credential_chains(
    variable: str, seeded: World, aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv(variable, seeded.region)
    code, report = audit_json(tmp_path)
    assert code == 0 and report["source"]["target"] == f"{seeded.account}/{seeded.region}"


def test_no_region_at_all_is_exit_2(aws: str, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["audit", "--spec", SPEC]) == 2
    assert capsys.readouterr().err == ("tablespec: no AWS region: pass --region or set "
                                       "AWS_DEFAULT_REGION\n")


def test_of_several_roles_one_that_cannot_be_assumed_leaves_its_account_unknown(
    two_accounts: tuple[World, World], aws: str, tmp_path: Path, spec: Spec
) -> None:
    assert all(w.region == ACCOUNTS_REGION for w in two_accounts)
    deny = Deny("sts", "AssumeRole", mentioning=DRIFTED)
    with client_hook(deny.install):
        code, report = audit_json(tmp_path, "--role-arn", role(GOOD), "--role-arn",
                                  role(DRIFTED), "--region", ACCOUNTS_REGION)
    assert code == 1 and deny.denied == 1
    assert report["source"]["scope"] == [{"account": a, "region": ACCOUNTS_REGION}
                                         for a in (GOOD, DRIFTED)]
    (theirs,) = [f for f in report["findings"] if f":{DRIFTED}:" in f["resource"]]
    assert (theirs["rule_id"], theirs["status"], theirs["reason"], theirs["table"]) == (
        "TS-ACCESS-001", "unknown", "access_denied", "*")
    assert f"cannot assume {role(DRIFTED)}" in theirs["message"]
    assert {f["status"] for f in report["findings"] if f":{GOOD}:" in f["resource"]} == {"pass"}
