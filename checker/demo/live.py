"""The live part of `tablespec demo`: a moto server in this process stands in for the account.

The spec's tables are made in it through boto3 as the spec wants them in prod, then one drift
(point-in-time recovery turned off on one table); `tablespec audit` reads the account over
HTTP, read-only, and must find exactly that drift.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from checker.audit import audit
from checker.audit_options import AuditOptions
from checker.demo.moto import moto_server
from checker.findings import Status
from checker.report import text
from checker.specfile.model import Spec

REGION = "eu-west-1"
# moto servers in one process share one state: the demo works in an account of its own
# (reached through STS, as a real cross-account audit would be) and cleans up after itself.
ACCOUNT = "111122223333"
DRIFTED = "interaction-events"
_ISOLATED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
             "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONFIG_FILE",
             "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION")


@contextmanager
def _environment(endpoint: str) -> Iterator[None]:
    """Point boto3 at *endpoint* with dummy keys for the block; restore everything after."""
    saved = dict(os.environ)
    for name in _ISOLATED:
        os.environ.pop(name, None)
    os.environ.update({
        "AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    })
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _use_demo_account() -> None:
    """Make credentials of the demo account the credential chain's (env variables)."""
    import boto3

    sts = boto3.client("sts", region_name=REGION)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/tablespec-demo",
                            RoleSessionName="tablespec-demo")["Credentials"]
    os.environ.update({"AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                       "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                       "AWS_SESSION_TOKEN": creds["SessionToken"]})


def _clean(writers: Any, names: list[str]) -> None:
    """Delete the demo's tables and alarms again."""
    alarms = [a["AlarmName"] for a in writers.cloudwatch.describe_alarms()["MetricAlarms"]
              if any(d.get("Value") in names for d in a.get("Dimensions", []))]
    if alarms:
        writers.cloudwatch.delete_alarms(AlarmNames=alarms)
    for name in names:
        writers.dynamodb.delete_table(TableName=name)


def demo_audit(spec: Spec, colour: bool, out: TextIO) -> bool | None:
    """Audit a drifted moto account; True when exactly the drift fails, None when skipped."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        print("== 3. live audit: skipped: moto is not installed "
              "(pip install -e '.[dev]' or 'moto[server]')\n", file=out)
        return None
    import boto3

    from checker.demo.account import Writers, create_spec_tables
    from checker.naming.placement import Placer

    with moto_server() as endpoint, _environment(endpoint):
        _use_demo_account()
        writers = Writers(boto3.Session(), REGION)
        names = create_spec_tables(writers, spec, "prod")
        try:
            drifted = None
            if DRIFTED in spec.tables:
                drifted = Placer(spec).render(DRIFTED, "prod")
                writers.dynamodb.update_continuous_backups(
                    TableName=drifted,
                    PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
            result = audit(AuditOptions(env="prod", regions=[REGION], progress=False),
                           spec=spec)
        finally:
            _clean(writers, names)
    report = result.outcome.report
    print(f"== 3. live audit: the spec's tables made in a local moto account, then PITR "
          f"turned off on {drifted} [moto server at {endpoint}; "
          f"{result.calls.total()} read-only API calls]\n", file=out)
    print(text.render(report, colour=colour), file=out)
    fails = [(f.rule_id, f.table) for f in report.findings if f.status is Status.FAIL]
    return fails == [("TS-PITR-001", DRIFTED)]
