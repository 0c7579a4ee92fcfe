"""A small structural validator for YAML data that reports every problem with its line."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checker.errors import RunError
from checker.specfile.limits import MAX_SHOWN, brief, closest, key_text, kind_of, number_text
from checker.specfile.yamlread import LineDict, LineList

_MESSAGE = 300  # a message longer than this is cut: it names values, never dumps them


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, at a line."""

    line: int | None
    path: str
    message: str

    def render(self, file: str) -> str:
        """`file:line: path: message`."""
        where = f"{file}:{self.line}" if self.line else file
        message = self.message[:_MESSAGE] + ("..." if len(self.message) > _MESSAGE else "")
        return f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"


def refuse(problems: list[Problem], file: str) -> RunError:
    """The error for *problems*: the first on its line, the count, up to MAX_SHOWN listed."""
    lines = [p.render(file) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"{file}: {len(problems) - MAX_SHOWN} more problem(s) not listed")
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return RunError(lines[0] + more, details=lines, more=lines[1:])


def _sub(path: str, key: Any) -> str:
    """The path of *key* under *path*."""
    return f"{path}.{key_text(key)}" if path else key_text(key)


def _too_many(count: int, most: int, why: str) -> str:
    return f"{count} entries: at most {most}" + (f" ({why})" if why else "")


