"""Global tables, live: each replica is read in its own region, as any table is read there.

moto has no global tables (its DescribeTable lists no `Replicas`), so these tests give the
live source real boto3 clients, made as the audit makes them
(`clients.region_for`), each on botocore's Stubber: no network, a call that is not stubbed
fails the test, and every response is validated against the service model. The responses
are shaped as the API references document them: DynamoDB DescribeTable (with
`Table.Replicas`, one ReplicaDescription per replica), DescribeTimeToLive,
DescribeContinuousBackups, ListTagsOfResource and ListTables; CloudWatch DescribeAlarms;
KMS DescribeKey. The seam is LiveSource's `replica_region`: the clients of an account in
another region, which `tablespec audit` makes with `region_for`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import boto3
import pytest
from botocore.stub import Stubber

from checker.batch import Batch
from checker.cli import main
from checker.engine import evaluate
from checker.findings import Finding, Status
from checker.model import EncLevel
from checker.naming.placement import Placer
from checker.sources.live import api as liveapi
from checker.sources.live.clients import Account, Region, client_hook, region_for
from checker.sources.live.source import LiveSource, RegionAudit, Selection
from checker.specfile.model import Spec
from checker.unknown import Reason, Unknown
from tests.support.audit_helpers import audit_json

ACCOUNT = "123456789012"
NAME = "hypermage-vr-player-sessions-prod"
TABLE = "player-sessions"
HOME, REPLICA, THIRD = "eu-west-1", "us-east-1", "ap-southeast-2"
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
DENIED = "User: arn:aws:sts::123456789012:assumed-role/auditor/t is not authorized"


def table_arn(region: str, name: str = NAME) -> str:
    """The ARN DynamoDB gives the table (or replica) *name* in *region*."""
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"


def key_arn(region: str, key_id: str) -> str:
    """A KMS key ARN in *region*."""
    return f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}"


AWS_KEY = "0b4fdd5a-0000-4000-8000-000000000001"  # aws/dynamodb of each region
OWN_KEY = "7d1c2b3a-0000-4000-8000-000000000002"  # a customer managed key


def describe_table(region: str, replicas: list[tuple[str, str]], key: str | None,
                   status: str = "ACTIVE") -> dict[str, Any]:
    """DescribeTable of the spec's player-sessions table in *region*, global (version
    2019.11.21) with *replicas* ((RegionName, ReplicaStatus)), encrypted with *key*."""
    table: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": "playerId", "AttributeType": "S"},
                                 {"AttributeName": "sessionId", "AttributeType": "S"}],
        "TableName": NAME,
        "KeySchema": [{"AttributeName": "playerId", "KeyType": "HASH"},
                      {"AttributeName": "sessionId", "KeyType": "RANGE"}],
        "TableStatus": status,
        "CreationDateTime": WHEN,
        "ProvisionedThroughput": {"ReadCapacityUnits": 0,
                                  "WriteCapacityUnits": 0},
        "TableSizeBytes": 0,
        "ItemCount": 0,
        "TableArn": table_arn(region),
        "TableId": "4e6f1a9c-0000-4000-8000-000000000003",
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST",
                               "LastUpdateToPayPerRequestDateTime": WHEN},
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "LatestStreamLabel": "2024-05-01T12:00:00.000",
        "LatestStreamArn": f"{table_arn(region)}/stream/2024-05-01T12:00:00.000",
        "GlobalTableVersion": "2019.11.21",
        "Replicas": [{"RegionName": name, "ReplicaStatus": replica_status,
                      "ReplicaTableClassSummary": {"TableClass": "STANDARD"}}
                     for name, replica_status in replicas],
        "TableClassSummary": {"TableClass": "STANDARD"},
        "DeletionProtectionEnabled": True,
    }
    if key is not None:
        table["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS",
                                   "KMSMasterKeyArn": key}
    return {"Table": table}


def key_metadata(arn: str, manager: str) -> dict[str, Any]:
    """DescribeKey of *arn*: AWS managed (aws/dynamodb) or customer managed."""
    return {"KeyMetadata": {
        "AWSAccountId": ACCOUNT, "KeyId": arn.rsplit("/", 1)[1], "Arn": arn,
        "CreationDate": WHEN, "Enabled": True, "Description": "DynamoDB table key",
        "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS",
        "KeyManager": manager, "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "MultiRegion": False}}


def throttle_alarm(region: str, metric: str, table: str = NAME) -> dict[str, Any]:
    """A MetricAlarm, as DescribeAlarms gives it, on *metric* of *table*: the spec's."""
    name = f"{table}-{metric}"
    return {
        "AlarmName": name, "AlarmArn": f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}",
        "AlarmConfigurationUpdatedTimestamp": WHEN, "ActionsEnabled": True, "OKActions": [],
        "AlarmActions": [f"arn:aws:sns:{region}:{ACCOUNT}:alerts"],
        "InsufficientDataActions": [], "StateValue": "OK", "StateReason": "Threshold",
        "StateUpdatedTimestamp": WHEN, "MetricName": metric, "Namespace": "AWS/DynamoDB",
        "Statistic": "Sum", "Dimensions": [{"Name": "TableName", "Value": table}],
        "Period": 300, "EvaluationPeriods": 1, "Threshold": 10.0,
        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "missing",
        "StateTransitionedTimestamp": WHEN,
    }


