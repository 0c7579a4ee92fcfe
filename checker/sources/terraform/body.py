"""What every Terraform reader hands the one reading: a resource instance, or a block of it.

A reader (plan JSON, evaluated source, Checkov's `conf`) knows its own format and nothing
of what a setting means. It answers two questions about a body:

- `value(name)`: the attribute as the source holds it: JSON-shaped (None when null or not
  set, so the provider default applies), or an `Unknown` saying why it is not known, what
  it is (`origin`: an `aws_kms_key`'s `arn`) or what it can only be (`possible`);
- `blocks(name)`: the nested blocks of that type: a list (empty when none are written), or
  an `Unknown` when which blocks there are is not known (a `dynamic` block decided at
  apply, a block the plan shows only after apply).

`where` names the body in messages: the resource address, then the block path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from checker.unknown import Unknown, invalid


class Body(Protocol):
    """One resource instance or nested block, as a reader sees it."""

    @property
    def where(self) -> str:
        """The address (and block path) to name in messages."""
        ...

    def value(self, name: str) -> object:
        """Attribute *name*: a JSON-shaped value, None (null or not set), or an Unknown."""
        ...

    def blocks(self, name: str) -> Sequence[Body] | Unknown:
        """The nested blocks of type *name*: a list, or an Unknown."""
        ...


def at(body: Body, name: str) -> str:
    """`address.name` (or `address: block.name`) for a message."""
    return f"{body.where}.{name}"


def once(body: Body, name: str) -> Sequence[Body] | Unknown:
    """The blocks of a type Terraform allows at most once: more than one is invalid."""
    found = body.blocks(name)
    if not isinstance(found, Unknown) and len(found) > 1:
        return invalid(f"{at(body, name)} is written {len(found)} times; Terraform allows one")
    return found


def _knows_more(found: object, than: Unknown) -> bool:
    """True when *found* says more than the Unknown *than*: it is known, or says what the
    value is (`origin`), can only be (`possible`) or holds (`decoded`) where *than* does
    not."""
    if not isinstance(found, Unknown):
        return True
    return any(getattr(found, k) is not None and getattr(than, k) is None
               for k in ("origin", "possible", "decoded"))


class Layered:
    """A body read from a plan, completed by the same body read from source: where the
    plan does not know a value, the source may (the plan's own values always stand).

    A block list the plan does not know is taken from the source only when the source
    writes no such block, or a `dynamic` one whose `for_each` is known to be empty: that is
    the provider default the plan cannot tell from a block decided at apply.
    """

    __slots__ = ("_plan", "_source", "where")

    def __init__(self, plan: Body, source: Body) -> None:
        self._plan = plan
        self._source = source
        self.where = plan.where

    def value(self, name: str) -> object:
        """The plan's value, or the source's where it says more."""
        found = self._plan.value(name)
        if not isinstance(found, Unknown):
            return found
        other = self._source.value(name)
        return other if _knows_more(other, found) else found

    def blocks(self, name: str) -> Sequence[Body] | Unknown:
        """The plan's blocks, each completed by the source's block at its place."""
        found = self._plan.blocks(name)
        other = self._source.blocks(name)
        if isinstance(found, Unknown):  # the source's answer, when it has one, says more
            return other if isinstance(other, Unknown) or not other else found
        if isinstance(other, Unknown) or len(other) != len(found) or len(found) > 1:
            return found
        return [Layered(p, s) for p, s in zip(found, other, strict=True)]
