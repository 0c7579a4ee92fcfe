"""The table a Checkov check is given -> the TableStates tablespec reads from the same file.

Checkov hands a check its `conf` of one resource, evaluated by Checkov's own parser, which
loses what a reading needs and sometimes makes it up: a conditional on a value known only
after apply becomes one of its branches (`length(aws_sns_topic.t.arn) > 0 ? A : B` is
`A`, the reference text being a non-empty string), `length(k) > 0 ? k[0].arn : null` the
text `aws_kms_key.k[0].arn`, and a plan's strings "true" and "false" bools. No reader of
that conf could tell those from what is written.

So a check takes from Checkov only which resource it is: its vertex in Checkov's graph
gives the file's absolute path, the module calls that lead to it and its address. The file
is then read as `tablespec plan` (a plan JSON file) or `tablespec hcl` (the Terraform root
the module calls start from) reads it, once per file per Checkov run: one reading, hence
the same verdicts as the CLI's, by construction.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from checker.checkov.locate import Located, path_tail
from checker.errors import RunError
from checker.model import TableState

TABLE = "aws_dynamodb_table"
REPLICA = "aws_dynamodb_table_replica"
# The Terraform root a plan was made from, read with it as `tablespec plan --source-dir`
# does (default, as there: the current directory when it holds .tf files).
SOURCE_VARIABLE = "TABLESPEC_SOURCE_DIR"
_INSTANCE = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')


def is_plan(conf: dict[str, Any]) -> bool:
    """True for a `terraform_plan` conf: HCL confs carry `__start_line__`, plan confs not."""
    return "__start_line__" not in conf


def _vertices(graph: Any) -> list[dict[str, Any]]:
    """Vertex attribute dicts of a rustworkx or networkx graph."""
    if hasattr(graph, "node_indices"):  # rustworkx: payloads are (index, attributes)
        nodes = [p[1] if isinstance(p, tuple) else p for p in graph.nodes()]
    else:  # networkx
        nodes = [attrs for _, attrs in graph.nodes(data=True)]
    return [n for n in nodes if isinstance(n, dict)]


_INDEX: list[tuple[Any, int, dict[str, list[dict[str, Any]]]]] = []  # the last graph's


def _node_count(graph: Any) -> int:
    count = getattr(graph, "num_nodes", None) or getattr(graph, "number_of_nodes", None)
    return int(count()) if callable(count) else -1


def _tables_at(graph: Any, address: str) -> list[dict[str, Any]]:
    """The table and replica resource vertices of *graph* at *address*: the graph is
    indexed by address once (a check asks once per table, and Checkov runs every check of
    a run on one graph), not scanned once per table."""
    count = _node_count(graph)
    if not _INDEX or _INDEX[0][0] is not graph or _INDEX[0][1] != count or count < 0:
        index: dict[str, list[dict[str, Any]]] = {}
        for v in _vertices(graph):
            if v.get("block_type_") == "resource" and v.get("resource_type") in (TABLE, REPLICA):
                index.setdefault(str(v.get("__address__")), []).append(v)
        _INDEX[:] = [(graph, count, index)]
    return _INDEX[0][2].get(address, [])


def _caller(module: Any) -> str | None:
    """The file of the outermost module call in a vertex's `source_module_object_`."""
    found = None
    for _ in range(64):
        if isinstance(module, str):
            try:
                module = json.loads(module)
            except ValueError:
                return found
        if not module:
            return found
        get = module.get if isinstance(module, dict) else (
            lambda k, m=module: getattr(m, k, None))
        found = str(get("path") or "") or found
        module = get("nested_tf_module")
    return found


def _body(vertex: dict[str, Any]) -> object:
    """The resource body inside a vertex's `config_` (`{type: {name: body}}`)."""
    body: object = vertex.get("config_")
    for _ in range(2):
        if isinstance(body, dict) and len(body) == 1 and "__start_line__" not in body:
            body = next(iter(body.values()))
    return body


def locate(conf: dict[str, Any], graph: Any, file: str = "") -> Located | str:
    """Where the resource *conf* comes from, or why that cannot be told. *file*: the path
    Checkov reports it at (relative to what it scans)."""
    address = str(conf.get("__address__") or "")
    if graph is None:
        return "Checkov gave no graph, so the file the table comes from is not known"
    tail = path_tail(file)
    same = [v for v in _tables_at(graph, address) if str(v.get("file_path_") or "").endswith(tail)]
    exact = [v for v in same if _body(v) is conf]
    if not exact:  # not the graph's own dict: its lines tell which vertex
        exact = [v for v in same if isinstance(body := _body(v), dict) and all(
            body.get(k) == conf.get(k) for k in ("__start_line__", "__end_line__"))]
    if len(exact) != 1:
        return f"{address} is not in Checkov's graph once"
    vertex = exact[0]
    path = str(vertex.get("file_path_") or "")
    if not os.path.isabs(path):
        return f"Checkov's graph gives no absolute path for {address}"
    if is_plan(conf):
        return Located(True, path, address)
    caller = _caller(vertex.get("source_module_object_"))
    return Located(False, os.path.dirname(caller or path), address)


def read(located: Located) -> list[TableState]:
    """Every table the file (plan, with its source: $TABLESPEC_SOURCE_DIR) or root (HCL)
    holds, read as the CLI reads it; RunError
    (one line) when it cannot be read."""
    if located.cfn:
        from checker.checkov.cfn import read_cfn

        return read_cfn(located.path)
    if located.plan:
        from checker.sources.plan import read_plan
        from checker.sources.plan.sourcedir import default_source_dir, plan_states

        source_dir = default_source_dir(os.environ.get(SOURCE_VARIABLE) or None)
        return plan_states(read_plan(located.path), located.path, source_dir)[0]
    from checker.sources.hcl import evaluate_root

    return evaluate_root(located.path).states


_BY_ADDRESS: list[tuple[list[TableState], int, dict[str, list[TableState]],
                        dict[str, list[TableState]]]] = []  # the last states' index


def matching(states: list[TableState], address: str) -> list[TableState]:
    """The states at *address*; or, where Checkov does not expand a resource's count or
    for_each (an address without an instance key), every instance of it. The states of a
    file are indexed once (every table of it asks), not scanned once per table."""
    if not _BY_ADDRESS or _BY_ADDRESS[0][0] is not states or _BY_ADDRESS[0][1] != len(states):
        exact: dict[str, list[TableState]] = {}
        stripped: dict[str, list[TableState]] = {}
        for s in states:
            exact.setdefault(s.resource, []).append(s)
            stripped.setdefault(_INSTANCE.sub("", s.resource), []).append(s)
        _BY_ADDRESS[:] = [(states, len(states), exact, stripped)]
    _, _, exact, stripped = _BY_ADDRESS[0]
    return list(exact.get(address) or stripped.get(address, []))


__all__ = ["REPLICA", "SOURCE_VARIABLE", "TABLE", "Located", "RunError", "is_plan", "locate",
           "matching", "path_tail", "read"]
