"""The draft as YAML text in the seed spec's layout, with its comments where they belong.

Settings every table shares (the value most tables have) go to `defaults:`; a table writes
only what differs, and a table's key replaces the default wholesale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from checker.drafter.common import Notes, Placement, at
from checker.drafter.settle import (
    BillingVal,
    CapacityVal,
    ClassesVal,
    PitrVal,
    Policy,
    TableDraft,
)
from checker.drafter.text import Writer, flow_key, flow_list, scalar
from checker.model import EncLevel
from checker.specfile.model import AlarmPolicy, PolicyLimits, ReplicasPolicy, StreamsPolicy

POLICY_KEYS = ("encryption", "pitr", "deletion_protection", "contributor_insights",
               "resource_policy", "replicas", "streams", "table_class", "billing", "capacity",
               "tags", "alarms")
EMPTY: dict[str, Policy] = {"pitr": (), "deletion_protection": (), "tags": (),
                            "contributor_insights": (),
                            "alarms": AlarmPolicy((), ())}


@dataclass
class Document:
    """Everything the text is made of."""

    origin: str  # what the draft was made from
    when: str  # when, UTC
    placement: Placement
    tables: list[TableDraft]
    notes: Notes


def factor(tables: Sequence[TableDraft]) -> dict[str, Policy]:
    """`defaults:`: for each policy, the value most tables have (none when that is empty);
    tables seen in every environment vote, when there are any."""
    everywhere = max((len(t.envs) for t in tables), default=0)
    voters = [t for t in tables if len(t.envs) == everywhere] or list(tables)
    out: dict[str, Policy] = {}
    for key in POLICY_KEYS:
        values = [v for t in voters if (v := t.policies.get(key)) is not None]
        if not values:
            continue
        common = Counter(values).most_common(1)[0][0]
        if EMPTY.get(key) != common:
            out[key] = common
    return out


def _within(key: str, value: Policy, envs: list[str]) -> Policy:
    """*value* as it applies to a table seen only in *envs*."""
    if isinstance(value, AlarmPolicy):
        return AlarmPolicy(tuple(e for e in value.required_in if e in envs), value.metrics)
    if key in ("pitr", "deletion_protection", "contributor_insights") and isinstance(
            value, tuple):
        return tuple(e for e in value if e in envs)
    if isinstance(value, PitrVal):
        return PitrVal(tuple(e for e in value.required_in if e in envs),
                       value.min_recovery_days)
    if isinstance(value, StreamsPolicy):
        return StreamsPolicy(tuple(e for e in value.required_in if e in envs), value.view_type)
    if isinstance(value, ReplicasPolicy):
        return ReplicasPolicy(tuple(e for e in value.required_in if e in envs), value.regions)
    return value


def _neutral(default: Policy | None) -> Policy | None:
    """What a table writes to judge nothing where the default judges something: an empty
    `required_in`, an empty mapping (None: the key has no such form, or nothing to undo)."""
    if isinstance(default, StreamsPolicy):
        return StreamsPolicy(())
    if isinstance(default, ReplicasPolicy):
        return ReplicasPolicy((), default.regions)
    if isinstance(default, CapacityVal):
        return CapacityVal()
    if isinstance(default, PolicyLimits):
        return PolicyLimits()
    return None


def own_policies(table: TableDraft, defaults: dict[str, Policy]) -> dict[str, Policy]:
    """The policies *table* must write itself: those that differ from `defaults:` where the
    table is seen (a table seen in prod only keeps the defaults of dev)."""
    out: dict[str, Policy] = {}
    for key in POLICY_KEYS:
        value = table.policies.get(key)
        if value is None:  # nothing drafted: the default must not judge it either
            neutral = _neutral(defaults.get(key))
            if neutral is not None:
                out[key] = neutral
            continue
        default = defaults.get(key, EMPTY.get(key))
        if default is None or value == default:
            if default is None:
                out[key] = value
            continue
        if _within(key, value, table.envs) != _within(key, default, table.envs):
            out[key] = value
    return out


def _policy(w: Writer, indent: int, key: str, value: Policy) -> None:
    pad = indent + 2
    if isinstance(value, EncLevel):
        w.line(indent, f"encryption: {value.label}")
    elif isinstance(value, tuple) and key == "tags":
        w.line(indent, "tags:")
        w.line(pad, f"required: {flow_list(value)}")
    elif isinstance(value, tuple):
        w.line(indent, f"{key}:")
        w.line(pad, f"required_in: {flow_list(value)}")
    elif isinstance(value, PitrVal):
        w.line(indent, "pitr:")
        w.line(pad, f"required_in: {flow_list(value.required_in)}")
        w.line(pad, f"min_recovery_days: {value.min_recovery_days}")
    elif isinstance(value, StreamsPolicy):
        w.line(indent, "streams:")
        w.line(pad, f"required_in: {flow_list(value.required_in)}")
        if value.view_type is not None:
            w.line(pad, f"view_type: {value.view_type}")
    elif isinstance(value, ReplicasPolicy):
        w.line(indent, "replicas:")
        w.line(pad, f"required_in: {flow_list(value.required_in)}")
        w.line(pad, f"regions: {flow_list(value.regions)}")
    elif isinstance(value, CapacityVal | PolicyLimits) and value in (CapacityVal(),
                                                                      PolicyLimits()):
        w.line(indent, f"{key}: {{}}")
    elif isinstance(value, CapacityVal):
        w.line(indent, "capacity:")
        if value.read is not None:
            w.line(pad, f"on_demand_max: {{read: {value.read}, write: {value.write}}}")
        if value.autoscaling is not None:
            scaling = value.autoscaling
            w.line(pad, f"autoscaling: {{required_in: {flow_list(scaling.required_in)}, "
                   f"min: {scaling.min}, max: {scaling.max}}}")
    elif isinstance(value, PolicyLimits):
        w.line(indent, "resource_policy:")
        if value.public is not None:
            w.line(pad, f"public: {scalar(value.public)}")
        if value.accounts is not None:
            w.line(pad, f"accounts: {flow_list(value.accounts)}")
    elif isinstance(value, ClassesVal):
        w.line(indent, f"table_class: {flow_list(value.classes)}")
    elif isinstance(value, BillingVal):
        w.line(indent, "billing:")
        w.line(pad, f"modes: {flow_list(value.modes)}")
        if value.min_capacity is not None:
            w.line(pad, f"min_capacity: {value.min_capacity}")
    else:
        _alarms(w, indent, value)


def _alarms(w: Writer, indent: int, value: AlarmPolicy) -> None:
    pad = indent + 2
    w.line(indent, "alarms:")
    w.line(pad, f"required_in: {flow_list(value.required_in)}")
    if not value.metrics:
        w.line(pad, "metrics: []")
        return
    w.line(pad, "metrics:")
    for m in value.metrics:
        w.line(pad + 2, f"- metric: {scalar(m.metric)}")
        for name, v in (("namespace", m.namespace), ("statistic", m.statistic),
                        ("comparison", m.comparison), ("threshold", m.threshold),
                        ("period", m.period), ("evaluation_periods", m.evaluation_periods),
                        ("action_required", m.action_required)):
            w.line(pad + 4, f"{name}: {scalar(v)}")


def _table(w: Writer, t: TableDraft, own: str | dict[str, str] | None,
           defaults: dict[str, Policy]) -> None:
    base = at(t.name)
    w.line(2, f"{scalar(t.name)}:")
    policies = own_policies(t, defaults)
    written = {"hash_key", "range_key", "ttl", *policies}
    written |= {f"gsis.{g}" for g in t.gsis}
    w.noted(4, base)
    for rest, texts in w.notes.keys_of(t.name).items():  # notes of keys it does not write
        if rest not in written and rest.split(".")[0] != "gsis":
            w.used.add(at(t.name, rest))
            for text in texts:
                w.comment(4, f"{rest}: {text}")
    if own is not None:
        if isinstance(own, dict):
            w.line(4, "name:")
            for env, name in own.items():
                w.line(6, f"{scalar(env)}: {scalar(name)}")
        else:
            w.line(4, f"name: {scalar(own)}")
    w.noted(4, at(t.name, "hash_key"))
    w.line(4, f"hash_key: {flow_key(t.hash_key)}")
    w.noted(4, at(t.name, "range_key"))
    if t.range_key:
        w.line(4, f"range_key: {flow_key(t.range_key)}")
    w.noted(4, at(t.name, "ttl"))
    if t.ttl is None or t.ttl is True:
        w.line(4, "ttl: {attribute: TODO}")
    elif t.ttl is False:
        w.line(4, "ttl: false")
    else:
        w.line(4, "ttl:")
        w.line(6, f"attribute: {scalar(t.ttl)}")
    w.noted(4, at(t.name, "gsis"))
    if t.gsis:
        w.line(4, "gsis:")
    for index, g in t.gsis.items():
        w.noted(6, at(t.name, f"gsis.{index}"))
        w.line(6, f"{scalar(index)}:")
        w.line(8, f"hash_key: {flow_key(g.hash_key)}")
        if g.range_key:
            w.line(8, f"range_key: {flow_key(g.range_key)}")
        w.line(8, f"projection: {g.projection or 'ALL'}")
        if g.non_key_attributes:
            w.line(8, f"non_key_attributes: {flow_list(g.non_key_attributes)}")
    for key, value in policies.items():
        w.noted(4, at(t.name, key))
        _policy(w, 4, key, value)


def _header(w: Writer, doc: Document) -> None:
    w.comment(0, f"DRAFT spec written by `tablespec spec init` from {doc.origin}, on "
              f"{doc.when}.")
    w.comment(0, "It describes the tables as they are, not as they should be: review every "
              "line before you rely on it. TODO marks what could not be inferred, CONFLICT "
              "values that differ between environments (the spec holds every environment to "
              "one value), NOTE what a check of the same tables will still report.")
    w.comment(0, "")
    w.comment(0, "Table-level keys override `defaults` wholesale.")
    for skipped in doc.placement.skipped:
        w.comment(0, f"TODO: not drafted: {skipped}")
    w.noted(0, "header")
    w.blank()


def _naming(w: Writer, doc: Document) -> None:
    p = doc.placement
    w.line(0, "version: 1")
    w.noted(0, "project")
    if not p.project_known:
        w.comment(0, "TODO: name the project (no tag or name prefix tells it)")
    w.line(0, f"project: {scalar(p.project)}")
    w.blank()
    w.line(0, "naming:")
    example = next((s for s in p.seen if s.logical not in p.own_names), None)
    if example is not None:
        env = f", {example.env}" if example.told and "{environment}" in p.pattern else ""
        w.comment(2, f"physical name -> (logical table{', environment' if env else ''}), "
                  f"e.g. {example.name} -> ({example.logical}{env})")
    w.noted(2, "naming")
    w.line(2, f"pattern: {scalar(p.pattern)}")
    if p.environment_tag != "Environment":
        w.line(2, f"environment_tag: {scalar(p.environment_tag)}")
    w.blank()
    w.noted(0, "environments")
    if p.accounts:
        w.line(0, "environments:")
        for env in p.environments:
            if p.accounts.get(env):
                w.line(2, f"{scalar(env)}:")
                w.line(4, f"accounts: {flow_list(p.accounts[env])}")
            else:
                w.line(2, f"{scalar(env)}: {{}}")
    else:
        w.line(0, f"environments: {flow_list(p.environments)}")
    w.blank()


def render(doc: Document) -> str:
    """The whole draft."""
    w = Writer(doc.notes)
    _header(w, doc)
    _naming(w, doc)
    defaults = factor(doc.tables)
    if defaults:
        w.line(0, "defaults:")
        for key, value in defaults.items():
            if key == "encryption":
                w.comment(2, "the weakest level seen; aws_owned < aws_managed < "
                          "customer_managed, a minimum")
            _policy(w, 2, key, value)
        w.blank()
    w.line(0, "tables:")
    for i, t in enumerate(doc.tables):
        if i:
            w.blank()
        _table(w, t, doc.placement.own_names.get(t.name), defaults)
    leftover = [p for p in doc.notes.by_path if p not in w.used]
    for path in leftover:
        for text in doc.notes.at(path):
            w.comment(0, f"{path}: {text}")
    return "\n".join(w.lines) + "\n"
