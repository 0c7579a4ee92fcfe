"""streams: a stream where the spec requires one (of its view type), none where it forbids."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed
from checker.specfile.model import StreamsPolicy, TableSpec

FIELD = "stream_enabled"
VIEW_FIELD = "stream_view_type"


def _judged(table: TableSpec, environment: str) -> bool:
    streams = table.streams
    return streams is False or (
        isinstance(streams, StreamsPolicy) and environment in streams.required_in)


def _stream(s: Subject) -> list[Verdict]:
    policy = s.table.streams
    if policy is False:
        def none(view: str | None) -> Verdict:
            if view is not None:
                return failed(f"the table has a stream ({view}); the spec says it has none: "
                              "set stream_enabled = false", "no stream", view, FIELD)
            return passed("the table has no stream", "no stream", "none", FIELD)

        return [decide(s.state.stream, none, "no stream", FIELD)]
    assert isinstance(policy, StreamsPolicy)
    wanted = policy.view_type or "a stream"

    def one(view: str | None) -> Verdict:
        if view is None:
            return failed(f"the table has no stream in {s.environment}; set stream_enabled = "
                          f"true (stream_view_type = {policy.view_type or 'NEW_AND_OLD_IMAGES'})",
                          wanted, "none", FIELD)
        if policy.view_type is not None and view != policy.view_type:
            return failed(f"the stream's view type is {view}, not {policy.view_type}",
                          policy.view_type, view, VIEW_FIELD)
        return passed(f"the table has a stream ({view})", wanted, view, FIELD)

    return [decide(s.state.stream, one, wanted, FIELD)]


STREAMS = Rule(
    id="TS-STREAM-001",
    check="streams",
    severity=Severity.MEDIUM,
    title="The table has a stream where the spec requires one, and none where it forbids",
    why="Consumers (replication, search indexing, audit trails) read the table's changes from "
    "its stream, in the view type they were built for; a stream where none is wanted sends "
    "every change to whoever may read it.",
    fix="Set stream_enabled and stream_view_type as the spec says (StreamSpecification).",
    example='stream_enabled   = true\nstream_view_type = "NEW_AND_OLD_IMAGES"',
    evaluate=_stream,
    applies=_judged,
)

RULES = [STREAMS]
