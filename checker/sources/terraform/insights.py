"""aws_dynamodb_contributor_insights -> each table's `contributor_insights`.

A resource with no `index_name` turns Contributor Insights on for the table its
`table_name` names, in the region of its provider. A table no such resource names has it
off; one a resource may name (its table_name, or whether it exists, is not known) has it
unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import TableState
from checker.sources.terraform.body import Body, at
from checker.sources.terraform.table import TABLE
from checker.sources.typed import string
from checker.unknown import Maybe, Unknown

INSIGHTS = "aws_dynamodb_contributor_insights"


@dataclass(frozen=True)
class Insight:
    """One aws_dynamodb_contributor_insights instance."""

    table: Maybe[str | None]
    index: Maybe[str | None]
    region: str | None  # of its provider; None where not known
    where: str


def read_insight(body: Body, region: str | None) -> Insight:
    """The Insight of one instance, in the region of its provider."""
    return Insight(string(body.value("table_name"), at(body, "table_name")),
                   string(body.value("index_name"), at(body, "index_name")), region,
                   body.where)


def _names(insight: Insight, table: TableState) -> bool | None:
    """Whether *insight* is about *table* itself: True, False, or None (not known)."""
    if insight.region is not None and table.region is not None and \
            insight.region != table.region:
        return False
    if isinstance(insight.index, Unknown):
        return None
    if insight.index:
        return False  # an index's, not the table's
    name = insight.table
    if isinstance(name, Unknown):
        origin = name.origin
        if origin is not None and origin.type == TABLE:
            return table.resource == origin.address or table.resource.startswith(
                origin.address + "[")
        return None
    if isinstance(table.name, Unknown):
        return None
    return name == table.name


def link_insights(states: list[TableState], insights: list[Insight],
                  undecided: Unknown | None = None) -> None:
    """Set each table's (and replica's) `contributor_insights`; *undecided*: why an
    insights resource may or may not exist (its count or for_each not known)."""
    for table in states:
        about = [_names(i, table) for i in insights]
        if True in about:
            table.contributor_insights = True
        elif None in about:
            maybe = insights[about.index(None)]
            table.contributor_insights = Unknown(
                f"{maybe.where} may be the table's: what it names is not known")
        else:
            table.contributor_insights = undecided if undecided is not None else False
