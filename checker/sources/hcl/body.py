"""Evaluated resource instances as `Body`s for the one reading of Terraform.

A value is converted to its schema type as Terraform converts it (`"true"` to a bool, `5`
to a string); a value Terraform would refuse is `invalid_value`. Nested blocks come with
their `dynamic` blocks expanded; a `for_each` not known from source makes the list unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from checker.model import Location
from checker.sources.hcl.blocks import nested, syntax_locations
from checker.sources.hcl.bodynodes import Body as Syntax
from checker.sources.hcl.budget import BudgetExceeded
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.numbers import Num
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import EvalError, deep, plain
from checker.sources.hcl.vartypes import ANY, TypeSpec, convert
from checker.sources.terraform.schema import attribute_type
from checker.unknown import Unknown, invalid

if TYPE_CHECKING:
    from checker.sources.hcl.resources import Instance


def _spec(kind: str | tuple[str, str] | None) -> TypeSpec:
    if kind is None:
        return ANY
    if isinstance(kind, str):
        return TypeSpec(kind)
    # A set is read as a list: which elements are the same does not matter to a reading,
    # and a set with an unknown element would be unknown as a whole.
    return TypeSpec("list" if kind[0] == "set" else kind[0], elem=TypeSpec(kind[1]))


def _no_defaults(expr: object) -> object:
    raise EvalError("no optional() attributes in a resource schema")


def as_schema(raw: object, kind: str | tuple[str, str] | None, where: str) -> object:
    """*raw* converted to the schema type *kind* (Terraform's rules), as plain JSON-shaped
    data; an Unknown stays one (its possible values converted too)."""
    value = plain(raw)
    if isinstance(value, Unknown):
        if not value.possible:
            return value
        return value.but(possible=tuple(as_schema(v, kind, where) for v in value.possible))
    try:
        return _json_shaped(deep(convert(value, _spec(kind), _no_defaults)))
    except EvalError as exc:
        return invalid(f"{where}: {exc}")
    except BudgetExceeded as exc:
        return Unknown(exc.at(where).reason)
    except RecursionError:
        return invalid(f"{where} is nested too deeply to read")


def _json_shaped(value: object) -> object:
    """A converted value as the model holds data: a number not whole as a float, lists and
    maps of every kind as plain ones."""
    if isinstance(value, Num):
        return float(value)
    if isinstance(value, list):
        return [_json_shaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_shaped(v) for k, v in value.items()}
    return value


class HclBody:
    """One resource instance, or one of its nested blocks, read from evaluated source."""

    __slots__ = ("_name_unknown", "_path", "_rtype", "_scope", "_syntax", "where")

    def __init__(self, rtype: str, path: tuple[str, ...], syntax: Syntax, scope: Scope,
                 where: str, name_unknown: str | None = None) -> None:
        self._rtype = rtype
        self._path = path
        self._syntax = syntax
        self._scope = scope
        self.where = where
        self._name_unknown = name_unknown  # the instance's key is not known: nor its name

    def value(self, name: str) -> object:
        """Argument *name*, evaluated and converted to its schema type."""
        if name == "name" and self._name_unknown is not None:
            return Unknown(self._name_unknown)
        attr = self._syntax.attributes.get(name)
        if attr is None:
            return None
        where = f"{self.where}.{name} ({attr.file}:{attr.line})"
        return as_schema(resolve(attr.expr, self._scope),
                         attribute_type(self._rtype, self._path, name), where)

    def blocks(self, name: str) -> Sequence[HclBody] | Unknown:
        """The nested blocks of type *name*, dynamic ones expanded."""
        found = nested(self._syntax, name, self._scope)
        if isinstance(found, Unknown):
            return found
        return [HclBody(self._rtype, (*self._path, name), n.body, n.scope,
                        f"{self.where}.{name}[{i}]") for i, n in enumerate(found)]


def instance_body(inst: Instance) -> HclBody:
    """The Body of one resource instance."""
    return HclBody(inst.type, (), inst.block.body, inst.scope, inst.address, inst.unknown)


def _provider_key(inst: Instance) -> str:
    provider = inst.block.body.attributes.get("provider")
    return provider.expr.text if provider is not None else "aws"


def default_tags(inst: Instance) -> object:
    """The default_tags of the provider configuration an instance uses (None: none)."""
    key = _provider_key(inst)
    provider = inst.module.providers.get(key)
    if provider is None:
        return None
    return as_schema(provider.tags.get(), ("map", "string"), f"provider {key} default_tags")


def provider_of(inst: Instance) -> tuple[str | None, str | None]:
    """The provider configuration an instance uses (where it is declared), and its region
    where that is known."""
    provider = inst.module.providers.get(_provider_key(inst))
    if provider is None:
        return None, None
    region = plain(provider.region.get())
    return provider.ident, region if isinstance(region, str) and region else None


_NAMED = {"attribute": "name", "global_secondary_index": "name", "replica": "region_name"}


def field_locations(inst: Instance) -> dict[str, Location]:
    """Where each attribute and block of an instance is written, named blocks (attribute,
    index) by their evaluated names too (`global_secondary_index.PlayerIdIndex`)."""
    out = syntax_locations(inst.block.body)
    for btype, named_by in _NAMED.items():
        found = nested(inst.block.body, btype, inst.scope)
        if isinstance(found, Unknown):
            continue
        for block in found:
            name = plain(block.value(named_by))
            if isinstance(name, str):
                for key, loc in block.locations(f"{btype}.{name}").items():
                    out.setdefault(key, loc)
    return out
