"""Follow `configuration` expressions of a plan through variables, module calls and outputs.

A plan's configuration gives a constant, or only the references an expression makes. An
expression is taken as one resource attribute only when its references are exactly one
traversal and its prefixes (`aws_kms_key.k[0].arn`, `aws_kms_key.k[0]`, `aws_kms_key.k`),
and that instance exists after the plan; a function or a conditional around it
(`length(aws_kms_key.k) > 0 ? aws_kms_key.k[0].arn : null`) leaves more references, and
the value stays unknown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from checker.sources.kms import is_aws_alias
from checker.sources.plan.body import Context, PlanBody
from checker.sources.plan.const import Const
from checker.sources.terraform.references import one_traversal, root_size, steps_of
from checker.unknown import Origin, Unknown

_KEY = r'(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])'
_MODULE_STEP = re.compile(rf'module\.([\w-]+){_KEY}?')
_LOCAL = re.compile(rf'(?:^|\.)((?:data\.)?[\w-]+\.[\w-]+{_KEY}?)$')
_NAMED_ROOTS = ("var", "local", "each", "count", "path", "terraform", "self", "module")
_KEY_DATA = {"data.aws_kms_alias": "name", "data.aws_kms_key": "key_id"}
_DOCUMENT = "aws_iam_policy_document"
MAX_DEPTH = 32


@functools.lru_cache(maxsize=65536)
def module_path(module_address: str | None) -> tuple[str, ...]:
    """`module.a["x"].module.b` -> ("a", "b"): the configuration path, instance keys dropped."""
    if not module_address:
        return ()
    return tuple(m.group(1) for m in _MODULE_STEP.finditer(module_address))


class PlanConfig:
    """Index over a plan's `configuration` block, and the instances that exist after it."""

    def __init__(self, plan: dict[str, Any], existing: Iterable[str] = ()) -> None:
        config = plan.get("configuration") or {}
        self._providers: dict[str, Any] = config.get("provider_config") or {}
        # provider key -> (that key, its region), once read
        self._regions: dict[str, tuple[str, str | None]] = {}
        self._variables = plan.get("variables") or {}
        self._modules: dict[tuple[str, ...], dict[str, Any]] = {}
        self._calls: dict[tuple[str, ...], dict[str, Any]] = {}
        self._resources: dict[tuple[tuple[str, ...], str, str], dict[str, Any]] = {}
        self._data: dict[tuple[tuple[str, ...], str, str], dict[str, Any]] = {}
        # (module path, `type.name[key]`) of every instance that exists after the plan
        self._existing = {split_address(a)[::2] for a in existing}
        # address -> (module address, change) of each policy document read only at apply
        self._documents = {str(rc.get("address")): (str(rc.get("module_address") or ""), rc)
                           for rc in plan.get("resource_changes") or [] if isinstance(rc, dict)
                           and rc.get("mode") == "data" and rc.get("type") == _DOCUMENT}
        self._index(config.get("root_module") or {}, ())

    def _index(self, module: dict[str, Any], path: tuple[str, ...]) -> None:
        if not isinstance(module, dict):
            return
        self._modules[path] = module
        for res in module.get("resources") or []:
            if isinstance(res, dict):
                index = self._data if res.get("mode") == "data" else self._resources
                index.setdefault((path, str(res.get("type")), str(res.get("name"))), res)
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict) and len(path) < MAX_DEPTH:
                self._calls[(*path, name)] = call
                self._index(call.get("module") or {}, (*path, name))

    def resource(self, path: tuple[str, ...], rtype: str, name: str) -> dict[str, Any] | None:
        """The configuration entry of resource `rtype.name` in module *path*."""
        return self._resources.get((path, rtype, name))

    def default_tags(self, res: dict[str, Any] | None, where: str) -> object:
        """The default_tags of the provider configuration *res* uses: None when it sets
        none, a map, or an Unknown (also when the plan does not say which provider)."""
        key = str((res or {}).get("provider_config_key"))
        provider = self._providers.get(key)
        if not isinstance(provider, dict):
            return Unknown(f"{where}: the plan does not say which provider configuration "
                           "it uses, so its default_tags are not known")
        blocks = (provider.get("expressions") or {}).get("default_tags")
        if not blocks:
            return None
        tags = blocks[0].get("tags") if isinstance(blocks, list) and blocks else None
        if tags is None:
            return None
        module = key.partition(":")[0] if ":" in key else ""
        found = self.resolve(module, tags, f"{where}: the provider's default_tags")
        return found.value if isinstance(found, Const) else found

    def provider(self, res: dict[str, Any] | None) -> tuple[str | None, str | None]:
        """The provider configuration *res* uses (its key) and that configuration's region
        where the configuration sets it to a value known before apply (else None)."""
        key = (res or {}).get("provider_config_key")
        if not isinstance(key, str) or not isinstance(self._providers.get(key), dict):
            return None, None
        if key not in self._regions:  # once per configuration: every resource shares it
            expr = (self._providers[key].get("expressions") or {}).get("region")
            module = key.partition(":")[0] if ":" in key else ""
            found = self.resolve(module, expr, f"provider {key} region") if expr else None
            region = found.value if isinstance(found, Const) else None
            self._regions[key] = (key, region if isinstance(region, str) and region else None)
        # the one copy of each: a string of each resource's own would keep the parsed plan's
        # memory from being reused (measured: +10% peak RSS on a 200 MB plan)
        return self._regions[key]

    def resolve(self, module: str, expr: Any, where: str, depth: int = 0) -> Const | Unknown:
        """Follow *expr*, written in the module instance *module* (its address), as far as
        the configuration allows."""
        if not isinstance(expr, dict) or depth > MAX_DEPTH:
            return Unknown(f"{where} is decided at apply")
        if "constant_value" in expr:
            return Const(expr["constant_value"])
        refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
        if not refs:
            return Const(None) if not expr else Unknown(f"{where} is decided at apply")
        traversal = one_traversal(refs)
        if traversal is None:  # a function, operator or conditional around its references
            refs = list(dict.fromkeys(refs))
            return Unknown(f"{where} is decided at apply (it refers to {', '.join(refs)})")
        steps = steps_of(traversal)
        head = steps[0]
        if head == "var":
            found = self._variable(module, steps[1].lstrip("."), where, depth)
            return _descend(found, steps[2:], where, traversal)
        if head == "module" and len(steps) > 2:
            found = self._output(module, steps[1].lstrip("."), steps[2].lstrip("."), where,
                                 depth)
            return _descend(found, steps[3:], where, traversal)
        if head in _NAMED_ROOTS:
            return Unknown(f"{where} ({traversal}) is decided at apply")
        return self._reference(module, steps, where)

    def _reference(self, module: str, steps: list[str], where: str) -> Unknown:
        size = root_size(steps)
        keyed = len(steps) > size and steps[size].startswith("[")
        local = "".join(steps[: size + 1 if keyed else size])
        attr = next((s.lstrip(".") for s in steps[size:] if s.startswith(".")), "")
        rtype = "".join(steps[: size - 1])
        text = "".join(steps)
        if rtype.startswith("data"):
            managed = self._aws_alias_lookup(module, rtype, steps[size - 1].lstrip("."))
            found = Unknown(f"{where} ({text}) is read at apply",
                            origin=Origin(rtype, _address(module, local), attr, managed))
            if rtype == f"data.{_DOCUMENT}" and attr in ("json", "minified_json"):
                return found.but(decoded=self._document(_address(module, local)))
            return found
        if (module_path(module), local) not in self._existing:
            return Unknown(f"{where} ({text}): no instance {local} exists after the plan")
        return Unknown(f"{where} ({text}) is known after apply",
                       origin=Origin(rtype, _address(module, local), attr))

    def _document(self, address: str) -> object | None:
        """The policy document a data source read at apply will hold, from its planned
        blocks, with the values known only then as Unknown leaves (None: not known)."""
        from checker.sources.terraform.policydoc import document

        found = self._documents.get(address)
        if found is None:
            return None
        module, rc = found
        change: dict[str, Any] = rc["change"] if isinstance(rc.get("change"), dict) else {}
        conf = self._data.get((module_path(module), _DOCUMENT, str(rc.get("name"))))
        exprs = (conf or {}).get("expressions")
        body = PlanBody(change.get("after"), change.get("after_unknown"), address,
                        Context(self, module, True), exprs if isinstance(exprs, dict) else None)
        doc = document(body)
        return None if isinstance(doc, Unknown) else doc

    def _aws_alias_lookup(self, module: str, dtype: str, name: str) -> bool:
        """True when data source `dtype.name` looks up an `alias/aws/...` alias."""
        arg = _KEY_DATA.get(dtype)
        res = self._data.get((module_path(module), dtype.removeprefix("data."), name))
        expr = ((res or {}).get("expressions") or {}).get(arg or "")
        found = self.resolve(module, expr, dtype) if arg and expr is not None else None
        return isinstance(found, Const) and isinstance(found.value, str) and is_aws_alias(
            found.value)

    def _variable(self, module: str, name: str, where: str, depth: int) -> Const | Unknown:
        path = module_path(module)
        if not path:
            var = self._variables.get(name)
            if isinstance(var, dict) and "value" in var:
                return Const(var["value"])
            return Unknown(f"{where} (var.{name}) has no value in the plan")
        call = self._calls.get(path) or {}
        passed = (call.get("expressions") or {}).get(name)
        if passed is not None:
            return self.resolve(parent_module(module), passed, where, depth + 1)
        declared = (self._modules.get(path, {}).get("variables") or {}).get(name) or {}
        return Const(declared.get("default"))

    def _output(self, module: str, child: str, output: str, where: str, depth: int
                ) -> Const | Unknown:
        path = (*module_path(module), child)
        out = ((self._modules.get(path) or {}).get("outputs") or {}).get(output)
        if not isinstance(out, dict):
            return Unknown(f"{where} (module.{child}.{output}) is decided at apply")
        call = self._calls.get(path) or {}
        if "count" in call or "for_each" in call:
            return Unknown(f"{where} (module.{child}.{output}): which instance of "
                           f"module.{child} is not known from the plan")
        return self.resolve(_address(module, f"module.{child}"), out.get("expression"), where,
                            depth + 1)


