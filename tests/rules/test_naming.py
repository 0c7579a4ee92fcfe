"""naming: tables in the project's namespace are in the spec; the environment tag agrees."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import TableState, Unknown
from checker.spec.model import Spec
from tests.builders import compliant
from tests.rules.harness import SESSIONS, Case

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
TAGS = {"Project": "p", "Owner": "o", "CostCenter": "c"}


def leaderboard(spec: Spec) -> TableState:
    """A table that follows the naming pattern but is not in the spec."""
    return replace(compliant(spec, spec.tables[SESSIONS], "prod"),
                   name="hypermage-vr-leaderboard-prod", resource="aws_dynamodb_table.lb")


def unnamed(spec: Spec) -> TableState:
    """A table whose name is known only after apply."""
    return replace(compliant(spec, spec.tables[SESSIONS], "prod"),
                   name=Unknown("name known after apply"), resource="aws_dynamodb_table.x")


CASES = [
    Case("TS-NAME-001", PASS, SESSIONS, "name"),
    Case("TS-NAME-001", FAIL, "leaderboard", "name", extra=leaderboard),
    Case("TS-NAME-001", UNKNOWN, "(unnamed)", "name", extra=unnamed),
    Case("TS-NAME-002", PASS, SESSIONS, "tags.Environment"),
    Case("TS-NAME-002", PASS, SESSIONS, "tags.Environment", {"tags": {}},
         also=(("fail", "TS-TAG-001", SESSIONS, "tags.Project"),)),
    Case("TS-NAME-002", FAIL, SESSIONS, "tags.Environment",
         {"tags": {**TAGS, "Environment": "dev"}}),
    Case("TS-NAME-002", UNKNOWN, SESSIONS, "tags.Environment", {"tags": Unknown("tags_all")},
         also=(("unknown", "TS-TAG-001", SESSIONS, "tags"),)),
]
