"""What a plan's `configuration` says of an expression that is a constant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Const:
    """The expression is a constant (possibly null)."""

    value: Any
