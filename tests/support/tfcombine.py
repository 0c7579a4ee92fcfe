"""Several roots planned as modules of one root, in one `terraform plan`, then split.

Each `terraform plan` and `show -json` pays the AWS provider's start-up (seconds each), so
the farm plans a shape's compliant root and every deviation of it together: each variant
is staged whole in a folder of its own and called as a module (`module "v0"`), its outputs
re-exported as `v0__name`. `split` gives back, for one variant, the plan JSON Terraform
writes when that root is planned alone: its module prefix removed from every address, its
provider configurations, outputs and input variables moved to the root.
`tests/support/test_tfcombine.py` holds split plans equal to plans made alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import terraform

OUTPUT = re.compile(r'^output\s+"([A-Za-z0-9_-]+)"', re.MULTILINE)
# keys whose values are addresses (or provider keys) relative to the module they are in
ADDRESS_KEYS = ("address", "module_address", "previous_address", "resource", "to_display",
                "provider_config_key", "module")


@dataclass(frozen=True)
class Variant:
    """One root to plan: *root* inside a copy of *tree*, with *extra* files dropped in."""

    tree: Path
    root: str
    extra: Mapping[str, str]


def module_name(index: int) -> str:
    """The module that calls the *index*-th variant."""
    return f"v{index}"


def _outputs(root_dir: Path) -> list[str]:
    """The root's output names (our fixtures declare them one per block, unsensitive)."""
    names: list[str] = []
    for path in sorted(root_dir.glob("*.tf")):
        names += OUTPUT.findall(path.read_text(encoding="utf-8"))
    return names


def stage_combined(variants: Sequence[Variant], dest: Path) -> Path:
    """The root calling every variant (staged under *dest*) as a module; returns it."""
    calls: list[str] = []
    for i, v in enumerate(variants):
        name = module_name(i)
        root_dir = terraform.stage(v.tree, dest / name, v.root, v.extra)
        source = root_dir.relative_to(dest).as_posix()
        calls.append(f'module "{name}" {{\n  source = "./{source}"\n}}\n')
        calls += [f'output "{name}__{o}" {{\n  value = module.{name}.{o}\n}}\n'
                  for o in _outputs(root_dir)]
    (dest / "main.tf").write_text("\n".join(calls), encoding="utf-8")
    return dest


def _strip(value: str, prefix: str) -> str | None:
    """*value* relative to the module *prefix* (`module.v0`), or None where it is not in it."""
    if value == prefix:
        return ""
    for sep in (".", ":"):
        if value.startswith(prefix + sep):
            return value[len(prefix) + 1:]
    return None


def _relocate(node: Any, prefix: str) -> Any:
    """*node* with every address in it made relative to *prefix* (the root's own module
    address is no address: the key goes)."""
    if isinstance(node, list):
        return [_relocate(item, prefix) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ADDRESS_KEYS and isinstance(value, str):
            moved = _strip(value, prefix)
            if moved == "":
                continue
            out[key] = value if moved is None else moved
        else:
            out[key] = _relocate(value, prefix)
    return out


def _provider_key(key: str, name: str) -> str | None:
    """A provider configuration's key relative to the variant *name* (`v0:aws` and
    `module.v0:aws` are its `aws`), or None for another variant's."""
    if key.startswith(f"{name}:"):
        return key[len(name) + 1:]
    return _strip(key, f"module.{name}")


def _own_outputs(outputs: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The variant *name*'s outputs, re-exported by the combined root as `name__output`."""
    return {k.removeprefix(f"{name}__"): v for k, v in outputs.items()
            if k.startswith(f"{name}__")}


def _inside(item: Mapping[str, Any], key: str, prefix: str) -> bool:
    value = item.get(key)
    return isinstance(value, str) and _strip(value, prefix) not in (None, "")


def _values(values: Mapping[str, Any], name: str) -> dict[str, Any]:
    """planned_values / prior_state.values of the variant *name*."""
    out: dict[str, Any] = {}
    outputs = _own_outputs(values.get("outputs", {}), name)
    if outputs:
        out["outputs"] = outputs
    prefix = f"module.{name}"
    children: list[dict[str, Any]] = values.get("root_module", {}).get("child_modules", [])
    child = next((c for c in children if c.get("address") == prefix), {})
    out["root_module"] = _relocate(child, prefix)
    return out


def _variables(module: Mapping[str, Any]) -> dict[str, Any]:
    """The root's input variables as a plan of it alone gives them (our fixtures' variants
    are planned on their defaults)."""
    return {k: {"value": v["default"]} for k, v in module.get("variables", {}).items()
            if "default" in v}


def split(plan: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The plan of the *index*-th variant alone, from the *plan* of them all."""
    name = module_name(index)
    prefix = f"module.{name}"
    config = plan["configuration"]
    module = config["root_module"]["module_calls"][name]["module"]
    out: dict[str, Any] = {}
    for key, value in plan.items():
        if key == "terraform_version":
            out[key] = value
            variables = _variables(module)
            if variables:  # the combined root has none: the variant's are its module's
                out["variables"] = variables
        elif key == "planned_values":
            out[key] = _values(value, name)
        elif key == "prior_state":
            out[key] = {**value, "values": _values(value.get("values", {}), name)}
        elif key in ("resource_changes", "resource_drift"):
            out[key] = [_relocate(c, prefix) for c in value if _inside(c, "address", prefix)]
        elif key == "output_changes":
            out[key] = _own_outputs(value, name)
        elif key == "relevant_attributes":
            out[key] = [_relocate(a, prefix) for a in value if _inside(a, "resource", prefix)]
        elif key == "checks":
            out[key] = [_relocate(c, prefix) for c in value
                        if _inside(c.get("address", {}), "to_display", prefix)]
        elif key == "configuration":
            providers = {own: _relocate(v, prefix)
                         for k, v in config["provider_config"].items()
                         if (own := _provider_key(k, name)) is not None}
            out[key] = {"provider_config": providers, "root_module": _relocate(module, prefix)}
        else:
            out[key] = value
    return out
