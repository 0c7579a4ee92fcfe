"""Parameter values given on the command line: `--parameter KEY=VALUE`, and the parameter
files of `aws cloudformation create-stack --parameters`, `deploy --parameter-overrides`
and CodePipeline's template configuration."""

from __future__ import annotations

from typing import Final

from checker.errors import RunError, located
from checker.sources.cfn.jsonlines import read_json
from checker.sources.cfn.parameters import where
from checker.specfile.limits import brief, key_text, kind_of
from checker.unknown import Unknown

MAX_FILE_BYTES: Final = 1_048_576  # one parameter file
_FILE_KEYS: Final = {"ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue"}


def parse_parameter_arg(text: str) -> tuple[str, str]:
    """`--parameter KEY=VALUE` as (key, value), split at the first `=`."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise RunError(f"--parameter {brief(text)}: expected KEY=VALUE")
    return key, value


def parse_parameter_file(path: str, text: str) -> dict[str, str | Unknown]:
    """Parameter values from a JSON file in one of the forms the AWS CLI and CodePipeline
    read: `[{"ParameterKey": K, "ParameterValue": V}, ...]` (create-stack --parameters),
    `["K=V", ...]` (deploy --parameter-overrides), `{"Parameters": {K: V}, ...}`
    (CodePipeline's template configuration). A `UsePreviousValue` is an Unknown; a later
    key wins, as in the CLI. Anything else is a RunError naming the file and the line."""
    if len(text) > MAX_FILE_BYTES:
        raise RunError(located(path, None, "a parameter file is larger than 1 MiB"))
    data = read_json(path, text, max_values=100_000, max_depth=16)
    out: dict[str, str | Unknown] = {}
    if isinstance(data, dict):
        params = data.get("Parameters")
        if not isinstance(params, dict):
            raise RunError(located(path, getattr(data, "line", None) or None,
                                   'expected {"Parameters": {"Key": "Value", ...}} '
                                   "(a JSON object is CodePipeline's template configuration)"))
        for key, value in params.items():
            line = getattr(params, "key_lines", {}).get(key)
            out[_file_key(key, path, line)] = _file_value(value, key, path, line)
        return out
    if not isinstance(data, list):
        raise RunError(located(path, None, f"expected a JSON list or object, not "
                                           f"{kind_of(data)}"))
    lines = getattr(data, "item_lines", [])
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else None
        if isinstance(item, str):
            key, sep, value = item.partition("=")
            if not sep:
                raise RunError(located(path, line, f"{brief(item)}: expected \"KEY=VALUE\""))
            out[_file_key(key, path, line)] = value
        elif isinstance(item, dict) and "ParameterKey" in item and set(item) <= _FILE_KEYS:
            key = _file_key(item["ParameterKey"], path, line)
            if item.get("UsePreviousValue") is True and "ParameterValue" not in item:
                out[key] = Unknown(f"parameter {key} ({where(path, line)}) keeps the stack's "
                                   "previous value, known only at deploy")
            else:
                out[key] = _file_value(item.get("ParameterValue"), key, path, line)
        else:
            raise RunError(located(path, line, 'expected "KEY=VALUE" or {"ParameterKey": '
                                               '"KEY", "ParameterValue": "VALUE"}'))
    return out


def _file_key(key: object, path: str, line: int | None) -> str:
    """A parameter file's parameter name."""
    if not isinstance(key, str) or not key:
        raise RunError(located(path, line, f"the parameter name {brief(key)} is not text"))
    return key


def _file_value(value: object, key: str, path: str, line: int | None) -> str:
    """A parameter file's value of parameter *key*: text."""
    if not isinstance(value, str):
        raise RunError(located(path, line, f"the value of parameter {key_text(key)} is "
                                           f"{kind_of(value)}, not text"))
    return value
