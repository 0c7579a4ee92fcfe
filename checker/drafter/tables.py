"""One spec table from the tables seen for it: keys, TTL, indexes and policies.

Keys, TTL and indexes must agree everywhere (else a CONFLICT comment). The policies are
what every table of an environment meets: the weakest encryption seen, PITR and deletion
protection in the environments where the table has them everywhere, the billing modes
seen, the tags every table carries (non-empty), and the alarms (see `alarms`).
"""

from __future__ import annotations

from checker.drafter import settings
from checker.drafter.alarms import draft_alarms
from checker.drafter.common import Notes, Seen, at
from checker.drafter.settle import (
    BillingVal,
    GsiVal,
    KeyVal,
    TableDraft,
    agree,
    envs_where,
    flag,
    key_value,
    show_key,
    todo_unknown,
    where,
)
from checker.model import Gsi, Ttl
from checker.specfile.schema import BILLING_MODES, PROJECTIONS
from checker.unknown import NOT_READ, Unknown


def _keys(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    for attr in ("hash_key", "range_key"):
        path = at(t.name, attr)
        found: list[tuple[Seen, KeyVal | None]] = []
        for s in items:
            value = key_value(getattr(s.state, attr))
            if isinstance(value, Unknown):
                todo_unknown(s, attr.replace("_", " "), value, path, notes)
            else:
                found.append((s, value))
        settled = agree(found, attr.replace("_", " "), show_key, path, notes)
        if settled is not None:
            setattr(t, attr, settled[0])
        elif attr == "hash_key":
            notes.add(path, "TODO: a placeholder: write the hash key")


def _ttl_value(ttl: Ttl | Unknown) -> str | bool | Unknown:
    if isinstance(ttl, Unknown):
        return ttl
    if isinstance(ttl.enabled, Unknown):
        return ttl.enabled
    if not ttl.enabled:
        return False
    if isinstance(ttl.attribute, Unknown):
        return ttl.attribute
    return ttl.attribute or Unknown("TTL is on but names no attribute")


def _ttl(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    path = at(t.name, "ttl")
    found: list[tuple[Seen, str | bool]] = []
    for s in items:
        value = _ttl_value(s.state.ttl)
        if isinstance(value, Unknown):
            todo_unknown(s, "TTL", value, path, notes)
        else:
            found.append((s, value))
    settled = agree(found, "TTL", lambda v: f"on {v}" if isinstance(v, str) else "off",
                    path, notes)
    if settled is None:
        notes.add(path, "TODO: a placeholder: write the TTL attribute, or `ttl: false`")
    else:
        t.ttl = settled[0]


def _gsi_value(g: Gsi) -> GsiVal | Unknown:
    hash_key, range_key = key_value(g.hash_key), key_value(g.range_key)
    for part in (hash_key, range_key, g.projection, g.non_key_attributes):
        if isinstance(part, Unknown):
            return part
    assert not isinstance(hash_key, Unknown) and not isinstance(range_key, Unknown)
    projection = str(g.projection)
    if projection not in PROJECTIONS:
        return Unknown(f"projection {projection!r} is none of {', '.join(PROJECTIONS)}")
    extra = g.non_key_attributes if isinstance(g.non_key_attributes, tuple) else ()
    return GsiVal(hash_key, range_key, projection,
                  tuple(sorted(extra)) if projection == "INCLUDE" else ())


def _show_gsi(g: GsiVal) -> str:
    rng = f", range {show_key(g.range_key)}" if g.range_key else ""
    extra = f" ({', '.join(g.non_key_attributes)})" if g.non_key_attributes else ""
    return f"hash {show_key(g.hash_key)}{rng}, {g.projection}{extra}"


def _gsis(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    known: list[tuple[Seen, dict[str, Gsi]]] = []
    for s in items:
        gsis = s.state.gsis
        unnamed = gsis if isinstance(gsis, Unknown) else next(
            (g.name for g in gsis if isinstance(g.name, Unknown)), None)
        if unnamed is not None:
            todo_unknown(s, "indexes", unnamed, at(t.name, "gsis"), notes)
        elif not isinstance(gsis, Unknown):
            known.append((s, {g.name: g for g in gsis if isinstance(g.name, str)}))
    for index in sorted({n for _, by_name in known for n in by_name}):
        path = at(t.name, f"gsis.{index}")
        found: list[tuple[Seen, GsiVal]] = []
        for s, by_name in known:
            if index not in by_name:
                continue
            value = _gsi_value(by_name[index])
            if isinstance(value, Unknown):
                todo_unknown(s, f"index {index}", value, path, notes)
            else:
                found.append((s, value))
        lacking = [where(s) for s, by_name in known if index not in by_name]
        if lacking:
            notes.add(path, f"NOTE: absent from {', '.join(dict.fromkeys(lacking))}: "
                      "TS-GSI-001 fails there")
        settled = agree(found, f"index {index}", _show_gsi, path, notes)
        if settled is None:
            notes.add(path, "TODO: a placeholder: write the index's keys and projection")
        t.gsis[index] = settled[0] if settled else GsiVal(None, None, None)


def _encryption(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    path = at(t.name, "encryption")
    lows = []
    for s in items:
        enc = s.state.encryption
        lows.append((s, enc.low))
        if not enc.known:
            why = enc.key_arn.reason if isinstance(enc.key_arn, Unknown) else "key not known"
            notes.add(path, f"NOTE: the encryption of {s.name} is {enc.describe()} ({why}): "
                      f"the level written is at most {enc.low.label}")
    weakest = min(level for _, level in lows)
    stronger = sorted({where(s) for s, level in lows if level > weakest})
    if stronger:
        notes.add(path, f"NOTE: the weakest level seen is written; {', '.join(stronger)} "
                  "has a stronger one")
    t.policies["encryption"] = weakest


def _billing(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    path = at(t.name, "billing")
    modes = set()
    for s in items:
        mode = s.state.billing_mode
        if isinstance(mode, Unknown):
            todo_unknown(s, "billing mode", mode, path, notes)
        elif mode in BILLING_MODES:
            modes.add(mode)
            if mode == "PROVISIONED":
                _capacity(s, path, notes)
        else:
            notes.add(path, f"TODO: the billing mode of {s.name} is {mode!r}")
    if modes:
        ordered = tuple(m for m in BILLING_MODES if m in modes)
        t.policies["billing"] = BillingVal(ordered, 1 if "PROVISIONED" in modes else None)
    else:
        t.policies["billing"] = None


def _capacity(s: Seen, path: str, notes: Notes) -> None:
    st = s.state
    places = [("table", st.read_capacity, st.write_capacity)]
    if isinstance(st.gsis, tuple):
        places += [(f"index {g.name}", g.read_capacity, g.write_capacity) for g in st.gsis]
    for what, *units in places:
        for unit in units:
            if isinstance(unit, Unknown):
                todo_unknown(s, f"provisioned capacity of the {what}", unit, path, notes)
            elif unit is None or unit < 1:
                notes.add(path, f"NOTE: {s.name}: the {what} is provisioned with capacity "
                          f"{unit}: TS-BILL-002 fails")


def _tags(t: TableDraft, items: list[Seen], notes: Notes) -> None:
    path = at(t.name, "tags")
    common: set[str] | None = None
    for s in items:
        tags = s.state.tags
        if isinstance(tags, Unknown):
            todo_unknown(s, "tags", tags, path, notes)
            continue
        present = {k for k, v in tags.items() if v}
        common = present if common is None else common & present
    t.policies["tags"] = None if common is None else tuple(sorted(common, key=str.lower))


def draft_table(name: str, items: list[Seen], all_envs: list[str], notes: Notes
                ) -> TableDraft:
    """The draft of spec table *name* from the tables *items* placed there."""
    envs = sorted({s.env for s in items if s.env}, key=all_envs.index)
    t = TableDraft(name, envs)
    missing = [e for e in all_envs if e not in envs]
    if missing and envs:
        notes.add(at(name), f"NOTE: seen in {', '.join(envs)} only; the spec expects "
                  f"every table in every environment a run checks (TS-PRES-001 fails in "
                  f"{', '.join(missing)})")
    _keys(t, items, notes)
    _ttl(t, items, notes)
    _gsis(t, items, notes)
    _encryption(t, items, notes)
    t.policies["pitr"] = settings.pitr(items, at(name, "pitr"), notes)
    protected = envs_where(items, lambda s: flag(s.state, "deletion_protection"),
                           "deletion protection", at(name, "deletion_protection"), notes)
    t.policies["deletion_protection"] = protected
    t.policies["contributor_insights"] = envs_where(  # not read (spec init --live): not asked
        items, lambda s: False if s.state.contributor_insights is NOT_READ else flag(
            s.state, "contributor_insights"), "Contributor Insights",
        at(name, "contributor_insights"), notes)
    t.policies["capacity"] = settings.capacity(items, at(name, "capacity"), notes)
    t.policies["replicas"] = settings.replicas(items, at(name, "replicas"), notes)
    settings.streams(t, items, notes)
    settings.table_class(t, items, notes)
    t.policies["resource_policy"] = settings.resource_policy(items, at(name,
                                                                      "resource_policy"), notes)
    _billing(t, items, notes)
    _tags(t, items, notes)
    t.policies["alarms"] = draft_alarms(name, items, notes)
    return t
