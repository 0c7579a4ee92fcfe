"""The table names a spec can produce, as IAM wildcards: what `tablespec permissions` grants
reads on (`table/hypermage-vr-*` for the seed's naming)."""

from __future__ import annotations

import re

from checker.specfile.model import Spec

_PLACEHOLDER = re.compile(r"\{(table|environment|project)\}")


def _prefix(pattern: str, project: str) -> str:
    """The literal start of the names *pattern* makes, up to the first unknown part."""
    rendered = pattern.replace("{project}", project)
    m = _PLACEHOLDER.search(rendered)
    return rendered[: m.start()] if m else rendered


def table_names(spec: Spec) -> list[str]:
    """Table-name patterns (IAM wildcards) covering every name the spec can produce: the
    literal start of its naming pattern; where the pattern starts with a placeholder, each
    table's own start (its whole name where nothing else varies); and the tables' own names."""
    prefix = _prefix(spec.pattern, spec.project)
    out = [f"{prefix}*"] if prefix else []
    for name, table in spec.tables.items():
        own = table.own_name
        if isinstance(own, dict):
            out += list(own.values())
        elif own is not None:
            names = {own.replace("{project}", spec.project).replace("{environment}", env)
                     for env in spec.environments}
            out += sorted(names)
        elif not prefix:
            out += _names_of(spec, name)
    return ["*"] if "*" in out or not out else list(dict.fromkeys(out))


def _names_of(spec: Spec, table: str) -> list[str]:
    """The names *table* can have under the spec's pattern: its literal start and a
    wildcard, or every environment's name where the pattern starts with the environment."""
    rendered = spec.pattern.replace("{project}", spec.project).replace("{table}", table)
    m = _PLACEHOLDER.search(rendered)
    if m is None:
        return [rendered]
    if m.start() > 0:
        return [f"{rendered[: m.start()]}*"]
    return [rendered.replace("{environment}", env) for env in spec.environments]


def table_arns(spec: Spec | None, regions: list[str], account: str) -> list[str]:
    """The table ARNs the policy grants reads on (every table without a spec), in each of
    *regions* (every region when none is given)."""
    names = table_names(spec) if spec is not None else ["*"]
    return [f"arn:aws:dynamodb:{r}:{account}:table/{n}"
            for r in dict.fromkeys(regions or ["*"]) for n in names]
