"""The rule registry: every rule, in report order.

The engine reads `RULES` when it evaluates, so a test can add a rule by rebinding it.
"""

from __future__ import annotations

from checker.rules import (
    access,
    alarms,
    billing,
    capacity,
    deletion,
    encryption,
    gsi,
    insights,
    keys,
    naming,
    pitr,
    presence,
    replicas,
    resource_policy,
    streams,
    table_class,
    tags,
    ttl,
)
from checker.rules.base import Rule

RULES: tuple[Rule, ...] = (
    *presence.RULES,
    *keys.RULES,
    *ttl.RULES,
    *encryption.RULES,
    *pitr.RULES,
    *gsi.RULES,
    *alarms.RULES,
    *billing.RULES,
    *capacity.RULES,
    *tags.RULES,
    *naming.RULES,
    *deletion.RULES,
    *replicas.RULES,
    *insights.RULES,
    *streams.RULES,
    *table_class.RULES,
    *resource_policy.RULES,
    *access.RULES,
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

if len(BY_ID) != len(RULES):  # pragma: no cover - a registry mistake, caught at import
    raise RuntimeError("duplicate rule id in the registry")


def checks() -> tuple[str, ...]:
    """The check families, in report order, as the registry has them now."""
    return tuple(dict.fromkeys(rule.check for rule in RULES))
