"""Fixtures of the organization tests: the organization on the moto server, and
examples/org/terraform applied to it (named in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from checker import terraform
from checker.specfile.model import Spec
from tests.support.audit_world import TABLES, credentials, seed
from tests.support.org_moto import StepFunctionsGaps, configure
from tests.support.org_world import (
    HUB_REGION,
    MANAGEMENT,
    MEMBERS,
    MOTO_PROVIDER,
    ORG,
    REGIONS,
    Hub,
    Org,
    mgmt_session,
)
from tests.support.tfplans import require_terraform


@pytest.fixture(scope="session")
def org_world(moto_endpoint: str, spec: Spec) -> Org:
    """An organization of four member accounts under the management account."""
    client = mgmt_session(moto_endpoint).client(
        "organizations", region_name="us-east-1", endpoint_url=moto_endpoint)
    client.create_organization(FeatureSet="ALL")
    accounts = {name: client.create_account(AccountName=name, Email=f"{name}@example.com")[
        "CreateAccountStatus"]["AccountId"] for name in MEMBERS}
    good = [seed(moto_endpoint, region, spec, account=accounts["good"]) for region in REGIONS]
    drifted = seed(moto_endpoint, REGIONS[0], spec, account=accounts["drifted"])
    drifted.writers.dynamodb.update_continuous_backups(
        TableName=TABLES["interaction-events"],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    return Org(accounts, good, drifted)


@pytest.fixture(scope="session")
def hub(moto_endpoint: str, org_world: Org, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[Hub]:
    """The hub applied with Terraform (the mirrored provider) from the management account, the
    member role deployed by its StackSet; moto's Lambda without Docker from here on."""
    require_terraform()
    work = tmp_path_factory.mktemp("org-hub")
    root = terraform.stage(ORG, work / "tree", "terraform", offline_provider=False)
    (root / "tablespec_moto_override.tf").write_text(MOTO_PROVIDER, encoding="utf-8")
    package = work / "lambda.zip"  # moto keeps it; the handlers run from this checkout
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    tf = terraform.Terraform(work, env={"AWS_ENDPOINT_URL": moto_endpoint,
                                        "AWS_DEFAULT_REGION": HUB_REGION,
                                        **credentials(moto_endpoint, MANAGEMENT)})
    gaps = StepFunctionsGaps()
    with pytest.MonkeyPatch.context() as mp:
        gaps.install(mp)
        configure(moto_endpoint, lambda_docker=False, execute=False)
        try:
            tf.run(root, "init", "-input=false", "-backend=false")
            tf.run(root, "apply", "-auto-approve", "-input=false", "-lock=false",
                   f"-var=lambda_zip={package}", f"-var=region={HUB_REGION}",
                   f"-var=regions={json.dumps(list(REGIONS))}", "-var=member_role_stackset=true")
            outputs = {k: v["value"] for k, v in json.loads(
                tf.run(root, "output", "-json")).items()}
            sfn = mgmt_session(moto_endpoint).client(
                "stepfunctions", region_name=HUB_REGION, endpoint_url=moto_endpoint)
            described = sfn.describe_state_machine(stateMachineArn=outputs["state_machine_arn"])
            yield Hub(root, tf, outputs, described["roleArn"], described["definition"], gaps)
        finally:
            configure(moto_endpoint, lambda_docker=True, execute=False)
