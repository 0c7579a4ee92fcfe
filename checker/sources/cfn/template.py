"""A CloudFormation template, JSON or YAML, read with the line of every value.

`load_template` tells JSON from YAML by content (a document whose first character after
whitespace is `{` is JSON), not by extension: `.json`, `.yaml`, `.yml`, `.template` and
`.txt` all hold either. YAML is read by the project's bounded reader (checker.specfile.yamlread)
in the CloudFormation dialect: the short forms (`!Ref`, `!GetAtt`, `!Sub`...) become their
long forms; an unknown `!Tag` is refused, and so are aliases and `<<` merges, which
CloudFormation does not support (no alias bomb, then; an anchor alone does nothing and is
let be); an unquoted date stays text, as CloudFormation reads `AWSTemplateFormatVersion:
2010-09-09`. JSON is read by `jsonlines`. Both give LineDict/LineList, so
`Template.line_of` can point at any key or item; both refuse duplicate keys and stay
within the bounds below. Every problem is a RunError of one line naming the file and,
where there is one, the line.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

from checker.errors import RunError, located
from checker.sources.cfn.jsonlines import read_json
from checker.sources.cfn.shortforms import SHORT_FORMS
from checker.specfile.limits import brief, kind_of
from checker.specfile.yamlread import Dialect, LineDict, LineList, read_yaml
from checker.specfile.yamltypes import lined

# CloudFormation takes at most 1 MB from S3 (51,200 bytes inline); the bounds leave room
# for what tools write before they minify, and stop anything that would take seconds.
MAX_BYTES = 8 * 1024 * 1024
MAX_VALUES = 1_000_000  # every scalar (keys included), mapping and list
MAX_DEPTH = 64  # nesting of mappings and lists, long forms included (CDK output nests deep)
SECTIONS = ("Parameters", "Mappings", "Conditions", "Outputs")  # mappings when present
FOR_EACH = "Fn::ForEach::"  # a loop of the LanguageExtensions transform, not a resource

TEMPLATE = Dialect(
    noun="a template", plain="CloudFormation does not support it",
    max_bytes=MAX_BYTES, max_values=MAX_VALUES, max_alias_values=0, max_depth=MAX_DEPTH,
    depth_hint="", tags=SHORT_FORMS, dates=False,
    no_aliases="CloudFormation does not support YAML aliases or `<<` merges",
)

_JSON = re.compile(r"\ufeff?[ \t\r\n]*\{")


@dataclass(frozen=True)
class Template:
    """A template read whole: its file, format ("json" or "yaml") and top-level mapping."""

    path: str
    data: LineDict
    format: str
    # False when the text cannot hold a Fn::ForEach loop (no "ForEach", and no escape that
    # could spell it): a cheap test that spares walking the whole template for one
    may_loop: bool = True

    @cached_property
    def resources(self) -> LineDict:
        """Logical id -> the resource (Type, Properties, Condition, DependsOn, Metadata...),
        keeping lines; `Fn::ForEach::` loops are left out (they stay in data["Resources"])."""
        section: LineDict = self.data["Resources"]
        if not any(name.startswith(FOR_EACH) for name in section):
            return section
        return lined(((name, value) for name, value in section.items()
                      if not name.startswith(FOR_EACH)), section)

    @property
    def parameters(self) -> LineDict:
        """The Parameters section (empty when there is none)."""
        return self.section("Parameters")

    @property
    def conditions(self) -> LineDict:
        """The Conditions section (empty when there is none)."""
        return self.section("Conditions")

    @property
    def mappings(self) -> LineDict:
        """The Mappings section (empty when there is none)."""
        return self.section("Mappings")

    @property
    def outputs(self) -> LineDict:
        """The Outputs section (empty when there is none)."""
        return self.section("Outputs")

    @property
    def transform(self) -> Any:
        """The Transform value (a name or a list of them); None when there is none."""
        return self.data.get("Transform")

    def section(self, name: str) -> LineDict:
        """The top-level mapping *name*; an empty one (line 0) when the template has none."""
        found = self.data.get(name)
        return found if isinstance(found, LineDict) else _empty()

    def line_of(self, node: Any, key: Any = None) -> int | None:
        """The line of *node* (a mapping or list of this template), or of its *key* (a
        mapping's key, a list's index); None when not known."""
        return line_of(node, key)


def line_of(node: Any, key: Any = None) -> int | None:
    """The line of *node* or, given *key*, of that key (LineDict) or item (LineList)."""
    if isinstance(node, LineDict):
        line = node.line if key is None else node.key_lines.get(key, 0)
    elif isinstance(node, LineList):
        if key is None:
            line = node.line
        elif isinstance(key, int) and not isinstance(key, bool) and \
                -len(node.item_lines) <= key < len(node.item_lines):
            line = node.item_lines[key]
        else:
            line = 0
    else:
        line = 0
    return line or None


def load_template(path: str, text: str | None = None) -> Template:
    """The template in *text*, or in the file *path* when *text* is None; a RunError naming
    *path* (and the line) when it cannot be read, parsed, is out of bounds or is not a
    CloudFormation template."""
    if text is None:
        text = _read(path)
    elif len(text) > MAX_BYTES:
        raise RunError(located(path, None, _too_large()))
    kind = "json" if _JSON.match(text) else "yaml"
    with _collector_paused():
        data = read_json(path, text, max_values=MAX_VALUES, max_depth=MAX_DEPTH) \
            if kind == "json" else read_yaml(path, text, TEMPLATE)
    return Template(path, _checked(path, data), kind, "ForEach" in text or "\\" in text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a template is built: the readers make
    trees, never cycles (aliases are refused), and a collection pass over the growing
    tree costs about a third of the load of a 1 MB template."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _too_large() -> str:
    """The message for a template past MAX_BYTES."""
    return (f"the template is larger than {MAX_BYTES // (1024 * 1024)} MiB (CloudFormation "
            "takes at most 1 MB); split it")


def _read(path: str) -> str:
    """The UTF-8 text of the file *path*, at most MAX_BYTES."""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RunError(located(path, None, "no such template file")) from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise RunError(located(path, None, f"cannot read the template: {reason}")) from None
    if len(raw) > MAX_BYTES:
        raise RunError(located(path, None, _too_large()))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise RunError(located(path, line, "the template is not UTF-8 text")) from None


def _not_template(path: str, line: int | None, why: str) -> NoReturn:
    """Raise "not a CloudFormation template: *why*" at *path*:*line*."""
    raise RunError(located(path, line, f"not a CloudFormation template: {why}"))


def _checked(path: str, data: Any) -> LineDict:
    """*data* when it has the shape of a template: a mapping with a Resources mapping of
    resources that each have a Type; the sections in SECTIONS mappings when present."""
    if data is None:
        _not_template(path, None, "the file is empty")
    if not isinstance(data, LineDict):
        _not_template(path, line_of(data), f"the top level is {kind_of(data)}, not a mapping")
    if "Resources" not in data:
        _not_template(path, data.line, "it has no Resources section")
    for name in ("Resources", *SECTIONS):
        if name in data and not isinstance(data[name], LineDict):
            _not_template(path, line_of(data, name),
                          f"{name} is {kind_of(data[name])}, not a mapping")
    resources: LineDict = data["Resources"]
    if not resources:
        _not_template(path, line_of(data, "Resources"), "Resources is empty "
                      "(CloudFormation needs at least one resource)")
    check_resources(path, resources)
    return data


def check_resources(path: str, resources: Mapping[Any, Any]) -> None:
    """Raise "not a CloudFormation template" unless every resource (loops aside) is a
    mapping with a Type."""
    for name, resource in resources.items():
        line = line_of(resources, name)
        if not isinstance(name, str):
            _not_template(path, line, f"the resource name {brief(name)} is not text")
        if name.startswith(FOR_EACH):
            continue
        if not isinstance(resource, Mapping):
            _not_template(path, line, f"resource {brief(name)} is {kind_of(resource)}, "
                          "not a mapping")
        if "Type" not in resource:
            _not_template(path, line, f"resource {brief(name)} has no Type")
        if not isinstance(resource["Type"], str):
            _not_template(path, line_of(resource, "Type"), f"the Type of resource "
                          f"{brief(name)} is {kind_of(resource['Type'])}, not text")


def _empty() -> LineDict:
    """An empty mapping at no line: a section the template does not have."""
    out = LineDict()
    out.key_lines = {}
    return out
