"""Terraform's built-in functions: the registry and how a call is made.

Every function of `terraform metadata functions -json` is here: implemented by one of the
family modules (each a `FUNCTIONS` table of strict functions, called with wholly known
arguments converted to their parameters' types, and maybe a `LENIENT` table of functions
that take their arguments as they are, keeping known parts known; `jsonpartial.PARTIAL`
says what a strict one still knows of arguments known only in part), or unknown by design
(`BY_DESIGN`: the functions whose result depends on the world or on chance). `try` and
`can` evaluate lazily and live in `evaluate`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from checker.sources.hcl import budget
from checker.sources.hcl.functions.jsonpartial import PARTIAL
from checker.sources.hcl.functions.signatures import argument, signatures
from checker.sources.hcl.valuemodel import EvalError, Unknown, deep, find_unknown, number

Strict = Callable[..., object]
Lenient = Callable[[list[object]], object]

BY_DESIGN: dict[str, str] = {
    "timestamp": "the time of the run is not known before it",
    "plantimestamp": "the time of the plan is not known before it",
    "uuid": "a random UUID is not known before it is made",
    "bcrypt": "a bcrypt hash has a random salt",
    "issensitive": "sensitivity comes from provider schemas and variables' declarations",
}
LAZY = frozenset(("try", "can"))  # evaluated by `evaluate`, their arguments unevaluated


@cache
def _family(name: str) -> tuple[Strict | None, Lenient | None]:
    """Function *name*'s implementation (strict, or lenient), its family module imported
    on first use: a run imports only the families its configuration calls."""
    family = signatures()[name].family if name in signatures() else None
    if family is None:
        return None, None
    module = importlib.import_module(f"{__name__}.{family}")
    return module.FUNCTIONS.get(name), getattr(module, "LENIENT", {}).get(name)


def canonical(name: str) -> str:
    """*name* without the `core::` namespace."""
    return name.removeprefix("core::")


def supported(name: str) -> bool:
    """True when *name* is a function this evaluator implements."""
    return _family(canonical(name)) != (None, None)


def by_design(name: str) -> str | None:
    """Why function *name* is unknown by design, or None when it is not."""
    return BY_DESIGN.get(canonical(name))


def known(name: str) -> bool:
    """True when *name* is one of Terraform's built-in functions."""
    return canonical(name) in signatures()


def call(name: str, args: list[object]) -> object:
    """Apply Terraform's function *name* (one of `known`); EvalError where Terraform fails."""
    name = canonical(name)
    sig = signatures()[name]
    problem = sig.arity(len(args))
    if problem is not None:
        raise EvalError(problem)
    if name in BY_DESIGN:
        return Unknown(f"{name}() is not known before apply: {BY_DESIGN[name]}")
    strict, lenient = _family(name)
    if lenient is not None:
        return budget.built(lenient(args))
    for arg in args:
        unknown = find_unknown(arg)
        if unknown is not None:  # what a function of PARTIAL still knows, else nothing
            partial = PARTIAL.get(name)
            return Unknown(unknown.reason) if partial is None else partial(args, unknown)
    values = [argument(deep(arg), sig.param(i)) for i, arg in enumerate(args)]
    try:
        assert strict is not None
        result = strict(*values)
    except EvalError:
        raise
    except (TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        # not one of Terraform's errors but a gap of ours: unknown, so that no try() takes
        # it for a failure and picks another value
        return Unknown(f"{name}() could not be evaluated by tablespec ({type(exc).__name__})")
    return budget.built(number(result) if isinstance(result, float) else result)


__all__ = ["BY_DESIGN", "by_design", "call", "canonical", "known", "supported"]
