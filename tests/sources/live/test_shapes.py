"""The live source's bounds, without a server: each answer's shape, pages that never end,
and what one call may cost."""

from __future__ import annotations

import re
from typing import Any

import pytest

from checker.sources.live import shapes
from checker.sources.live.faults import Malformed
from checker.sources.live.limits import Limits
from checker.sources.live.paging import pages
from tests.sources.live.test_units import PROVISIONED


def test_an_answer_is_checked_against_the_documented_shape_before_it_is_used() -> None:
    ttl = {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
    assert shapes.problem("dynamodb", "DescribeTimeToLive", ttl) is None  # no AttributeName
    assert shapes.problem("dynamodb", "DescribeTimeToLive", {}) == (
        "TimeToLiveDescription is missing")
    table = {"Table": {**PROVISIONED, "TableStatus": "ACTIVE"}}
    assert shapes.problem("dynamodb", "DescribeTable", table) is None  # no SSEDescription
    bad = {"Table": {**table["Table"], "ProvisionedThroughput": {
        "ReadCapacityUnits": True, "WriteCapacityUnits": 0}}}
    assert shapes.problem("dynamodb", "DescribeTable", bad) == (
        "Table.ProvisionedThroughput.ReadCapacityUnits is true or false, not a whole number")
    assert shapes.problem("dynamodb", "ListTables", {"TableNames": "t"}) == (
        "TableNames is a string, not a list")
    assert shapes.problem("kms", "DescribeKey", {"KeyMetadata": {"KeyId": "k"}}) == (
        "KeyMetadata.KeyManager is missing")  # else a customer managed key by default
    assert shapes.problem("dynamodb", "UpdateTable", {}) is None  # not read: not checked


@pytest.mark.parametrize(("answers", "says"), [
    ([{"NextToken": "a"}, {"NextToken": "b"}, {"NextToken": "a"}], "page 3 gives a NextToken "
     "already seen"),
    ([{"NextToken": f"t{n}"} for n in range(9)], "more than 4 pages (--max-pages)"),
])
def test_pages_stop_at_a_token_seen_and_at_the_page_bound(answers: list[dict[str, Any]],
                                                          says: str) -> None:
    feed = iter(answers)
    with pytest.raises(Malformed, match=re.escape(says)):
        pages(lambda _: next(feed), "cloudwatch", "DescribeAlarms", {}, Limits(max_pages=4))


def test_list_tables_pages_must_come_after_the_name_the_page_before_ended_at() -> None:
    asked: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = [
        {"TableNames": ["b", "a"], "LastEvaluatedTableName": "b"},  # in a page: any order
        {"TableNames": ["c", "d"], "LastEvaluatedTableName": "d"}, {"TableNames": ["e"]}]

    def fetch(params: dict[str, Any]) -> dict[str, Any]:
        asked.append(params)
        return answers[len(asked) - 1]

    got = pages(fetch, "dynamodb", "ListTables", {}, Limits())
    assert [n for p in got for n in p["TableNames"]] == ["b", "a", "c", "d", "e"]
    assert asked == [{}, {"ExclusiveStartTableName": "b"}, {"ExclusiveStartTableName": "d"}]
    again = iter([{"TableNames": ["a", "b"], "LastEvaluatedTableName": "b"},
                  {"TableNames": ["a", "b"], "LastEvaluatedTableName": "c"}])
    with pytest.raises(Malformed, match="page 2 lists TableNames that do not come after"):
        pages(lambda _: next(again), "dynamodb", "ListTables", {}, Limits())


def test_a_call_that_cannot_take_longer_than_its_bound() -> None:
    assert Limits().call_bound == 5 * (3 + 15) + (1 + 2 + 4 + 8)  # 105 s at the defaults
    assert Limits(connect_timeout=1, read_timeout=1, attempts=2).call_bound == 2 * 2 + 1
