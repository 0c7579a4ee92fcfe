"""naming: names follow the spec's pattern, and the Environment tag agrees with the name."""

from __future__ import annotations

from checker.model import Severity, Unknown
from checker.rules.base import Rule, Subject, Verdict, failed, passed, unknown


def unexpected(physical_name: str, table: str, spec_path: str) -> Verdict:
    """The verdict for a table that follows the pattern but is not in the spec."""
    return failed(
        f"{physical_name} follows the naming pattern, but table {table!r} is not in the spec; "
        f"add it to {spec_path} or rename it",
        "a table named in the spec",
        physical_name,
        "name",
    )


def unnamed(reason: Unknown) -> Verdict:
    """The verdict for a table whose name is not known, so cannot be matched to the spec."""
    return unknown(reason, "a name that follows the naming pattern", "name")


def _in_spec(s: Subject) -> list[Verdict]:
    return [passed(f"{s.state.name} is table {s.table.name!r} of the spec",
                   "a table named in the spec", str(s.state.name), "name")]


def _environment_tag(s: Subject) -> list[Verdict]:
    tags = s.state.tags
    field = "tags.Environment"
    if isinstance(tags, Unknown):
        return [unknown(tags, s.environment, field)]
    tag = tags.get("Environment")
    if tag is None:
        return [passed("no Environment tag to compare with the name", s.environment,
                       "none", field)]
    if tag != s.environment:
        return [failed(f"the name says {s.environment} but the Environment tag says {tag}",
                       s.environment, tag, field)]
    return [passed(f"Environment tag {tag} agrees with the name", s.environment, tag, field)]


IN_SPEC = Rule(
    id="TS-NAME-001", check="naming", severity=Severity.LOW,
    title="Tables that follow the naming pattern are in the spec",
    why="A table in the project's namespace that the spec does not describe is checked by "
    "nothing: no TTL, backup or alarm rule reaches it.",
    fix="Describe the table in the spec, or rename or remove it.",
    example='name = "${var.project_name}-player-sessions-${var.environment}"',
    evaluate=_in_spec,
)
ENVIRONMENT_TAG = Rule(
    id="TS-NAME-002", check="naming", severity=Severity.MEDIUM,
    title="The Environment tag agrees with the environment in the name",
    why="Cost reports, backups and access policies keyed on the tag treat a mislabelled table "
    "as another environment's.",
    fix="Set the Environment tag to the environment the name carries.",
    example='tags = {\n  Environment = var.environment\n}',
    evaluate=_environment_tag,
)

RULES = [IN_SPEC, ENVIRONMENT_TAG]
