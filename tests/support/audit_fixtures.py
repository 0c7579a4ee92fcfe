"""Fixtures of the audit tests (named in tests/conftest.py), each world made once per session.

One moto server serves every audit test; each world lives in its own region (or account):
the Terraform-applied prod example in eu-west-1, the boto3-made one in eu-central-1, the
crowded one (150 tables, 250 alarms) in us-west-2.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import terraform
from checker.sources.live.clients import client_hook
from checker.specfile.model import Spec
from tests.support.audit_helpers import Guard
from tests.support.audit_world import (
    APPLIED_ACCOUNT,
    SEEDED_ACCOUNT,
    World,
    seed,
    use,
    world_of,
)
from tests.support.moto import REGION, moto_server
from tests.support.tfplans import SHAPES, require_terraform

SEEDED_REGION = "eu-central-1"
CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
           "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_REGION", "AWS_CA_BUNDLE")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The moto server every audit test talks to over HTTP."""
    with moto_server() as endpoint:
        yield endpoint


def isolate(mp: pytest.MonkeyPatch, tmp: Path) -> None:
    """No credentials, profile or region from this machine; no instance metadata lookups."""
    for name in CLEARED:
        mp.delenv(name, raising=False)
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    mp.setenv("AWS_CONFIG_FILE", str(tmp / "aws-config"))
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp / "aws-credentials"))


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """This test's environment: the moto endpoint, dummy keys and eu-west-1; yields the URL."""
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield moto_endpoint


@pytest.fixture
def read_only() -> Iterator[Guard]:
    """The suite's read-only guard on every client the audit makes during the test."""
    guard = Guard()
    with client_hook(guard.install):
        yield guard
    assert not guard.violations, f"calls outside the declared list: {guard.violations}"


@pytest.fixture(scope="session")
def applied_world(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> World:
    """examples/terraform (prod) applied with Terraform and the mirrored provider."""
    require_terraform()
    world = world_of(moto_endpoint, REGION, APPLIED_ACCOUNT, "terraform")
    work = tmp_path_factory.mktemp("audit-applied")
    shape = SHAPES["module"]
    root = terraform.stage(shape.tree, work / "tree", shape.root)
    tf = terraform.Terraform(work, env={"AWS_ENDPOINT_URL": moto_endpoint,
                                        "AWS_DEFAULT_REGION": REGION, **world.env})
    tf.run(root, "init", "-input=false", "-backend=false")
    tf.run(root, "apply", "-auto-approve", "-input=false", "-lock=false")
    return world


@pytest.fixture(scope="session")
def seeded_world(moto_endpoint: str, spec: Spec) -> World:
    """The same prod tables made through boto3 from the spec (no Terraform needed)."""
    return seed(moto_endpoint, SEEDED_REGION, spec, account=SEEDED_ACCOUNT)


@pytest.fixture
def applied(applied_world: World, aws: str, monkeypatch: pytest.MonkeyPatch) -> World:
    """The Terraform-applied world, its account the credential chain's."""
    return use(applied_world, monkeypatch)


@pytest.fixture
def seeded(seeded_world: World, aws: str, monkeypatch: pytest.MonkeyPatch) -> World:
    """The boto3-made world, its account the credential chain's."""
    return use(seeded_world, monkeypatch)


@pytest.fixture(params=[pytest.param("terraform", marks=pytest.mark.terraform), "boto3"])
def world(request: pytest.FixtureRequest, aws: str, monkeypatch: pytest.MonkeyPatch) -> World:
    """Each drift test runs on the Terraform-applied world and on the boto3-made one."""
    name = "applied_world" if request.param == "terraform" else "seeded_world"
    found: World = request.getfixturevalue(name)
    return use(found, monkeypatch)
