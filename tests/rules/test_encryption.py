"""encryption: server-side encryption at least at the spec's level."""

from __future__ import annotations

from checker.findings import Status
from checker.model import EncLevel, Encryption
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, REWARDS, SESSIONS, Case, only, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "server_side_encryption"
ANY_KEY = Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, Unknown("enabled later"))

CASES = [
    Case("TS-SSE-001", PASS, REWARDS, FIELD),
    Case("TS-SSE-001", FAIL, REWARDS, FIELD, {"encryption": Encryption.exact(EncLevel.AWS_OWNED)}),
    Case("TS-SSE-001", UNKNOWN, REWARDS, FIELD, {"encryption": ANY_KEY}),
    # at least AWS managed, maybe a CMK: enough for a spec that asks for aws_managed
    Case("TS-SSE-001", PASS, SESSIONS, FIELD,
         {"encryption": Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED)}),
]


def test_levels_against_a_customer_managed_minimum(spec: Spec) -> None:
    strict = with_tables(spec, encryption=EncLevel.CUSTOMER_MANAGED)
    cmk = {"encryption": Encryption.exact(EncLevel.CUSTOMER_MANAGED, "arn:aws:kms:k")}
    assert only(strict, SESSIONS, **cmk) == [
        ("fail", "TS-SSE-001", t, FIELD) for t in sorted((EVENTS, REWARDS))]
    maybe = {"encryption": Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED,
                                      Unknown("kms_key_arn known after apply"))}
    assert ("unknown", "TS-SSE-001", SESSIONS, FIELD) in only(strict, SESSIONS, **maybe)