TAGS = [{"Key": "Project", "Value": "hypermage-vr"}, {"Key": "Environment", "Value": "prod"},
        {"Key": "Owner", "Value": "platform"}, {"Key": "CostCenter", "Value": "vr-101"}]


class Answers(Protocol):
    """What a region's client answers: a Stubber, or what is queued for one."""

    def add_response(self, method: str, service_response: Mapping[str, Any],
                     expected_params: Mapping[str, Any] | None = ...) -> None:
        """Answer the next call of *method* with *service_response*."""

    def add_client_error(self, method: str, service_error_code: str = ...,
                         service_message: str = ..., http_status_code: int = ...) -> None:
        """Answer the next call of *method* with an error."""


@dataclass
class Place:
    """One region of the account: what each of its clients answers, in order."""

    name: str
    dynamodb: Answers
    cloudwatch: Answers
    kms: Answers

    def lists(self, *names: str) -> None:
        """ListTables answers *names* (one page)."""
        self.dynamodb.add_response("list_tables", {"TableNames": list(names)}, {})

    def holds(self, replicas: list[tuple[str, str]], *, pitr: bool = True,
              key: str | None = None, status: str = "ACTIVE") -> None:
        """The four calls about the player-sessions table (or replica) here."""
        name = self.name
        self.dynamodb.add_response("describe_table",
                                   describe_table(name, replicas, key, status),
                                   {"TableName": NAME})
        self.dynamodb.add_response("describe_time_to_live", {"TimeToLiveDescription": {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}}, {"TableName": NAME})
        recovery: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
        if pitr:
            recovery = {"PointInTimeRecoveryStatus": "ENABLED",
                        "EarliestRestorableDateTime": WHEN, "LatestRestorableDateTime": WHEN}
        self.dynamodb.add_response("describe_continuous_backups", {
            "ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED",
                                             "PointInTimeRecoveryDescription": recovery}},
            {"TableName": NAME})
        self.dynamodb.add_response("list_tags_of_resource", {"Tags": TAGS},
                                   {"ResourceArn": table_arn(name)})

    def alarms(self, *alarms: dict[str, Any]) -> None:
        """DescribeAlarms answers *alarms* (one page, no composites)."""
        self.cloudwatch.add_response("describe_alarms", {"MetricAlarms": list(alarms),
                                                         "CompositeAlarms": []},
                                     {"AlarmTypes": ALARM_TYPES, "MaxRecords": 100})

    def throttle_alarms(self) -> None:
        """DescribeAlarms answers the spec's two throttle alarms on the table, here."""
        self.alarms(throttle_alarm(self.name, "ReadThrottleEvents"),
                    throttle_alarm(self.name, "WriteThrottleEvents"))

    def key(self, arn: str, manager: str = "AWS") -> None:
        """DescribeKey answers for *arn*."""
        self.kms.add_response("describe_key", key_metadata(arn, manager), {"KeyId": arn})

    def refuses(self, code: str, alarms_code: str) -> None:
        """The region answers *code* to the table's calls, *alarms_code* to DescribeAlarms."""
        for operation in ("describe_table", "describe_time_to_live",
                          "describe_continuous_backups", "list_tags_of_resource"):
            self.dynamodb.add_client_error(operation, code, DENIED, 400)
        self.cloudwatch.add_client_error("describe_alarms", alarms_code, DENIED, 403)


