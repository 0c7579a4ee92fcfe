"""What each JSON object of a Terraform JSON file is: which properties are blocks, how
the others are read.

JSON cannot tell a nested block from an attribute of object type: Terraform decides with
the schema of the body. The schemas here are Terraform's own (the top-level block types
and their labels, `lifecycle`, `dynamic`, `provisioner`, `connection`...), the nested
blocks of the resource and data source (`DATA_SHAPED`) types tablespec reads
(`schema.SHAPES`), and of the aws provider's configuration (`default_tags`). An object,
or array of objects, under a block name is one or several blocks; under any other name
an attribute.

How an attribute's value is read (`mode`), as Terraform's JSON syntax does:
TEMPLATE   a string is a template (`"${var.x}"` alone is var.x itself)
LITERAL    a value as written, strings not templates (a variable's default, a module source)
REFERENCE  a string is an expression: a reference or keyword (`depends_on`, `provider`,
           `ignore_changes`), or a type (`"list(string)"`)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial

from checker.sources.terraform.schema import SHAPES, Shape

TEMPLATE = "template"
LITERAL = "literal"
REFERENCE = "reference"


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of body: its nested block types (label count, and the kind of their body:
    one, or a function of the labels), how its attributes are read, and which are known."""

    blocks: Mapping[str, tuple[int, Kind | KindOf]] = field(default_factory=dict)
    modes: Mapping[str, str] = field(default_factory=dict)  # attribute -> mode
    attributes: frozenset[str] = frozenset()  # attribute names known (set twice: refused)
    mode: str = TEMPLATE  # how the other attributes are read
    closed: bool = False  # every name that is not a block is an attribute
    dynamic: bool = False  # `dynamic` blocks may be written here


KindOf = Callable[[tuple[str, ...]], Kind]

OPEN = Kind(dynamic=True)  # a body whose schema tablespec does not know
_LITERAL_OPEN = Kind(mode=LITERAL)
_CONDITION = Kind(attributes=frozenset(("condition", "error_message")), closed=True)
_CONNECTION = Kind()
_LIFECYCLE = Kind(
    {"precondition": (0, _CONDITION), "postcondition": (0, _CONDITION),
     "action_trigger": (0, Kind(closed=True))},
    {"ignore_changes": REFERENCE, "replace_triggered_by": REFERENCE,
     "create_before_destroy": LITERAL, "prevent_destroy": LITERAL, "destroy": LITERAL},
    closed=True)
_PROVISIONER = Kind({"connection": (0, _CONNECTION)},
                    {"when": REFERENCE, "on_failure": REFERENCE})
_META = {"lifecycle": (0, _LIFECYCLE), "connection": (0, _CONNECTION),
         "provisioner": (1, _PROVISIONER), "_": (0, Kind())}
_META_ATTRIBUTES = frozenset(("count", "for_each", "provider", "depends_on"))
_META_MODES = {"provider": REFERENCE, "depends_on": REFERENCE}

# The aws provider configuration's nested block types (hashicorp/aws 5.x)
PROVIDER_BLOCKS: dict[str, tuple[str, ...]] = {
    "aws": ("assume_role", "assume_role_with_web_identity", "default_tags", "endpoints",
            "ignore_tags"),
}


def _shape_kind(shape: Shape, meta: bool) -> Kind:
    """The kind of a resource body (*meta*: with its meta-arguments) or nested block."""
    blocks: dict[str, tuple[int, Kind | KindOf]] = {
        name: (0, _shape_kind(inner, False)) for name, inner in shape.blocks.items()}
    if not meta:
        return Kind(blocks, attributes=frozenset(shape.attributes), dynamic=True)
    return Kind({**_META, **blocks}, _META_MODES,
                frozenset(shape.attributes) | _META_ATTRIBUTES, dynamic=True)


@lru_cache(maxsize=64)
def _resource_of(rtype: str) -> Kind:
    """The kind of a `resource` body of type *rtype*."""
    return _shape_kind(SHAPES.get(rtype, Shape({})), True)


def _resource(labels: tuple[str, ...]) -> Kind:
    """The kind of a `resource` block with *labels* (type, name)."""
    return _resource_of(labels[0])


