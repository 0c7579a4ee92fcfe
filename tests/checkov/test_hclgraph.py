"""Override files, provider default_tags and repeated modules, read from Checkov's graph."""

from __future__ import annotations

from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import pytest
import rustworkx as rx

from checker.checkov.hclgraph import GraphIndex, is_override_file, merge_override
from checker.model import is_unknown
from tests.checkov.confs import hcl_conf

ADDRESS = "aws_dynamodb_table.interaction_events"


def _table(path: str, body: dict[str, Any], module: object = None) -> dict[str, Any]:
    return {"block_type_": "resource", "resource_type": "aws_dynamodb_table",
            "block_name_": ADDRESS, "file_path_": path, "__address__": body["__address__"],
            "config_": {"aws_dynamodb_table": {"interaction_events": body}},
            "source_module_object_": module}


def _graph(kind: str, vertices: list[dict[str, Any]]) -> Any:
    if kind == "rustworkx":  # as Checkov's RustworkxConnector builds it
        graph = rx.PyDiGraph()
        graph.add_nodes_from(list(enumerate(vertices)))
        return graph
    nxg = nx.DiGraph()
    nxg.add_nodes_from((i, v) for i, v in enumerate(vertices))
    return nxg


@pytest.mark.parametrize("name", ["override.tf", "x_override.tf", "override.tf.json",
                                  "a_override.tf.json"])
def test_override_files(name: str) -> None:
    assert is_override_file(f"/repo/mod/{name}")


@pytest.mark.parametrize("name", ["main.tf", "overrides.tf", "override_x.tf", "x-override.tf"])
def test_ordinary_files(name: str) -> None:
    assert not is_override_file(f"/repo/mod/{name}")


def test_merge_replaces_arguments_and_whole_block_types() -> None:
    base = hcl_conf()
    over = {"__address__": ADDRESS, "__start_line__": 1, "billing_mode": ["PROVISIONED"],
            "attribute": [{"name": ["sessionId"], "type": ["N"]}]}
    merged = merge_override(base, over)
    assert merged["billing_mode"] == ["PROVISIONED"]
    assert merged["attribute"] == [{"name": ["sessionId"], "type": ["N"]}]
    assert merged["__start_line__"] == base["__start_line__"] and merged["ttl"] == base["ttl"]


def test_merge_dynamic_replaces_static_and_back() -> None:
    dyn = {"server_side_encryption": {"content": [{"enabled": [True]}], "for_each": [[]]}}
    merged = merge_override(hcl_conf(), {"dynamic": [dyn]})
    assert "server_side_encryption" not in merged and merged["dynamic"] == [dyn]
    back = merge_override(merged, {"server_side_encryption": [{"enabled": [False]}]})
    assert "dynamic" not in back and back["server_side_encryption"] == [{"enabled": [False]}]


@pytest.mark.parametrize("kind", ["rustworkx", "networkx"])
def test_override_merged_into_the_original(kind: str) -> None:
    main = hcl_conf()
    fragment = {"__address__": ADDRESS, "__start_line__": 4, "__end_line__": 8,
                "point_in_time_recovery": [{"enabled": [False]}]}
    index = GraphIndex.build(_graph(kind, [_table("/t/main.tf", main),
                                           _table("/t/pitr_override.tf", fragment)]))
    got = index.context(main)
    assert got.problem is None
    assert got.conf["point_in_time_recovery"] == [{"enabled": [False]}]
    assert main["point_in_time_recovery"] == [{"enabled": [True]}]  # Checkov's conf untouched
    part = index.context(fragment)
    assert part.problem is not None and "override file" in part.problem


def test_same_address_from_another_module_instance_is_not_an_override() -> None:
    main = hcl_conf()
    other = {"__address__": ADDRESS, "__start_line__": 4, "point_in_time_recovery": []}
    index = GraphIndex.build(_graph("rustworkx", [
        _table("/t/m/main.tf", main, {"path": "/t/prod/main.tf", "name": "m"}),
        _table("/t/m/x_override.tf", other, {"path": "/t/dev/main.tf", "name": "m"})]))
    assert index.context(main).conf is main


def test_overridden_locals_taint_every_table() -> None:
    main = hcl_conf()
    index = GraphIndex.build(_graph("rustworkx", [
        _table("/t/main.tf", main),
        {"block_type_": "locals", "file_path_": "/t/deviation_override.tf", "config_": {}}]))
    problem = index.context(main).problem
    assert problem is not None and "deviation_override.tf overrides a locals block" in problem


def test_table_in_a_module_called_with_for_each() -> None:
    main = hcl_conf(__address__="module.table.aws_dynamodb_table.this")
    module = {"block_type_": "module", "block_name_": "table", "file_path_": "/t/main.tf",
              "config_": {"table": {"__start_line__": 1, "for_each": ["local.tables"]}}}
    call = '{"path": "/t/main.tf", "name": "table", "foreach_idx": null}'
    index = GraphIndex.build(_graph("rustworkx", [module, _table("/t/m/main.tf", main, call)]))
    problem = index.context(main).problem
    assert problem is not None and "module.table has count/for_each" in problem


def _provider(tags: object) -> dict[str, Any]:
    return {"block_type_": "provider", "block_name_": "aws", "file_path_": "/t/main.tf",
            "config_": {"aws": {"__start_line__": 1, "default_tags": [{"tags": [tags]}]}}}


def test_provider_default_tags() -> None:
    main = hcl_conf()
    index = GraphIndex.build(_graph("rustworkx", [_table("/t/main.tf", main),
                                                  _provider({"Owner": "Ops"})]))
    assert index.context(main).default_tags == {"Owner": "Ops"}
    index = GraphIndex.build(_graph("rustworkx", [_table("/t/main.tf", main),
                                                  _provider("${local.tags}")]))
    assert is_unknown(index.context(main).default_tags)
