"""aws_appautoscaling_target -> each table's (and replica's) `scaling`.

A target scales a table when its service namespace is `dynamodb`, its `resource_id` is
`table/NAME` (an index's: `table/NAME/index/INDEX`) and its scalable dimension is one of
DynamoDB's four, in the region of its provider. A target that may be the table's (what it
names is not known, or whether it exists) makes the table's targets unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from checker.model import SCALABLE_DIMENSIONS, Scaling, ScalingKey, TableState
from checker.sources.terraform.body import Body, at
from checker.sources.typed import string, whole
from checker.unknown import Maybe, Unknown, invalid

TARGET = "aws_appautoscaling_target"
_RESOURCE: Final = re.compile(r"table/([A-Za-z0-9_.-]+)(?:/index/([A-Za-z0-9_.-]+))?")


@dataclass(frozen=True)
class Target:
    """One scalable target, as written or read."""

    namespace: Maybe[str | None]
    resource_id: Maybe[str | None]
    dimension: Maybe[str | None]
    bounds: Scaling
    region: str | None  # None where not known


def read_target(body: Body, region: str | None) -> Target:
    """The Target of one aws_appautoscaling_target instance, in its provider's region."""
    bounds = []
    for name in ("min_capacity", "max_capacity"):
        found = whole(body.value(name), at(body, name))
        bounds.append(invalid(f"{at(body, name)} is not set") if found is None else found)
    return Target(string(body.value("service_namespace"), at(body, "service_namespace")),
                  string(body.value("resource_id"), at(body, "resource_id")),
                  string(body.value("scalable_dimension"), at(body, "scalable_dimension")),
                  Scaling(bounds[0], bounds[1], body.where), region)


def key_of(target: Target, table: TableState) -> ScalingKey | Literal[False] | None:
    """Which target of *table* this is: (index, dim); False when not the table's; None
    when that is not known."""
    if target.region is not None and table.region is not None and \
            target.region != table.region:
        return False
    namespace, resource, dimension = target.namespace, target.resource_id, target.dimension
    if isinstance(namespace, Unknown) or isinstance(resource, Unknown) or isinstance(
            dimension, Unknown):
        return None if namespace in ("dynamodb", None) or isinstance(namespace, Unknown) \
            else False
    if namespace != "dynamodb" or resource is None or dimension not in SCALABLE_DIMENSIONS:
        return False
    found = _RESOURCE.fullmatch(resource)
    if found is None:
        return False
    name, index = found.groups()
    on_index, dim = SCALABLE_DIMENSIONS[dimension]
    if on_index != (index is not None):
        return False  # AWS refuses such a target: it scales nothing
    if isinstance(table.name, Unknown):
        return None
    return (index, dim) if name == table.name else False


def link_targets(states: list[TableState], targets: list[Target],
                 undecided: Unknown | None = None) -> None:
    """Set each table's (and replica's) `scaling`; *undecided*: why a target may or may
    not exist (its count or for_each not known)."""
    for table in states:
        if undecided is not None:
            table.scaling = undecided
            continue
        found: dict[ScalingKey, Scaling] = {}
        for target in targets:
            key = key_of(target, table)
            if key is None:
                table.scaling = Unknown(f"{target.bounds.where} may scale the table: what it "
                                        "names is not known")
                break
            if key:
                found[key] = target.bounds
        else:
            table.scaling = found
