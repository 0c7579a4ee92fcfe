"""A table's `alarms:` from the CloudWatch alarms that watch it.

Every metric a table-level alarm watches (ReadThrottleEvents, WriteThrottleEvents or any
other) becomes a spec metric with its settings, which every alarm on it must share (the
rules judge each alarm found, in every environment). `action_required` holds when every
such alarm notifies someone. `required_in`: the environments where every table seen has
an alarm on every metric. A metric the spec cannot express (an extended statistic, an
anomaly band) is left out, with a comment; when the settings of a metric are not known
at all, the table keeps the default `alarms` (a TODO comment says why).
"""

from __future__ import annotations

from collections import defaultdict

from checker.drafter.common import Notes, Seen, at
from checker.drafter.settle import agree, envs_where, todo_unknown
from checker.model import Alarm
from checker.specfile import ranges
from checker.specfile.model import AlarmPolicy, AlarmSpec
from checker.specfile.schema import COMPARISONS, STATISTICS
from checker.specfile.shape import validate
from checker.unknown import Unknown

Settings = tuple[str, str, float, int, int]  # statistic, comparison, threshold, period, evals
# What the spec holds (and CloudWatch accepts): a value outside is left out with a note.
_THRESHOLD, _PERIOD, _EVALS = ranges.threshold(), ranges.period(), ranges.evaluation_periods()


def _table_level(alarm: Alarm) -> bool:
    dims = alarm.dimensions
    return not (isinstance(dims, dict) and "GlobalSecondaryIndexName" in dims)


def _settings(alarm: Alarm) -> Settings | Unknown | str:
    """The settings of *alarm*, why they are not known, or why the spec cannot hold them."""
    parts = (alarm.statistic, alarm.comparison, alarm.threshold, alarm.period,
             alarm.evaluation_periods)
    for part in parts:
        if isinstance(part, Unknown):
            return part
    stat, comp, threshold, period, evals = parts
    if stat not in STATISTICS:
        return f"statistic {stat!r} is none of {', '.join(STATISTICS)}"
    if comp not in COMPARISONS:
        return f"comparison {comp!r} is not a threshold comparison"
    for name, value, shape in (("threshold", threshold, _THRESHOLD), ("period", period, _PERIOD),
                               ("evaluation_periods", evals, _EVALS)):
        problems = validate(value, shape)
        if problems:
            return f"{name}: {problems[0].message}"
    assert isinstance(threshold, int | float) and isinstance(period, int)
    assert isinstance(evals, int)
    wrong = ranges.window_problem(period, evals)
    return wrong or (str(stat), str(comp), float(threshold), period, evals)


def _show(s: Settings) -> str:
    threshold = int(s[2]) if s[2].is_integer() else s[2]
    return f"{s[0]} {s[1]} {threshold}, period {s[3]}s x {s[4]}"


def _notifies(alarm: Alarm) -> bool | Unknown:
    actions, enabled = alarm.actions, alarm.actions_enabled
    if isinstance(actions, Unknown):
        return actions
    if not actions:
        return False
    return enabled if isinstance(enabled, Unknown) else enabled is True


def _metric(metric: tuple[str, str], found: list[tuple[Seen, Alarm]], path: str,
            notes: Notes) -> AlarmSpec | Unknown | None:
    """The spec metric; Unknown: its settings are not known; None: the spec cannot hold it."""
    namespace, name = metric
    settled: list[tuple[Seen, Settings]] = []
    for s, alarm in found:
        value = _settings(alarm)
        if isinstance(value, Unknown):
            todo_unknown(s, f"settings of alarm {alarm.name}", value, path, notes)
        elif isinstance(value, str):
            notes.add(path, f"NOTE: {name} left out: the spec cannot hold alarm "
                      f"{alarm.name} ({value})")
            return None
        else:
            settled.append((s, value))
    chosen = agree(settled, f"the {name} alarm settings", _show, path, notes)
    if chosen is None:
        notes.add(path, f"TODO: no {name} alarm has settings known here: this table keeps "
                  "the default `alarms` until they are")
        return Unknown(f"{name} settings not known")
    notifies = []
    for s, alarm in found:
        on = _notifies(alarm)
        if isinstance(on, Unknown):
            todo_unknown(s, f"actions of alarm {alarm.name}", on, path, notes)
        else:
            notifies.append((alarm, on))
    silent = [str(a.name) for a, on in notifies if not on]
    if silent:
        notes.add(path, f"NOTE: action_required is false for {name}: "
                  f"{', '.join(silent)} notif{'ies' if len(silent) == 1 else 'y'} nobody")
    elif not notifies:
        notes.add(path, f"TODO: whether the {name} alarms notify anyone is not known: "
                  "action_required is false until it is")
    stat, comp, threshold, period, evals = chosen[0]
    return AlarmSpec(name, namespace, stat, comp, threshold, period, evals,
                    bool(notifies) and not silent)


def draft_alarms(table: str, items: list[Seen], notes: Notes) -> AlarmPolicy | None:
    """The `alarms:` of *table* from the alarms on the tables placed there; None when the
    settings of one of its metrics are not known (the table keeps the default)."""
    path = at(table, "alarms")
    by_metric: dict[tuple[str, str], list[tuple[Seen, Alarm]]] = defaultdict(list)
    for s in items:
        if s.state.alarms_incomplete is not None:
            todo_unknown(s, "its alarms (maybe more)", s.state.alarms_incomplete, path, notes)
        for alarm in s.state.alarms:
            if not _table_level(alarm):
                continue
            if not isinstance(alarm.metric, str) or not isinstance(alarm.namespace, str):
                notes.add(path, f"TODO: the metric of alarm {alarm.name} on {s.name} is not "
                          "known")
                continue
            by_metric[(alarm.namespace, alarm.metric)].append((s, alarm))
    drafted = [_metric(k, by_metric[k], path, notes)
               for k in sorted(by_metric, key=lambda k: (k[1], k[0]))]
    if any(isinstance(m, Unknown) for m in drafted):
        return None
    metrics = [m for m in drafted if isinstance(m, AlarmSpec)]
    watched = {(m.namespace, m.metric) for m in metrics}

    def has_all(s: Seen) -> bool:
        here = {(a.namespace, a.metric) for a in s.state.alarms if _table_level(a)}
        return watched <= here

    required = envs_where(items, has_all, "the alarms", path, notes) if metrics else ()
    return AlarmPolicy(required, tuple(metrics))
