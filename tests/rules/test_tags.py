"""tags: the spec's required tags are present and non-empty."""

from __future__ import annotations

from checker.findings import Status
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
NO_OWNER = {"Project": "p", "Environment": "prod", "CostCenter": "c"}
LATER = Unknown("tags_all known after apply")
ENV_TAG_UNKNOWN = ("unknown", "TS-NAME-002", REWARDS, "tags.Environment")

CASES = [
    Case("TS-TAG-001", PASS, REWARDS, "tags"),
    Case("TS-TAG-001", FAIL, REWARDS, "tags.Owner", {"tags": NO_OWNER}),
    Case("TS-TAG-001", FAIL, REWARDS, "tags.Owner", {"tags": {**NO_OWNER, "Owner": ""}}),
    Case("TS-TAG-001", UNKNOWN, REWARDS, "tags", {"tags": LATER}, also=(ENV_TAG_UNKNOWN,)),
    # nothing required: whatever the tags turn out to be
    Case("TS-TAG-001", PASS, REWARDS, "tags", {"tags": LATER},
         spec=lambda s: with_tables(s, required_tags=()), also=(ENV_TAG_UNKNOWN,)),
    Case("TS-TAG-001", PASS, REWARDS, "tags", {"tags": {}},
         spec=lambda s: with_tables(s, required_tags=())),
]
