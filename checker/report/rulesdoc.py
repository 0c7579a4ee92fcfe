"""docs/rules.md, generated from the rule registry (written by `python -m checker.docs`)."""

from __future__ import annotations

from checker.report.common import anchor
from checker.report.sarif import SECURITY_SEVERITY
from checker.rules import RULES, checks

HEADER = """\
# tablespec rules

Generated from the rule registry (`checker/rules/`) by
`python -m checker.docs` (`make docs`); a test fails
when this file is stale. Do not edit by hand.

Each finding has a status: `pass`, `fail`, `unknown` (the source cannot know the
value: decided at apply time, or not readable) or `waived` (an unexpired waiver
covers it).

## Severities

| severity | meaning | SARIF level | SARIF security-severity |
|---|---|---|---|
| critical | data loss or an outage waiting to happen | error | {critical} |
| high | a protection the spec requires is missing | error | {high} |
| medium | a protection is weaker than the spec says | warning | {medium} |
| low | hygiene: ownership, cost, drift from the spec | note | {low} |

`--fail-on SEVERITY` makes only failures of that severity or above fail the
run (exit 1); by default any failure does. In `tablespec audit`, `unknown`
findings fail the run too, unless `--allow-unknown`.

## Rules

| id | check | severity | title |
|---|---|---|---|
"""


def render_rules() -> str:
    """The whole Markdown document."""
    sev = {s.value: v for s, v in SECURITY_SEVERITY.items()}
    families = ", ".join(f"`{c}`" for c in checks())
    out = [HEADER.format(**sev).replace("## Rules\n", f"## Rules\n\nA finding's `check` (in the "
                                        f"JSON report) is its rule's family: {families}.\n")]
    for rule in RULES:
        out.append(f"| [{rule.id}](#{anchor(rule.id)}) | {rule.check} | "
                   f"{rule.severity.value} | {rule.title} |\n")
    for check in checks():
        out.append(f"\n## {check}\n")
        for rule in (r for r in RULES if r.check == check):
            out.append(
                f'\n<a id="{anchor(rule.id)}"></a>\n\n### {rule.id}: {rule.title}\n\n'
                f"- **Family:** {rule.check}\n- **Severity:** {rule.severity.value}\n\n"
                f"**Why.** {rule.why}\n\n**Fix.** {rule.fix}\n\n"
                f"```hcl\n{rule.example}\n```\n"
            )
    return "".join(out)
