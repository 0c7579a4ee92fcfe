"""The table a Checkov CloudFormation check is given -> the TableStates `tablespec cfn` reads
from the same template.

Checkov's CloudFormation checks are given the resource (after Checkov put parameter
defaults in place of `Ref`s, which no reading may take for what is written), its logical id
and its path relative to what Checkov scans, never the scan's root: the template's absolute
path is the `file_abs_path` of Checkov's `check_definitions` loop that calls the check
(Checkov 3.3.30, pinned). It must end with the relative path Checkov reports; where it is
not found so, the verdict is unknown, never a guess.
"""

from __future__ import annotations

import os
import sys
from types import FrameType

from checker.checkov.locate import Located, path_tail
from checker.errors import RunError
from checker.model import TableState

TABLE_TYPES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")
# What `tablespec cfn` takes as --region and --account: Checkov has no options for them.
REGION_VARIABLE = "TABLESPEC_REGION"
ACCOUNT_VARIABLE = "TABLESPEC_ACCOUNT"
_LINES: dict[str, dict[str, int | None]] = {}  # template -> logical id -> its line


def _scanning() -> tuple[str, object] | None:
    """The absolute path of the template Checkov's CloudFormation runner is checking, and
    the runner (one per Checkov run)."""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(64):
        if frame is None:
            return None
        if frame.f_code.co_name == "check_definitions" and "file_abs_path" in frame.f_locals:
            return str(frame.f_locals["file_abs_path"]), frame.f_locals.get("self")
        frame = frame.f_back
    return None


def locate_cfn(entity_path: str) -> tuple[Located, object] | str:
    """Where the resource of *entity_path* (`/rel/t.yaml:TYPE:LogicalId`, as Checkov sets
    it) comes from, and the run it is checked in; or why that cannot be told."""
    file, _, rest = entity_path.partition(":")
    logical = rest.rpartition(":")[2]
    found = _scanning()
    if found is None:
        return "Checkov did not say which template it is checking"
    path, run = os.path.abspath(found[0]), found[1]  # as Checkov opened it, from its cwd
    if not path.replace(os.sep, "/").endswith(path_tail(file)):
        return f"Checkov's template {path} is not the file it reports ({file})"
    return Located(False, path, logical, cfn=True), run


def read_cfn(path: str) -> list[TableState]:
    """Every table of the template, read as `tablespec cfn` reads it: with its parameters'
    defaults, and the stack's region and account of $TABLESPEC_REGION and
    $TABLESPEC_ACCOUNT (`--region`, `--account`); RunError when it cannot be read."""
    from checker.sources.cfn.parameters import Pseudo
    from checker.sources.cfn.source import Options, read_template
    from checker.sources.cfn.template import line_of, load_template

    pseudo = Pseudo(region=os.environ.get(REGION_VARIABLE) or None,
                    account=os.environ.get(ACCOUNT_VARIABLE) or None)
    template = load_template(path)  # loaded once: its tables, and the line of each resource
    _LINES[path] = {str(k): line_of(template.resources, k) for k in template.resources}
    return read_template(template, Options(pseudo=pseudo)).states


def matching_cfn(states: list[TableState], path: str, logical: str) -> list[TableState]:
    """The states of the resource *logical* of the template *path* (a global table: each of
    its replicas)."""
    line = _LINES.get(path, {}).get(logical)
    return [s for s in states if line is not None and s.location.file == path
            and s.location.line == line]


__all__ = ["ACCOUNT_VARIABLE", "REGION_VARIABLE", "TABLE_TYPES", "RunError", "locate_cfn",
           "matching_cfn", "read_cfn"]
