"""Checkov ids of tablespec rules, both ways: `TS-SSE-001` <-> `CKV_TS_SSE_001`.

Pure string functions with no Checkov import, so any part of tablespec can map an id
(a `#checkov:skip=CKV_TS_...` comment, a Checkov report) to a rule cheaply.
"""

from __future__ import annotations

import re

PREFIX = "CKV_TS_"
_RULE = re.compile(r"TS-([A-Z]+)-(\d+)")
_CHECK = re.compile(r"CKV_TS_([A-Z]+)_(\d+)")


def checkov_id(rule_id: str) -> str:
    """The Checkov id of a tablespec rule: `TS-SSE-001` -> `CKV_TS_SSE_001`."""
    m = _RULE.fullmatch(rule_id)
    if m is None:
        raise ValueError(f"{rule_id!r} is not a tablespec rule id (TS-FAMILY-NNN)")
    return f"{PREFIX}{m.group(1)}_{m.group(2)}"


def rule_id_for(check_id: str) -> str | None:
    """The tablespec rule id behind a Checkov id, or None when it is not one of ours."""
    m = _CHECK.fullmatch(check_id)
    return f"TS-{m.group(1)}-{m.group(2)}" if m else None
