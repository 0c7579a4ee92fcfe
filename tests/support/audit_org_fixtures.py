"""The organization of the `--org` tests, made once per session on the moto server.

Named in tests/conftest.py.
"""

from __future__ import annotations

import pytest

from checker.specfile.model import Spec
from tests.support.audit_org_world import LEGACY, MANAGEMENT, REGION, Org
from tests.support.audit_world import TABLES, credentials, seed
from tests.support.moto import session_for


@pytest.fixture(scope="session")
def org(moto_endpoint: str, spec: Spec) -> Org:
    """Six accounts: two with the prod tables (PITR off on the events table of one), one
    that cannot be entered, one with none of the spec's tables (one outside its naming),
    one closed, and the management account (no table)."""
    client = session_for(credentials(moto_endpoint, MANAGEMENT)).client(
        "organizations", region_name="us-east-1", endpoint_url=moto_endpoint)
    client.create_organization(FeatureSet="ALL")
    made = [client.create_account(AccountName=name, Email=f"{name}@example.com")[
        "CreateAccountStatus"]["AccountId"]
        for name in ("good", "drifted", "locked", "empty", "closed")]
    client.close_account(AccountId=made[4])
    root = client.list_roots()["Roots"][0]["Id"]
    top = client.create_organizational_unit(ParentId=root, Name="workloads")[
        "OrganizationalUnit"]["Id"]
    nested = client.create_organizational_unit(ParentId=top, Name="games")[
        "OrganizationalUnit"]["Id"]
    client.move_account(AccountId=made[0], SourceParentId=root, DestinationParentId=nested)
    good = seed(moto_endpoint, REGION, spec, account=made[0])
    drifted = seed(moto_endpoint, REGION, spec, account=made[1])
    drifted.writers.dynamodb.update_continuous_backups(
        TableName=TABLES["interaction-events"],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    session_for(credentials(moto_endpoint, made[3])).client(
        "dynamodb", region_name=REGION, endpoint_url=moto_endpoint).create_table(
        TableName=LEGACY, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    return Org(good, drifted, made[2], made[3], made[4], top)


@pytest.fixture
def management(org: Org, aws: str, monkeypatch: pytest.MonkeyPatch) -> Org:
    """The management account's credentials are the credential chain's."""
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    for name, value in credentials(aws, MANAGEMENT).items():
        monkeypatch.setenv(name, value)
    return org
