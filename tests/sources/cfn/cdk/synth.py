"""The CDK app of the tests (`app/app.js`) synthesized into cloud assemblies, cached.

aws-cdk-lib and constructs come from npm, pinned, into the cache (`tests.support.npm`); the app is
synthesized by `node app.js` (`app.synth()`, no CDK CLI), compliant or with its deviations,
into the cache under a key of the app, the versions and the variant: a later run reuses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.npm import cache_root, installed, node, staged
from tests.support.paths import REPO

APP = Path(__file__).resolve().parent / "app" / "app.js"
PACKAGES = {"aws-cdk-lib": "2.278.0", "constructs": "10.8.1"}
COMPLIANT, DEVIATING = "compliant", "deviating"


def assembly(variant: str) -> Path:
    """The cloud assembly of the app's *variant* (COMPLIANT or DEVIATING)."""
    home = installed(PACKAGES)
    key = hashlib.sha256(APP.read_bytes() + repr(sorted(PACKAGES.items())).encode()
                         ).hexdigest()[:16]
    out = cache_root() / "cdk-assemblies" / f"{variant}-{key}"
    if (out / "manifest.json").is_file():
        return out
    with staged(out) as staging:
        env = {**os.environ, "NODE_PATH": str(home / "node_modules"),
               "CDK_OUTDIR": str(staging),
               "TABLESPEC_CDK_DEVIATE": "1" if variant == DEVIATING else "0"}
        proc = subprocess.run([node(), str(APP)], capture_output=True, text=True, env=env,
                              timeout=300, check=False, cwd=APP.parent)
        if proc.returncode != 0:  # node and the CDK are there: the app is wrong
            pytest.fail(f"the CDK app did not synthesize: {proc.stderr.strip()[-800:]}")
    for stale in out.parent.glob(f"{variant}-*"):  # those of an earlier app or version
        if stale != out:
            shutil.rmtree(stale, ignore_errors=True)
    return out


def spec(tmp_path: Path, encryption: str = "aws_managed") -> Path:
    """The seed spec with the settings the app is held to besides: PITR's period,
    deletion protection, the table class, on-demand billing (provisioned capacity at least
    10), player-sessions' replica regions and on-demand maximum, interaction-events'
    Contributor Insights, stream and resource policy, and player-rewards' autoscaling."""
    text = (REPO / "specs" / "tables.yaml").read_text()
    for old, new in [
        ("  encryption: aws_managed\n", f"  encryption: {encryption}\n"),
        ("    required_in: [prod]\n  billing:\n    modes: [PAY_PER_REQUEST, PROVISIONED]",
         "    required_in: [prod]\n    min_recovery_days: 30\n  deletion_protection:\n"
         "    required_in: [prod]\n  table_class: [STANDARD]\n  billing:\n"
         "    modes: [PAY_PER_REQUEST]"),
        ("      slack_hours: 24\n\n  interaction-events:",
         "      slack_hours: 24\n    replicas: {required_in: [prod], regions: [eu-west-1, "
         "us-east-1]}\n\n  interaction-events:"),
        ("        projection: ALL\n",
         "        projection: ALL\n    contributor_insights: {required_in: [prod]}\n"
         "    streams: {required_in: [prod], view_type: NEW_AND_OLD_IMAGES}\n"
         "    resource_policy: {public: false, accounts: [\"222222222222\"]}\n"),
        ("    min_capacity: 1 ", "    min_capacity: 10 "),
        ("      slack_hours: 24\n    replicas:",
         "      slack_hours: 24\n    capacity: {on_demand_max: {read: 40000, write: 40000}}\n"
         "    replicas:"),
        ("    ttl: false ", "    capacity: {autoscaling: {required_in: [prod], min: 5, "
                          "max: 100}}\n    ttl: false "),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return path


__all__ = ["COMPLIANT", "DEVIATING", "assembly", "spec"]
