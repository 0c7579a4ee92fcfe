"""Compare the HCL source's TableStates with the plan source's, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.model import Alarm, Encryption, Gsi, Key, TableState
from checker.unknown import Unknown

AFTER_APPLY = "known after apply"


@dataclass
class Comparison:
    """What a comparison found: differences (failures) and fields only HCL leaves unknown."""

    differences: list[str] = field(default_factory=list)
    hcl_unknown: list[str] = field(default_factory=list)  # plan knows, HCL does not (with why)
    hcl_knows_more: list[str] = field(default_factory=list)  # plan unknown, HCL known


def _names_expression(reason: str) -> bool:
    """An HCL Unknown's reason names an expression and its file:line."""
    return "(" in reason and ":" in reason and ")" in reason


def _value(c: Comparison, where: str, hcl: object, plan: object) -> None:
    if isinstance(hcl, Unknown) and not isinstance(plan, Unknown):
        if _names_expression(hcl.reason):
            c.hcl_unknown.append(f"{where}: plan {plan!r}, hcl unknown: {hcl.reason}")
        else:
            c.differences.append(f"{where}: hcl unknown without a located reason: {hcl.reason}")
        return
    if isinstance(plan, Unknown):
        if isinstance(hcl, Unknown):
            return
        if hcl is None and AFTER_APPLY in plan.reason:
            return  # left out of the source; the provider computes it at apply
        c.hcl_knows_more.append(f"{where}: plan unknown ({plan.reason}), hcl {hcl!r}")
        return
    if hcl != plan:
        c.differences.append(f"{where}: hcl {hcl!r} != plan {plan!r}")


def _key(c: Comparison, where: str, hcl: Key | Unknown | None, plan: Key | Unknown | None) -> None:
    if isinstance(hcl, Key) and isinstance(plan, Key):
        _value(c, f"{where}.name", hcl.name, plan.name)
        _value(c, f"{where}.type", hcl.type, plan.type)
    else:
        _value(c, where, hcl, plan)


def _encryption(c: Comparison, where: str, hcl: Encryption, plan: Encryption) -> None:
    if (hcl.low, hcl.high) == (plan.low, plan.high):
        return
    if plan.low <= hcl.low and hcl.high <= plan.high:
        why = f" ({plan.key_arn.reason})" if isinstance(plan.key_arn, Unknown) else ""
        c.hcl_knows_more.append(f"{where}: plan {plan.describe()}{why}, hcl {hcl.describe()}")
    else:
        c.differences.append(f"{where}: hcl {hcl.describe()} != plan {plan.describe()}")


def _gsis(c: Comparison, where: str, hcl: object, plan: object) -> None:
    if not isinstance(hcl, tuple) or not isinstance(plan, tuple):
        _value(c, where, hcl, plan)
        return
    h_names, p_names = [g.name for g in hcl], [g.name for g in plan]
    if h_names != p_names:
        c.differences.append(f"{where}: hcl {h_names} != plan {p_names}")
        return
    for h, p in zip(hcl, plan, strict=True):
        assert isinstance(h, Gsi) and isinstance(p, Gsi)
        at = f"{where}.{h.name}"
        _key(c, f"{at}.hash_key", h.hash_key, p.hash_key)
        _key(c, f"{at}.range_key", h.range_key, p.range_key)
        for attr in ("projection", "non_key_attributes", "read_capacity", "write_capacity"):
            _value(c, f"{at}.{attr}", getattr(h, attr), getattr(p, attr))


_ALARM_FIELDS = ("name", "namespace", "metric", "statistic", "comparison", "threshold", "period",
                 "evaluation_periods", "dimensions", "actions", "actions_enabled")


def _alarms(c: Comparison, where: str, hcl: list[Alarm], plan: list[Alarm]) -> None:
    h_by, p_by = {a.resource: a for a in hcl}, {a.resource: a for a in plan}
    if set(h_by) != set(p_by):
        c.differences.append(f"{where}.alarms: hcl {sorted(h_by)} != plan {sorted(p_by)}")
        return
    for address, h in h_by.items():
        for attr in _ALARM_FIELDS:
            _value(c, f"{address}.{attr}", getattr(h, attr), getattr(p_by[address], attr))


_TABLE_FIELDS = ("name", "billing_mode", "read_capacity", "write_capacity", "ttl", "pitr", "tags",
                 "deletion_protection")


def compare(hcl: list[TableState], plan: list[TableState]) -> Comparison:
    """Field-by-field comparison of two sources' tables, matched by resource address."""
    c = Comparison()
    h_by, p_by = {t.resource: t for t in hcl}, {t.resource: t for t in plan}
    if set(h_by) != set(p_by):
        c.differences.append(f"tables: hcl {sorted(h_by)} != plan {sorted(p_by)}")
    for address in sorted(set(h_by) & set(p_by)):
        h, p = h_by[address], p_by[address]
        for attr in _TABLE_FIELDS:
            _value(c, f"{address}.{attr}", getattr(h, attr), getattr(p, attr))
        _key(c, f"{address}.hash_key", h.hash_key, p.hash_key)
        _key(c, f"{address}.range_key", h.range_key, p.range_key)
        _encryption(c, f"{address}.encryption", h.encryption, p.encryption)
        _gsis(c, f"{address}.gsis", h.gsis, p.gsis)
        _alarms(c, address, h.alarms, p.alarms)
        if (h.alarms_incomplete is None) != (p.alarms_incomplete is None):
            c.differences.append(f"{address}.alarms_incomplete: hcl {h.alarms_incomplete!r} "
                                 f"plan {p.alarms_incomplete!r}")
    return c
