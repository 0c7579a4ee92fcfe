"""streams: a stream where the spec requires one (of its view type), none where it forbids."""

from __future__ import annotations

from checker.findings import Status
from checker.specfile.model import Spec, StreamsPolicy
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD, VIEW = "stream_enabled", "stream_view_type"


def in_prod(spec: Spec) -> Spec:
    """A stream of new and old images required in prod."""
    return with_tables(spec, streams=StreamsPolicy(("prod",), "NEW_AND_OLD_IMAGES"))


def any_view(spec: Spec) -> Spec:
    """A stream of any view type required in prod."""
    return with_tables(spec, streams=StreamsPolicy(("prod",)))


def forbidden(spec: Spec) -> Spec:
    """No stream, anywhere."""
    return with_tables(spec, streams=False)


CASES = [
    Case("TS-STREAM-001", PASS, REWARDS, FIELD, spec=in_prod),
    Case("TS-STREAM-001", PASS, REWARDS, FIELD, {"stream": "KEYS_ONLY"}, spec=any_view),
    Case("TS-STREAM-001", FAIL, REWARDS, FIELD, {"stream": None}, spec=in_prod),
    Case("TS-STREAM-001", FAIL, REWARDS, VIEW, {"stream": "NEW_IMAGE"}, spec=in_prod),
    Case("TS-STREAM-001", UNKNOWN, REWARDS, FIELD,
         {"stream": Unknown("stream_enabled known after apply")}, spec=in_prod),
    Case("TS-STREAM-001", PASS, REWARDS, FIELD, spec=forbidden),
    Case("TS-STREAM-001", FAIL, REWARDS, FIELD, {"stream": "KEYS_ONLY"}, spec=forbidden),
    Case("TS-STREAM-001", FAIL, REWARDS, FIELD, {"stream": "KEYS_ONLY"}, env="dev",
         spec=forbidden),
    # on or off, not known, where either way it has no stream of the view type required
    Case("TS-STREAM-001", FAIL, REWARDS, VIEW,
         {"stream": Unknown("stream_enabled is var.on", possible=("NEW_IMAGE", None))},
         spec=in_prod),
]


def test_not_judged_where_the_spec_does_not_require_it(spec: Spec) -> None:
    findings = run(in_prod(spec), states(spec, "dev", **{REWARDS: {"stream": None}}), "dev")
    assert not [f for f in findings if f.rule_id == "TS-STREAM-001"]
    assert not [f for f in run(spec, states(spec, **{REWARDS: {"stream": "KEYS_ONLY"}}))
                if f.rule_id == "TS-STREAM-001"]