@dataclass
class World:
    """One account; a Place per region, made on first use: its clients made as the audit
    makes them, each on a Stubber. `made` lists the regions whose clients the source asked
    for, as replica regions."""

    spec: Spec
    account: Account = field(init=False)
    places: dict[str, Place] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    stubs: list[Stubber] = field(default_factory=list)
    made: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x",
                                region_name=HOME)
        self.account = Account(session, ACCOUNT, "aws")

    def at(self, name: str) -> Place:
        """The Place of region *name*."""
        if name not in self.places:
            region = region_for(self.account, name, 1, liveapi.allowed(sample=False,
                                                                       assume=False),
                                liveapi.CallLog())
            stubs = [Stubber(c) for c in (region.dynamodb, region.cloudwatch, region.kms)]
            for stub in stubs:
                stub.activate()
            self.stubs += stubs
            self.regions[name] = region
            self.places[name] = Place(name, *stubs)
        return self.places[name]

    def replica_region(self, account: Account, name: str) -> Region:
        """The seam: the clients of *account* in the replica region *name*."""
        assert account is self.account
        self.made.append(name)
        self.at(name)
        return self.regions[name]

    def audit(self, *regions: str, elsewhere: tuple[str, ...] = ()) -> list[RegionAudit]:
        """The live source on *regions* (one worker: each Stubber answers in order), then
        every stubbed response must have been asked for. *elsewhere*: the regions other
        shards of a fan-out audit."""
        for name in regions:
            self.at(name)
        source = LiveSource([self.regions[r] for r in regions],
                            Selection(Placer(self.spec), "prod"), workers=1,
                            replica_region=self.replica_region, elsewhere=elsewhere)
        audits = source.run()
        for stub in self.stubs:
            stub.assert_no_pending_responses()
        return audits

    def close(self) -> None:
        """Take the Stubbers off."""
        for stub in self.stubs:
            stub.deactivate()


@pytest.fixture
def world(spec: Spec) -> Iterator[World]:
    """An account with nothing stubbed yet."""
    w = World(spec)
    yield w
    w.close()


def findings(audit: RegionAudit, spec: Spec) -> list[Finding]:
    """The engine's findings on player-sessions in prod, for the place *audit* read."""
    got = evaluate(spec, Batch(audit.region.label, audit.states,
                               absent_resource=audit.region.table_arn,
                               scope={"region": audit.region.name}), environment="prod")
    return [f for f in got.findings if f.table == TABLE]


def by_region(found: list[Finding], rule: str) -> dict[str | None, tuple[Status, str]]:
    """{region: (status, resource)} of *rule*'s findings (one status and resource each)."""
    out: dict[str | None, set[tuple[Status, str]]] = {}
    for f in found:
        if f.rule_id == rule:
            out.setdefault(f.region, set()).add((f.status, f.resource))
    assert all(len(v) == 1 for v in out.values()), out
    return {region: v.pop() for region, v in out.items()}


def verdicts(found: list[Finding], region: str) -> list[tuple[str, str, str, str]]:
    """(rule id, status, field, message) of the findings of *region*."""
    return sorted((f.rule_id, f.status.value, f.field, f.message) for f in found
                  if f.region == region)


def home_with_replica(w: World | Wire, replica: list[tuple[str, str]] | None = None) -> Place:
    """eu-west-1 lists the table, global with a replica in us-east-1 (and its own region,
    as DescribeTable may list it), AWS managed key, both throttle alarms."""
    home = w.at(HOME)
    home.lists(NAME)
    home.throttle_alarms()
    aws_key = key_arn(HOME, AWS_KEY)
    home.holds([(HOME, "ACTIVE"), (REPLICA, "ACTIVE")] if replica is None else replica,
               key=aws_key)
    home.key(aws_key)
    return home


