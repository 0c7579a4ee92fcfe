"""YAML text with comments: scalars quoted only where YAML would misread them, and a writer
of lines and wrapped comments."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence

import yaml

from checker.drafter.common import Notes
from checker.drafter.settle import KeyVal

WIDTH = 99
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_RESOLVER = yaml.resolver.Resolver()  # what a plain scalar reads as: a string, or true, 1.5...
_STR = "tag:yaml.org,2002:str"


def _reads_as_string(text: str) -> bool:
    """True when YAML reads *text*, written plain, back as that string (not true, 1.5...)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR)


def scalar(value: object) -> str:
    """A YAML scalar: plain where YAML reads it back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)  # YAML 1.1 reads 1e-05 as a string, 1.0e-05 as a number
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    text = str(value)
    if _PLAIN.fullmatch(text) and _reads_as_string(text):
        return text
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def flow_list(items: Sequence[object]) -> str:
    """`[a, b]`."""
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def flow_key(key: KeyVal | None) -> str:
    """`{name: x, type: S}`; a placeholder when the key is not known."""
    name, typ = key or ("TODO", "S")
    return f"{{name: {scalar(name)}, type: {scalar(typ)}}}"


class Writer:
    """Lines of YAML and comments."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.lines: list[str] = []
        self.used: set[str] = set()

    def comment(self, indent: int, text: str) -> None:
        """*text* as comment lines, wrapped."""
        pad = " " * indent
        for part in textwrap.wrap(text, WIDTH - indent - 2, break_long_words=False,
                                  break_on_hyphens=False) or [""]:
            self.lines.append(f"{pad}# {part}".rstrip())

    def noted(self, indent: int, path: str) -> None:
        """The notes at *path*, once."""
        self.used.add(path)
        for text in self.notes.at(path):
            self.comment(indent, text)

    def line(self, indent: int, text: str) -> None:
        """One line of YAML."""
        self.lines.append(" " * indent + text)

    def blank(self) -> None:
        """An empty line."""
        self.lines.append("")
