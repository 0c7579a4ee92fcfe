"""Where things are: tablespec's policy files (`checkov --external-checks-dir
"$(tablespec checkov-policies)"`), and the file a resource Checkov hands over comes from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def policies_dir() -> Path:
    """The directory of tablespec's Checkov policy files (shipped in the package)."""
    return Path(__file__).resolve().parent.parent / "policies"


@dataclass(frozen=True)
class Located:
    """Which file to read, how, and which address in it."""

    plan: bool
    path: str  # the plan file, the root directory the module calls start from, a template
    address: str  # a CloudFormation template's: the logical id
    cfn: bool = False


def path_tail(file: str) -> str:
    """`/../../modules/m/main.tf` (as Checkov reports a path outside what it scans) ->
    `/modules/m/main.tf`: the part an absolute path of the same file ends with."""
    parts = [p for p in file.replace(os.sep, "/").split("/") if p not in ("", ".", "..")]
    return "/" + "/".join(parts) if parts else ""
