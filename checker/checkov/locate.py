"""Where the policy files are: `checkov --external-checks-dir "$(tablespec checkov-policies)"`."""

from __future__ import annotations

from pathlib import Path


def policies_dir() -> Path:
    """The directory of tablespec's Checkov policy files (shipped in the package)."""
    return Path(__file__).resolve().parent.parent / "policies"
