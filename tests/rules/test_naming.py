"""naming: tables in the project's namespace are in the spec; the environment tag agrees."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import TableState
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import SESSIONS, Case, run
from tests.support.builders import compliant

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


def untold(spec: Spec) -> Spec:
    """The spec with a pattern that does not tell the environment."""
    return replace(spec, pattern="{project}-{table}")


def renamed(env: str) -> dict[str, object]:
    """Changes naming the sessions table without its environment, tagged *env*."""
    return {"name": "hypermage-vr-player-sessions",
            "tags": {**TAGS, "Environment": env}}


def dev_table(spec: Spec) -> TableState:
    """The dev sessions table, in a prod run."""
    return replace(compliant(spec, spec.tables[SESSIONS], "dev"), resource="aws_x.dev")


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
    Case("TS-NAME-003", PASS, SESSIONS, "environment"),
    Case("TS-NAME-003", FAIL, SESSIONS, "environment", extra=dev_table),
]
NEVER_UNKNOWN = {"TS-NAME-003"}  # the name, account, tag or --env tells it, or nothing does


def test_a_table_whose_environment_nothing_tells_fails_once_saying_how_to_tell_it(
    spec: Spec
) -> None:
    from tests.rules.harness import not_passing

    odd = replace(compliant(spec, spec.tables[SESSIONS], "prod"),
                  name="hypermage-vr-player-sessions", tags={**TAGS})
    findings = run(untold(spec), [odd])
    assert not_passing(findings) == [("fail", "TS-NAME-003", SESSIONS, "environment")]
    (f,) = [f for f in findings if f.rule_id == "TS-NAME-003"]
    assert f.environment == "(unknown)"
    for way in ("{environment}", "accounts", "Environment tag", "--env"):
        assert way in f.message, way
    # the tag tells it: then the table is checked there, and passes
    tagged = replace(odd, tags={**TAGS, "Environment": "prod"})
    sessions = [f for f in run(untold(spec), [tagged]) if f.table == SESSIONS]
    assert sessions and {(f.environment, f.status.value) for f in sessions} == {("prod", "pass")}


def test_the_tag_rule_claims_nothing_of_a_name_that_carries_no_environment(
        spec: Spec) -> None:
    bare = untold(spec)
    table = replace(compliant(bare, bare.tables[SESSIONS], "prod"),
                    name="hypermage-vr-player-sessions", tags={**TAGS, "Environment": "prod"})
    (f,) = [f for f in run(bare, [table], "prod")
            if f.rule_id == "TS-NAME-002" and f.table == SESSIONS]
    assert f.status is PASS and "name carries none" in f.message
    assert "agrees with the name" not in f.message
