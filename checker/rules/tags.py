"""tags: the spec's required tags are present and non-empty."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, failed, passed, unknown
from checker.unknown import Unknown


def _required(s: Subject) -> list[Verdict]:
    want = s.table.required_tags
    expected = ", ".join(want) or "none required"
    tags = s.state.tags
    actual = "unknown" if isinstance(tags, Unknown) else (", ".join(sorted(tags)) or "no tags")
    if not want:  # whatever the tags turn out to be
        return [passed("no tags required", expected, actual, "tags")]
    if isinstance(tags, Unknown):
        return [unknown(tags, expected, "tags")]
    # A tag known to be absent or empty fails, whatever the tags not yet known turn out to be.
    missing = [t for t in want if not isinstance(tags.get(t), Unknown) and not tags.get(t)]
    if missing:
        return [failed(f"missing tag(s) {', '.join(missing)}", expected, actual,
                       f"tags.{missing[0]}")]
    later = next((t for t in want if isinstance(tags.get(t), Unknown)), None)
    if later is not None:
        value = tags[later]
        assert isinstance(value, Unknown)
        return [unknown(value, expected, f"tags.{later}")]
    return [passed("required tags present", expected, actual, "tags")]


REQUIRED_TAGS = Rule(
    id="TS-TAG-001", check="tags", severity=Severity.LOW,
    title="Required tags are present",
    why="Tags carry ownership and cost allocation; an untagged table has no owner to page.",
    fix="Add the missing tags (Tags; the provider's default_tags count).",
    example='tags = {\n  Project     = "hypermage-vr"\n  Environment = "prod"\n'
    '  Owner       = "DevOps Team"\n  CostCenter  = "Production"\n}',
    evaluate=_required,
)

RULES = [REQUIRED_TAGS]
