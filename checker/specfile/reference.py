"""docs/spec.md, written from the spec's shape (the same one the JSON Schema comes from):
`python -m checker.docs` (`make docs`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from checker.specfile.limits import MAX_ALIAS_VALUES, MAX_BYTES, MAX_DEPTH, MAX_VALUES
from checker.specfile.schema import SPEC_SHAPE
from checker.specfile.shape import Doc, Either, MapOf, Obj, Scalar, Seq, Shape

INTRO = """\
# The spec reference

Generated from the spec's shape (`checker/specfile/schema.py`, the same definition as the JSON
Schema in `specs/tables.schema.json`) by `python -m checker.docs`
(`make docs`); a test fails when this file is stale. Do not edit by hand.

A spec says what each DynamoDB table must be, per environment. `tablespec spec validate
[FILE]` checks one: an unknown key, a wrong type, a missing field, a duplicate key, a YAML
tag such as `!!python/...` (never executed) or a number outside its range (below: a
threshold is finite, a period one CloudWatch accepts, hours within a year) is an error
naming the file and line. So is a file that is not bounded: larger than @MIB@ MiB, nested
more than @DEPTH@ levels deep, holding more than @VALUES@ values, or whose aliases (`*name`,
`<<:`) expand to more than @ALIASED@ values; a waiver file has the same bounds. Without
`--spec`, tablespec uses `$TABLESPEC_SPEC`, else `specs/tables.yaml` or `tablespec.yaml` in
the current directory or the nearest parent that has one, up to the git root.

## Naming: three styles

A table found by a source (plan, Terraform source, live account) is matched to a spec table
by its name, and its environment is told by, in this order: the name, the account, the
`naming.environment_tag` tag, and `--env` for the whole run. A table whose environment
nothing tells is a finding (TS-NAME-003), never skipped.

1. **The environment in the name**: `pattern: "{project}-{table}-{environment}"` makes
   `hypermage-vr-player-sessions-prod` the table `player-sessions` in `prod`.
2. **One account per environment**: `pattern: "{table}"` and the accounts under
   `environments`; `player-sessions` is the same name in dev and prod:
   ```yaml
   naming:
     pattern: "{table}"
   environments:
     dev: {accounts: ["111111111111"]}
     prod: {accounts: ["222222222222", "333333333333"]}
   ```
   With a pattern that is `{table}` alone, a table that is not in the spec is only noted.
   For a plan (no account), the `Environment` tag or `--env` tells the environment.
3. **Tables that name themselves**: legacy names, per table:
   ```yaml
   tables:
     player-rewards:
       name: "PlayerRewards_{environment}"      # a pattern without {table}
     interaction-events:
       name: {prod: legacy-events, dev: events-dev}   # one name per environment
   ```

## Defaults and tables

