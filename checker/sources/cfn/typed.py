"""CloudFormation's property types: a Boolean or a number may be written as text.

CloudFormation converts a property's value to its schema type before the resource sees
it: `"true"`/`"false"` are Booleans, `"5"` is an Integer (a `Ref` to a parameter always
gives text, so `PointInTimeRecoveryEnabled: !Ref EnablePitr` is as common as `true`).
Anything else is `invalid_value`, never taken as on. Strings and lists are read as
`checker.sources.typed` reads them.
"""

from __future__ import annotations

import re

from checker.sources.typed import each_possible, whole, wrong_type
from checker.unknown import Maybe, Unknown

_INTEGER = re.compile(r"[+-]?\d{1,18}")


def flag(value: object, where: str) -> Maybe[bool | None]:
    """A Boolean property (`true`, or the text `"true"`, any case); None when not set."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: flag(v, where))
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return wrong_type(where, value, "a Boolean")


def integer(value: object, where: str) -> Maybe[int | None]:
    """An Integer property (a whole number, or its text); None when not set."""
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: integer(v, where))
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value.strip()):
            return wrong_type(where, value, "an Integer")
        return int(value.strip())
    if isinstance(value, bool):
        return wrong_type(where, value, "an Integer")
    return whole(value, where)
