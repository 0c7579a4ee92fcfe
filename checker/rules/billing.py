"""billing: an allowed billing mode, and capacity above zero when provisioned."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed, show, unknown
from checker.unknown import Unknown


def _mode(s: Subject) -> list[Verdict]:
    allowed = s.table.billing.modes
    expected = " or ".join(allowed)

    def judge(mode: str | None) -> Verdict:
        if mode not in allowed:
            return failed(f"billing mode {show(mode)} is not allowed; use {expected}",
                          expected, show(mode), "billing_mode")
        return passed(f"billing mode {mode}", expected, str(mode), "billing_mode")

    return [decide(s.state.billing_mode, judge, expected, "billing_mode")]


def _capacity(s: Subject) -> list[Verdict]:
    least = s.table.billing.min_capacity
    expected = f"read and write capacity >= {least} (table and every index)"

    def judge(mode: str | None) -> Verdict:
        if mode != "PROVISIONED":
            return passed(f"{show(mode)}: no capacity to provision", "n/a", show(mode),
                          "capacity")
        return _provisioned(s, least, expected)

    return [decide(s.state.billing_mode, judge, expected, "billing_mode")]


def _provisioned(s: Subject, least: int, expected: str) -> Verdict:
    gsis = s.state.gsis
    if isinstance(gsis, Unknown):
        return unknown(gsis, expected, "global_secondary_index")
    places = [("table", "", s.state.read_capacity, s.state.write_capacity)]
    places += [(f"index {g.name}", f"global_secondary_index.{g.name}.", g.read_capacity,
                g.write_capacity) for g in gsis]
    for what, prefix, read, write in places:
        for unit, value in (("read", read), ("write", write)):
            field = f"{prefix}{unit}_capacity"
            if isinstance(value, Unknown):
                return unknown(value, expected, field)
            if value is None or value < least:
                return failed(f"{what} {unit} capacity is {show(value)}; provisioned capacity "
                              f"must be at least {least}", expected,
                              f"{what} {unit} capacity {show(value)}", field)
    return passed("provisioned capacity is set everywhere", expected, f"all >= {least}",
                  "capacity")


MODE = Rule(
    id="TS-BILL-001", check="billing", severity=Severity.MEDIUM,
    title="The billing mode is one the spec allows",
    why="Billing mode decides cost and how throttling behaves; the spec records the team's choice.",
    fix="Set billing_mode (BillingMode) to an allowed mode.",
    example='billing_mode = "PAY_PER_REQUEST"',
    evaluate=_mode,
)
CAPACITY = Rule(
    id="TS-BILL-002", check="billing", severity=Severity.HIGH,
    title="Provisioned capacity is above zero for the table and every index",
    why="A provisioned table or index with no capacity throttles every request.",
    fix="Set read_capacity and write_capacity (ProvisionedThroughput) on the table and on each "
    "index, or switch to PAY_PER_REQUEST.",
    example='billing_mode   = "PROVISIONED"\nread_capacity  = 5\nwrite_capacity = 5',
    evaluate=_capacity,
)

RULES = [MODE, CAPACITY]