def _descend(found: Const | Unknown, steps: list[str], where: str, text: str
             ) -> Const | Unknown:
    """The part of a constant that the traversal's remaining steps (`.key`, `[0]`,
    `["k"]`) name; unknown where the constant has no such part."""
    if isinstance(found, Unknown) or not steps:
        return found
    value = found.value
    for step in steps:
        key: Any = step[1:] if step.startswith(".") else step[1:-1]
        if isinstance(value, list) and isinstance(key, str) and key.isdigit():
            value = value[int(key)] if int(key) < len(value) else _NO_PART
        elif isinstance(value, dict):
            value = value.get(key.strip('"') if key.startswith('"') else key, _NO_PART)
        else:
            value = _NO_PART
        if value is _NO_PART:
            return Unknown(f"{where} ({text}): the plan's value has no such part")
    return Const(value)


_NO_PART = object()


@functools.lru_cache(maxsize=65536)
def split_address(address: str) -> tuple[tuple[str, ...], str, str]:
    """`module.m["a"].aws_kms_key.k[0]` -> (("m",), `module.m["a"]`, `aws_kms_key.k[0]`)."""
    found = _LOCAL.search(address)
    local = found.group(1) if found else address
    module = address[: len(address) - len(local)].rstrip(".")
    return module_path(module), module, local


def parent_module(module: str) -> str:
    """`module.a["x"].module.b` -> `module.a["x"]`: the module that calls *module*."""
    steps = list(_MODULE_STEP.finditer(module))
    return module[: steps[-1].start()].rstrip(".") if steps else ""


def _address(module: str, local: str) -> str:
    return f"{module}.{local}" if module else local
