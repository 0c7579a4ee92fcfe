"""Checkov's `conf` of a resource as a `Body` for the one reading of Terraform.

Checkov wraps every value in a list (`["x"]`, `[5]`, `[None]`, `[[]]` for an empty list),
keeps blocks as lists of dicts, and leaves what it cannot evaluate as expression text
(`var.x`, `each.value.name`, `ttl.value`, `${merge(...)}`). Such text is an Unknown here,
never a value.

- Plan (`terraform_plan`): the plan's values; what Terraform knows only after apply is
  missing, so a missing key is unknown. Where Checkov copies a reference back from the
  configuration (`kms_key_arn: ["aws_kms_key.k.arn"]` with `references_`), the value is
  still unknown: the conf does not say whether that instance exists (`try(k[0].arn, null)`
  with `count = 0` looks the same).
- HCL (`terraform`): the configuration as written and partly evaluated by Checkov; a key
  not written is not set. Checkov reduces some expressions to reference text
  (`length(k) > 0 ? k[0].arn : null` becomes `aws_kms_key.k[0].arn`), so reference text is
  unknown too. A `dynamic` block is rendered by Checkov without its `for_each`: only a
  literally empty one is understood; any other makes that block type unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from checker.model import Unknown
from checker.sources.hcl.body import as_schema
from checker.sources.terraform.schema import attribute_type

MISSING: Final = object()  # the key is not in the conf at all (internal to this reader)
_LINE_KEYS: Final = frozenset(
    {"start_line", "end_line", "__start_line__", "__end_line__", "references_"})
_EMPTY_FOR_EACH: tuple[list[Any], ...] = ([[]], [], [{}])
_EXPRESSION = re.compile(
    r"""(?:var|local|each|count|module|data|path|terraform|self)\.   # a named root
      | [a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_]                        # resource_type.name
      | [a-z_][a-z0-9_]*\.(?:value|key)\b                           # dynamic iterator
      | [a-z_][a-z0-9_]*\(                                          # function call
      | [\[{]\s*for\s                                               # for expression
      | None$                                                       # a rendered null
      | true_after_unknown$                  # EVAL_TF_PLAN_AFTER_UNKNOWN's stand-in for unknown
    """,
    re.X,
)


def is_expression(text: str) -> bool:
    """True when *text* is Terraform expression text rather than a value."""
    return "${" in text or _EXPRESSION.match(text) is not None


def unwrap(value: Any) -> Any:
    """`[x]` -> x; anything else as it is."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _holds_expression(value: object) -> str | None:
    """The first expression text anywhere in *value*, or None."""
    if isinstance(value, str):
        return value if is_expression(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        if key in _LINE_KEYS:
            continue
        found = (str(key) if isinstance(key, str) and is_expression(key) else None) or (
            _holds_expression(item))
        if found is not None:
            return found
    return None


def _clean(value: Any) -> Any:
    """Checkov's wrapping and line keys removed, all the way down."""
    if isinstance(value, dict):
        return {k: _clean(unwrap(v)) for k, v in value.items() if k not in _LINE_KEYS}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _text(value: object) -> object:
    """A string of the plan that Checkov's parser turned into a bool or number, back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _as_planned(value: object, kind: str | tuple[str, str] | None) -> object:
    """A plan conf's value as the plan held it: Checkov turns every string "true" and
    "false" into a bool (and some numeric strings into numbers) before a check sees it, so
    where the schema says string, a bool or number was that string. (A bool attribute the
    plan held as the string "true" cannot be told from true: Checkov's parser hides it.)"""
    if kind == "string":
        return _text(value)
    if kind == ("map", "string") and isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(kind, tuple) and kind[1] == "string" and isinstance(value, list):
        return [_text(v) for v in value]
    return value


class CheckovBody:
    """One resource conf (or one of its blocks) as Checkov hands it to a check."""

    __slots__ = ("_conf", "_dynamic", "_path", "_plan", "_rtype", "fresh", "where")

    def __init__(self, conf: dict[str, Any], rtype: str, where: str, plan: bool,
                 path: tuple[str, ...] = (), fresh: bool = True) -> None:
        self._conf = conf
        self._rtype = rtype
        self.where = where
        self._plan = plan
        self._path = path
        self.fresh = fresh
        self._dynamic = _dynamic_blocks(conf) if not plan else {}

    def value(self, name: str) -> object:
        """Attribute *name* of the conf."""
        where = f"{self.where}.{name}"
        raw = self._conf.get(name, MISSING)
        if raw is MISSING:
            return Unknown(f"{where} is known after apply") if self._plan else None
        value = unwrap(raw)
        text = _holds_expression(value)
        if text is not None:
            return Unknown(f"{where} is not resolved by Checkov: {text[:80]}")
        kind = attribute_type(self._rtype, self._path, name)
        if self._plan:
            return _as_planned(_clean(value), kind)
        return as_schema(_clean(value), kind, where)

    def blocks(self, name: str) -> Sequence[CheckovBody] | Unknown:
        """The nested blocks of type *name*."""
        where = f"{self.where}.{name}"
        raw = self._conf.get(name, MISSING)
        dynamic = self._dynamic.get(name)
        if dynamic is not None:
            if not all(isinstance(b, dict) and "content" in b and b.get("for_each") in
                       _EMPTY_FOR_EACH for b in dynamic):
                return Unknown(f"{where} is a dynamic block, whose for_each Checkov does not "
                               "evaluate")
            made = [c for b in dynamic for c in (b["content"] if isinstance(b["content"], list)
                                                 else [b["content"]])]
            raw = [b for b in (raw if isinstance(raw, list) else []) if b not in made]
        if raw is MISSING:
            if not self._plan:
                return []
            if self.fresh:
                return Unknown(f"the plan shows no {where} block: one left out (the provider's "
                               "default) and a dynamic one decided at apply look alike in a "
                               "plan")
            return Unknown(f"{where} is known after apply")
        if raw in ([None], [[]], []):
            return []
        if isinstance(raw, list) and all(isinstance(b, dict) for b in raw):
            return [CheckovBody(b, self._rtype, f"{where}[{i}]", self._plan,
                                (*self._path, name), self.fresh) for i, b in enumerate(raw)]
        return Unknown(f"{where} is not resolved by Checkov: {str(raw)[:80]}")


def _dynamic_blocks(conf: dict[str, Any]) -> dict[str, list[Any]]:
    """`dynamic` block definitions by the block type they generate."""
    out: dict[str, list[Any]] = {}
    for element in conf.get("dynamic") or []:
        if isinstance(element, dict):
            for block_type, body in element.items():
                out.setdefault(block_type, []).append(body)
    return out
