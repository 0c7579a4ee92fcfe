"""What an HCL-mode check needs beyond its own `conf`, read from Checkov's graph.

Checkov's HCL parser does not apply Terraform override files (`override.tf`,
`*_override.tf`): it reports an override's partial block as a resource of its own and the
original block unchanged. Nor does a resource's conf carry the provider's `default_tags`,
or say whether its module is called with `count`/`for_each` (instances Checkov's parser
does not expand). The graph Checkov hands every check holds all of that.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from checker.checkov.body import CheckovBody
from checker.model import Unknown

TABLE = "aws_dynamodb_table"
_NEUTRAL_OVERRIDES = frozenset({"resource", "provider", "terraform"})


def is_override_file(path: str) -> bool:
    """True for a file Terraform merges into other blocks rather than adds."""
    name = os.path.basename(path)
    for suffix in (".tf", ".tf.json"):
        if name == f"override{suffix}" or name.endswith(f"_override{suffix}"):
            return True
    return False


@dataclass
class HclContext:
    """One table's conf with its override files merged in, or why it cannot be judged."""

    conf: dict[str, Any]
    default_tags: object = None  # the provider's: None (none set), a map, or an Unknown
    problem: str | None = None


def _payloads(graph: Any) -> list[dict[str, Any]]:
    """Vertex attribute dicts of a rustworkx or networkx graph."""
    if hasattr(graph, "node_indices"):  # rustworkx: payloads are (index, attributes)
        nodes = [p[1] if isinstance(p, tuple) else p for p in graph.nodes()]
    else:  # networkx
        nodes = [attrs for _, attrs in graph.nodes(data=True)]
    return [n for n in nodes if isinstance(n, dict)]


def _inner(vertex: dict[str, Any]) -> dict[str, Any]:
    """The block body inside `config_` ({type: {name: body}} or {name: body})."""
    config = vertex.get("config_")
    body: Any = config
    for _ in range(2):
        if isinstance(body, dict) and len(body) == 1 and "__start_line__" not in body:
            body = next(iter(body.values()))
    return body if isinstance(body, dict) else {}


def _module_chain(obj: Any) -> list[tuple[str, str, Any]]:
    """(calling file, module name, instance index) from a resource's source module object."""
    out: list[tuple[str, str, Any]] = []
    while obj:
        if isinstance(obj, str):
            try:
                obj = json.loads(obj)
            except ValueError:
                return out
        get = obj.get if isinstance(obj, dict) else lambda k, o=obj: getattr(o, k, None)
        out.append((str(get("path")), str(get("name")), get("foreach_idx")))
        obj = get("nested_tf_module")
    return out


