"""What CloudFormation's functions call back into as they evaluate their arguments.

Conditions, mappings and texts evaluate the nodes they are given through the `Calls` their
inputs are bound to, and `intrinsics` (whose functions those are) binds its own: so neither
imports the other. Inputs not yet bound say so instead of evaluating.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, Protocol

if TYPE_CHECKING:
    from checker.sources.cfn.parameters import Inputs
    from checker.unknown import Unknown


class Calls(Protocol):
    """The evaluator of one template's functions (`intrinsics.CALLS`)."""

    def evaluate_at(self, node: object, inp: Inputs, line: int | None) -> object:
        """The value of *node*, written at *line* unless it knows its own."""
        ...

    def ref(self, arg: Any, inp: Inputs, line: int | None) -> object:
        """Ref *arg*."""
        ...

    def getatt(self, arg: Any, inp: Inputs, line: int | None) -> object:
        """Fn::GetAtt *arg*."""
        ...

    def args_of(self, arg: Any, inp: Inputs, line: int | None, name: str, shape: str
                ) -> list[Any] | Unknown:
        """The arguments of function *name*, a list of *shape*, evaluated."""
        ...


class _Unbound:
    """Inputs bound to no evaluator yet: build them with `calls=intrinsics.CALLS`, or
    evaluate through `intrinsics.evaluate`, which binds it."""

    def _refuse(self, *_: object) -> NoReturn:
        raise RuntimeError(f"CloudFormation inputs bound to no evaluator: {self.__doc__}")

    evaluate_at = ref = getatt = args_of = _refuse


UNBOUND: Calls = _Unbound()
