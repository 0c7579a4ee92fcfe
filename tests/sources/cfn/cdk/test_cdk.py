"""`tablespec cfn cdk.out/`: the CDK app of `app/app.js`, synthesized for real, read stack by
stack in each stack's environment, each finding naming its construct path.

The app holds the seed's three tables in a dev, a staging (environment-agnostic) and a prod
stack (interaction-events in a nested stack, player-sessions a TableV2, in prod replicated
to us-east-1, whose alarms are in a stack of that region); its deviating synthesis makes
one deviation per rule (DEVIATIONS).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.rules import RULES
from tests.sources.cfn.cdk.synth import COMPLIANT, DEVIATING, assembly, spec
from tests.support.paths import REPO

Finding = tuple[str, str, str, str | None, str]  # (rule, table, environment, region, resource)

# Each deviation of the app: the failing finding it must give, and nothing else fails.
DEVIATIONS: list[Finding] = [
    ("TS-PRES-001", "player-rewards", "dev", None, "hypermage-vr-player-rewards-dev"),
    ("TS-GSI-001", "interaction-events", "dev", "eu-west-1", "Dev/Events/InteractionEvents"),
    ("TS-TTL-001", "player-sessions", "prod", "eu-west-1", "Prod/PlayerSessions"),
    ("TS-TTL-001", "player-sessions", "prod", "us-east-1", "Prod/PlayerSessions"),
    ("TS-CLASS-001", "player-sessions", "prod", "eu-west-1", "Prod/PlayerSessions"),
    ("TS-CLASS-001", "player-sessions", "prod", "us-east-1", "Prod/PlayerSessions"),
    ("TS-PITR-001", "player-sessions", "prod", "us-east-1", "Prod/PlayerSessions"),
    ("TS-ALARM-003", "player-sessions", "prod", "eu-west-1", "Prod/SessionsReadThrottles"),
    ("TS-ALARM-003", "player-sessions", "prod", "eu-west-1", "Prod/SessionsWriteThrottles"),
    ("TS-KEY-001", "interaction-events", "prod", "eu-west-1", "Prod/Events/InteractionEvents"),
    ("TS-SSE-001", "interaction-events", "prod", "eu-west-1", "Prod/Events/InteractionEvents"),
    ("TS-GSI-002", "interaction-events", "prod", "eu-west-1", "Prod/Events/InteractionEvents"),
    ("TS-GSI-003", "interaction-events", "prod", "eu-west-1", "Prod/Events/InteractionEvents"),
    ("TS-ALARM-002", "interaction-events", "prod", "eu-west-1",
     "Prod/Events/EventsReadThrottles"),
    ("TS-TAG-001", "interaction-events", "prod", "eu-west-1", "Prod/Events/InteractionEvents"),
    ("TS-INSIGHTS-001", "interaction-events", "prod", "eu-west-1",
     "Prod/Events/InteractionEvents"),
    ("TS-KEY-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-TTL-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-PITR-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-GSI-004", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-ALARM-001", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-BILL-001", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-NAME-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-DEL-001", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    ("TS-NAME-001", "leaderboard", "prod", "eu-west-1", "Prod/Leaderboard"),
    ("TS-CAP-001", "player-sessions", "prod", "eu-west-1", "Prod/PlayerSessions"),
    ("TS-CAP-001", "player-sessions", "prod", "us-east-1", "Prod/PlayerSessions"),
    ("TS-STREAM-001", "interaction-events", "prod", "eu-west-1",
     "Prod/Events/InteractionEvents"),
    ("TS-POLICY-001", "interaction-events", "prod", "eu-west-1",
     "Prod/Events/InteractionEvents"),
    ("TS-POLICY-002", "interaction-events", "prod", "eu-west-1",
     "Prod/Events/InteractionEvents"),
    ("TS-BILL-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards"),
    # read and write, of the table and of its extra index
    *[("TS-CAP-002", "player-rewards", "prod", "eu-west-1", "Prod/PlayerRewards")] * 4,
]
# The rules with no deviation here, and why.
NOT_DEVIATED = {
    "TS-NAME-003": "every table's name tells its environment",
    "TS-TTL-003": "TTL values are read from live items (audit --sample-items)",
    "TS-ACCESS-001": "an account or region the audit cannot read",
    "TS-REPL-001": "the one replica is where TS-PITR-001 deviates "
                   "(tests/sources/cfn/test_globaltable fails a missing replica region)",
}


def findings(tmp_path: Path, target: Path, *args: str, spec_path: Path | None = None
             ) -> tuple[int, list[dict[str, Any]]]:
    """`tablespec cfn TARGET`: the exit code and the findings."""
    out = tmp_path / "report.json"
    code = main(["cfn", str(target), "--spec", str(spec_path or spec(tmp_path)), "--format",
                 "json", "-o", str(out), *args])
    return code, json.loads(out.read_text())["findings"]


def failing(found: list[dict[str, Any]]) -> list[Finding]:
    return sorted((f["rule_id"], f["table"], f["environment"], f["region"], f["resource"])
                  for f in found if f["status"] == "fail")


def test_the_compliant_synthesis_reports_nothing_failing(tmp_path: Path) -> None:
    code, found = findings(tmp_path, assembly(COMPLIANT))
    assert code == 0 and [f for f in found if f["status"] != "pass"] == []
    checked = {(f["table"], f["environment"], f["region"]) for f in found}
    tables = ("player-sessions", "interaction-events", "player-rewards")
    assert checked == {(t, e, "eu-west-1") for t in tables for e in ("dev", "prod")} | {
        ("player-sessions", "prod", "us-east-1")} | {(t, "staging", None) for t in tables}


def test_every_deviation_is_reported_with_its_construct_path(tmp_path: Path) -> None:
    code, found = findings(tmp_path, assembly(DEVIATING))
    assert code == 1
    assert failing(found) == sorted(DEVIATIONS)


def test_every_rule_has_its_deviation_or_says_why_not() -> None:
    assert {d[0] for d in DEVIATIONS} | set(NOT_DEVIATED) == {r.id for r in RULES}


def _without(directory: Path, tmp_path: Path, *, path_metadata: bool, logical_ids: bool
             ) -> Path:
    """A copy of the assembly without the templates' `aws:cdk:path` (what a plain
    app.synth() writes), and without the logical-id metadata too (the tree is left)."""
    copy = tmp_path / "cdk.out"
    shutil.copytree(directory, copy)
    for template in copy.glob("*.template.json"):
        data = json.loads(template.read_text())
        for resource in data["Resources"].values():
            if not path_metadata:
                resource.pop("Metadata", None)
        template.write_text(json.dumps(data))
    if not logical_ids:
        for metadata in copy.glob("*.metadata.json"):
            metadata.write_text(json.dumps({
                path: [e for e in entries if e["type"] != "aws:cdk:logicalId"]
                for path, entries in json.loads(metadata.read_text()).items()}))
    return copy


@pytest.mark.parametrize("logical_ids", [True, False], ids=["metadata", "tree"])
def test_without_path_metadata_the_path_comes_from_the_assembly(tmp_path: Path,
                                                                logical_ids: bool) -> None:
    """Nested stacks' constructs are named by their own templates' metadata only."""
    copy = _without(assembly(DEVIATING), tmp_path, path_metadata=False,
                    logical_ids=logical_ids)
    _, found = findings(tmp_path, copy)
    top = [d for d in DEVIATIONS if "/Events/" not in d[4]]
    assert [d for d in failing(found) if "/Events/" not in d[4] and d[4].count("/")
            ] == sorted(d for d in top if d[4].count("/"))


def test_a_table_v2_replica_is_held_to_a_customer_managed_spec_in_its_region(
        tmp_path: Path) -> None:
    """The TableV2 on the AWS managed key fails a customer-managed spec in every region."""
    _, found = findings(tmp_path, assembly(COMPLIANT), spec_path=spec(tmp_path,
                                                                      "customer_managed"))
    sse = {(f["table"], f["environment"], f["region"]): f["status"] for f in found
           if f["rule_id"] == "TS-SSE-001"}
    assert {k: v for k, v in sse.items() if k[0] == "player-sessions"} == {
        ("player-sessions", "dev", "eu-west-1"): "fail",
        ("player-sessions", "staging", None): "fail",  # its one replica: Ref AWS::Region
        ("player-sessions", "prod", "eu-west-1"): "fail",
        ("player-sessions", "prod", "us-east-1"): "fail"}
    assert {v for k, v in sse.items() if k[0] == "player-rewards"} == {"pass"}


@pytest.mark.parametrize("source", ["assembly", "template"])
def test_a_spec_drafted_from_it_validates_and_passes_it(tmp_path: Path, source: str) -> None:
    """`spec init --cfn`: the draft's guarantees, on the assembly and on a plain template."""
    target = assembly(COMPLIANT) if source == "assembly" else (
        REPO / "examples" / "cloudformation" / "tables.yaml")
    draft = tmp_path / "draft.yaml"
    assert main(["spec", "init", "--cfn", str(target), "-o", str(draft)]) == 0
    assert main(["spec", "validate", str(draft)]) == 0
    code, found = findings(tmp_path, target, spec_path=draft)
    assert code == 0 and [f for f in found if f["status"] == "fail"] == []
    assert {f["table"] for f in found} == {"player-sessions", "interaction-events",
                                           "player-rewards"}


def test_an_alarm_of_a_stack_with_no_region_watches_no_table_for_sure(tmp_path: Path) -> None:
    """The replica's alarms in a stack whose region is not known: they are not counted as
    the prod table's (whose own alarms notify nobody, TS-ALARM-003), nor as the replica's,
    which is unknown."""
    copy = tmp_path / "cdk.out"
    shutil.copytree(assembly(DEVIATING), copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["artifacts"]["ProdUsEast"]["environment"] = "aws://222222222222/unknown-region"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    _, found = findings(tmp_path, copy)
    actions = {(f["region"], f["status"]) for f in found if f["rule_id"] == "TS-ALARM-003"
               and f["table"] == "player-sessions" and f["environment"] == "prod"}
    assert actions == {("eu-west-1", "fail"), ("us-east-1", "unknown")}


def test_the_assembly_carries_no_machine_path() -> None:
    """The CDK CLI's context is set (no stack traces in the metadata): a cached assembly,
    and the reports made of it, name no directory of this machine."""
    from tests.sources.cfn.cdk.synth import APP

    for variant in (COMPLIANT, DEVIATING):
        for file in assembly(variant).iterdir():
            assert str(APP.parent) not in file.read_text(), file.name