@dataclass
class GraphIndex:
    """The graph's tables, module calls, providers and override blocks, indexed once."""

    by_body: dict[int, dict[str, Any]] = field(default_factory=dict)
    by_place: dict[tuple[str, Any, Any], list[dict[str, Any]]] = field(default_factory=dict)
    tables: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    repeated_modules: set[tuple[str, str]] = field(default_factory=set)
    default_tags: object = None  # the provider's: None (none set), a map, or an Unknown
    tainted: str | None = None

    @classmethod
    def build(cls, graph: Any) -> GraphIndex:
        """Index *graph* (one pass over its vertices)."""
        index = cls()
        tags: list[object] = []
        for vertex in _payloads(graph):
            kind, path = vertex.get("block_type_"), str(vertex.get("file_path_") or "")
            body = _inner(vertex)
            if kind == "resource" and vertex.get("resource_type") == TABLE:
                index.by_body[id(body)] = vertex
                index.by_place.setdefault(_place(body), []).append(vertex)
                index.tables.setdefault(_table_key(vertex), []).append(vertex)
            elif kind == "module" and ("for_each" in body or "count" in body):
                index.repeated_modules.add((path, str(vertex.get("block_name_"))))
            elif kind == "provider" and str(vertex.get("block_name_")).split(".")[0] == "aws":
                found = _default_tags(body)
                if found is not None:
                    tags.append(found)
            if is_override_file(path) and kind not in _NEUTRAL_OVERRIDES and not index.tainted:
                index.tainted = (f"{os.path.basename(path)} overrides a {kind} block, which "
                                 "Checkov's HCL parser does not apply")
        if tags:
            known = [t for t in tags if not isinstance(t, Unknown)]
            same = len(known) == len(tags) and all(t == known[0] for t in known)
            index.default_tags = known[0] if same else Unknown(
                "provider default_tags are not resolved or differ between providers")
        return index

    def context(self, conf: dict[str, Any]) -> HclContext:
        """*conf* merged with its override blocks, or the reason it cannot be judged."""
        vertex = self.by_body.get(id(conf))
        if vertex is None:  # not the graph's own dict: find it by address and lines
            same = self.by_place.get(_place(conf), [])
            if len(same) != 1:
                return HclContext(conf, problem="the table is not in Checkov's graph")
            vertex = same[0]
        path = str(vertex.get("file_path_") or "")
        problem = self.tainted or self._repeated(vertex, conf)
        if is_override_file(path):
            problem = (f"{os.path.basename(path)} is an override file: Checkov reports its "
                       "partial block separately; the merged table is judged at its original block")
        merged = conf
        for part in sorted(self.tables.get(_table_key(vertex), []),
                           key=lambda v: os.path.basename(str(v.get("file_path_")))):
            if part is not vertex and is_override_file(str(part.get("file_path_"))):
                merged = merge_override(merged, _inner(part))
        return HclContext(merged, self.default_tags, problem)

    def _repeated(self, vertex: dict[str, Any], conf: dict[str, Any]) -> str | None:
        address = str(conf.get("__address__") or "")
        if ("count" in conf or "for_each" in conf) and not address.endswith("]"):
            return ("the table has count/for_each, whose instances Checkov's HCL parser "
                    "does not expand")
        for path, name, idx in _module_chain(vertex.get("source_module_object_")):
            if idx is None and (path, name) in self.repeated_modules:
                return (f"module.{name} has count/for_each, whose instances Checkov's HCL parser "
                        "does not expand")
        return None


def _place(body: dict[str, Any]) -> tuple[str, Any, Any]:
    return (str(body.get("__address__")), body.get("__start_line__"), body.get("__end_line__"))


def _table_key(vertex: dict[str, Any]) -> tuple[str, str, str]:
    """Blocks of one table: same address, same directory, same module instance."""
    path = str(vertex.get("file_path_") or "")
    return (str(vertex.get("__address__")), os.path.dirname(path),
            str(vertex.get("source_module_object_")))


def _default_tags(provider: dict[str, Any]) -> object:
    """The provider's default_tags map (None: it sets none), or an Unknown."""
    blocks = CheckovBody(provider, "provider", "provider", plan=False).blocks("default_tags")
    if isinstance(blocks, Unknown):
        return blocks
    if not blocks:
        return None
    found = blocks[0].value("tags")
    return {} if found is None else found


def merge_override(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Terraform's override merge: each argument, and each block type with all its blocks
    (a `dynamic` block counts as its type), replaces the original's."""
    merged = dict(base)
    over_dynamic = {t for d in override.get("dynamic") or [] if isinstance(d, dict) for t in d}
    replaced = over_dynamic | {k for k in override if k != "dynamic" and not k.startswith("__")}
    for key in replaced:
        if key in override:
            merged[key] = override[key]
        else:
            merged.pop(key, None)  # only dynamic blocks of this type now
    kept = [d for d in base.get("dynamic") or []
            if isinstance(d, dict) and not set(d) & replaced]
    kept += [d for d in override.get("dynamic") or [] if isinstance(d, dict)]
    if kept:
        merged["dynamic"] = kept
    else:
        merged.pop("dynamic", None)
    return merged
