"""The state machine definition examples/org/terraform renders (applied to the moto server and
read back with `terraform output -raw`): its shape, asl-validator's verdict on it and on broken
variants, and the one change moto needs to run it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.org_asl import AslValidator, asl_validator
from tests.support.org_moto import FLOAT_KEYS, moto_runnable, only_float_keys_differ
from tests.support.org_world import Hub

pytestmark = pytest.mark.terraform

LAMBDA_TRANSIENT = {"Lambda.TooManyRequestsException", "Lambda.ServiceException",
                    "Lambda.SdkClientException"}
Doc = dict[str, Any]


@pytest.fixture(scope="module")
def rendered(hub: Hub) -> str:
    return hub.definition


@pytest.fixture(scope="module")
def validator() -> AslValidator:
    return asl_validator()


def test_terraform_created_the_machine_with_the_definition_it_outputs(
    hub: Hub, rendered: str
) -> None:
    assert json.loads(hub.described_definition) == json.loads(rendered)
    assert hub.gaps.validated and set(hub.gaps.validated) == {"OK"}  # at plan, by moto's parser


def test_list_then_a_distributed_map_over_s3_then_merge(hub: Hub, rendered: str) -> None:
    doc = json.loads(rendered)
    states = doc["States"]
    assert doc["StartAt"] == "ListShards"
    functions = {k: f"arn:aws:lambda:{hub.outputs['state_machine_arn'].split(':')[3]}:"
                 f"{hub.outputs['state_machine_arn'].split(':')[4]}:function:{v}"
                 for k, v in hub.outputs["function_names"].items()}
    listing = states["ListShards"]
    assert listing["Parameters"] == {"FunctionName": functions["list-shards"],
                                     "Payload": {"run_id.$": "$$.Execution.Name"}}
    assert set(listing["ResultSelector"]) == {"run_id.$", "bucket.$", "key.$"}
    assert listing["Next"] == "AuditShards"
    fan = states["AuditShards"]
    assert fan["Type"] == "Map" and fan["Next"] == "Merge"
    assert fan["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED",
                                                      "ExecutionType": "STANDARD"}
    assert fan["ItemReader"] == {"Resource": "arn:aws:states:::s3:getObject",
                                 "ReaderConfig": {"InputType": "JSON"},
                                 "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}}
    assert (fan["MaxConcurrency"], fan["ToleratedFailurePercentage"]) == (40, 10)
    assert fan["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.map_error",
                             "Next": "Merge"}]
    # Nothing of the children's results reaches the state (its limit is 256 KiB): they go to
    # S3, and the Map's own small output is dropped.
    assert fan["ResultPath"] is None
    assert fan["ResultWriter"]["Parameters"] == {"Bucket": hub.outputs["report_bucket"],
                                                 "Prefix": "tablespec/map-runs"}
    shard = fan["ItemProcessor"]["States"][fan["ItemProcessor"]["StartAt"]]
    assert shard["Parameters"] == {"FunctionName": functions["shard"], "Payload.$": "$"}
    assert set(shard["ResultSelector"]) == {"account.$", "region.$", "key.$", "exit_code.$"}
    merge = states["Merge"]
    assert merge["Parameters"] == {"FunctionName": functions["merge"],
                                   "Payload": {"run_id.$": "$.run_id"}}
    assert merge["End"] is True


def test_every_lambda_task_retries_with_backoff_and_full_jitter(rendered: str) -> None:
    doc = json.loads(rendered)
    fan = doc["States"]["AuditShards"]
    tasks = {"ListShards": doc["States"]["ListShards"], "Merge": doc["States"]["Merge"],
             "AuditShard": fan["ItemProcessor"]["States"]["AuditShard"]}
    for name, task in tasks.items():
        retried = {e for r in task["Retry"] for e in r["ErrorEquals"]}
        assert retried >= LAMBDA_TRANSIENT, name
        for retrier in task["Retry"]:
            assert retrier["JitterStrategy"] == "FULL" and retrier["BackoffRate"] > 1, name
        assert task["TimeoutSeconds"] > 0, name
    assert "States.Timeout" in {e for r in tasks["AuditShard"]["Retry"] for e in r["ErrorEquals"]}


def test_asl_validator_accepts_the_rendered_definition(
    validator: AslValidator, rendered: str
) -> None:
    verdict = validator.check(rendered)
    assert verdict.valid, verdict.output


def _states(d: Doc) -> Doc:
    states: Doc = d["States"]
    return states


BROKEN: dict[str, tuple[Callable[[Doc], None], str]] = {
    "missing Next target": (
        lambda d: _states(d)["ListShards"].update(Next="Nowhere"), "MISSING_TRANSITION_TARGET"),
    "bad Type": (lambda d: _states(d)["Merge"].update(Type="Taks"), "Type"),
    "Map without ItemProcessor": (
        lambda d: _states(d)["AuditShards"].pop("ItemProcessor"), "ItemProcessor"),
    "unknown processor mode": (
        lambda d: _states(d)["AuditShards"]["ItemProcessor"]["ProcessorConfig"].update(
            Mode="FANOUT"), "Mode"),
    "Catch into no state": (
        lambda d: _states(d)["AuditShards"]["Catch"][0].update(Next="Merged"),
        "MISSING_TRANSITION_TARGET"),
    "percentage above 100": (
        lambda d: _states(d)["AuditShards"].update(ToleratedFailurePercentage=150),
        "ToleratedFailurePercentage"),
}


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_asl_validator_rejects_broken_variants(
    validator: AslValidator, rendered: str, variant: str
) -> None:
    doc = json.loads(rendered)
    breaks, says = BROKEN[variant]
    breaks(doc)
    verdict = validator.check(json.dumps(doc))
    assert not verdict.valid and says in verdict.output, verdict.output


def test_moto_needs_the_percentage_as_a_float_and_nothing_else(rendered: str) -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    runnable, changed = moto_runnable(rendered)
    assert changed == ["/States/AuditShards/ToleratedFailurePercentage"]
    assert only_float_keys_differ(rendered, runnable)
    assert json.loads(runnable)["States"]["AuditShards"]["ToleratedFailurePercentage"] == 10.0
    AmazonStateLanguageParser.parse(runnable)
    with pytest.raises(Exception, match="ToleratedFailurePercentage"):  # the gap, still there
        AmazonStateLanguageParser.parse(rendered)
    assert moto_runnable(runnable) == (runnable, [])
    other = copy.deepcopy(json.loads(rendered))
    other["States"]["Merge"]["TimeoutSeconds"] = 1
    assert not only_float_keys_differ(rendered, json.dumps(other))
    assert FLOAT_KEYS == ("ToleratedFailurePercentage",)


@pytest.mark.parametrize(("required", "outcome"), [("", pytest.skip.Exception),
                                                   ("1", pytest.fail.Exception)])
def test_without_node_the_check_skips_but_fails_where_ci_requires_it(
    monkeypatch: pytest.MonkeyPatch, required: str, outcome: type[BaseException]
) -> None:
    import tests.support.npm as npm
    import tests.support.org_asl as org_asl

    monkeypatch.setattr("tests.support.npm.shutil.which", lambda name: None)
    monkeypatch.setenv(npm.REQUIRE_NODE, required)
    with pytest.raises(outcome, match="node and npm are needed"):
        org_asl.asl_validator()