def test_a_replica_is_read_in_its_region_and_judged_there(world: World, spec: Spec) -> None:
    home_with_replica(world)
    east = world.at(REPLICA)
    east.throttle_alarms()
    own = key_arn(REPLICA, OWN_KEY)
    east.holds([(HOME, "ACTIVE")], pitr=False, key=own)  # its own key, of us-east-1
    east.key(own, "CUSTOMER")
    (audit,) = world.audit(HOME)
    assert world.made == [REPLICA]  # its own region, listed too, is not read again
    table, replica = audit.states
    assert (table.replica, table.region, table.pitr) == (None, HOME, True)
    assert (replica.replica, replica.region, replica.pitr) == (REPLICA, REPLICA, False)
    assert (replica.name, replica.account, replica.resource) == (NAME, ACCOUNT,
                                                                 table_arn(REPLICA))
    assert replica.encryption.low == EncLevel.CUSTOMER_MANAGED  # DescribeKey there
    assert table.encryption.low == EncLevel.AWS_MANAGED
    assert [a.region for a in replica.alarms] == [REPLICA, REPLICA]
    found = findings(audit, spec)
    assert by_region(found, "TS-PITR-001") == {
        HOME: (Status.PASS, table_arn(HOME)), REPLICA: (Status.FAIL, table_arn(REPLICA))}
    assert [(f.rule_id, f.region) for f in found if f.status is not Status.PASS] == [
        ("TS-PITR-001", REPLICA)]


def test_an_alarm_in_the_tables_region_does_not_watch_its_replica(
    world: World, spec: Spec
) -> None:
    home_with_replica(world)
    east = world.at(REPLICA)
    east.alarms(throttle_alarm(REPLICA, "ReadThrottleEvents", "another-table"))
    aws_key = key_arn(REPLICA, AWS_KEY)
    east.holds([(HOME, "ACTIVE")], key=aws_key)
    east.key(aws_key)
    (audit,) = world.audit(HOME)
    table, replica = audit.states
    assert len(table.alarms) == 2 and replica.alarms == []
    assert replica.alarms_incomplete is None  # read, and there are none: not unknown
    found = findings(audit, spec)
    assert by_region(found, "TS-ALARM-001") == {
        HOME: (Status.PASS, table_arn(HOME)), REPLICA: (Status.FAIL, table_arn(REPLICA))}
    failing = [f for f in found if f.status is not Status.PASS]
    assert failing and {(f.check, f.region) for f in failing} == {("alarms", REPLICA)}


def baseline(spec: Spec) -> list[tuple[str, str, str, str]]:
    """The eu-west-1 verdicts of the same table when it has no replica."""
    w = World(spec)
    try:
        home_with_replica(w, [])
        (audit,) = w.audit(HOME)
    finally:
        w.close()
    assert w.made == [] and len(audit.states) == 1
    return verdicts(findings(audit, spec), HOME)


def test_a_replica_region_that_denies_access_leaves_that_replica_unknown_and_nothing_else(
    world: World, spec: Spec
) -> None:
    home_with_replica(world)
    world.at(REPLICA).refuses("AccessDeniedException", "AccessDenied")
    (audit,) = world.audit(HOME)
    _, replica = audit.states
    assert (replica.replica, replica.region) == (REPLICA, REPLICA)
    for value in (replica.hash_key, replica.pitr, replica.ttl, replica.tags,
                  replica.alarms_incomplete):
        assert isinstance(value, Unknown) and value.kind is Reason.ACCESS_DENIED
    found = findings(audit, spec)
    east = [f for f in found if f.region == REPLICA]
    assert {f.status for f in east if f.check not in ("naming", "presence")} == {
        Status.UNKNOWN}  # its name alone is known: it is there, and named as the spec says
    assert by_region(found, "TS-PITR-001")[REPLICA][0] is Status.UNKNOWN
    assert "dynamodb:DescribeContinuousBackups, which was denied" in next(
        f.message for f in east if f.rule_id == "TS-PITR-001")
    assert verdicts(found, HOME) == baseline(spec)  # every other finding stands


