"""`audit --sample-items N`: read at most N items of a TTL table, keys and TTL attribute only.

The sampler records what it read (key, type descriptor, raw value) and when; the rule
TS-TTL-003 judges the values. It needs dynamodb:Scan and consumes read capacity: a Scan
with a Limit of N reads N items at most (projected attributes only, so pages stay small).
"""

from __future__ import annotations

import time
from typing import Any

from checker.model import Maybe, TtlSample, TtlSamples, Unknown
from checker.sources.liveclients import Region, read


def _show(value: dict[str, Any]) -> tuple[str, str]:
    """(type descriptor, printable raw value) of one attribute value."""
    kind, raw = next(iter(value.items()))
    return str(kind), str(raw)[:60]


def _key(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    return ", ".join(f"{k}={_show(item[k])[1]}" for k in keys if k in item)


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
    while len(items) < limit:
        page = read(region, "dynamodb", "Scan", table_call=True, Limit=limit - len(items),
                    **params)
        if isinstance(page, Unknown):
            return page
        items.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    out = []
    for item in items[:limit]:
        value = item.get(attribute)
        kind, raw = _show(value) if value else (None, None)
        out.append(TtlSample(_key(item, keys), kind, raw))
    return TtlSamples(attribute, taken_at, limit, tuple(out))
