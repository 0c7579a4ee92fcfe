"""Checkov's `conf` of one aws_dynamodb_table -> TableState, through the one reading.

Which mode a conf comes from decides how `CheckovBody` reads it (see there); what each
setting means is `checker.sources.terraform`'s alone, as for `tablespec plan` and `hcl`.
"""

from __future__ import annotations

from typing import Any

from checker.checkov.body import CheckovBody
from checker.model import Location, TableState, Unknown
from checker.sources.terraform.table import TABLE, read_table

__all__ = ["TABLE", "is_plan", "table_state"]


def is_plan(conf: dict[str, Any]) -> bool:
    """True for a `terraform_plan` conf: HCL confs carry `__start_line__`, plan confs not."""
    return "__start_line__" not in conf


def table_state(conf: dict[str, Any], file: str, default_tags: object = None) -> TableState:
    """The TableState of one table conf; *default_tags* (HCL only): the provider's."""
    plan = is_plan(conf)
    actions = conf.get("__change_actions__")
    fresh = not isinstance(actions, list) or "create" in actions
    body = CheckovBody(conf, TABLE, str(conf.get("__address__") or "?"), plan, fresh=fresh)
    line = conf.get("__start_line__")
    if plan:  # tags_all holds them where it is known; otherwise Checkov's conf lacks them
        default_tags = Unknown(f"{body.where}: the provider's default_tags are not in "
                               "Checkov's plan conf")
    state = read_table(body, "checkov-plan" if plan else "checkov-hcl",
                       default_tags=default_tags,
                       location=Location(file, line if isinstance(line, int) and line > 0
                                         else None))
    state.alarms_incomplete = Unknown("a Checkov resource check sees the table, not its alarms")
    return state
