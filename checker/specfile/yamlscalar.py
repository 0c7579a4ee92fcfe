"""The scalars of the YAML reader (`checker.specfile.yamlread`): each event's value typed as
PyYAML's safe resolver and constructors type it, within the reader's `Dialect`; and the
error the reader raises at a line."""

from __future__ import annotations

from typing import Any

import yaml

from checker.specfile.limits import MAX_NUMBER_CHARS, brief
from checker.specfile.yamltypes import Dialect

TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ, MERGE = TAG + "str", TAG + "map", TAG + "seq", TAG + "merge"
_INT, _DATE = TAG + "int", TAG + "timestamp"
_KINDS = {TAG + "int": "an integer", TAG + "float": "a number", TAG + "bool": "a boolean",
          TAG + "null": "null", TAG + "timestamp": "a date (YYYY-MM-DD; quote text)"}


class Located(Exception):
    """A problem of the file at *line*."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Scalars:
    """Types the scalars of one document as *dialect* reads them."""

    def __init__(self, loader: yaml.SafeLoader, dialect: Dialect) -> None:
        self.loader = loader
        self.d = dialect
        self.plain: dict[str, str] = {}  # the tag of each plain scalar's text, once resolved

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag PyYAML's resolver gives an untagged node."""
        tag: str = self.loader.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag

    def tag_error(self, tag: str, line: int) -> Located:
        """The refusal of *tag*: a local one the Dialect does not build, or a YAML one."""
        shown = brief(tag.replace(TAG, "!!"), 60).strip("'")
        if self.d.tags and not tag.startswith(TAG):
            return Located(line, f"unknown tag {shown}")
        return Located(line, f"YAML tag {shown} is not allowed: {self.d.plain}")

    def no_alias(self, what: str, line: int) -> None:
        """Refuse *what* (an alias or a merge) when the Dialect does."""
        if self.d.no_aliases:
            raise Located(line, f"{what} is not allowed: {self.d.no_aliases}")

    def value(self, event: yaml.ScalarEvent, line: int) -> tuple[Any, bool]:
        """The scalar's value (its text under a Dialect tag), and whether it is `<<`."""
        given = event.tag
        if given in self.d.tags:
            return event.value, False
        implicit = given is None or given == "!"
        if not implicit:
            tag = str(given)
        elif not event.implicit[0]:  # quoted, or a non-specific `!`: no implicit type
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:  # plain: its type from its text, as the resolver says (once per text)
            tag = self.plain.get(event.value) or self.plain.setdefault(
                event.value, self.resolve(yaml.ScalarNode, event.value, event.implicit))
        if tag == STR or (tag == _DATE and implicit and not self.d.dates):
            return event.value, False
        if tag == MERGE:
            self.no_alias("a `<<` merge", line)
            return "<<", True
        kind = _KINDS.get(tag) if tag != _DATE or self.d.dates else None
        if kind is None:
            raise self.tag_error(tag, line)
        if len(event.value) > MAX_NUMBER_CHARS and kind in ("an integer", "a number"):
            raise Located(line, f"a number of {len(event.value)} characters: at most "
                          f"{MAX_NUMBER_CHARS}")
        text = event.value
        if tag == _INT and text.isascii() and text.isdigit() and text[0] != "0":
            return int(text), False  # the common case, without the constructor
        node = yaml.ScalarNode(tag, text, None, None)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node), False
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
            raise Located(line, f"{brief(event.value)} is not {kind}") from None
