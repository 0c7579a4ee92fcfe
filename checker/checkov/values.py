"""Read Checkov's list-wrapped `conf` values, turning anything unresolved into Unknown.

Checkov wraps every value in a list (`["x"]`, `[5]`, `[None]`, `[[]]` for an empty list),
keeps blocks as lists of dicts, and leaves what it cannot evaluate as expression text
(`var.x`, `each.value.name`, `ttl.value`, `${merge(...)}`, or a reference such as
`aws_kms_key.k.arn` copied back into a plan value that is known only after apply).
"""

from __future__ import annotations

import re
from typing import Any, Final

from checker.model import Maybe, Unknown

MISSING: Final = object()  # the key is not in the conf at all
LINE_KEYS: Final = frozenset(
    {"start_line", "end_line", "__start_line__", "__end_line__", "references_"})

_EXPRESSION = re.compile(
    r"""(?:var|local|each|count|module|data|path|terraform|self)\.   # a named root
      | [a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_]                        # resource_type.name
      | [a-z_][a-z0-9_]*\.(?:value|key)\b                           # dynamic iterator
      | [a-z_][a-z0-9_]*\(                                          # function call
      | [\[{]\s*for\s                                               # for expression
      | None$                                                       # a rendered null
      | true_after_unknown$                  # EVAL_TF_PLAN_AFTER_UNKNOWN's stand-in for unknown
    """,
    re.X,
)


def is_expression(text: str) -> bool:
    """True when *text* is Terraform expression text rather than a value."""
    return "${" in text or _EXPRESSION.match(text) is not None


def unwrap(value: Any) -> Any:
    """`[x]` -> x; anything else as it is."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _unresolved(where: str, value: Any) -> Unknown:
    return Unknown(f"{where} is not resolved: {str(value)[:80]}")


def _tag_text(value: Any) -> str | None:
    """A tag value as Terraform stores it (Checkov turns "true" into True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return None


class Reader:
    """Typed access to one conf dict (a resource or one of its blocks).

    *absent* is what a missing key means for a plain attribute: Unknown in a plan (the
    value is decided at apply) or None in HCL (not set).
    """

    __slots__ = ("absent_unknown", "data", "where")

    def __init__(self, data: dict[str, Any], where: str, absent_unknown: bool) -> None:
        self.data = data
        self.where = where
        self.absent_unknown = absent_unknown

    def _get(self, key: str) -> Any:
        value = self.data.get(key, MISSING)
        return value if value is MISSING else unwrap(value)

    def _absent(self, key: str) -> Unknown | None:
        return Unknown(f"{self.where}{key} known after apply") if self.absent_unknown else None

    def text(self, key: str) -> Maybe[str | None]:
        """A string attribute."""
        value = self._get(key)
        if value is MISSING:
            return self._absent(key)
        if value is None:
            return None
        if isinstance(value, str) and not is_expression(value):
            return value
        return _unresolved(f"{self.where}{key}", value)

    def flag(self, key: str) -> Maybe[bool | None]:
        """A boolean attribute ("true"/"false" strings count, as Terraform converts them)."""
        value = self._get(key)
        if value is MISSING:
            return self._absent(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return _unresolved(f"{self.where}{key}", value)

    def number(self, key: str) -> Maybe[int | None]:
        """A whole-number attribute."""
        value = self._get(key)
        if value is MISSING:
            return self._absent(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return _unresolved(f"{self.where}{key}", value)

    def strings(self, key: str) -> Maybe[tuple[str, ...]]:
        """A list of strings (null or not set: empty)."""
        value = self._get(key)
        if value is MISSING:
            return self._absent(key) or ()
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if all(isinstance(v, str) and not is_expression(v) for v in items):
            return tuple(items)
        return _unresolved(f"{self.where}{key}", value)

    def mapping(self, key: str) -> Maybe[dict[str, str]] | None:
        """A map of strings; None when the key is missing; Unknown when any part is."""
        value = self._get(key)
        if value is MISSING:
            return None
        if value is None:
            return {}
        if not isinstance(value, dict):
            return _unresolved(f"{self.where}{key}", value)
        out: dict[str, str] = {}
        for name, raw in value.items():
            if name in LINE_KEYS:
                continue
            item = unwrap(raw)
            if item is None:
                continue
            text = _tag_text(item)
            if text is None or is_expression(text) or is_expression(str(name)):
                return _unresolved(f"{self.where}{key}.{name}", item)
            out[str(name)] = text
        return out

    def blocks(self, key: str) -> list[Reader] | Unknown | None:
        """Nested blocks under *key*; None when the key is missing."""
        value = self.data.get(key, MISSING)
        if value is MISSING:
            return None
        if value in ([None], [[]], []):
            return []
        if isinstance(value, list) and all(isinstance(b, dict) for b in value):
            return [Reader(b, f"{key}[{i}].", self.absent_unknown) for i, b in enumerate(value)]
        return _unresolved(f"{self.where}{key}", value)

    def references(self) -> list[list[str]]:
        """The reference lists Checkov copied from the plan's configuration, per expression."""
        refs = self.data.get("references_")
        if not isinstance(refs, list):
            return []
        return [r for r in refs if isinstance(r, list) and all(isinstance(x, str) for x in r)]
