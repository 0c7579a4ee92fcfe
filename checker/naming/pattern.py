"""Naming patterns: a table name <-> (logical table, environment).

The spec's `naming.pattern` must hold `{table}` once; `{project}` and `{environment}` are
optional (`pattern: "{table}"` is valid: one account per environment, or a tag, tells the
environment). A table may name itself (`tables.<t>.name`): a pattern without `{table}`
(`"PlayerRewards_{environment}"`), a literal (`"legacy-rewards"`), or one literal per
environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = ("project", "table", "environment")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _problem(pattern: str, table: int) -> str | None:
    names = _PLACEHOLDER.findall(pattern)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; use {{project}}, {{table}}, {{environment}}"
    if names.count("table") != table:
        return "must contain {table} exactly once" if table else "names one table: no {table}"
    for once in ("project", "environment"):
        if names.count(once) > 1:
            return f"may contain {{{once}}} at most once"
    return None


def pattern_problem(pattern: str) -> str | None:
    """Why the spec's naming pattern is unusable, or None."""
    return _problem(pattern, table=1)


def own_name_problem(pattern: str) -> str | None:
    """Why a table's own name (pattern or literal) is unusable, or None."""
    return _problem(pattern, table=0) if pattern else "is empty"


@dataclass(frozen=True)
class NameMatch:
    """A table name split into its logical table and environment (None: the name has none)."""

    table: str | None
    environment: str | None


class NamePattern:
    """One compiled pattern: the spec's, or a table's own (then *table* is its table)."""

    def __init__(self, pattern: str, project: str, environments: tuple[str, ...],
                 table: str | None = None) -> None:
        self.pattern = pattern
        self.project = project
        self.table = table
        envs = "|".join(re.escape(e) for e in sorted(environments, key=len, reverse=True))
        parts: list[str] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(pattern):
            parts.append(re.escape(pattern[pos: m.start()]))
            name = m.group(1)
            if name == "project":
                parts.append(re.escape(project))
            elif name == "table":
                parts.append(r"(?P<table>[A-Za-z0-9_.-]+?)")
            else:
                parts.append(f"(?P<environment>{envs})")
            pos = m.end()
        parts.append(re.escape(pattern[pos:]))
        self._regex = re.compile("".join(parts))
        self.has_environment = "{environment}" in pattern
        # "{table}" alone (or with only {environment}): every name follows it
        self.open = not _PLACEHOLDER.sub("", pattern) and "{project}" not in pattern

    def match(self, name: str) -> NameMatch | None:
        """Split *name*, or None when it does not follow the pattern."""
        m = self._regex.fullmatch(name)
        if not m:
            return None
        groups = m.groupdict()
        return NameMatch(groups.get("table", self.table), groups.get("environment"))

    def render(self, table: str, environment: str) -> str:
        """The name of *table* in *environment*."""
        return (self.pattern.replace("{project}", self.project).replace("{table}", table)
                .replace("{environment}", environment))
