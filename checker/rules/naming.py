"""naming: tables that follow the naming pattern are in the spec; the environment tag agrees."""

from __future__ import annotations

from checker.findings import Severity
from checker.naming.placement import carries_environment
from checker.rules.base import Rule, Stray, Subject, Verdict, failed, passed, unknown
from checker.unknown import Unknown

_EXPECTED = "a table named in the spec"


def _in_spec(s: Subject) -> list[Verdict]:
    return [passed(f"{s.state.name} is table {s.table.name!r} of the spec", _EXPECTED,
                   str(s.state.name), "name")]


def _stray(s: Stray) -> list[Verdict]:
    name = s.state.name
    at = (s.state.resource, s.state.location)
    if s.logical in s.spec.tables:
        return []  # a spec table whose environment is the matter: TS-NAME-003
    if not s.place.follows_pattern and isinstance(name, str):  # --strict-names
        return [failed(f"{name} follows no naming of the spec ({s.spec.pattern!r}, or a "
                       "table's own name); rename it, or describe it in the spec",
                       "a name that follows the naming pattern", name, "name", *at)]
    if isinstance(name, Unknown) or s.logical is None:
        why = name if isinstance(name, Unknown) else f"{name} cannot be matched to the spec"
        return [unknown(why, "a name that follows the naming pattern", "name", *at)]
    return [failed(f"{name} follows the naming pattern, but table {s.logical!r} is not in the "
                   f"spec; add it to {s.spec.path} or rename it", _EXPECTED, name, "name", *at)]


def _environment_tag(s: Subject) -> list[Verdict]:
    key = s.spec.environment_tag
    tags = s.state.tags
    field = f"tags.{key}"
    if isinstance(tags, Unknown):
        return [unknown(tags, s.environment, field)]
    tag = tags.get(key)
    if isinstance(tag, Unknown):
        return [unknown(tag, s.environment, field)]
    if not carries_environment(s.spec, s.table):  # the account, --env or this tag told it
        if tag is None:
            return [passed(f"no {key} tag (the name carries no environment)", s.environment,
                           "none", field)]
        if tag != s.environment:
            return [failed(f"the table is checked as {s.environment} (its name carries no "
                           f"environment) but its {key} tag says {tag}", s.environment, tag,
                           field)]
        return [passed(f"{key} tag {tag} agrees with the environment checked (the name "
                       "carries none)", s.environment, tag, field)]
    if tag is None:
        return [passed(f"no {key} tag to compare with the name", s.environment, "none", field)]
    if tag != s.environment:
        return [failed(f"the name says {s.environment} but the {key} tag says {tag}",
                       s.environment, tag, field)]
    return [passed(f"{key} tag {tag} agrees with the name", s.environment, tag, field)]


IN_SPEC = Rule(
    id="TS-NAME-001", check="naming", severity=Severity.LOW,
    title="Tables that follow the naming pattern are in the spec",
    why="A table in the project's namespace that the spec does not describe is checked by "
    "nothing: no TTL, backup or alarm rule reaches it.",
    fix="Describe the table in the spec, or rename or remove it.",
    example='name = "${var.project_name}-player-sessions-${var.environment}"',
    evaluate=_in_spec,
    when_stray=_stray,
)


def _told(s: Subject) -> list[Verdict]:
    return [passed(f"{s.state.name} is a {s.environment} table", s.environment,
                   s.environment, "environment")]


def _placed(s: Stray) -> list[Verdict]:
    """A spec table whose environment cannot be told, or is not the run's."""
    if s.logical not in s.spec.tables:
        return []  # not in the spec: TS-NAME-001
    at = (s.state.resource, s.state.location)
    field = "environment"
    told, how = s.place.environment, s.place.told_by
    if told is None:
        ways = (f"a name with {{environment}} ({s.spec.pattern!r}, or a name of its own), "
                "its account (environments: ENV: {accounts: [...]}), an "
                f"{s.spec.environment_tag} tag, or --env for the run")
        return [failed(f"the environment of {s.state.name} cannot be told; give it by {ways}",
                       "an environment of the spec", "none", field, *at)]
    return [failed(f"{s.state.name} is a {told} table (by its {how}) in a {s.environment} "
                   "run", s.environment, told, field, *at)]


ENVIRONMENT_TAG = Rule(
    id="TS-NAME-002", check="naming", severity=Severity.MEDIUM,
    title="The environment tag agrees with the environment in the name",
    why="Cost reports, backups and access policies keyed on the tag treat a mislabelled table "
    "as another environment's.",
    fix="Set the environment tag (naming.environment_tag, default Environment) to the "
    "environment the name carries.",
    example='tags = {\n  Environment = var.environment\n}',
    evaluate=_environment_tag,
)

ENVIRONMENT_TOLD = Rule(
    id="TS-NAME-003", check="naming", severity=Severity.MEDIUM,
    title="Each table's environment can be told, and is the run's",
    why="A table whose environment cannot be told is checked against no environment's rules; "
    "a table of another environment in a plan (a prod table in a dev workspace) is a "
    "change made in the wrong place.",
    fix="Give the environment in the name (naming.pattern with {environment}, or the table's "
    "own name), by account (environments: ENV: {accounts: [...]}), by tag "
    "(naming.environment_tag), or with --env; and plan each environment's tables in its own "
    "run.",
    example='tags = {\n  Environment = "prod"\n}',
    evaluate=_told,
    when_stray=_placed,
)

RULES = [IN_SPEC, ENVIRONMENT_TAG, ENVIRONMENT_TOLD]
