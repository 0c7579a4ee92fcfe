"""Resources and data sources of a module instance: count/for_each expansion, attribute values.

An attribute written in the configuration reads as its value, remembered as that
resource's attribute (`Tagged`/`Unknown.origin`); a policy document's `json` is computed
from its block (`policydocs`); anything else is known only after apply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from checker.sources.hcl import budget
from checker.sources.hcl.bodynodes import Block
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.exprnodes import Expr
from checker.sources.hcl.policydocs import POLICY_DOCUMENT, computed
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import (
    EvalError,
    LazyObject,
    Origin,
    Thunk,
    Unknown,
    is_number,
    mark,
    plain,
    to_text,
    type_name,
)

if TYPE_CHECKING:
    from checker.sources.hcl.modules import ModuleInstance

_META = frozenset(("count", "for_each", "provider", "depends_on", "lifecycle"))
_AWS_ALIAS = re.compile(r"(^|:)alias/aws/")
# Data source attributes that are an AWS managed key when the data source names alias/aws/...
_AWS_MANAGED_BY = {
    "aws_kms_alias": ("name", ("target_key_arn", "arn", "target_key_id")),
    "aws_kms_key": ("key_id", ("arn", "id", "key_id")),
}


@dataclass
class Expansion:
    """The instances count/for_each make: (key, names bound) each; keys None without either."""

    items: list[tuple[object, dict[str, object]]] = field(default_factory=list)
    keys: list[object] | None = None
    counted: bool = False


def key_text(key: object) -> str:
    """`["name"]` for a string instance key, `[3]` for a number, as Terraform writes them."""
    if isinstance(key, str):
        return f"[{json.dumps(key, ensure_ascii=False)}]"
    return f"[{key}]"


def expand(block: Block, scope: Scope, label: str) -> Expansion | Unknown:
    """The instances of *block* under its count or for_each (Unknown when not known, or
    more than the budget of instances)."""
    try:
        found = _expansion(block, scope, label)
        if not isinstance(found, Unknown):
            budget.step(len(found.items))
        return found
    except budget.BudgetExceeded as exc:
        return Unknown(exc.at(label).reason)


def _expansion(block: Block, scope: Scope, label: str) -> Expansion | Unknown:
    """`expand` before its instances are counted against the step budget."""
    attrs = block.body.attributes
    if "for_each" in attrs:
        value = plain(resolve(attrs["for_each"].expr, scope))
        if isinstance(value, Unknown):
            return Unknown(f"{label}: for_each is not known: {value.reason}")
        if isinstance(value, dict | list) and (why := budget.instances(len(value))):
            return Unknown(f"{label}: for_each {why}")
        if isinstance(value, dict):
            keys: list[object] = sorted(value)
            pairs = [(k, value[k]) for k in sorted(value)]
        elif isinstance(value, list):
            known = [plain(v) for v in value]
            bad = next((v for v in known if not isinstance(v, str)), None)
            if isinstance(bad, Unknown):
                return Unknown(f"{label}: for_each is not known: {bad.reason}")
            strings = [v for v in known if isinstance(v, str)]
            if bad is not None or len(set(strings)) != len(strings):
                return Unknown(f"{label}: for_each needs a map or a set of strings")
            keys = [*sorted(strings)]
            pairs = [(k, k) for k in keys]
        else:
            return Unknown(f"{label}: for_each needs a map or a set, not {type_name(value)}")
        items: list[tuple[object, dict[str, object]]] = [
            (k, {"each": {"key": k, "value": v}}) for k, v in pairs]
        return Expansion(items, keys)
    if "count" in attrs:
        count = plain(resolve(attrs["count"].expr, scope))
        if isinstance(count, Unknown):
            return Unknown(f"{label}: count is not known: {count.reason}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            shown = to_text(count) if is_number(count) else type_name(count)
            return Unknown(f"{label}: count must be a whole number, not {shown}")
        if why := budget.instances(count):
            return Unknown(f"{label}: count {why}")
        indexes: list[object] = list(range(count))
        return Expansion([(i, {"count": {"index": i}}) for i in indexes], indexes, True)
    return Expansion([(None, {})])


@dataclass(eq=False)
class Instance:
    """One instance of a resource (or data source) block."""

    module: ModuleInstance
    mode: str  # "resource" or "data"
    type: str
    name: str
    block: Block
    address: str
    scope: Scope
    unknown: str | None = None  # why the instance's key (or existence) is not known
    key: object = None  # the count index or for_each key (None without either)

    def value(self, attr: str) -> object:
        """The value of top-level argument *attr* (None when not written)."""
        found = self.block.body.attributes.get(attr)
        return None if found is None else resolve(found.expr, self.scope)


def _marked(expr: Expr, scope: Scope, origin: Origin) -> object:
    """The value of *expr*, remembered as resource attribute *origin*."""
    return mark(resolve(expr, scope), origin)


class ResourceTable:
    """The resources and data sources of one module instance, expanded on first use."""

    def __init__(self, module: ModuleInstance) -> None:
        self.module = module
        self._expanded: dict[tuple[str, str, str], list[Instance] | Unknown] = {}
        self._objects: dict[int, LazyObject] = {}
        self._values: dict[tuple[str, str, str], object] = {}  # what `TYPE.NAME` reads as

    def _block(self, mode: str, rtype: str, name: str) -> Block | None:
        """The block declaring `TYPE.NAME` (resource or data)."""
        table = self.module.config.resources if mode == "resource" else self.module.config.data
        return table.get((rtype, name))

    def expanded(self, mode: str, rtype: str, name: str) -> list[Instance] | Unknown:
        """The instances of one block (cached); Unknown when count/for_each is not known."""
        key = (mode, rtype, name)
        if key not in self._expanded:
            block = self._block(mode, rtype, name)
            assert block is not None
            self._expanded[key] = Unknown("expanding")  # a self-reference while expanding
            self._expanded[key] = self._expand(mode, rtype, name, block)
        return self._expanded[key]

    def _expand(self, mode: str, rtype: str, name: str, block: Block) -> list[Instance] | Unknown:
        """Expand one block under its count/for_each."""
        prefix = f"{self.module.address}." if self.module.address else ""
        base = f"{prefix}{'data.' if mode == 'data' else ''}{rtype}.{name}"
        expansion = expand(block, self.module.scope, f"{base} ({block.file}:{block.line})")
        if isinstance(expansion, Unknown):
            return expansion
        return [Instance(self.module, mode, rtype, name, block,
                         base if k is None else base + key_text(k),
                         self.module.scope.bind(**names), self.module.unknown_expansion, k)
                for k, names in expansion.items]

    def instances(self, rtypes: tuple[str, ...]) -> list[Instance]:
        """Every instance of the managed resource types *rtypes*; an unknown expansion
        yields one instance (without key) whose `unknown` says why."""
        out: list[Instance] = []
        prefix = f"{self.module.address}." if self.module.address else ""
        for (rtype, name), block in self.module.config.resources.items():
            if rtype not in rtypes:
                continue
            found = self.expanded("resource", rtype, name)
            if isinstance(found, Unknown):
                unknown = Unknown(found.reason)
                scope = self.module.scope.bind(each={"key": unknown, "value": unknown},
                                               count={"index": unknown})
                out.append(Instance(self.module, "resource", rtype, name, block,
                                    f"{prefix}{rtype}.{name}", scope, found.reason))
            else:
                out.extend(found)
        return out

    def value(self, mode: str, rtype: str, name: str, site: Expr) -> object:
        """What `TYPE.NAME` (or `data.TYPE.NAME`) reads as at *site*."""
        block = self._block(mode, rtype, name)
        if block is None:
            what = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
            raise EvalError(f"{what} is not declared in {self.module.config.directory}")
        found = self.expanded(mode, rtype, name)
        if isinstance(found, Unknown):
            return Unknown(found.reason)
        key = (mode, rtype, name)
        if key not in self._values:  # once: read for each of n instances, it would be n²
            objects = [self._object(inst) for inst in found]
            attrs = block.body.attributes
            if "for_each" in attrs:
                self._values[key] = {str(i.key): o for i, o in zip(found, objects, strict=True)}
            else:
                self._values[key] = objects if "count" in attrs else objects[0]
        return self._values[key]

    def _object(self, inst: Instance) -> LazyObject:
        """What one instance reads as: written arguments, and after-apply Unks."""
        cached = self._objects.get(id(inst))
        if cached is not None:
            return cached
        label = f"{'data.' if inst.mode == 'data' else ''}{inst.type}.{inst.name}"
        otype = f"data.{inst.type}" if inst.mode == "data" else inst.type
        thunks: dict[str, Thunk] = {}
        for attr_name, attr in inst.block.body.attributes.items():
            if attr_name in _META:
                continue
            origin = Origin(otype, inst.address, attr_name)
            thunks[attr_name] = Thunk(f"{label}.{attr_name}",
                                      partial(_marked, attr.expr, inst.scope, origin))
        name_attr = inst.block.body.attributes.get("name")
        if inst.type == "aws_dynamodb_table" and name_attr is not None and "id" not in thunks:
            origin = Origin(otype, inst.address, "id")
            thunks["id"] = Thunk(f"{label}.id", partial(_marked, name_attr.expr, inst.scope,
                                                        origin))
        if inst.mode == "data" and inst.type == POLICY_DOCUMENT:  # a function of its block
            thunks.update(computed(inst))

        def missing(attr: str, site: str) -> object:
            """An attribute not written in the block: known only later."""
            when = ("is known only when the data source is read" if inst.mode == "data"
                    else "is known only after apply")
            managed = inst.mode == "data" and self._aws_managed(inst, attr)
            origin = Origin(otype, inst.address, attr, managed)
            return Unknown(f"{label}.{attr} ({site}) {when}", origin=origin)

        obj = LazyObject(label, thunks, missing)
        self._objects[id(inst)] = obj
        return obj

    @staticmethod
    def _aws_managed(inst: Instance, attr: str) -> bool:
        """True when this data source attribute is an AWS managed KMS key (alias/aws/...)."""
        rule = _AWS_MANAGED_BY.get(inst.type)
        if rule is None or attr not in rule[1]:
            return False
        arg = plain(inst.value(rule[0]))
        try:
            return isinstance(arg, str) and bool(_AWS_ALIAS.search(to_text(arg)))
        except EvalError:
            return False
