"""The conformance root, planned and applied against moto in an account of its own.

The plan is cached in `.cache/plans/` by the root's content and the Terraform version (as
`tests/support/tfplans.py` caches the example's plans); the apply, for the live mapping, is made
in each session that asks for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from checker import terraform
from tests.conformance import roots
from tests.conformance.cases import ALL, module_name
from tests.support.audit_world import credentials
from tests.support.moto import session_for
from tests.support.paths import REPO
from tests.support.tfplans import tool_version, write_atomically

CACHE = REPO / ".cache" / "plans"


@dataclass(frozen=True)
class World:
    """The root on disk, its spec, its plan, and the moto account it is planned against."""

    root: Path
    spec: Path
    plan: Path
    endpoint: str
    env: dict[str, str]  # credentials of the conformance account

    def terraform(self) -> terraform.Terraform:
        """Terraform against the moto server, in the conformance account."""
        return terraform.Terraform(self.root.parent / "tf", env={
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_DEFAULT_REGION": roots.REGION, **self.env})


def _digest() -> str:
    h = hashlib.sha256(tool_version().encode())
    for rel, text in sorted(roots.files().items()):
        h.update(rel.encode() + text.encode())
    return h.hexdigest()[:24]


def _warm(world: World) -> None:
    """Make moto create the aws/dynamodb key (and its alias), as AWS has it from the start."""
    ddb = session_for(world.env).client("dynamodb", region_name=roots.REGION,
                                        endpoint_url=world.endpoint)
    if "conf-warm-up" in ddb.list_tables()["TableNames"]:
        return
    ddb.create_table(TableName="conf-warm-up", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     SSESpecification={"Enabled": True, "SSEType": "KMS"})


def make(workdir: Path, endpoint: str) -> World:
    """The root written under *workdir*, planned (or its cached plan)."""
    root = roots.write(workdir / "tree")
    spec = workdir / "spec.yaml"
    spec.write_text(roots.spec_text(), encoding="utf-8")
    world = World(root, spec, CACHE / f"conformance-{_digest()}.json", endpoint,
                  credentials(endpoint, roots.ACCOUNT))
    _warm(world)
    tf = world.terraform()
    tf.run(root, "init", "-input=false", "-backend=false")
    if not world.plan.is_file():
        write_atomically(world.plan, tf.plan_json(root))
    return world


def apply(world: World) -> None:
    """Apply every case moto can hold (each case is one module: one target)."""
    targets = [f"-target=module.{module_name(c)}" for c in ALL if c.live is None]
    world.terraform().run(world.root, "apply", "-auto-approve", "-input=false", "-lock=false",
                          "-parallelism=20", *targets)