def test_a_replica_region_that_cannot_be_entered_is_a_replica_with_every_setting_unknown(
    world: World, spec: Spec
) -> None:
    home_with_replica(world, [(REPLICA, "REGION_DISABLED")])
    east = world.at(REPLICA)  # a region that is not enabled rejects the credentials
    east.dynamodb.add_client_error("describe_table", "UnrecognizedClientException",
                                   "The security token included in the request is invalid.")
    east.cloudwatch.add_client_error("describe_alarms", "InvalidClientTokenId",
                                     "The security token included in the request is invalid.",
                                     403)
    (audit,) = world.audit(HOME)  # one region read: still no exit 2 for its replica
    _, replica = audit.states
    assert isinstance(replica.pitr, Unknown) and replica.pitr.kind is Reason.ACCESS_DENIED
    assert "ReplicaStatus REGION_DISABLED" in replica.pitr.reason
    for value in (replica.hash_key, replica.range_key, replica.billing_mode, replica.ttl,
                  replica.gsis, replica.tags, replica.deletion_protection,
                  replica.encryption.key_arn, replica.alarms_incomplete):
        assert value is replica.pitr
    found = findings(audit, spec)
    assert by_region(found, "TS-PITR-001")[REPLICA] == (Status.UNKNOWN, table_arn(REPLICA))
    assert verdicts(found, HOME) == baseline(spec)


def test_a_replica_not_there_yet_is_unknown_never_dropped(world: World, spec: Spec) -> None:
    home_with_replica(world, [(REPLICA, "CREATING")])
    east = world.at(REPLICA)
    east.alarms()
    east.dynamodb.add_client_error("describe_table", "ResourceNotFoundException",
                                   f"Requested resource not found: Table: {NAME} not found")
    (audit,) = world.audit(HOME)
    _, replica = audit.states
    assert audit.gone == [] and replica.replica == REPLICA
    assert isinstance(replica.pitr, Unknown) and "ReplicaStatus CREATING" in replica.pitr.reason


def test_a_replica_being_deleted_is_read_as_it_stands(world: World, spec: Spec) -> None:
    home_with_replica(world, [(REPLICA, "DELETING")])
    east = world.at(REPLICA)
    east.alarms()
    east.holds([(HOME, "ACTIVE")], status="DELETING")  # SSE: an AWS owned key
    (audit,) = world.audit(HOME)
    _, replica = audit.states
    assert (replica.replica, replica.pitr, replica.encryption.low) == (
        REPLICA, True, EncLevel.AWS_OWNED)


def test_a_replica_in_an_audited_region_is_read_there_once_as_a_table(
    world: World, spec: Spec
) -> None:
    home_with_replica(world)
    east = world.at(REPLICA)
    east.lists(NAME)
    east.throttle_alarms()
    aws_key = key_arn(REPLICA, AWS_KEY)
    east.holds([(HOME, "ACTIVE")], pitr=False, key=aws_key)  # one set of calls: read once
    east.key(aws_key)
    home, there = world.audit(HOME, REPLICA)
    assert world.made == []
    assert [(s.replica, s.region) for s in home.states] == [(None, HOME)]
    assert [(s.replica, s.region, s.pitr) for s in there.states] == [(None, REPLICA, False)]


def test_a_shard_leaves_a_replica_to_the_shard_of_its_region(world: World, spec: Spec
                                                              ) -> None:
    """In the fan-out each shard audits one region: a replica in a region another shard
    audits is read there, as a table, not twice."""
    home_with_replica(world)
    (home,) = world.audit(HOME, elsewhere=(REPLICA,))
    assert world.made == []
    assert [(s.replica, s.region) for s in home.states] == [(None, HOME)]


