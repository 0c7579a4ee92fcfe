"""The organization `bench/org_scale.py` audits, made on a moto server through boto3.

The management account (MANAGEMENT, entered through sts:AssumeRole, which moto allows for
any role ARN) creates the organization and N member accounts (random ids). Every 4th member
holds the spec's tables in every region (PITR off on one table in every 3rd of those, one
alarm missing in every 5th); every 4th + 2 holds one table outside the naming pattern; the
rest hold nothing. One more account is closed (listed, never audited). The hub's report
bucket is in the management account.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from checker.demo.account import Writers, create_spec_tables
from checker.specfile.model import Spec
from tests.support.moto import builder_env, session_for

MANAGEMENT = "400000000001"
ROLE = "tablespec-audit"
BUCKET = "tablespec-org-bench"
DRIFT_TABLE = "interaction-events"
ALARM_TABLE = "player-sessions"


@dataclass
class Org:
    """What was made: the management account's credentials and what each account holds."""

    endpoint: str
    regions: list[str]
    env: dict[str, str]  # the management account's AWS_* credentials
    members: list[str] = field(default_factory=list)  # active, in creation order
    closed: str = ""
    tables: int = 0  # spec tables made, all regions
    places: int = 0  # (account, region) holding them
    pitr_off: int = 0
    alarms_deleted: int = 0

    @property
    def shards(self) -> int:
        """Shards of the fan-out: active members x regions."""
        return len(self.members) * len(self.regions)


def credentials(endpoint: str, account: str) -> dict[str, str]:
    """AWS_* environment credentials of *account* on the moto server."""
    return builder_env(endpoint, account, key="bench")


def _fill(org: Org, spec: Spec, index: int, account: str, region: str) -> tuple[int, int, int]:
    """What member *index* holds in *region*; returns (tables, PITR off, alarms deleted)."""
    writers = Writers(session_for(credentials(org.endpoint, account)), region, org.endpoint)
    if index % 4 == 2 and region == org.regions[0]:
        writers.dynamodb.create_table(
            TableName="legacy-orders", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    if index % 4 != 0:
        return 0, 0, 0
    names = dict(zip(spec.tables, create_spec_tables(writers, spec, "prod", workers=1),
                     strict=True))
    spec_index = index // 4
    pitr = spec_index % 3 == 1
    if pitr:
        writers.dynamodb.update_continuous_backups(
            TableName=names[DRIFT_TABLE],
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    alarm = spec_index % 5 == 2 and region == org.regions[-1]
    if alarm:
        got = writers.cloudwatch.describe_alarms(AlarmNamePrefix=names[ALARM_TABLE])
        writers.cloudwatch.delete_alarms(AlarmNames=[got["MetricAlarms"][0]["AlarmName"]])
    return len(names), int(pitr), int(alarm)


def build(endpoint: str, spec: Spec, members: int, regions: list[str],
          workers: int = 8) -> Org:
    """The organization, its accounts and tables, and the hub's report bucket."""
    org = Org(endpoint, regions, credentials(endpoint, MANAGEMENT))
    hub = session_for(org.env)
    client = hub.client("organizations", region_name="us-east-1", endpoint_url=endpoint)
    client.create_organization(FeatureSet="ALL")
    made = [str(client.create_account(AccountName=f"member-{i:04d}",
                                      Email=f"member-{i:04d}@example.com")[
        "CreateAccountStatus"]["AccountId"]) for i in range(members + 1)]
    org.members, org.closed = made[:-1], made[-1]
    client.close_account(AccountId=org.closed)
    where: Any = {"LocationConstraint": regions[0]}
    hub.client("s3", region_name=regions[0], endpoint_url=endpoint).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration=where)
    jobs = [(i, a, r) for i, a in enumerate(org.members) for r in regions]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(lambda job: _fill(org, spec, *job), jobs))
    org.tables, org.pitr_off, org.alarms_deleted = (sum(d[k] for d in done) for k in range(3))
    org.places = sum(1 for d in done if d[0])
    return org
