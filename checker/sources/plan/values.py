"""Read a resource's planned values together with what is unknown until apply."""

from __future__ import annotations

from typing import Any

from checker.model import Unknown

_AFTER_APPLY = "known after apply"


class Values:
    """`after` and `after_unknown` of one object, read together.

    *fresh* is true for an object being created: a block the configuration leaves
    out is then absent from `after` and `true` in `after_unknown`, and means the
    provider default rather than an unknown.
    """

    __slots__ = ("after", "fresh", "unknown", "where")

    def __init__(self, after: Any, unknown: Any, fresh: bool, where: str = "") -> None:
        self.after = after if isinstance(after, dict) else {}
        self.unknown = unknown if isinstance(unknown, dict) else {}
        self.fresh = fresh
        self.where = where

    def get(self, key: str) -> Any:
        """The value of *key*, an Unknown when it is decided at apply, or None."""
        if self.unknown.get(key) is True:
            return Unknown(f"{self.where}{key} {_AFTER_APPLY}")
        return self.after.get(key)

    def get_int(self, key: str) -> int | Unknown | None:
        """*key* as an int (None when null)."""
        value = self.get(key)
        if value is None or isinstance(value, Unknown):
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            return Unknown(f"{self.where}{key} is not a number: {value!r}")

    def blocks(self, key: str) -> list[Values] | Unknown | None:
        """Nested blocks under *key*.

        None means the configuration leaves the block out of a table being created
        (the provider default applies); Unknown means it is decided at apply.
        """
        value = self.after.get(key)
        flag = self.unknown.get(key)
        if value is None:
            if flag is True:
                return None if self.fresh else Unknown(f"{self.where}{key} {_AFTER_APPLY}")
            return []
        if not isinstance(value, list):
            return Unknown(f"{self.where}{key} has an unexpected shape")
        flags = flag if isinstance(flag, list) else []
        return [
            Values(item, flags[i] if i < len(flags) else {}, self.fresh, f"{key}[{i}].")
            for i, item in enumerate(value)
        ]

    def string_map(self, key: str) -> dict[str, str] | Unknown:
        """A map of strings; unknown as a whole when any entry is unknown."""
        value = self.get(key)
        if isinstance(value, Unknown):
            return value
        flags = self.unknown.get(key)
        if isinstance(flags, dict) and any(v is True for v in flags.values()):
            missing = sorted(k for k, v in flags.items() if v is True)
            return Unknown(f"{self.where}{key}.{missing[0]} {_AFTER_APPLY}")
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if v is not None}

    def string_list(self, key: str) -> tuple[str, ...] | Unknown:
        """A list of strings; unknown as a whole when any entry is unknown."""
        value = self.get(key)
        if isinstance(value, Unknown):
            return value
        flags = self.unknown.get(key)
        if isinstance(flags, list) and any(v is True for v in flags):
            return Unknown(f"{self.where}{key} has entries {_AFTER_APPLY}")
        if not isinstance(value, list):
            return ()
        return tuple(str(v) for v in value if v is not None)
