"""CloudFormation's YAML short forms built as the long forms a JSON template writes.

`!Ref X` is {"Ref": "X"}, `!Condition X` {"Condition": "X"}, `!GetAtt a.b` (split at the
first dot) or `!GetAtt [a, b]` {"Fn::GetAtt": ["a", "b"]}, and every other documented
function `!Name v` is {"Fn::Name": v}, whether v is a scalar (its text), a list or a
mapping. Each long form is a LineDict whose line, and its key's line, is the tag's line,
so a finding can point at it. A tag that is none of these is refused by the reader.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from checker.specfile.limits import brief
from checker.specfile.yamlread import LineDict, LineList, TagBuilder, TagError

# The intrinsic functions (template reference: "Intrinsic function reference") and the
# rule functions of the Rules section whose `Fn::Name` has the short form `!Name`.
FUNCTIONS = (
    "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "GetStackOutput", "If",
    "ImportValue", "Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString",
    "Transform",
    # rule functions
    "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
)


def long_form(key: str, value: Any, line: int) -> LineDict:
    """{key: value} as a LineDict at *line*, its key at *line* too."""
    out = LineDict({key: value})
    out.line, out.key_lines = line, {key: line}
    return out


def _getatt(value: Any, line: int) -> LineDict:
    """{"Fn::GetAtt": [resource, attribute]} from `a.b` (split at the first dot) or a list."""
    if isinstance(value, str):
        resource, dot, attribute = value.partition(".")
        if not (resource and dot and attribute):
            raise TagError(f"!GetAtt {brief(value)} is not Resource.Attribute")
        parts = LineList([resource, attribute])
        parts.line, parts.item_lines = line, [line, line]
        value = parts
    elif not isinstance(value, list):
        raise TagError("!GetAtt takes Resource.Attribute or [Resource, Attribute], "
                       "not a mapping")
    return long_form("Fn::GetAtt", value, line)


SHORT_FORMS: dict[str, TagBuilder] = {
    "!Ref": partial(long_form, "Ref"),
    "!Condition": partial(long_form, "Condition"),
    "!GetAtt": _getatt,
    **{f"!{name}": partial(long_form, f"Fn::{name}") for name in FUNCTIONS},
}
