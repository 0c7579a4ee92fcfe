"""Read `terraform show -json` (or OpenTofu's `tofu show -json`) output, refusing anything
that is not a plan.

Both write one JSON format, `format_version` 1.x: a minor version only adds (Terraform 1.11
writes 1.2; OpenTofu keeps the `terraform_version` key, holding its own version, and names
providers on its own registry, `registry.opentofu.org/hashicorp/aws`, which nothing here
reads). Another major version is not backward compatible, so it is refused.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from checker.errors import RunError
from checker.sources.plan import fastjson

_SHOW_JSON = ("run `terraform show -json PLANFILE > plan.json` (OpenTofu: `tofu show -json`) "
              "and pass plan.json")
_VERSION = re.compile(r"([0-9]{1,9})(?:\.[0-9]{1,9}){0,3}")
_SHOWN = re.compile(r"[0-9A-Za-z.+-]{1,32}")


def _describe_json_error(err: json.JSONDecodeError) -> str:
    return f"line {err.lineno} column {err.colno}: {err.msg}"


def check_format_version(name: str, version: object) -> None:
    """RunError (one line, naming the version found) unless *version* is a plan JSON
    format_version 1.x, the format this reader knows."""
    found = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if found is not None and int(found.group(1)) == 1:
        return
    reads = "tablespec reads format 1.x only (as Terraform 1.x and OpenTofu write it)"
    if isinstance(version, str) and _SHOWN.fullmatch(version):
        raise RunError(f'{name}: plan JSON format_version "{version}"; {reads}')
    what = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(version), "null")
    raise RunError(f"{name}: plan JSON format_version is {what}, not a version; {reads}")


def _refuse_binary(name: str, raw: bytes) -> None:
    """RunError (one line) when *raw* is empty, or a binary file rather than JSON."""
    if raw.startswith(b"PK\x03\x04"):
        raise RunError(f"{name}: this is a binary Terraform plan file, not JSON; {_SHOW_JSON}")
    if not raw.strip():
        raise RunError(f"{name}: the file is empty; {_SHOW_JSON}")
    if b"\x00" in raw[:4096]:
        raise RunError(f"{name}: this is a binary file, not plan JSON; {_SHOW_JSON}")


def parse_plan_bytes(name: str, raw: bytes, *, tables_only: bool = False) -> dict[str, Any]:
    """Decode plan JSON; RunError with one clear line when it is not a plan. *tables_only*:
    keep only the parts its tables are read from (`fastjson.Parts`); the rest is checked
    as JSON and dropped, a third of a plan's size and of the time to read it."""
    _refuse_binary(name, raw)
    found = fastjson.parts(raw) if tables_only else None
    if found is not None:
        data, planned = found
        check_plan(name, data, planned is not None)
        if planned is not None and "resource_changes" not in data:
            data["planned_values"] = fastjson.loads_part(planned)
        return data
    try:
        data = fastjson.decode(raw)
        if data is fastjson.REFUSED:
            data = json.loads(raw, parse_int=fastjson.parse_int)
    except UnicodeDecodeError:
        raise RunError(f"{name}: not UTF-8 text, so not plan JSON; {_SHOW_JSON}") from None
    except json.JSONDecodeError as err:
        truncated = err.pos >= len(raw.rstrip()) - 1
        what = "truncated JSON" if truncated else "not valid JSON"
        raise RunError(f"{name}: {what} ({_describe_json_error(err)}); {_SHOW_JSON}") from None
    except RecursionError:
        raise RunError(f"{name}: JSON nested too deeply to be a plan; {_SHOW_JSON}") from None
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("dict", "object").replace("list", "array")
        raise RunError(f"{name}: JSON {kind}, not a Terraform plan object; {_SHOW_JSON}")
    check_plan(name, data, "planned_values" in data)
    return data


def check_plan(name: str, data: dict[str, Any], planned: bool) -> None:
    """RunError (one line) unless *data* is a plan that may be read (*planned*: it has
    `planned_values`)."""
    if "format_version" not in data:
        raise RunError(f"{name}: JSON without `format_version`, not a Terraform plan; {_SHOW_JSON}")
    check_format_version(name, data["format_version"])
    if "values" in data and not planned:
        raise RunError(
            f"{name}: this is Terraform state JSON, not a plan; run `terraform plan -out "
            f"PLANFILE` then `terraform show -json PLANFILE`"
        )
    if not planned and "resource_changes" not in data:
        if data.get("errored"):
            raise RunError(f"{name}: the plan errored in Terraform; fix `terraform plan` first")
        raise RunError(f"{name}: plan JSON without `planned_values` or `resource_changes`")
    if data.get("errored"):
        raise RunError(f"{name}: the plan errored in Terraform; its values are incomplete")
    if not isinstance(data.get("resource_changes", []), list):
        raise RunError(f"{name}: `resource_changes` is not a list; the plan JSON is damaged")


def read_plan(path: str | Path) -> dict[str, Any]:
    """Read the plan JSON at *path* (`-`: standard input), for its tables: the parts of it
    they are read from (`parse_plan_bytes(..., tables_only=True)`)."""
    name = str(path)
    if name == "-":
        raw = sys.stdin.buffer.read()
        if not raw.strip() and sys.stdin.isatty():
            raise RunError("-: nothing on standard input; pipe the plan JSON in, "
                           "e.g. terraform show -json tf.plan | tablespec plan -")
        # the name the plan command reports too
        return parse_plan_bytes("<stdin>", raw, tables_only=True)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise RunError(f"{name}: plan file not found") from None
    except IsADirectoryError:
        raise RunError(f"{name}: is a directory; pass the plan JSON file") from None
    except OSError as err:
        raise RunError(f"{name}: cannot read the plan: {err.strerror}") from None
    return parse_plan_bytes(name, raw, tables_only=True)