A policy (`encryption`, `pitr`, `deletion_protection`, `contributor_insights`,
`resource_policy`, `replicas`, `streams`, `table_class`, `billing`, `capacity`, `tags`,
`alarms`) set under `defaults:`
applies to every table; a table that sets the same key replaces it **wholesale** (no
merging: a table's `tags: {required: [Owner]}` is its whole list).

`ttl: false` says the table must have no TTL: its data must persist, and a TTL would delete
it for good (TS-TTL-002, critical).

## Global tables: every replica in its own region

A replica of a global table is the same spec table, held to the same keys in its own
region; each finding carries its `region`. What a replica has of its own, and what it takes
from its table, in each source (hashicorp/aws 5.100; the DynamoDB API):

@REPLICAS@

The region of a table in Terraform is its provider configuration's `region`, where that is
known before apply; an alarm of the same provider configuration is in the same region. An
alarm whose region is not known, naming a table of another configuration, leaves that
table's alarms unknown rather than counted.

## Waivers

`waivers:` in the spec (or a file given with `--waivers`) lets findings of one rule (or
family) on one table fail until a date; after it they fail again, and a waiver that matches
nothing is reported as stale. A waiver with `region:` covers the findings of that region
only (one replica). Inline, `#tablespec:skip=TS-PITR-001:reason` (or the Checkov id,
`#checkov:skip=CKV_TS_PITR_001:reason`) inside a resource block waives that rule for that
resource; `#tablespec:skip=TS-PITR-001@us-east-1:reason` for its replica in that region only.

## Every key
"""


# What a replica has of its own, per spec key: (key, `replica` block, replica resource, live).
REPLICA_SOURCES = ("spec key", "`replica` block of `aws_dynamodb_table`",
                   "`aws_dynamodb_table_replica`", "`audit` (live)")
REPLICA_KEYS = (
    ("naming, `hash_key`, `range_key`", "the table's", "the table's (`global_table_arn`)",
     "its own `DescribeTable` in its region"),
    ("`ttl`", "the table's", "the table's", "its own `DescribeTimeToLive`"),
    ("`gsis`, `billing`", "the table's", "the table's", "its own `DescribeTable`"),
    ("`encryption`", "type: the table's; key: its own `kms_key_arn`, none meaning the AWS "
     "managed key of its region", "the same", "its own `SSEDescription` (`DescribeKey` in "
     "its region)"),
    ("`pitr`", "its own `point_in_time_recovery` (off unless set)",
     "its own `point_in_time_recovery`", "its own `DescribeContinuousBackups`"),
    ("`deletion_protection`", "cannot be set there: off (AWS creates a replica without it)",
     "its own `deletion_protection_enabled`", "its own `DescribeTable`"),
    ("`streams`", "the table's (a global table's replicas stream as it does)", "the table's",
     "its own `StreamSpecification`"),
    ("`table_class`", "the table's", "its own `table_class_override`, else the table's",
     "its own `TableClassSummary`"),
    ("`capacity.on_demand_max`", "the table's", "the table's", "its own "
     "`OnDemandThroughput`"),
    ("`contributor_insights`", "its own `aws_dynamodb_contributor_insights`, in its region",
     "the same", "its own `DescribeContributorInsights`"),
    ("`resource_policy`", "its own `aws_dynamodb_resource_policy`, tied by its ARN in its "
     "region", "the same", "its own `GetResourcePolicy` (and its stream's) in its region"),
    ("`replicas`", "judged on the table: its own region, its `replica` blocks' and its "
     "`aws_dynamodb_table_replica` resources'", "the same", "`Replicas` of the table's "
     "`DescribeTable`"),
    ("`tags`", "the table's with `propagate_tags = true`; without, not managed by Terraform: "
     "unknown", "its own `tags` (and its provider's `default_tags`)",
     "its own `ListTagsOfResource`"),
    ("`alarms`", "the alarms in its region: those of a provider configuration of that region",
     "the same", "`DescribeAlarms` in its region"),
)


def _replica_table() -> str:
    rows = (REPLICA_SOURCES, ("---",) * len(REPLICA_SOURCES), *REPLICA_KEYS)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def type_name(shape: Shape) -> str:
    """How a shape reads in the reference."""
    if isinstance(shape, Doc):
        return type_name(shape.shape)
    if isinstance(shape, Scalar):
        choices = ", ".join(f"`{c}`" for c in shape.choices)
        return f"{shape.label} ({choices})" if choices and len(shape.choices) > 1 else shape.label
    if isinstance(shape, Seq):
        return f"a list of {type_name(shape.item)}"
    if isinstance(shape, MapOf):
        return f"a mapping: {shape.key_label} -> {type_name(shape.value)}"
    if isinstance(shape, Either):
        return shape.label
    return "a mapping"


def _children(path: str, shape: Shape) -> Iterator[tuple[str, Shape]]:
    inner = shape.shape if isinstance(shape, Doc) else shape
    if isinstance(inner, Obj):
        for key, sub in {**inner.required, **inner.optional}.items():
            yield from _entry(f"{path}.{key}" if path else key, sub, key in inner.required)
    elif isinstance(inner, MapOf):
        yield from _children(f"{path}.<{inner.key_label}>", inner.value)
    elif isinstance(inner, Seq):
        yield from _children(f"{path}[]", inner.item)
    elif isinstance(inner, Either):
        for _, option in inner.options:
            yield from _children(path, option)


def _entry(path: str, shape: Shape, required: bool) -> Iterator[tuple[str, Shape]]:
    yield path + ("" if required else "?"), shape
    if not path.startswith("tables.<table name>.") or path.split(".")[2] not in _POLICY_KEYS:
        yield from _children(path, shape)


_POLICY_KEYS = ("encryption", "pitr", "deletion_protection", "contributor_insights",
                "resource_policy", "replicas", "streams", "table_class", "billing", "capacity",
                "tags", "alarms")


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e16 else f"{x:g}"


def bounds(shape: Shape) -> str | None:
    """The range of a number, or the most items of a list or mapping, as the reference says it."""
    inner = shape.shape if isinstance(shape, Doc) else shape
    if isinstance(inner, Scalar) and inner.maximum is not None:
        low = "" if inner.minimum is None else f"{_num(inner.minimum)} to "
        why = f" ({inner.why})" if inner.why else ""
        return f"**Range:** {low}{_num(inner.maximum)}{why}"
    if isinstance(inner, Seq | MapOf) and inner.max_items is not None:
        return f"**At most:** {inner.max_items}" + (f" ({inner.why})" if inner.why else "")
    return None


def _section(path: str, shape: Shape) -> str:
    required = not path.endswith("?")
    key = path.rstrip("?")
    doc = shape if isinstance(shape, Doc) else None
    facts = [f"**Type:** {type_name(shape)}", "required" if required else "optional"]
    if (limit := bounds(shape)) is not None:
        facts.append(limit)
    if doc is not None and doc.default is not None:
        facts.append(f"**Default:** `{yaml.safe_dump(doc.default, default_flow_style=True)}`"
                     .replace("\n...\n", "").replace("\n", ""))
    text = [f"### `{key}`", "", " · ".join(facts), ""]
    if doc is not None:
        text += [doc.text, ""]
        if key.startswith("tables.<table name>.") and key.split(".")[2] in _POLICY_KEYS:
            text += [f"As under `defaults.{key.split('.')[2]}` (replacing it wholesale).", ""]
        if doc.example is not None:
            leaf = key.split(".")[-1].rstrip("[]")
            sample: Any = {leaf: doc.example}
            text += ["```yaml", yaml.safe_dump(sample, sort_keys=False).rstrip(), "```", ""]
    return "\n".join(text)


def render_reference() -> str:
    """The whole Markdown document."""
    intro = INTRO.replace("@REPLICAS@", _replica_table())
    for name, value in (("MIB", MAX_BYTES // (1024 * 1024)), ("DEPTH", MAX_DEPTH),
                        ("VALUES", MAX_VALUES), ("ALIASED", MAX_ALIAS_VALUES)):
        intro = intro.replace(f"@{name}@", f"{value:,}")
    return intro + "\n" + "\n".join(_section(p, s) for p, s in _children("", SPEC_SHAPE))
