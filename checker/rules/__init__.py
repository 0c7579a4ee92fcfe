"""The rule registry: every rule, in report order."""

from __future__ import annotations

from checker.rules import (
    alarms,
    billing,
    encryption,
    gsi,
    keys,
    naming,
    pitr,
    presence,
    tags,
    ttl,
    ttlvalues,
)
from checker.rules.base import Rule

RULES: tuple[Rule, ...] = (
    *presence.RULES,
    *keys.RULES,
    *ttl.RULES,
    *ttlvalues.RULES,
    *encryption.RULES,
    *pitr.RULES,
    *gsi.RULES,
    *alarms.RULES,
    *billing.RULES,
    *tags.RULES,
    *naming.RULES,
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

if len(BY_ID) != len(RULES):  # pragma: no cover - a registry mistake, caught at import
    raise RuntimeError("duplicate rule id in the registry")
