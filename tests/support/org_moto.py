"""What moto 5.2 needs to apply and run examples/org: its gaps, filled as small as they can be.

- `moto_runnable`: the test-only transform of the definition Terraform rendered. moto's ASL
  parser rejects an integer `ToleratedFailurePercentage` (AWS takes 10; moto wants 10.0); that
  key, and only it, becomes a float. moto then ignores the value: it never applies a tolerance.
- `StepFunctionsGaps`: moto's server lacks two calls the AWS provider makes for
  `aws_sfn_state_machine`: ValidateStateMachineDefinition (at plan) is answered by moto's own ASL
  parser on the moto-runnable definition, and ListStateMachineVersions (at refresh) from moto's
  own record of the machine's versions.
- `LambdaDispatch`: moto runs no Lambda code without Docker. With `lambda.use_docker` off its
  stand-in answers every Invoke itself; the patch makes that answer come from the function's real
  handler, in this process: the handler, environment and role are read from the function
  Terraform created, and the handler runs with that environment and the role's credentials.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import moto
import pytest
import requests

MOTO_LINE = "5.2."  # the gaps and the transform below are those of this line
FLOAT_KEYS = ("ToleratedFailurePercentage",)  # the only keys moto_runnable touches


def configure(endpoint: str, *, lambda_docker: bool, execute: bool) -> None:
    """moto's server config: Lambda with or without Docker, Step Functions executing or not
    (moto's defaults: `lambda_docker=True, execute=False`)."""
    body = {"lambda": {"use_docker": lambda_docker},
            "stepfunctions": {"execute_state_machine": execute}}
    requests.post(f"{endpoint}/moto-api/config", json=body, timeout=10).raise_for_status()


def moto_runnable(definition: str) -> tuple[str, list[str]]:
    """The definition moto 5.2 accepts, and the JSON paths it changed (FLOAT_KEYS only)."""
    doc = json.loads(definition)
    changed: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FLOAT_KEYS and isinstance(value, int) and not isinstance(value, bool):
                    node[key] = float(value)
                    changed.append(f"{path}/{key}")
                else:
                    walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(doc, "")
    return json.dumps(doc), changed


def only_float_keys_differ(before: str, after: str) -> bool:
    """True when *after* is *before* with FLOAT_KEYS turned into floats of the same value."""
    a, b = json.loads(before), json.loads(after)

    def same(x: Any, y: Any, key: str | None) -> bool:
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(same(x[k], y[k], k) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(same(i, j, None) for i, j in zip(x, y, strict=True))
        if key in FLOAT_KEYS and isinstance(x, int) and isinstance(y, float):
            return float(x) == y
        return type(x) is type(y) and bool(x == y)

    return same(a, b, None)


class StepFunctionsGaps:
    """ValidateStateMachineDefinition and ListStateMachineVersions on moto's server."""

    def __init__(self) -> None:
        self.validated: list[str] = []  # the result of each validation, in order

    def install(self, mp: pytest.MonkeyPatch) -> None:
        """Add the two calls to moto's Step Functions responses for the test."""
        from moto.core.responses import ActionResult
        from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
        from moto.stepfunctions.responses import StepFunctionResponse

        assert moto.__version__.startswith(MOTO_LINE), moto.__version__
        for name in ("validate_state_machine_definition", "list_state_machine_versions"):
            assert not hasattr(StepFunctionResponse, name), f"moto implements {name} now"
        gaps = self

        def validate(response: StepFunctionResponse) -> ActionResult:
            runnable, _ = moto_runnable(response._get_param("definition"))
            try:
                AmazonStateLanguageParser.parse(runnable)
            except Exception as err:  # the parser's own errors: the definition is invalid
                gaps.validated.append("FAIL")
                return ActionResult({"result": "FAIL", "truncated": False, "diagnostics": [{
                    "severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                    "message": str(err)}]})
            gaps.validated.append("OK")
            return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})

        def versions(response: StepFunctionResponse) -> ActionResult:
            machine = response.stepfunction_backend.describe_state_machine(
                response._get_param("stateMachineArn"))
            return ActionResult({"stateMachineVersions": [
                {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date}
                for v in machine.versions.values()]})

        mp.setattr(StepFunctionResponse, "validate_state_machine_definition", validate,
                   raising=False)
        mp.setattr(StepFunctionResponse, "list_state_machine_versions", versions,
                   raising=False)


@dataclass
class Invocation:
    """One Invoke that reached moto's Lambda stand-in, and what the real handler made of it."""

    function: str  # the function's name
    handler: str  # as the function's configuration names it
    event: Any
    result: Any = None
    error: str | None = None  # the handler's exception, as Lambda reports it


@dataclass
class LambdaContext:
    """The attributes of a Lambda context object a handler may read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout * 1000


def _handler(dotted: str) -> Callable[[Any, Any], Any]:
    module, _, name = dotted.rpartition(".")
    found: Callable[[Any, Any], Any] = getattr(importlib.import_module(module), name)
    return found


@contextmanager
def _environ(changes: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) *changes* in os.environ for the block, key by key: the
    environment is never empty in between (moto's own threads read MOTO_PORT from it)."""
    before = {k: os.environ.get(k) for k in changes}
    try:
        for key, value in changes.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class LambdaDispatch:
    """Runs the real handler of each function moto's Lambda stand-in is asked to invoke.

    `credentials(account)` gives environment credentials of an account, for reading the
    function's configuration and assuming its role. Invocations run one at a time: a handler
    reads its configuration from os.environ, which the process shares.
    """

    def __init__(self, endpoint: str, credentials: Callable[[str], dict[str, str]]) -> None:
        self.endpoint = endpoint
        self.credentials = credentials
        self.calls: list[Invocation] = []
        # Events Lambda's service throttles once (HTTP 429 TooManyRequestsException, before
        # the function runs), as it does past the account's concurrency.
        self.throttle_once: Callable[[Any], bool] = lambda event: False
        self._throttled: set[str] = set()
        self._lock = threading.Lock()

    def install(self, mp: pytest.MonkeyPatch) -> None:
        """Patch moto's Docker-less Lambda backend's Invoke (and nothing else)."""
        from moto.awslambda_simple.models import LambdaSimpleBackend

        dispatch = self

        def invoke(backend: LambdaSimpleBackend, function_name: str, qualifier: str | None,
                   body: Any, headers: Any, response_headers: dict[str, str]) -> bytes:
            return dispatch.invoke(function_name, body, response_headers)

        mp.setattr(LambdaSimpleBackend, "invoke", invoke)

    def _client(self, service: str, account: str, region: str) -> Any:
        env = self.credentials(account)
        return boto3.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=env.get("AWS_SESSION_TOKEN"),
        ).client(service, region_name=region, endpoint_url=self.endpoint)  # type: ignore[call-overload]

    def invoke(self, function_arn: str, body: Any, response_headers: dict[str, str]) -> bytes:
        """Invoke the function *function_arn* (an ARN, as the state machine names it)."""
        _, _, _, region, account, _, name = function_arn.split(":")[:7]
        config = self._client("lambda", account, region).get_function_configuration(
            FunctionName=function_arn)
        role = self._client("sts", account, region).assume_role(
            RoleArn=config["Role"], RoleSessionName=name)["Credentials"]
        event = json.loads(body) if body else {}
        call = Invocation(name, config["Handler"], copy.deepcopy(event))
        if self.throttle_once(event) and (seen := json.dumps(event, sort_keys=True)) not in \
                self._throttled:
            from moto.awslambda.exceptions import LambdaClientError

            self._throttled.add(seen)
            call.error = "TooManyRequestsException (the service throttled it)"
            self.calls.append(call)
            throttled = LambdaClientError("TooManyRequestsException", "Rate exceeded")
            throttled.code = 429
            raise throttled
        changes: dict[str, str | None] = {
            **config.get("Environment", {}).get("Variables", {}),
            "AWS_ACCESS_KEY_ID": role["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": role["SecretAccessKey"],
            "AWS_SESSION_TOKEN": role["SessionToken"],
            "AWS_DEFAULT_REGION": region,
            "AWS_LAMBDA_FUNCTION_NAME": name,
        }
        context = LambdaContext(name, function_arn, config["MemorySize"], config["Timeout"])
        with self._lock, _environ(changes):
            self.calls.append(call)
            try:
                call.result = _handler(config["Handler"])(event, context)
            except Exception as err:  # the Lambda runtime reports it as the function's error
                call.error = f"{type(err).__name__}: {err}"
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps({"errorType": type(err).__name__, "errorMessage": str(err),
                                   "stackTrace": traceback.format_tb(err.__traceback__)}).encode()
        return json.dumps(call.result).encode()

    def of(self, function: str) -> list[Invocation]:
        """The invocations of the function named *function*."""
        return [c for c in self.calls if c.function == function]
