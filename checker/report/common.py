"""What several reporters share: a finding's stable identity, rule links, repository paths."""

from __future__ import annotations

import os

from checker.engine import PLACE
from checker.findings import Finding
from checker.paths import git_root

DOCS_VARIABLE = "TABLESPEC_DOCS_URL"


def anchor(rule_id: str) -> str:
    """The anchor of a rule's section in docs/rules.md."""
    return rule_id.lower()


def help_uri(rule_id: str) -> str:
    """Link to the rule's section: $TABLESPEC_DOCS_URL (absolute) or docs/rules.md."""
    base = os.environ.get(DOCS_VARIABLE, "docs/rules.md")
    return f"{base}#{anchor(rule_id)}"


def absolute_help_uri(rule_id: str) -> str | None:
    """The rule's link where it is a URL ($TABLESPEC_DOCS_URL absolute), else None: formats
    whose field must be a URL leave it out rather than give a path of this repository."""
    uri = help_uri(rule_id)
    return uri if uri.startswith(("https://", "http://")) else None


def fingerprint(f: Finding) -> str:
    """Stable identity of a finding across runs: rule, table, environment, resource, field
    (and region, for a replica's: one table's replicas are told apart)."""
    parts = (f.rule_id, f.table, f.environment, f.resource, f.field)
    key = "|".join((*parts, str(f.region)) if f.replica else parts)
    import hashlib  # only the formats that fingerprint need it

    return hashlib.sha256(key.encode()).hexdigest()[:32]


def sentence(f: Finding, where: str) -> str:
    """What *f* says, in one sentence for an alert: `table (where): message. Expected: ...
    Actual: ...`."""
    return (f"{f.table} ({where}): {f.message}. Expected: {f.expected}. "
            f"Actual: {f.actual}.")


def unknown_tag(f: Finding) -> str:
    """`[unknown: reason] `, what an alert of an unknown finding starts with."""
    return f"[unknown: {f.reason.value if f.reason else 'unknown'}] "


def about_place(f: Finding) -> bool:
    """True for a finding about a whole place (an account, region or file not read), not
    about one table."""
    return f.table == PLACE


class RepoPaths:
    """`repo_path`, remembered for one rendering: a report names few files, many times."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, bool]] = {}

    def __call__(self, path: str) -> tuple[str, bool]:
        known = self._known.get(path)
        if known is None:
            known = self._known[path] = repo_path(path)
        return known


def shown_path(path: str) -> str:
    """*path* as a report shows it to people: relative to the working directory when it is
    under it, else to its repository's root, else as given."""
    absolute = os.path.abspath(path)
    here = os.path.relpath(absolute)
    if not here.startswith(".."):
        return here.replace(os.sep, "/")
    return repo_path(path)[0]


def repo_path(path: str) -> tuple[str, bool]:
    """*path* relative to its git work tree's root, and True; or as given (`./` dropped)
    and False when it is in none."""
    absolute = os.path.abspath(path)
    root = git_root(os.path.dirname(absolute)) if os.path.isfile(absolute) else None
    if root is not None:
        return os.path.relpath(absolute, root).replace(os.sep, "/"), True
    path = path.replace(os.sep, "/")
    return (path[2:] if path.startswith("./") else path), False
