"""Unit tests of the live source's pure parts, the declared call list, permissions, progress."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from checker.cli import main
from checker.model import TTL_OFF, EncLevel, Encryption, Gsi, Key, OnDemandMax, Ttl
from checker.progress import Bar, for_stderr
from checker.sources.live import api as liveapi
from checker.sources.live import mapping as livemap
from checker.sources.live import settings as livesettings
from checker.sources.live.clients import Account, Region
from checker.sources.live.faults import denied_reason
from checker.sources.live.source import Progress
from checker.unknown import Unknown
from tests.support.paths import REPO

SOURCES = REPO / "checker" / "sources" / "live"

PROVISIONED = {
    "TableName": "t", "TableArn": "arn:aws:dynamodb:eu-west-1:1:table/t",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                             {"AttributeName": "g", "AttributeType": "N"}],
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 0},
    "GlobalSecondaryIndexes": [{
        "IndexName": "G", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]},
        "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3},
    }],
}


def test_provisioned_table_without_range_key() -> None:
    hash_key, range_key = livemap.keys(PROVISIONED)
    assert (hash_key, range_key) == (Key("pk", "S"), None)
    assert livemap.billing_mode(PROVISIONED) == "PROVISIONED"  # no BillingModeSummary
    assert livemap.capacity(PROVISIONED) == (5, 0)
    assert livemap.gsis(PROVISIONED) == (Gsi("G", Key("g", "N"), None, "INCLUDE", ("a", "b"),
                                             2, 3, OnDemandMax(None, None)),)
    assert livemap.key_names(PROVISIONED) == ("pk",)


def test_on_demand_capacity_is_none_not_zero() -> None:
    desc = {**PROVISIONED, "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}
    assert livemap.capacity(desc) == (None, None)
    gsis = livemap.gsis(desc)
    assert isinstance(gsis, tuple) and (gsis[0].read_capacity, gsis[0].write_capacity) == (None,
                                                                                          None)


@pytest.mark.parametrize(("sse", "expected"), [
    (None, Encryption.exact(EncLevel.AWS_OWNED)),
    ({"Status": "DISABLED"}, Encryption.exact(EncLevel.AWS_OWNED)),
    ({"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": "arn:k"}, "arn:k"),
    ({"Status": "ENABLED", "SSEType": "AES256"}, Encryption.exact(EncLevel.AWS_OWNED)),
])
def test_sse_levels(sse: dict[str, Any] | None, expected: object) -> None:
    desc = dict(PROVISIONED, **({"SSEDescription": sse} if sse else {}))
    assert livemap.sse(desc) == expected


def test_kms_key_levels_are_told_apart_on_aws_and_on_moto() -> None:
    assert livemap.key_level({"KeyManager": "AWS"}) is EncLevel.AWS_MANAGED
    cmk = {"KeyManager": "CUSTOMER", "KeyId": "k1", "Arn": "arn:aws:kms:r:1:key/k1"}
    assert livemap.key_level(cmk) is EncLevel.CUSTOMER_MANAGED
    # moto: its aws/dynamodb key says CUSTOMER; the tests' server makes it say AWS, as AWS
    # does (tests/support/moto.py), and tests/audit/test_describe_key.py audits both kinds


@pytest.mark.parametrize(("status", "ttl"), [
    ("ENABLED", Ttl(True, "ttl")), ("ENABLING", Ttl(True, "ttl")),
    ("DISABLING", TTL_OFF), ("DISABLED", TTL_OFF),
])
def test_ttl_status(status: str, ttl: Ttl) -> None:
    resp = {"TimeToLiveDescription": {"TimeToLiveStatus": status, "AttributeName": "ttl"}}
    assert livemap.ttl(resp) == ttl


def test_unknown_passes_through_every_reader() -> None:
    why = Unknown(denied_reason("dynamodb", "DescribeTable", "AccessDeniedException"))
    assert "dynamodb:DescribeTable" in why.reason
    assert livemap.keys(why) == (why, why)
    assert livemap.capacity(why) == (why, why)
    assert livemap.gsis(why) is why and livemap.ttl(why) is why and livemap.pitr(why) is why
    assert livemap.tags(why) is why and livemap.billing_mode(why) is why
    assert livesettings.stream(why) is why and livesettings.table_class(why) is why
    assert livesettings.recovery_days(why) is why
    enc = livemap.sse(why)
    assert isinstance(enc, Encryption) and not enc.known and enc.key_arn is why


@pytest.mark.parametrize(("extra", "stream", "table_class"), [
    ({}, None, "STANDARD"),
    ({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
      "LatestStreamArn": "arn:aws:dynamodb:eu-west-1:1:table/tbl/stream/2024-05-01T00:00:00.000",
      "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"}},
     "NEW_AND_OLD_IMAGES", "STANDARD_INFREQUENT_ACCESS"),
    ({"StreamSpecification": {"StreamEnabled": False},
      "TableClassSummary": {"TableClass": "STANDARD"}}, None, "STANDARD"),
])
def test_stream_and_table_class_as_describe_table_documents_them(
        extra: dict[str, Any], stream: str | None, table_class: str) -> None:
    """moto 5.2 drops TableClassSummary: the mapping is held to botocore's service model
    (the Stubber validates each response against it) on the documented shapes."""
    ddb = offline_region().dynamodb
    table = {"TableName": "tbl", "TableArn": "arn:aws:dynamodb:eu-west-1:1:table/tbl",
             "TableStatus": "ACTIVE", "KeySchema": PROVISIONED["KeySchema"],
             "AttributeDefinitions": PROVISIONED["AttributeDefinitions"]}
    with Stubber(ddb) as stub:
        stub.add_response("describe_table", {"Table": {**table, **extra}},
                          {"TableName": "tbl"})
        desc: dict[str, Any] = dict(ddb.describe_table(TableName="tbl")["Table"])
    assert (livesettings.stream(desc), livesettings.table_class(desc)) == (stream, table_class)
    bad = livesettings.stream({"StreamSpecification": {"StreamEnabled": "yes"}})
    assert isinstance(bad, Unknown) and "StreamEnabled" in bad.reason


def test_the_on_demand_maximum_as_describe_table_documents_it() -> None:
    """moto 5.2 drops OnDemandThroughput: held to botocore's service model instead. A table
    capped for reads only (-1: no maximum), an index capped both ways."""
    ddb = offline_region().dynamodb
    keys = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}
    table = {"TableName": "tbl", "TableStatus": "ACTIVE", **keys,
             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
             "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
             "OnDemandThroughput": {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": -1},
             "GlobalSecondaryIndexes": [{
                 "IndexName": "byPk", **keys, "Projection": {"ProjectionType": "ALL"},
                 "OnDemandThroughput": {"MaxReadRequestUnits": 50,
                                        "MaxWriteRequestUnits": 20}}]}
    with Stubber(ddb) as stub:
        stub.add_response("describe_table", {"Table": table}, {"TableName": "tbl"})
        desc: dict[str, Any] = dict(ddb.describe_table(TableName="tbl")["Table"])
    assert livesettings.on_demand_max(desc) == OnDemandMax(100, None)
    gsis = livemap.gsis(desc)
    assert isinstance(gsis, tuple) and gsis[0].on_demand_max == OnDemandMax(50, 20)
    assert livesettings.on_demand_max({}) == OnDemandMax(None, None)


@pytest.mark.parametrize(("recovery", "days"), [
    ({"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 7}, 7),
    ({"PointInTimeRecoveryStatus": "ENABLED"}, 35),
    ({"PointInTimeRecoveryStatus": "DISABLED"}, None),
])
def test_the_recovery_period_as_describe_continuous_backups_documents_it(
        recovery: dict[str, Any], days: int | None) -> None:
    ddb = offline_region().dynamodb
    with Stubber(ddb) as stub:
        stub.add_response("describe_continuous_backups", {"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": recovery}},
            {"TableName": "tbl"})
        resp: dict[str, Any] = dict(ddb.describe_continuous_backups(TableName="tbl"))
    assert livesettings.recovery_days(resp) == days


def test_tags_are_gathered_over_pages() -> None:
    pages = [{"Tags": [{"Key": "a", "Value": "1"}]}, {"Tags": [{"Key": "b", "Value": "2"}]}]
    assert livemap.tags(pages) == {"a": "1", "b": "2"}


def offline_region() -> Region:
    """A Region whose clients talk to nobody (each test stubs the one it uses), guarded."""
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x",
                            region_name="eu-west-1")
    region = Region(Account(session, "1", "aws"), "eu-west-1", session.client("dynamodb"),
                    session.client("cloudwatch"), session.client("kms"))
    for client in (region.dynamodb, region.cloudwatch, region.kms):
        liveapi.guard(client, liveapi.allowed(), liveapi.CallLog())
    return region


def _read_calls() -> set[tuple[str, str]]:
    """(service, operation) of every `read(region, "svc", "Op", ...)` in the live source."""
    found: set[tuple[str, str]] = set()
    for path in SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "read"
                    and len(node.args) >= 3):
                svc, op = node.args[1], node.args[2]
                assert isinstance(svc, ast.Constant) and isinstance(op, ast.Constant), path
                found.add((str(svc.value), str(op.value)))
    return found


def test_every_call_the_source_makes_is_declared_and_every_declared_call_is_made() -> None:
    declared = {(c.service, c.operation) for c in liveapi.CALLS}
    used = _read_calls()
    assert used <= declared
    # sts and organizations calls are made outside `read`, when accounts are set up; Security
    # Hub's by the import's own client (below)
    assert declared - used == {("sts", "GetCallerIdentity"), ("sts", "AssumeRole")} | {
        (c.service, c.operation) for c in liveapi.CALLS if c.only_for == liveapi.ORG_OPTION
    } | liveapi.security_hub_calls()
    assert {s for s, _ in declared - used} == {"sts", "organizations", "securityhub"}


def test_the_security_hub_import_calls_exactly_its_declared_operations() -> None:
    from botocore import xform_name

    importer = SOURCES.parents[1] / "securityhub" / "importer.py"
    called = {node.func.attr for node in ast.walk(ast.parse(importer.read_text()))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "client"}
    assert called == {xform_name(op) for _, op in liveapi.security_hub_calls()}


def test_permissions_prints_the_least_privilege_policy(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SOURCES.parents[2])  # the spec is found here: specs/tables.yaml
    assert main(["permissions"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    actions = {a: st["Resource"] for st in doc["Statement"] for a in st["Action"]}
    seed = "arn:aws:dynamodb:*:*:table/hypermage-vr-*"  # what the seed's naming can produce
    assert actions == {
        "dynamodb:ListTables": "*",
        "dynamodb:DescribeTable": seed,
        "dynamodb:DescribeTimeToLive": seed,
        "dynamodb:DescribeContinuousBackups": seed,
        "dynamodb:ListTagsOfResource": seed,
        "cloudwatch:DescribeAlarms": "*",
        "kms:DescribeKey": liveapi.KEYS,
    }
    assert all(st["Effect"] == "Allow" for st in doc["Statement"])
    assert "dynamodb:Scan is left out: only `audit --sample-items` needs it" in err
    assert "sts:AssumeRole is left out: only `audit --role-arn` needs it" in err
    assert "organizations:ListAccounts, " in err and "are left out: only `audit --org` " \
        "needs them (`tablespec permissions --org` prints that policy)" in err


def test_permissions_for_org_list_the_accounts_and_assume_the_org_role_only(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SOURCES.parents[2])
    assert main(["permissions", "--org", "--org-role-name", "security/auditor"]) == 0
    out, err = capsys.readouterr()
    actions = {a: st["Resource"] for st in json.loads(out)["Statement"] for a in st["Action"]}
    org_calls = {c.action for c in liveapi.CALLS if c.only_for == liveapi.ORG_OPTION}
    assert actions == {**dict.fromkeys(org_calls, "*"),
                       "sts:AssumeRole": "arn:aws:iam::*:role/security/auditor"}
    assert "each account in scope needs the role security/auditor" in err
    assert "left out" not in err
    for bad, says in ((["--org-role-name", "x"], "--org-role-name is used with --org only"),
                      (["--org", "--org-role-name", "a b"], "not an IAM role name"),
                      (["--org", "--role-arn", "arn:aws:iam::111111111111:role/r"],
                       "--org and --role-arn")):
        assert main(["permissions", *bad]) == 2
        assert says in capsys.readouterr().err


def test_policy_with_sampling_and_roles_adds_scan_and_assume_role() -> None:
    doc = liveapi.policy(sample=True, assume=True)
    by_sid = {st["Sid"]: st for st in doc["Statement"]}
    assert by_sid["TablespecSampleTtlValues"]["Action"] == ["dynamodb:Scan"]
    assert by_sid["TablespecAssumeAuditRoles"]["Action"] == ["sts:AssumeRole"]
    assert all(not a.split(":")[1].startswith(("Put", "Delete", "Update", "Create", "Tag"))
               for st in doc["Statement"] for a in st["Action"])


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_erases_itself() -> None:
    stream = _Tty()
    bar = Bar(stream)
    bar.add(2)
    bar.step()
    bar.step()
    bar.close()
    text = stream.getvalue()
    assert "0/2 tables" in text and "2/2 tables" in text and text.endswith("\r\033[K")


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert type(for_stderr()) is Progress
    monkeypatch.setattr("sys.stderr", _Tty())
    assert isinstance(for_stderr(), Bar)


def test_a_table_being_deleted_is_reported_gone_not_read() -> None:
    from checker.sources.live.tables import TableRead

    region = offline_region()
    ddb = region.dynamodb
    deleting = {"TableName": "old", "TableStatus": "DELETING", "KeySchema": PROVISIONED[
        "KeySchema"], "AttributeDefinitions": PROVISIONED["AttributeDefinitions"],
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 0}}
    with Stubber(ddb) as stub:
        stub.add_response("describe_table", {"Table": deleting}, {"TableName": "old"})
        got = TableRead(region, "old").run().table()
        stub.assert_no_pending_responses()  # no TTL, backups or tags read for it
    assert (got.state, got.name) == (None, "old")


def test_a_global_tables_replica_regions_are_the_other_regions_it_lists() -> None:
    from checker.sources.live.tables import TableRead

    region = offline_region()
    ddb = region.dynamodb
    arn = "arn:aws:dynamodb:eu-west-1:1:table/tbl"
    table: dict[str, Any] = {
             "TableName": "tbl", "TableStatus": "ACTIVE", "TableArn": arn,
             "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
             "KeySchema": PROVISIONED["KeySchema"],
             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
             "Replicas": [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"},
                          {"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}]}
    with Stubber(ddb) as stub:
        stub.add_response("describe_table", {"Table": table}, {"TableName": "tbl"})
        stub.add_response("describe_time_to_live", {"TimeToLiveDescription": {
            "TimeToLiveStatus": "DISABLED"}}, {"TableName": "tbl"})
        stub.add_response("describe_continuous_backups", {"ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED"}}, {"TableName": "tbl"})
        stub.add_response("list_tags_of_resource", {"Tags": []},
                          {"ResourceArn": arn})
        got = TableRead(region, "tbl").run().table()
    assert got.state is not None and got.state.replica_regions == ("us-east-1",)


def permissions(*args: str) -> dict[str, object]:
    """`tablespec permissions ARGS`: resources by action."""
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["permissions", *args]) == 0
    doc = json.loads(out.getvalue())
    docs = [doc["auditor"], doc["member_role"]] if "auditor" in doc else [doc]
    return {a: st["Resource"] for d in docs for st in d["Statement"] for a in st["Action"]}


def test_permissions_are_scoped_to_the_roles_regions_accounts_and_names_asked_for(
    tmp_path: Path
) -> None:
    import yaml

    seed = SOURCES.parents[2] / "specs" / "tables.yaml"
    roles = ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::222222222222:role/b"]
    got = permissions("--spec", str(seed), "--role-arn", roles[0], "--role-arn", roles[1],
                      "--region", "eu-west-1", "--account", "123456789012",
                      "--sample-items", "5")
    assert got["sts:AssumeRole"] == roles
    table = "arn:aws:dynamodb:eu-west-1:123456789012:table/hypermage-vr-*"
    assert got["dynamodb:DescribeTable"] == got["dynamodb:Scan"] == table
    data = yaml.safe_load(seed.read_text())
    # names start with the table: each table's own names
    for pattern, names in (("{table}", ["player-sessions", "interaction-events",
                                        "player-rewards"]),
                           ("{table}-{environment}", ["player-sessions-*",
                                                      "interaction-events-*",
                                                      "player-rewards-*"]),
                           ("{environment}.{table}", [f"{e}.{t}" for t in (
                               "player-sessions", "interaction-events", "player-rewards")
                               for e in ("dev", "staging", "prod")])):
        data["naming"]["pattern"] = pattern
        open_spec = tmp_path / "open.yaml"
        open_spec.write_text(yaml.safe_dump(data, sort_keys=False))
        assert permissions("--spec", str(open_spec))["dynamodb:DescribeTable"] == [
            f"arn:aws:dynamodb:*:*:table/{n}" for n in names], pattern
    data["naming"]["pattern"] = "{project}-{table}-{environment}"
    data["tables"]["player-rewards"]["name"] = "PlayerRewards_{environment}"
    data["tables"]["player-sessions"]["name"] = {"prod": "sessions", "dev": "sessions-dev"}
    named = tmp_path / "named.yaml"
    named.write_text(yaml.safe_dump(data, sort_keys=False))
    assert permissions("--spec", str(named))["dynamodb:DescribeTable"] == [
        f"arn:aws:dynamodb:*:*:table/{n}" for n in
        ("hypermage-vr-*", "sessions", "sessions-dev", "PlayerRewards_dev",
         "PlayerRewards_prod", "PlayerRewards_staging")]
    assert permissions("--all-tables")["dynamodb:DescribeTable"] == (
        "arn:aws:dynamodb:*:*:table/*")


def _every_table_read(stub: Stubber, region: Region, **described: object) -> None:
    """The four reads every audited table gets, of table "tbl" (its description with
    *described*)."""
    stub.add_response("describe_table", {"Table": {
        "TableName": "tbl", "TableStatus": "ACTIVE", "KeySchema": PROVISIONED["KeySchema"],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        **described}}, {"TableName": "tbl"})
    for op, answer in (("describe_time_to_live", {"TimeToLiveDescription": {
            "TimeToLiveStatus": "DISABLED"}}),
            ("describe_continuous_backups", {"ContinuousBackupsDescription": {
                "ContinuousBackupsStatus": "ENABLED"}})):
        stub.add_response(op, answer, {"TableName": "tbl"})
    stub.add_response("list_tags_of_resource", {"Tags": []},
                      {"ResourceArn": region.table_arn("tbl")})


def test_contributor_insights_is_read_and_granted_only_where_the_spec_requires_it(
        tmp_path: Path) -> None:
    from checker.sources.live.tables import TableRead

    seed = (REPO / "specs" / "tables.yaml").read_text()
    wants = tmp_path / "insights.yaml"
    wants.write_text(seed.replace(
        "\ndefaults:\n", "\ndefaults:\n  contributor_insights:\n    required_in: [prod]\n"))
    action = "dynamodb:DescribeContributorInsights"
    assert action not in permissions("--spec", str(REPO / "specs" / "tables.yaml"))
    assert action in permissions("--spec", str(wants))
    region = offline_region()
    with Stubber(region.dynamodb) as stub:
        _every_table_read(stub, region)
        stub.add_response("describe_contributor_insights", {
            "TableName": "tbl", "ContributorInsightsStatus": "ENABLED"}, {"TableName": "tbl"})
        got = TableRead(region, "tbl", judged=frozenset({liveapi.INSIGHTS_KEY})).run().table()
        stub.assert_no_pending_responses()
    assert got.state is not None and got.state.contributor_insights is True
    assert livesettings.insights({"ContributorInsightsStatus": "DISABLED"}) is False


def test_resource_policies_are_read_and_granted_only_where_the_spec_judges_them(
        tmp_path: Path) -> None:
    from checker.sources.live.tables import TableRead

    seed = (REPO / "specs" / "tables.yaml").read_text()
    wants = tmp_path / "policies.yaml"
    wants.write_text(seed.replace("\ndefaults:\n", "\ndefaults:\n  resource_policy:\n"
                                  "    public: false\n"))
    assert "dynamodb:GetResourcePolicy" not in permissions(
        "--spec", str(REPO / "specs" / "tables.yaml"))
    granted = permissions("--spec", str(wants), "--account", "123456789012", "--region",
                          "eu-west-1")["dynamodb:GetResourcePolicy"]
    tables = "arn:aws:dynamodb:eu-west-1:123456789012:table/hypermage-vr-*"
    assert granted == [tables, f"{tables}/stream/*"]
    region = offline_region()
    stream = region.table_arn("tbl") + "/stream/2026-12-04T00:00:00.000"
    policy = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                        "Action": "dynamodb:GetItem", "Resource": "*"}]})
    with Stubber(region.dynamodb) as stub:
        _every_table_read(stub, region, LatestStreamArn=stream)
        stub.add_client_error("get_resource_policy", "PolicyNotFoundException",
                              expected_params={"ResourceArn": region.table_arn("tbl")})
        stub.add_response("get_resource_policy", {"Policy": policy, "RevisionId": "1"},
                          {"ResourceArn": stream})
        got = TableRead(region, "tbl", judged=frozenset({liveapi.POLICY_KEY})).run().table()
        stub.assert_no_pending_responses()
    assert got.state is not None
    found = got.state.resource_policies
    assert isinstance(found, tuple) and [a.on for a in found] == ["stream"]
    assert not isinstance(found[0].document, Unknown)
    assert len(found[0].document.statements) == 1


def test_scalable_targets_are_granted_unscoped_only_where_the_spec_requires_autoscaling(
        tmp_path: Path) -> None:
    seed = (REPO / "specs" / "tables.yaml").read_text()
    wants = tmp_path / "scaling.yaml"
    wants.write_text(seed.replace("\ndefaults:\n", "\ndefaults:\n  capacity:\n    autoscaling:"
                                  " {required_in: [prod], min: 1, max: 100}\n"))
    action = "application-autoscaling:DescribeScalableTargets"
    assert action not in permissions("--spec", str(REPO / "specs" / "tables.yaml"))
    assert permissions("--spec", str(wants), "--account", "123456789012")[action] == "*"
    assert action in permissions("--all-tables")


def test_with_role_arns_two_labelled_policies_and_every_word_printed(
        capsys: pytest.CaptureFixture[str]) -> None:
    roles = ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::222222222222:role/b"]
    assert main(["permissions", "--role-arn", roles[0], "--role-arn", roles[1]]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert set(doc) == {"auditor", "member_role"}
    assert doc["auditor"]["Statement"] == [{"Sid": "TablespecAssumeAuditRoles",
                                            "Effect": "Allow", "Action": ["sts:AssumeRole"],
                                            "Resource": roles}]
    member = {a for st in doc["member_role"]["Statement"] for a in st["Action"]}
    assert "sts:AssumeRole" not in member and "dynamodb:DescribeTable" in member
    assert "two policies: `auditor`" in err
    for args in ([], ["--org"], ["--role-arn", roles[0]]):
        assert main(["permissions", *args]) == 0
        assert "docs/" not in capsys.readouterr().err  # a pip install has no docs/
