"""The naming pattern, project and separator that the table names seen follow.

The environment token (dev, test, qa, stage, staging, prod, production) is looked for at the
end of a name, at its start, or after a common project prefix, for each separator (`-`, `_`,
`.`); the layout most names share wins, when at least half of the names have it. The
project is a tag value (Project, App, Service...) that half of the names start with, else
the longest token prefix shared by the most tables (at least two, and three in four).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from checker.errors import RunError
from checker.naming.pattern import NamePattern, pattern_problem

# Environment tokens recognised in names, in the order environments are listed.
ENV_TOKENS = ("dev", "test", "qa", "stage", "staging", "prod", "production")
SEPARATORS = ("-", "_", ".")
PROJECT_TAGS = ("project", "projectname", "project_name", "app", "application", "service")
_WHERES = ("suffix", "prefix", "middle")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Layout:
    """Where the environment sits in a name."""

    sep: str
    where: str  # suffix, prefix or middle (after a project prefix)
    lead: str = ""  # middle: the text before the environment


@dataclass
class Naming:
    """The inferred (or given) naming."""

    pattern: str
    project: str | None  # None: the names share no project
    sep: str
    has_environment: bool
    tokens: tuple[str, ...]  # environment tokens seen in the names, as written
    given: bool = False  # the pattern came from --pattern


def is_env_token(token: str) -> bool:
    """True when *token* is a common environment name (any case)."""
    return token.lower() in ENV_TOKENS


def env_tokens(names: Iterable[str]) -> tuple[str, ...]:
    """Every environment token in *names*, as written, split at every separator."""
    found: dict[str, None] = {}
    for name in names:
        for token in re.split(r"[-_.]", name):
            if is_env_token(token):
                found[token] = None
    return tuple(found)


def splits(name: str, sep: str) -> list[tuple[Layout, str, str]]:
    """(layout, environment, stem) for each place an environment token sits in *name*."""
    tokens = name.split(sep)
    if len(tokens) < 2:
        return []
    out = []
    if is_env_token(tokens[-1]):
        out.append((Layout(sep, "suffix"), tokens[-1], sep.join(tokens[:-1])))
    if is_env_token(tokens[0]):
        out.append((Layout(sep, "prefix"), tokens[0], sep.join(tokens[1:])))
    for i in range(1, len(tokens) - 1):
        if is_env_token(tokens[i]):
            lead = sep.join(tokens[:i])
            out.append((Layout(sep, "middle", lead), tokens[i], sep.join(tokens[i + 1:])))
    return out


def _best_layout(names: list[str]) -> tuple[Layout | None, int]:
    hits: Counter[Layout] = Counter()
    for name in names:
        layouts = {layout for sep in SEPARATORS for layout, _, _ in splits(name, sep)}
        hits.update(layouts)
    if not hits:
        return None, 0

    def rank(item: tuple[Layout, int]) -> tuple[int, int, int]:
        layout, n = item
        return (n, -_WHERES.index(layout.where), -SEPARATORS.index(layout.sep))

    layout, n = max(hits.items(), key=rank)
    return layout, n


def _stem(name: str, layout: Layout) -> str | None:
    for found, _, stem in splits(name, layout.sep):
        if found == layout:
            return stem
    return None


def tag_projects(tag_sets: Iterable[dict[str, str]]) -> list[str]:
    """Values of project-like tags (Project, App, Service...), the most common first."""
    counts: Counter[str] = Counter()
    for tags in tag_sets:
        for key, value in tags.items():
            if key.lower() in PROJECT_TAGS and value and _NAME.fullmatch(value):
                counts[value] += 1
    return [v for v, _ in counts.most_common()]


def _prefixes(stems: list[str], sep: str) -> Counter[str]:
    """How many distinct stems each token prefix (leaving a table part) starts."""
    counts: Counter[str] = Counter()
    for stem in set(stems):
        tokens = stem.split(sep)
        counts.update({sep.join(tokens[:k]) for k in range(1, len(tokens))})
    return counts


def infer_project(stems: list[str], sep: str, tagged: list[str]) -> str | None:
    """The project the stems start with: a tag value first, else their common prefix."""
    distinct = set(stems)
    for value in tagged:  # a tag names it: half of the tables starting with it will do
        cover = sum(1 for s in distinct if s.startswith(value + sep) and len(s) > len(value) + 1)
        if cover and cover * 2 >= len(distinct):
            return value
    counts = _prefixes(stems, sep)
    if not counts:
        return None
    best = max(counts.values())
    if best < 2 or best * 4 < len(distinct) * 3:  # a prefix of two tables in three is no project
        return None
    return max((p for p, n in counts.items() if n == best), key=len)


def _assemble(layout: Layout | None, sep: str, with_project: bool) -> str:
    head = f"{{project}}{sep}" if with_project else ""
    if layout is None:
        return f"{head}{{table}}"
    if layout.where == "suffix":
        return f"{head}{{table}}{sep}{{environment}}"
    if layout.where == "prefix":
        return f"{{environment}}{sep}{head}{{table}}"
    return f"{{project}}{sep}{{environment}}{sep}{{table}}"


def _separator(names: list[str]) -> str:
    counts = {sep: sum(1 for n in names if sep in n) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))


def _covers(project: str, stems: list[str], sep: str) -> bool:
    return any(s.startswith(project + sep) and len(s) > len(project) + 1 for s in stems)


def infer_naming(names: list[str], tagged: list[str], project: str | None = None
                 ) -> Naming:
    """The naming most of *names* follow (*project*: --project, which wins)."""
    tokens = env_tokens(names)
    layout, hits = _best_layout(names)
    if layout is None or hits * 2 < len(names):
        layout = None
    if layout is None:
        sep = _separator(names)
        stems = list(names)
    else:
        sep = layout.sep
        stems = [s for s in (_stem(n, layout) for n in names) if s is not None]
    if layout is not None and layout.where == "middle":
        found: str | None = layout.lead
    else:
        found = infer_project(stems, sep, tagged)
    chosen = project or found
    with_project = chosen is not None and (
        (layout is not None and layout.where == "middle") or _covers(chosen, stems, sep))
    pattern = _assemble(layout, sep, with_project)
    return Naming(pattern, chosen, sep, layout is not None, tokens)


def _given_project(pattern: str, names: list[str], tagged: list[str],
                   tokens: tuple[str, ...]) -> str | None:
    """The project under which most names follow a --pattern that holds {project}."""
    candidates = list(tagged)
    for sep in SEPARATORS:
        counts = _prefixes(names, sep)
        candidates += [p for p, n in counts.items() if n >= 2 and _NAME.fullmatch(p)]
    best: tuple[int, int, str] | None = None
    for candidate in dict.fromkeys(candidates):
        matcher = NamePattern(pattern, candidate, tokens)
        n = sum(1 for name in names if matcher.match(name) is not None)
        key = (n, len(candidate), candidate)
        if n and (best is None or key > best):
            best = key
    return best[2] if best else None


def given_naming(pattern: str, names: list[str], tagged: list[str], project: str | None
                 ) -> Naming:
    """The naming of --pattern; its project from --project, else inferred from the names."""
    problem = pattern_problem(pattern)
    if problem:
        raise RunError(f"--pattern {pattern}: {problem}")
    tokens = env_tokens(names)
    if project is None and "{project}" in pattern:
        project = _given_project(pattern, names, tagged, tokens)
    seps = [s for s in SEPARATORS if s in pattern]
    return Naming(pattern, project, seps[0] if seps else "-", "{environment}" in pattern,
                  tokens, given=True)
