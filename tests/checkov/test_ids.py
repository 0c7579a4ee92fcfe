"""Checkov ids <-> tablespec rule ids, for every rule in the registry."""

from __future__ import annotations

import pytest

from checker.checkov.ids import checkov_id, rule_id_for
from checker.rules import RULES


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_every_rule_id_round_trips(rule_id: str) -> None:
    check_id = checkov_id(rule_id)
    assert check_id.startswith("CKV_TS_") and "-" not in check_id
    assert rule_id_for(check_id) == rule_id


def test_known_spelling() -> None:
    assert checkov_id("TS-SSE-001") == "CKV_TS_SSE_001"
    assert rule_id_for("CKV_TS_PITR_001") == "TS-PITR-001"


@pytest.mark.parametrize("check_id", ["CKV_AWS_28", "CKV2_AWS_16", "CKV_TS_SSE", "ckv_ts_sse_001",
                                      "CKV_TS_SSE_001_X", ""])
def test_other_ids_are_not_ours(check_id: str) -> None:
    assert rule_id_for(check_id) is None


@pytest.mark.parametrize("bad", ["SSE-001", "TS-SSE", "CKV_TS_SSE_001", "ts-sse-001"])
def test_not_a_rule_id(bad: str) -> None:
    with pytest.raises(ValueError, match="not a tablespec rule id"):
        checkov_id(bad)


def test_ids_are_distinct() -> None:
    assert len({checkov_id(r.id) for r in RULES}) == len(RULES)
