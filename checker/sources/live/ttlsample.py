"""`audit --sample-items N`: read at most N items of a TTL table, keys and TTL attribute only.

The sampler types what it read (epoch seconds, milliseconds, missing, not a Number) and
records when; the rule TS-TTL-003 judges the values. It needs dynamodb:Scan and consumes
read capacity: a Scan with a Limit of N reads N items at most (projected attributes only,
so pages stay small).
"""

from __future__ import annotations

import json
import time
from typing import Any

from checker.model import TtlKind, TtlSample, TtlSamples
from checker.sources.live.clients import Region, read
from checker.unknown import Maybe, Reason, Unknown

# Epoch seconds reach 10**11 in the year 5138; epoch milliseconds passed it in 1973.
MILLIS = 10**11


def _show(value: dict[str, Any]) -> tuple[str, str]:
    """(type descriptor, printable raw value) of one attribute value."""
    kind, raw = next(iter(value.items()))
    return str(kind), str(raw)[:60]


def _key(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    return ", ".join(f"{k}={_show(item[k])[1]}" for k in keys if k in item)


def _typed_values(item: dict[str, Any]) -> bool:
    """Whether every value of *item* is a DynamoDB attribute value: one type, one value."""
    return all(isinstance(v, dict) and len(v) == 1 for v in item.values())


def typed(key: str, value: dict[str, Any] | None) -> TtlSample:
    """One item's TTL attribute value (a DynamoDB attribute value, or None) as a TtlSample."""
    if not value:
        return TtlSample(key, TtlKind.MISSING, shown="missing")
    kind, raw = _show(value)
    shown = f"{kind} {raw}"
    if kind != "N":
        return TtlSample(key, TtlKind.WRONG_TYPE, shown=shown)
    try:
        number = float(value["N"])
    except ValueError:
        return TtlSample(key, TtlKind.WRONG_TYPE, shown=shown)
    if number >= MILLIS:
        return TtlSample(key, TtlKind.MILLISECONDS, shown=shown)
    return TtlSample(key, TtlKind.SECONDS, number, shown)


def sample(region: Region, table: str, keys: Maybe[tuple[str, ...]], attribute: str,
           limit: int) -> Maybe[TtlSamples]:
    """Up to *limit* items' TTL attribute, or Unknown when the scan could not be made."""
    if isinstance(keys, Unknown):
        return keys
    wanted = dict.fromkeys((*keys, attribute))
    names = {f"#a{i}": name for i, name in enumerate(wanted)}
    params: dict[str, Any] = {
        "TableName": table,
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": names,
    }
    items: list[dict[str, Any]] = []
    taken_at = time.time()
    seen: set[str] = set()
    while len(items) < limit:
        page = read(region, "dynamodb", "Scan", table_call=True, Limit=limit - len(items),
                    **params)
        if isinstance(page, Unknown):
            return page
        if not all(_typed_values(item) for item in page["Items"]):
            return Unknown(f"dynamodb:Scan of {table} answered, but not in the documented "
                           "shape: an item value is not one typed attribute value",
                           Reason.MALFORMED)
        items.extend(page["Items"])
        last = page.get("LastEvaluatedKey")
        if not last:
            break
        mark = json.dumps(last, sort_keys=True, default=str)
        if mark in seen or len(seen) + 1 >= region.limits.max_pages:
            return Unknown(f"dynamodb:Scan of {table} pages without end (a LastEvaluatedKey "
                           "already seen, or more pages than --max-pages)", Reason.MALFORMED)
        seen.add(mark)
        params["ExclusiveStartKey"] = last
    samples = tuple(typed(_key(item, keys), item.get(attribute)) for item in items[:limit])
    return TtlSamples(attribute, taken_at, samples)
