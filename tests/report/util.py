"""What the report tests share: the committed plans and a waivers file."""

from __future__ import annotations

from pathlib import Path

DRIFT = "checker/data/demo-drift.plan.json"


def write_waiver(tmp_path: Path, rule: str, expires: str = "2999-12-31",
                 table: str = "player-rewards") -> Path:
    """A waivers file with one waiver of *rule* on *table* (alice@example.com, migration)."""
    path = tmp_path / f"waivers-{rule}-{expires}.yaml"
    path.write_text(f"waivers:\n  - table: {table}\n    rule: {rule}\n    reason: migration\n"
                    f"    owner: alice@example.com\n    expires: {expires}\n")
    return path
