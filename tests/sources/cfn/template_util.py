"""Helpers of the template tests: load a text written to a file, or see it refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.errors import RunError
from checker.sources.cfn.template import Template, load_template

TABLE = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"


def load(tmp_path: Path, text: str, name: str = "t.yaml") -> Template:
    """The template *text* written to tmp_path/*name* loads to."""
    path = tmp_path / name
    path.write_text(text)
    return load_template(str(path))


def value_of(tmp_path: Path, yaml_value: str) -> Any:
    """The loaded value of property P written as *yaml_value* (it may span lines)."""
    return load(tmp_path, TABLE + f"      P: {yaml_value}\n").resources["T"]["Properties"]["P"]


def refused(tmp_path: Path, text: str, name: str = "t.yaml") -> str:
    """The one-line message of the RunError loading *text* gives, path included."""
    with pytest.raises(RunError) as caught:
        load(tmp_path, text, name)
    message = caught.value.message
    assert "\n" not in message and message.startswith(str(tmp_path / name)), message
    return message