class Shape:
    """Base of all shapes: check *value* and append problems."""

    label = "value"

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The same constraints as JSON Schema, for editors (test functions are not carried)."""
        raise NotImplementedError


@dataclass
class Scalar(Shape):
    """A string, integer, number or boolean, optionally constrained.

    A number is finite; *minimum* and *maximum* bound it (*why* says what the bounds mean);
    *schema* adds JSON Schema keywords for what *test* checks.
    """

    kind: type | tuple[type, ...]
    label: str = "value"
    choices: tuple[Any, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    test: Callable[[Any], str | None] | None = None
    maximum: float | None = None
    why: str = ""
    schema: dict[str, Any] = field(default_factory=dict)

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            out.append(Problem(line, path, f"expected {self.label}, got {kind_of(value)}"))
            return
        problem = self.problem(value)
        if problem:
            out.append(Problem(line, path, problem))

    def problem(self, value: Any) -> str | None:
        """What is wrong with *value*, of the right type; None when nothing is."""
        if self.choices and value not in self.choices:
            options = ", ".join(str(c) for c in self.choices)
            return f"{brief(value)} is not one of: {options}"
        if self.pattern and not re.fullmatch(self.pattern, str(value)):
            return f"{brief(value)} does not match {self.label}"
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, got {brief(value)}"
        low, high = self.minimum, self.maximum
        if number and ((low is not None and value < low) or (high is not None and value > high)):
            if low is not None and high is not None:
                bounds = f"between {number_text(low)} and {number_text(high)}"
            else:
                bounds = f"at least {number_text(low)}" if low is not None else (
                    f"at most {number_text(high or 0)}")
            why = f" ({self.why})" if self.why else ""
            return f"must be {bounds}{why}, got {brief(value)}"
        return self.test(value) if self.test else None

    def json_schema(self) -> dict[str, Any]:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        names = {str: "string", int: "integer", float: "number", bool: "boolean"}
        types = sorted({names.get(k, "string") for k in kinds})
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if self.choices:
            out["enum"] = list(self.choices)
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})$"
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return {**out, **self.schema}


@dataclass
class Seq(Shape):
    """A list whose items all have one shape."""

    item: Shape
    label: str = "a list"
    min_items: int = 0
    unique: bool = False
    max_items: int | None = None
    why: str = ""  # what max_items means

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        if not isinstance(value, list):
            out.append(Problem(line, path, f"expected {self.label}, got {kind_of(value)}"))
            return
        if len(value) < self.min_items:
            out.append(Problem(line, path, f"needs at least {self.min_items} item(s)"))
        if self.max_items is not None and len(value) > self.max_items:
            out.append(Problem(line, path, _too_many(len(value), self.max_items, self.why)))
            return
        lines = value.item_lines if isinstance(value, LineList) else [line] * len(value)
        seen: set[Any] = set()
        for i, item in enumerate(value):
            self.item.check(item, f"{path}[{i}]", lines[i], out)
            if self.unique and isinstance(item, str | int):
                if item in seen:
                    out.append(Problem(lines[i], f"{path}[{i}]",
                                       f"{brief(item)} is listed twice"))
                seen.add(item)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        if self.unique:
            out["uniqueItems"] = True
        return out


@dataclass
class Obj(Shape):
    """A mapping with known keys; unknown keys are errors."""

    required: dict[str, Shape] = field(default_factory=dict)
    optional: dict[str, Shape] = field(default_factory=dict)
    label: str = "a mapping"
    # Across keys, once each is right: (the key to report at, what is wrong), or None.
    test: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(line, path, f"expected {self.label}, got {kind_of(value)}"))
            return
        before = len(out)
        lines = value.key_lines if isinstance(value, LineDict) else {}
        known = {**self.required, **self.optional}
        for key, item in value.items():
            sub = _sub(path, key)
            key_line = lines.get(key, line)
            if key not in known:
                hint = closest(str(key), list(known))
                more = f" (did you mean {hint!r}?)" if hint else ""
                allowed = ", ".join(sorted(known))
                out.append(Problem(key_line, sub, f"unknown key{more}; allowed: {allowed}"))
                continue
            known[key].check(item, sub, key_line, out)
        for key in self.required:
            if key not in value:
                out.append(Problem(line, path, f"missing required key {key!r}"))
        if self.test and len(out) == before and (wrong := self.test(value)):
            out.append(Problem(lines.get(wrong[0], line), _sub(path, wrong[0]), wrong[1]))

    def json_schema(self) -> dict[str, Any]:
        props = {k: v.json_schema() for k, v in {**self.required, **self.optional}.items()}
        out: dict[str, Any] = {"type": "object", "properties": props,
                               "additionalProperties": False}
        if self.required:
            out["required"] = list(self.required)
        return out


@dataclass
class MapOf(Shape):
    """A mapping from free-form names to values of one shape."""

    value: Shape
    key_pattern: str = r".+"
    key_label: str = "name"
    label: str = "a mapping"
    min_items: int = 0
    max_items: int | None = None
    why: str = ""  # what max_items means

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(line, path, f"expected {self.label}, got {kind_of(value)}"))
            return
        if len(value) < self.min_items:
            out.append(Problem(line, path, f"needs at least {self.min_items} entry"))
        if self.max_items is not None and len(value) > self.max_items:
            out.append(Problem(line, path, _too_many(len(value), self.max_items, self.why)))
            return
        lines = value.key_lines if isinstance(value, LineDict) else {}
        for key, item in value.items():
            sub = _sub(path, key)
            key_line = lines.get(key, line)
            if not isinstance(key, str) or not re.fullmatch(self.key_pattern, key):
                out.append(Problem(key_line, sub,
                                   f"{brief(key)} is not a valid {self.key_label}"))
                continue
            self.value.check(item, sub, key_line, out)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{self.key_pattern})$"},
            "additionalProperties": self.value.json_schema(),
        }
        if self.min_items:
            out["minProperties"] = self.min_items
        if self.max_items is not None:
            out["maxProperties"] = self.max_items
        return out


@dataclass
class Either(Shape):
    """The first shape whose top-level type fits decides; otherwise a type error."""

    options: tuple[tuple[Callable[[Any], bool], Shape], ...]
    label: str = "value"

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        for fits, shape in self.options:
            if fits(value):
                shape.check(value, path, line, out)
                return
        out.append(Problem(line, path, f"expected {self.label}, got {kind_of(value)}"))

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [shape.json_schema() for _, shape in self.options]}


@dataclass
class Doc(Shape):
    """A key's shape with its documentation: what it means, its default, an example.

    The JSON Schema carries them (editors show them) and docs/spec.md is written from them.
    """

    shape: Shape
    text: str
    default: Any = None
    example: Any = None
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = self.shape.label

    def check(self, value: Any, path: str, line: int | None, out: list[Problem]) -> None:
        self.shape.check(value, path, line, out)

    def json_schema(self) -> dict[str, Any]:
        out = {**self.shape.json_schema(), "description": self.text}
        if self.default is not None:
            out["default"] = self.default
        if self.example is not None:
            out["examples"] = [self.example]
        return out


def validate(value: Any, shape: Shape) -> list[Problem]:
    """All problems of *value* against *shape*, in document order."""
    out: list[Problem] = []
    line = value.line if isinstance(value, LineDict | LineList) else None
    shape.check(value, "", line, out)
    return sorted(out, key=lambda p: (p.line or 0, p.path))
