"""Terraform's function signatures (`terraform metadata functions -json`, Terraform 1.11),
and how an argument is made the type its parameter declares."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from checker.sources.hcl.valuemodel import EvalError
from checker.sources.hcl.vartypes import ANY, TypeSpec, convert

_FILE = Path(__file__).with_name("signatures.json")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter: its name, its type constraint, whether null is allowed."""

    name: str
    type: TypeSpec
    nullable: bool


@dataclass(frozen=True, slots=True)
class Signature:
    """A function's parameters (the variadic one last, if any)."""

    params: tuple[Param, ...]
    variadic: Param | None
    family: str | None = None  # the module of functions/ that implements it, if one does

    def param(self, i: int) -> Param:
        """The parameter argument *i* is given to."""
        if i < len(self.params):
            return self.params[i]
        assert self.variadic is not None
        return self.variadic

    def arity(self, given: int) -> str | None:
        """Why *given* arguments are not accepted (Terraform's words), or None."""
        if given < len(self.params):
            missing = self.params[given].name
            return f'Not enough function arguments: the argument "{missing}" is required'
        if self.variadic is None and given > len(self.params):
            return f"Too many function arguments: it takes {len(self.params)}"
        return None


def type_spec(raw: object) -> TypeSpec:
    """A metadata type (`"string"`, `["list", "dynamic"]`) as a type constraint."""
    if raw == "dynamic":
        return ANY
    if isinstance(raw, str):
        return TypeSpec(raw)
    assert isinstance(raw, list) and len(raw) == 2
    return TypeSpec(str(raw[0]), elem=type_spec(raw[1]))


def _param(raw: dict[str, object]) -> Param:
    return Param(str(raw["name"]), type_spec(raw["type"]), bool(raw.get("nullable")))


@cache
def signatures() -> dict[str, Signature]:
    """Every function Terraform has, by name."""
    data = json.loads(_FILE.read_text(encoding="utf-8"))
    out: dict[str, Signature] = {}
    for name, raw in data.items():
        variadic = raw.get("variadic")
        out[name] = Signature(tuple(_param(p) for p in raw["params"]),
                              _param(variadic) if variadic else None, raw.get("family"))
    return out


def _no_defaults(expr: object) -> object:
    raise EvalError("no optional() attributes in a function's parameter")


def argument(value: object, param: Param) -> object:
    """*value* (wholly known) converted to *param*'s type; EvalError as Terraform words it."""
    if value is None:
        if param.nullable:
            return None
        raise EvalError(f'Invalid value for "{param.name}" parameter: argument must not be null.')
    try:
        return convert(value, param.type, _no_defaults)
    except EvalError as exc:
        raise EvalError(f'Invalid value for "{param.name}" parameter: {exc}.') from None