def test_a_replica_two_audited_regions_list_is_read_once(world: World, spec: Spec) -> None:
    home_with_replica(world, [(REPLICA, "ACTIVE"), (THIRD, "ACTIVE")])
    east = world.at(REPLICA)
    east.lists(NAME)
    east.throttle_alarms()
    east.holds([(HOME, "ACTIVE"), (THIRD, "ACTIVE")])
    third = world.at(THIRD)
    third.throttle_alarms()  # DescribeAlarms once in the replica region
    third.holds([(HOME, "ACTIVE"), (REPLICA, "ACTIVE")])
    home, there = world.audit(HOME, REPLICA)
    assert world.made == [THIRD]
    assert [s.replica for s in home.states] == [None, THIRD]  # with the first table
    assert [s.replica for s in there.states] == [None]
    assert len(home.states[1].alarms) == 2


@dataclass
class Queued:
    """Answers queued for a client the audit has not made yet: replayed onto its Stubber."""

    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def add_response(self, method: str, service_response: Mapping[str, Any],
                     expected_params: Mapping[str, Any] | None = None) -> None:
        """Queue a response."""
        self.calls.append(("add_response", (method, service_response, expected_params)))

    def add_client_error(self, method: str, service_error_code: str = "",
                         service_message: str = "", http_status_code: int = 400) -> None:
        """Queue an error."""
        self.calls.append(("add_client_error", (method, service_error_code, service_message,
                                                http_status_code)))

    def onto(self, stub: Stubber) -> None:
        """Replay the queue onto *stub*."""
        for name, args in self.calls:
            getattr(stub, name)(*args)


@dataclass
class Wire:
    """Every client `tablespec audit` makes (through `client_hook`) on a Stubber answering
    what was queued for its service and region; STS says who the credentials are."""

    queued: dict[tuple[str, str], Queued] = field(default_factory=dict)
    stubs: list[Stubber] = field(default_factory=list)

    def at(self, name: str) -> Place:
        """What the region *name* answers."""
        got = [self.queued.setdefault((s, name), Queued())
               for s in ("dynamodb", "cloudwatch", "kms")]
        return Place(name, *got)

    def install(self, client: Any) -> None:
        """Put a client the audit made on its Stubber."""
        stub = Stubber(client)
        service, region = client.meta.service_model.service_name, client.meta.region_name
        if service == "sts":
            stub.add_response("get_caller_identity", {
                "UserId": "AIDAEXAMPLE", "Account": ACCOUNT,
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/auditor"}, {})
        else:
            self.queued.get((service, region), Queued()).onto(stub)
        stub.activate()
        self.stubs.append(stub)


def test_the_audit_report_gives_each_replica_finding_its_region(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.support.audit_fixtures import isolate  # here: pytest loads it as a plugin elsewhere

    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setenv("AWS_DEFAULT_REGION", HOME)
    wire = Wire()
    home_with_replica(wire)
    east = wire.at(REPLICA)
    east.throttle_alarms()
    east.holds([(HOME, "ACTIVE")], pitr=False)
    with client_hook(wire.install):
        code, report = audit_json(tmp_path, "--env", "prod", "--max-workers", "1")
    for stub in wire.stubs:
        stub.assert_no_pending_responses()
        stub.deactivate()
    assert code == 1 and report["source"]["target"] == f"{ACCOUNT}/{HOME}"
    pitr = sorted((f["region"], f["status"], f["resource"]) for f in report["findings"]
                  if f["rule_id"] == "TS-PITR-001" and f["table"] == TABLE)
    assert pitr == [(HOME, "pass", table_arn(HOME)), (REPLICA, "fail", table_arn(REPLICA))]


def policy(*args: str) -> tuple[dict[str, Any], str]:
    """`tablespec permissions ARGS`: (resources by action, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["permissions", "--all-tables", *args]) == 0
    doc = json.loads(out.getvalue())
    return {a: st["Resource"] for st in doc["Statement"] for a in st["Action"]}, err.getvalue()


def test_permissions_pinned_to_regions_name_the_replica_regions_too() -> None:
    got, err = policy("--region", HOME, "--region", REPLICA, "--account", ACCOUNT)
    assert got["dynamodb:DescribeTable"] == [table_arn(HOME, "*"), table_arn(REPLICA, "*")]
    assert "replica of a global table in the replica's own region" in err
    got, err = policy()
    assert got["dynamodb:DescribeTable"] == "arn:aws:dynamodb:*:*:table/*"
    assert "replica" not in err
