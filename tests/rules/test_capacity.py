"""capacity: an on-demand table, and each of its indexes, caps its throughput."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import OnDemandMax
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
TABLE, READ = "on_demand_throughput", "on_demand_throughput.max_read_request_units"
INDEX = "global_secondary_index.PlayerIdIndex.on_demand_throughput"


def capped(spec: Spec) -> Spec:
    """On demand, at most 40000 read and 40000 write request units."""
    return with_tables(spec, on_demand_max=(40000, 40000))


CASES = [
    Case("TS-CAP-001", PASS, REWARDS, TABLE, spec=capped),
    Case("TS-CAP-001", FAIL, REWARDS, READ, {"on_demand_max": OnDemandMax(None, 40000)},
         spec=capped),
    Case("TS-CAP-001", FAIL, REWARDS, READ, {"on_demand_max": OnDemandMax(80000, 40000)},
         spec=capped),
    Case("TS-CAP-001", UNKNOWN, REWARDS, TABLE,
         {"on_demand_max": Unknown("on_demand_throughput known after apply")}, spec=capped),
    Case("TS-CAP-001", PASS, REWARDS, TABLE,  # provisioned: nothing to cap
         {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5,
          "on_demand_max": OnDemandMax(None, None)}, spec=capped),
]


def test_each_index_is_held_to_the_maximum_too(spec: Spec) -> None:
    spec = capped(spec)
    sts = states(spec)
    events = next(s for s in sts if s.resource.endswith("interaction_events"))
    assert isinstance(events.gsis, tuple)
    events.gsis = tuple(replace(g, on_demand_max=OnDemandMax(40000, None))
                        for g in events.gsis)
    failed = [(f.rule_id, f.table, f.field) for f in run(spec, sts)
              if f.status is FAIL]
    assert failed == [("TS-CAP-001", EVENTS,
                       f"{INDEX}.max_write_request_units")]


def test_not_judged_where_the_spec_sets_no_maximum(spec: Spec) -> None:
    sts = states(spec, **{REWARDS: {"on_demand_max": OnDemandMax(None, None)}})
    assert not [f for f in run(spec, sts) if f.rule_id == "TS-CAP-001"]
