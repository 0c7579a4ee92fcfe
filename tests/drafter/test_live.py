"""`tablespec spec init --live` on a real moto server: the audit of the same account against the
draft finds nothing failing; accounts tell environments the names do not; a denied permission
or an unreachable endpoint is exit 2 with one line. Read-only throughout (the suite's guard).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from checker.sources.live.clients import client_hook
from checker.specfile.load import parse_spec
from checker.specfile.model import Spec
from tests.support.audit_helpers import Deny, Guard, not_passing
from tests.support.audit_world import World, seed, use
from tests.support.moto import free_port
from tests.support.paths import REPO

SEED_TEXT = (REPO / "specs" / "tables.yaml").read_text()
BARE_REGION = "ca-central-1"
DEV, PROD, UNTAGGED = "410000000001", "410000000002", "410000000003"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/tablespec-init"


def bare_spec() -> Spec:
    """The seed spec with tables named `{table}` alone (player-sessions...)."""
    data = yaml.safe_load(SEED_TEXT)
    data["naming"] = {"pattern": "{table}"}
    return parse_spec("bare.yaml", yaml.safe_dump(data, sort_keys=False))


@pytest.fixture(scope="session")
def per_account(moto_endpoint: str) -> tuple[World, World]:
    """The seed's tables named `{table}` alone: dev in one account, prod in another."""
    spec = bare_spec()
    return (seed(moto_endpoint, BARE_REGION, spec, "dev", account=DEV),
            seed(moto_endpoint, BARE_REGION, spec, "prod", account=PROD))


@pytest.fixture(scope="session")
def untagged(moto_endpoint: str) -> World:
    """The same prod tables in one account, without the Environment tag."""
    world = seed(moto_endpoint, BARE_REGION, bare_spec(), "prod", account=UNTAGGED)
    ddb = world.writers.dynamodb
    for name in ddb.list_tables()["TableNames"]:
        arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
        ddb.untag_resource(ResourceArn=arn, TagKeys=["Environment"])
    return world


def init(tmp: Path, *args: str) -> tuple[Path, dict[str, Any]]:
    """`spec init --live ARGS`, which must succeed and validate."""
    out = tmp / "drafted.yaml"
    assert main(["spec", "init", "--live", *args, "-o", str(out), "--force"]) == 0
    assert main(["spec", "validate", "--spec", str(out)]) == 0
    drafted: dict[str, Any] = yaml.safe_load(out.read_text())
    return out, drafted


def audit(tmp: Path, spec: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp / "audit.json"
    code = main(["audit", "--spec", str(spec), "--format", "json", "-o", str(out), *args])
    report: dict[str, Any] = json.loads(out.read_text())
    return code, report


def test_a_draft_of_the_seeded_account_audits_clean(
    seeded: World, spec: Spec, tmp_path: Path, read_only: Guard
) -> None:
    path, drafted = init(tmp_path, "--region", seeded.region)
    assert drafted["naming"] == {"pattern": "{project}-{table}-{environment}"}
    assert (drafted["project"], drafted["environments"]) == (spec.project, ["prod"])
    assert set(drafted["tables"]) == set(spec.tables)
    for name, table in spec.tables.items():
        mine = drafted["tables"][name]
        assert mine["hash_key"] == {"name": table.hash_key.name, "type": table.hash_key.type}
        assert (mine["ttl"] is False) == (table.ttl is None)
    defaults = drafted["defaults"]
    assert defaults["pitr"] == {"required_in": ["prod"]}
    assert [m["metric"] for m in defaults["alarms"]["metrics"]] == [
        a.metric for a in spec.tables["player-sessions"].alarms.metrics]
    # reading every table of the account took the audit's own calls, nothing else
    assert read_only.count("ListTables") == 1
    assert read_only.count("DescribeTable") == len(spec.tables)
    code, report = audit(tmp_path, path, "--region", seeded.region)
    assert code == 0, not_passing(report)
    assert report["summary"]["failed"] == report["summary"]["unknown"] == 0


def test_one_account_per_environment_names_without_one(
    per_account: tuple[World, World], aws: str, tmp_path: Path
) -> None:
    roles = ["--role-arn", role(DEV), "--role-arn", role(PROD), "--region", BARE_REGION]
    path, drafted = init(tmp_path, *roles)
    assert drafted["naming"] == {"pattern": "{table}"}
    # the accounts tell the environments, named after the tables' Environment tag
    assert drafted["environments"] == {"dev": {"accounts": [DEV]}, "prod": {"accounts": [PROD]}}
    assert drafted["defaults"]["pitr"] == {"required_in": ["prod"]}
    assert drafted["defaults"]["alarms"]["required_in"] == ["prod"]
    code, report = audit(tmp_path, path, *roles)
    assert code == 0, not_passing(report)
    assert {f["environment"] for f in report["findings"]} == {"dev", "prod"}


def test_an_account_whose_tables_tell_no_environment_is_one_to_rename(
    untagged: World, aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(untagged, monkeypatch)
    path, drafted = init(tmp_path, "--region", BARE_REGION)
    env = f"account-{UNTAGGED}"
    assert drafted["environments"] == {env: {"accounts": [UNTAGGED]}}
    text = " ".join(path.read_text().split())
    assert f"TODO: {env}: name the environment of account {UNTAGGED}" in text
    code, report = audit(tmp_path, path, "--region", BARE_REGION)
    assert code == 0, not_passing(report)
    assert {f["environment"] for f in report["findings"]} == {env}


@pytest.mark.parametrize("operation", ["ListTables", "DescribeTable", "DescribeTimeToLive"])
def test_a_denied_permission_is_exit_2_naming_what_init_needs(
    seeded: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], operation: str
) -> None:
    with client_hook(Deny("dynamodb", operation).install):
        code = main(["spec", "init", "--live", "--region", seeded.region])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and f"dynamodb:{operation}" in err
    assert "`spec init --live` needs dynamodb:ListTables" in err
    assert "arn:aws:dynamodb:*:*:table/*" in err


def test_an_unreachable_endpoint_is_exit_2_with_one_line(
    aws: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    code = main(["spec", "init", "--live"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("tablespec: cannot reach sts")


def test_an_untagged_table_does_not_hide_what_the_others_tags_say(
    moto_endpoint: str, aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mixed = "410000000004"
    world = seed(moto_endpoint, BARE_REGION, bare_spec(), "prod", account=mixed)
    world.writers.dynamodb.create_table(
        TableName="legacy-cache", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])  # no tags at all
    use(world, monkeypatch)
    path, drafted = init(tmp_path, "--region", BARE_REGION)
    assert drafted["environments"] == {"prod": {"accounts": [mixed]}}
    assert "TODO: account-" not in path.read_text()