_DATA = Kind({"lifecycle": (0, _LIFECYCLE), "_": (0, Kind())}, _META_MODES, _META_ATTRIBUTES,
             dynamic=True)
DATA_SHAPED = frozenset(("aws_iam_policy_document",))  # data sources whose blocks are read


@lru_cache(maxsize=8)
def _data_of(dtype: str) -> Kind:
    """The kind of a `data` body of type *dtype*: its nested blocks those of its shape."""
    if dtype not in DATA_SHAPED:
        return _DATA
    shape = _shape_kind(SHAPES[dtype], False)
    return Kind({**_DATA.blocks, **shape.blocks}, _META_MODES,
                shape.attributes | _META_ATTRIBUTES, dynamic=True)


def _data(labels: tuple[str, ...]) -> Kind:
    """The kind of a `data` block with *labels* (type, name)."""
    return _data_of(labels[0])


def _provider(labels: tuple[str, ...]) -> Kind:
    """The kind of a `provider` block named *labels[0]*."""
    names = PROVIDER_BLOCKS.get(labels[0], ())
    return Kind({n: (0, OPEN) for n in names}, {"alias": LITERAL, "version": LITERAL},
                frozenset(("alias", "version")), dynamic=True)


_TERRAFORM = Kind(
    {"backend": (1, _LITERAL_OPEN), "cloud": (0, _LITERAL_OPEN),
     "required_providers": (0, _LITERAL_OPEN), "provider_meta": (1, _LITERAL_OPEN),
     "state_store": (1, _LITERAL_OPEN)},
    mode=LITERAL, closed=True)
_VARIABLE = Kind({"validation": (0, _CONDITION)}, {"type": REFERENCE}, mode=LITERAL,
                 closed=True)
_OUTPUT = Kind({"precondition": (0, _CONDITION)},
               {"description": LITERAL, "sensitive": LITERAL, "ephemeral": LITERAL,
                "depends_on": REFERENCE}, closed=True)
_MODULE = Kind(modes={"source": LITERAL, "version": LITERAL, "providers": REFERENCE,
                      "depends_on": REFERENCE}, closed=True)
_MOVED = Kind(modes={"from": REFERENCE, "to": REFERENCE}, closed=True)
_REMOVED = Kind({"lifecycle": (0, Kind(modes={"destroy": LITERAL}, closed=True)),
                 "provisioner": (1, _PROVISIONER), "connection": (0, _CONNECTION)},
                {"from": REFERENCE}, closed=True)
_IMPORT = Kind(modes={"to": REFERENCE, "provider": REFERENCE}, closed=True)
_CHECK = Kind({"data": (2, _data), "assert": (0, _CONDITION)}, closed=True)

FILE = Kind(
    {"terraform": (0, _TERRAFORM), "required_providers": (0, _LITERAL_OPEN),
     "provider": (1, _provider), "variable": (1, _VARIABLE), "locals": (0, Kind(closed=True)),
     "output": (1, _OUTPUT), "module": (1, _MODULE), "resource": (2, _resource),
     "data": (2, _data), "ephemeral": (2, _DATA), "action": (2, OPEN), "moved": (0, _MOVED),
     "removed": (0, _REMOVED), "import": (0, _IMPORT), "check": (1, _CHECK)},
    closed=True)


def _dynamic(parent: Kind, labels: tuple[str, ...]) -> Kind:
    """The kind of a `dynamic "TYPE"` block in a *parent* body: its `content` is a TYPE
    block's body."""
    found = parent.blocks.get(labels[0])
    inner = found[1] if found is not None and found[0] == 0 else OPEN
    content = inner if isinstance(inner, Kind) else OPEN
    return Kind({"content": (0, content)}, {"iterator": REFERENCE},
                frozenset(("for_each", "iterator", "labels")), closed=True)


def nested(kind: Kind, name: str) -> tuple[int, Kind | KindOf] | None:
    """(label count, kind) of the block type *name* in a *kind* body; None when *name*
    is not a block type there."""
    found = kind.blocks.get(name)
    if found is None and name == "dynamic" and kind.dynamic:
        return 1, partial(_dynamic, kind)
    return found
