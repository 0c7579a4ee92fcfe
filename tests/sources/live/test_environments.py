"""One account per environment: tables named `player-sessions` in dev and prod alike, each
account audited against the environment the spec maps it to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from checker.specfile.load import load_spec
from tests.support.audit_helpers import SPEC, Guard, not_passing
from tests.support.audit_world import World, seed

REGION = "ca-central-1"
DEV, PROD, ELSE = "300000000001", "300000000002", "300000000003"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture(scope="session")
def per_account_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed spec with `{table}` names and dev and prod told by account."""
    data: dict[str, Any] = yaml.safe_load(Path(SPEC).read_text())
    data["naming"] = {"pattern": "{table}"}
    data["environments"] = {"dev": {"accounts": [DEV]}, "staging": {},
                            "prod": {"accounts": [PROD, ELSE]}}
    path = tmp_path_factory.mktemp("spec") / "per-account.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def accounts(moto_endpoint: str, per_account_spec: Path) -> tuple[World, World]:
    """The spec's tables made as the spec wants them in dev and in prod, each in its account."""
    spec = load_spec(per_account_spec)
    return (seed(moto_endpoint, REGION, spec, "dev", account=DEV),
            seed(moto_endpoint, REGION, spec, "prod", account=PROD))


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/tablespec-audit"


def audit(spec: Path, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "audit.json"
    out.unlink(missing_ok=True)
    code = main(["audit", "--spec", str(spec), "--region", REGION, "--format", f"json={out}",
                 "--role-arn", role(DEV), "--role-arn", role(PROD), *args])
    return code, json.loads(out.read_text()) if out.exists() else {}


def test_each_account_is_checked_against_its_own_environment(
    accounts: tuple[World, World], per_account_spec: Path, aws: str, tmp_path: Path
) -> None:
    code, report = audit(per_account_spec, tmp_path)
    assert code == 0, not_passing(report)
    by_account = {(f["resource"].split(":")[4], f["environment"]) for f in report["findings"]}
    assert by_account == {(DEV, "dev"), (PROD, "prod")}
    spec = load_spec(per_account_spec)
    for account, env in ((DEV, "dev"), (PROD, "prod")):
        tables = {f["table"] for f in report["findings"]
                  if f["resource"].split(":")[4] == account}
        assert tables == set(spec.tables), (account, env)
    # the prod account with nothing audited is said, not dropped
    (note,) = [n for n in report["notes"] if n["kind"] == "not_audited"]
    assert ELSE in note["message"] and "prod" in note["message"]


def test_a_drift_in_the_prod_account_fails_only_there(
    accounts: tuple[World, World], per_account_spec: Path, aws: str, tmp_path: Path
) -> None:
    _, prod = accounts
    ddb = prod.writers.dynamodb
    spec = {"TableName": "interaction-events"}
    ddb.update_continuous_backups(**spec, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False})
    try:
        code, report = audit(per_account_spec, tmp_path)
    finally:
        ddb.update_continuous_backups(**spec, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    assert code == 1
    assert [(s, r, t, res.split(":")[4]) for s, r, t, res, *_ in not_passing(report)] == [
        ("fail", "TS-PITR-001", "interaction-events", PROD)]


def test_env_selects_the_accounts_of_that_environment(
    accounts: tuple[World, World], per_account_spec: Path, aws: str, tmp_path: Path
) -> None:
    code, report = audit(per_account_spec, tmp_path, "--env", "dev")
    assert code == 0, not_passing(report)
    assert {f["resource"].split(":")[4] for f in report["findings"]} == {DEV}
    skipped = [n["message"] for n in report["notes"] if n["kind"] == "other_environments"]
    assert skipped == [f"account {PROD} is prod, not dev: not read"]


def test_the_text_report_groups_by_account_and_environment(
    accounts: tuple[World, World], per_account_spec: Path, aws: str,
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--spec", str(per_account_spec), "--region", REGION,
                 "--role-arn", role(DEV), "--role-arn", role(PROD)]) == 0
    out = capsys.readouterr().out
    assert f"PASS  player-rewards (dev, {DEV}/{REGION})" in out
    assert f"PASS  player-rewards (prod, {PROD}/{REGION})" in out
