"""A resource's planned values as a `Body`: `after`, `after_unknown` and the configuration.

A value the plan shows is that value. One it holds in `after_unknown` is decided at apply,
unless the configuration says more: an attribute the configuration does not set takes the
provider's default (null here), a constant is that constant, and an expression that is one
resource attribute (an `aws_kms_key`'s `arn`) is an Unknown with that origin.

A block the plan shows only after apply, on a resource being created, is either left out
(the provider fills it in) or a `dynamic` block whose `for_each` is decided at apply; a
plan cannot tell them apart, so it is unknown here, and the source (`--source-dir`)
decides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.sources.plan.const import Const
from checker.unknown import Unknown, invalid

if TYPE_CHECKING:
    from checker.sources.plan.config import PlanConfig


@dataclass(frozen=True)
class Context:
    """What every body of one resource instance shares."""

    config: PlanConfig
    module: str  # the module instance address (`module.a["x"]`), "" for the root
    fresh: bool  # the resource is being created


class PlanBody:
    """One resource instance, or one of its blocks, read from a plan."""

    __slots__ = ("_after", "_ctx", "_exprs", "_unknown", "_whole", "where")

    def __init__(self, after: Any, unknown: Any, where: str, ctx: Context,
                 exprs: dict[str, Any] | None) -> None:
        self._after: dict[str, Any] = after if isinstance(after, dict) else {}
        self._unknown: dict[str, Any] = unknown if isinstance(unknown, dict) else {}
        # flags that are not a mapping: the whole block decided at apply (true), or a plan
        # Terraform did not write (anything else); either way none of its values is known
        self._whole: Unknown | None = (
            None if unknown is None or unknown is False or isinstance(unknown, dict)
            else Unknown(f"{where} is known after apply") if unknown is True
            else invalid(f"{where}: the plan's after_unknown for it is not a mapping of flags"))
        self.where = where
        self._ctx = ctx
        self._exprs = exprs  # the configuration's expressions; None where not static

    def _decided_at_apply(self, name: str) -> Const | Unknown:
        where = f"{self.where}.{name}"
        if self._exprs is None:
            return Unknown(f"{where} is known after apply")
        expr = self._exprs.get(name)
        if expr is None:
            return Const(None)  # not set: the provider's default
        return self._ctx.config.resolve(self._ctx.module, expr, where)

    def value(self, name: str) -> object:
        """The planned value of attribute *name*."""
        if self._whole is not None:
            return self._whole
        flag = self._unknown.get(name)
        if not flag:  # None, false, or nothing inside it unknown: the planned value
            return self._after.get(name)
        if flag is True:
            found = self._decided_at_apply(name)
            return found.value if isinstance(found, Const) else found
        value = self._after.get(name)
        if isinstance(flag, dict) and isinstance(value, dict | None) and any(flag.values()):
            return self._partly(name, dict(value or {}), flag)
        if isinstance(flag, list) and isinstance(value, list | None) and any(flag):
            return self._partly_list(name, list(value or []), flag)
        if isinstance(flag, dict | list) and not _unknown_inside(flag):
            return value  # flags with nothing decided at apply in them
        return invalid(f"{self.where}.{name}: the plan's after_unknown for it does not fit "
                       "its value")

    def _element(self, name: str, key: str) -> Unknown:
        whole = self._decided_at_apply(name)
        reason = f"{self.where}.{name}{key} is known after apply"
        origin = whole.origin if isinstance(whole, Unknown) else None
        return Unknown(reason, origin=origin)

    def _partly(self, name: str, value: dict[str, Any], flags: dict[str, Any]) -> object:
        for key, flag in flags.items():
            if flag is True:
                value[key] = self._element(name, f".{key}")
            elif flag:
                return Unknown(f"{self.where}.{name}.{key} is known after apply")
        return value

    def _partly_list(self, name: str, value: list[Any], flags: list[Any]) -> object:
        for i, flag in enumerate(flags):
            if flag is True and i < len(value):
                value[i] = self._element(name, f"[{i}]")
            elif flag is True:
                value.append(self._element(name, f"[{i}]"))
            elif flag:
                return Unknown(f"{self.where}.{name}[{i}] is known after apply")
        return value

    def blocks(self, name: str) -> Sequence[PlanBody] | Unknown:
        """The planned blocks of type *name*."""
        if self._whole is not None:
            return self._whole
        value = self._after.get(name)
        if value == [] and not self._unknown.get(name):
            return []  # no blocks
        flag = self._unknown.get(name)
        where = f"{self.where}.{name}"
        if flag is True:  # the whole list decided at apply, whatever `after` shows for it
            if not self._ctx.fresh or (self._exprs is not None and self._exprs.get(name)):
                return Unknown(f"{where} is known after apply")
            return Unknown(f"the plan shows no {where} block: one left out (the provider's "
                           "default) and a dynamic one decided at apply look alike in a plan; "
                           "the source decides (--source-dir)")
        if value is None:  # Terraform writes every block type, [] for none
            return Unknown(f"the plan has no {where}: it is not a complete plan")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return invalid(f"{where} is not a list of blocks")
        if flag and not isinstance(flag, list):
            return invalid(f"{where}: the plan's after_unknown for it is not a list of flags")
        flags = flag or []
        # the configuration answers only for what the plan leaves to apply
        static = self._static(name, value) if _unknown_inside(flags) else None
        return [PlanBody(item, flags[i] if i < len(flags) else {}, f"{where}[{i}]", self._ctx,
                         static[i] if static is not None else None)
                for i, item in enumerate(value)]

    def _static(self, name: str, planned: list[dict[str, Any]]
                ) -> list[dict[str, Any] | None] | None:
        """The configuration of each planned block, where the configuration writes those
        blocks statically: in order for one; for several (a set, in the plan's own order),
        each the one written block whose constants it alone matches."""
        if self._exprs is None:
            return None
        written = self._exprs.get(name)
        if not isinstance(written, list) or len(written) != len(planned):
            return None
        blocks = [w for w in written if isinstance(w, dict)]
        if len(blocks) != len(written):
            return None
        out: list[dict[str, Any] | None] = []
        if len(blocks) == 1:
            return [blocks[0]]
        for item in planned:
            fits = [b for b in blocks if all(
                item.get(k) == e["constant_value"] for k, e in b.items()
                if isinstance(e, dict) and "constant_value" in e)]
            out.append(fits[0] if len(fits) == 1 else None)
        return out


def _unknown_inside(flags: object) -> bool:
    """True when an `after_unknown` flag holds a value decided at apply, at any depth (a
    plan may nest as deep as JSON allows: walked without recursion)."""
    todo = [flags]
    while todo:
        flag = todo.pop()
        if flag is True:
            return True
        if isinstance(flag, dict):
            todo.extend(flag.values())
        elif isinstance(flag, list):
            todo.extend(flag)
    return False


def resource_body(address: str, after: Any, unknown: Any, fresh: bool, module: str,
                  config: PlanConfig, exprs: dict[str, Any] | None) -> PlanBody:
    """The Body of one planned resource instance."""
    return PlanBody(after, unknown, address, Context(config, module, fresh), exprs)
