"""The naming pattern that maps a table name to (logical table, environment)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = ("project", "table", "environment")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def pattern_problem(pattern: str) -> str | None:
    """Why *pattern* is unusable, or None when it is fine."""
    names = _PLACEHOLDER.findall(pattern)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; use {{project}}, {{table}}, {{environment}}"
    for needed in ("table", "environment"):
        if names.count(needed) != 1:
            return f"must contain {{{needed}}} exactly once"
    return None


@dataclass(frozen=True)
class NameMatch:
    """A table name split into its logical table and environment."""

    table: str
    environment: str


class Naming:
    """Compiled naming pattern for one project and its environments."""

    def __init__(self, pattern: str, project: str, environments: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.project = project
        envs = "|".join(re.escape(e) for e in sorted(environments, key=len, reverse=True))
        parts: list[str] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(pattern):
            parts.append(re.escape(pattern[pos : m.start()]))
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

    def match(self, name: str) -> NameMatch | None:
        """Split *name*, or None when it does not follow the pattern."""
        m = self._regex.fullmatch(name)
        if not m:
            return None
        return NameMatch(m.group("table"), m.group("environment"))

    def render(self, table: str, environment: str) -> str:
        """The physical name of *table* in *environment*."""
        return (
            self.pattern.replace("{project}", self.project)
            .replace("{table}", table)
            .replace("{environment}", environment)
        )
