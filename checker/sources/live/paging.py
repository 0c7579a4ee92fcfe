"""Every page of a paginated call, in bounded time: tablespec's own loop, not botocore's
paginator (which stops only at a token repeated at once).

It stops, the listing malformed, at a page token already seen, at ListTables names that do
not come after the name the previous page ended at (ExclusiveStartTableName: the next page
starts after it, names rising as the API returns them), and past `max_pages`; between pages,
at the run's deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.sources.live.faults import DeadlinePassed, Malformed
from checker.sources.live.limits import Limits


@dataclass(frozen=True)
class Paging:
    """How an operation pages: the request's token, the answer's, and the ordered names."""

    token_in: str
    token_out: str
    rising: str | None = None  # a list of names that must rise from page to page


PAGING: dict[tuple[str, str], Paging] = {
    ("dynamodb", "ListTables"): Paging("ExclusiveStartTableName", "LastEvaluatedTableName",
                                       rising="TableNames"),
    ("dynamodb", "ListTagsOfResource"): Paging("NextToken", "NextToken"),
    ("cloudwatch", "DescribeAlarms"): Paging("NextToken", "NextToken"),
    ("application-autoscaling", "DescribeScalableTargets"): Paging("NextToken", "NextToken"),
    ("kms", "ListAliases"): Paging("Marker", "NextMarker"),
    ("organizations", "ListAccounts"): Paging("NextToken", "NextToken"),
    ("organizations", "ListAccountsForParent"): Paging("NextToken", "NextToken"),
    ("organizations", "ListOrganizationalUnitsForParent"): Paging("NextToken", "NextToken"),
}


def pages(fetch: Callable[[dict[str, Any]], dict[str, Any]], service: str, operation: str,
          params: dict[str, Any], limits: Limits) -> list[dict[str, Any]]:
    """Every page of *operation*, each got with *fetch(params)*; Malformed on a page loop,
    DeadlinePassed when the deadline passes between pages."""
    how = PAGING[(service, operation)]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    after: str | None = None  # the name the previous page ended at (ListTables)
    request = dict(params)
    while True:
        page = fetch(request)
        out.append(page)
        if how.rising and after is not None and any(
                str(name) <= after for name in page.get(how.rising) or []):
            raise Malformed(f"page {len(out)} lists {how.rising} that do not come after the "
                            f"{how.token_out} of the page before (a page loop)")
        token = page.get(how.token_out)
        if not token:
            return out
        if not isinstance(token, str):
            raise Malformed(f"{how.token_out} is not a string")
        if token in seen:
            raise Malformed(f"page {len(out)} gives a {how.token_out} already seen (a page "
                            "loop)")
        if how.rising and after is not None and token <= after:
            raise Malformed(f"page {len(out)} gives a {how.token_out} that does not come "
                            "after the one before (a page loop)")
        if len(out) >= limits.max_pages:
            raise Malformed(f"more than {limits.max_pages} pages (--max-pages); raise it if "
                            "the account really holds that many")
        if limits.deadline.passed():
            raise DeadlinePassed(why=limits.deadline.why)
        seen.add(token)
        after = token if how.rising else None
        request = {**params, how.token_in: token}
