"""What a place a source cannot read stands for: tables that may be there, of which nothing
is known (their names, their number, any of their settings). Every source says so the same
way, so that a spec table it may hold is unknown, never absent."""

from __future__ import annotations

from checker.model import EncLevel, Encryption, Location, TableState
from checker.unknown import Unknown


def unread_place(address: str, source: str, why: str, location: Location) -> TableState:
    """The state of a place not read (a module call, a loop not expanded, a macro)."""
    unknown = Unknown(why)
    return TableState(unknown, address, source, unknown, unknown, unknown, unknown, unknown,
                      unknown, Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, unknown),
                      unknown, unknown, unknown, unknown, alarms_incomplete=unknown,
                      location=location, stream=unknown, table_class=unknown,
                      pitr_recovery_days=unknown, on_demand_max=unknown,
                      replica_regions=unknown, contributor_insights=unknown,
                      resource_policies=unknown, scaling=unknown)


__all__ = ["unread_place"]
