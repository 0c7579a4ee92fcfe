"""CDK cloud assemblies (`cdk synth`'s `cdk.out`): the stacks `manifest.json` lists, each
with its environment, its stack tags and the construct path of each resource.

A stack's account and region are its environment's (`aws://ACCOUNT/REGION`); a stack
synthesized without one says `unknown-account` / `unknown-region`, which is not known here
either (the command line's `--account` / `--region` stand in). A stage's stacks are in an
assembly of their own, which the manifest names (`cdk:cloud-assembly`). A resource's
construct path is its `aws:cdk:path` metadata (the CDK CLI writes it), else the
`aws:cdk:logicalId` entries of the stack's metadata, else the construct tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from checker.errors import RunError, located
from checker.sources.cfn.jsonlines import read_json
from checker.specfile.limits import brief, kind_of

MANIFEST: Final = "manifest.json"
STACK: Final = "aws:cloudformation:stack"
NESTED_ASSEMBLY: Final = "cdk:cloud-assembly"
MAX_BYTES: Final = 16 * 1024 * 1024  # one manifest, metadata or tree file
MAX_VALUES: Final = 2_000_000
MAX_DEPTH: Final = 200  # nesting of the tree file's constructs
MAX_ASSEMBLIES: Final = 8  # stage assemblies nested in one another
MAX_STACKS: Final = 2_000  # stacks of one assembly, its stages' included
_UNKNOWN: Final = ("unknown-account", "unknown-region")


@dataclass(frozen=True)
class StackArtifact:
    """One stack of an assembly."""

    name: str
    template: str  # the template file
    account: str | None
    region: str | None
    tags: dict[str, str] = field(default_factory=dict)  # the stack's own tags
    paths: dict[str, str] = field(default_factory=dict)  # logical id -> construct path
    # the S3 object key of each file asset -> its file in the assembly (a nested stack's
    # TemplateURL names the key)
    assets: dict[str, str] = field(default_factory=dict)


def is_assembly(directory: str) -> bool:
    """Whether *directory* is a cloud assembly (it holds a manifest.json)."""
    return os.path.isfile(os.path.join(directory, MANIFEST))


def stacks(directory: str, depth: int = 0, seen: set[str] | None = None
           ) -> list[StackArtifact]:
    """The stacks of the assembly in *directory*, those of its stages' assemblies too (each
    assembly once, at most MAX_STACKS in all)."""
    seen = set() if seen is None else seen
    if os.path.realpath(directory) in seen:
        return []
    seen.add(os.path.realpath(directory))
    manifest = _json(os.path.join(directory, MANIFEST))
    artifacts = manifest.get("artifacts") if isinstance(manifest, Mapping) else None
    if not isinstance(artifacts, Mapping):
        raise RunError(located(os.path.join(directory, MANIFEST), None, "not a cloud "
                               "assembly manifest: it has no artifacts mapping"))
    tree = _tree(directory, artifacts)
    files = _assets(directory, artifacts)
    out: list[StackArtifact] = []
    for name, artifact in artifacts.items():
        if not isinstance(artifact, Mapping):
            continue
        props = artifact.get("properties")
        props = props if isinstance(props, Mapping) else {}
        if artifact.get("type") == STACK and isinstance(props.get("templateFile"), str):
            out.append(replace(_stack(directory, str(name), artifact, props, tree),
                               assets=files))
        elif artifact.get("type") == NESTED_ASSEMBLY and isinstance(
                props.get("directoryName"), str):
            if depth >= MAX_ASSEMBLIES:
                raise RunError(f"{directory}: stage assemblies nested more than "
                               f"{MAX_ASSEMBLIES} deep")
            out.extend(stacks(_inside(directory, props["directoryName"]), depth + 1, seen))
        if len(out) > MAX_STACKS:
            raise RunError(f"{directory}: the assembly has more than {MAX_STACKS:,} stacks")
    return out


def _stack(directory: str, name: str, artifact: Mapping[str, Any], props: Mapping[str, Any],
           tree: Any) -> StackArtifact:
    account, region = _environment(artifact.get("environment"))
    tags = props.get("tags")
    display = artifact.get("displayName")
    stack_path = display if isinstance(display, str) else name
    paths = _metadata_paths(artifact.get("metadata"))
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str):
        paths.update(_metadata_paths(_json(_inside(directory, extra))))
    if not paths:
        paths = dict(_tree_paths(tree, stack_path))
    return StackArtifact(
        name=str(props["stackName"]) if isinstance(props.get("stackName"), str) else name,
        template=_inside(directory, props["templateFile"]), account=account, region=region,
        tags={str(k): str(v) for k, v in tags.items() if isinstance(v, str)}
        if isinstance(tags, Mapping) else {}, paths=paths)


def _assets(directory: str, artifacts: Mapping[str, Any]) -> dict[str, str]:
    """S3 object key -> the file it is published from, for the file assets of every asset
    manifest of the assembly."""
    out: dict[str, str] = {}
    for artifact in artifacts.values():
        props = artifact.get("properties") if isinstance(artifact, Mapping) else None
        file = props.get("file") if isinstance(props, Mapping) else None
        if artifact.get("type") != "cdk:asset-manifest" or not isinstance(file, str):
            continue
        found = _json(_inside(directory, file)).get("files")
        for asset in found.values() if isinstance(found, Mapping) else []:
            source = asset.get("source") if isinstance(asset, Mapping) else None
            path = source.get("path") if isinstance(source, Mapping) else None
            places = asset.get("destinations") if isinstance(asset, Mapping) else None
            if not isinstance(path, str) or not isinstance(places, Mapping):
                continue
            for place in places.values():
                key = place.get("objectKey") if isinstance(place, Mapping) else None
                if isinstance(key, str):
                    out[key] = _inside(directory, path)
    return out


def _environment(value: object) -> tuple[str | None, str | None]:
    """(account, region) of `aws://ACCOUNT/REGION`; None for what is not known."""
    if not isinstance(value, str) or not value.startswith("aws://"):
        return None, None
    parts = value[len("aws://"):].split("/")
    if len(parts) != 2:
        return None, None
    account, region = (p if p and p not in _UNKNOWN else None for p in parts)
    return account, region


def _metadata_paths(metadata: object) -> dict[str, str]:
    """Logical id -> construct path, from `aws:cdk:logicalId` metadata entries."""
    out: dict[str, str] = {}
    if not isinstance(metadata, Mapping):
        return out
    for path, entries in metadata.items():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and entry.get("type") == "aws:cdk:logicalId" and \
                    isinstance(entry.get("data"), str) and isinstance(path, str):
                out[entry["data"]] = path.lstrip("/")
    return out


def _tree(directory: str, artifacts: Mapping[str, Any]) -> Any:
    """The construct tree the manifest names (None: it names none)."""
    for artifact in artifacts.values():
        if isinstance(artifact, Mapping) and artifact.get("type") == "cdk:tree":
            props = artifact.get("properties")
            file = props.get("file") if isinstance(props, Mapping) else None
            if isinstance(file, str) and os.path.isfile(_inside(directory, file)):
                return _json(_inside(directory, file)).get("tree")
    return None


def _tree_paths(node: Any, stack_path: str) -> Iterator[tuple[str, str]]:
    """(logical id, construct path) of each resource of the stack *stack_path* in the tree
    (not those of its nested stacks, which have templates of their own)."""
    todo = [node]
    while todo:
        node = todo.pop()
        if not isinstance(node, Mapping):
            continue
        path = node.get("path")
        attributes = node.get("attributes")
        if isinstance(attributes, Mapping) and isinstance(path, str) and \
                path.startswith(f"{stack_path}/"):
            logical = attributes.get("aws:cdk:cloudformation:logicalId")
            if isinstance(logical, str):
                yield logical, path
        info = node.get("constructInfo")
        nested = isinstance(info, Mapping) and str(info.get("fqn", "")).endswith("NestedStack")
        children = node.get("children")
        if isinstance(children, Mapping) and not (nested and path != stack_path):
            todo.extend(children.values())


def _inside(directory: str, name: str) -> str:
    """*name*, a file of the assembly, under *directory* (never outside it)."""
    path = os.path.normpath(os.path.join(directory, name))
    if os.path.commonpath([os.path.abspath(path), os.path.abspath(directory)]) != \
            os.path.abspath(directory):
        raise RunError(f"{directory}: the assembly names {brief(name)}, outside it")
    return path


def _json(path: str) -> Any:
    """The JSON in *path*, bounded; a RunError naming it when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise RunError(f"{path}: cannot read it ({type(err).__name__})") from None
    if len(raw) > MAX_BYTES:
        raise RunError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RunError(f"{path}: not UTF-8 text") from None
    data = read_json(path, text, max_values=MAX_VALUES, max_depth=MAX_DEPTH)
    if not isinstance(data, Mapping):
        raise RunError(located(path, None, f"the top level is {kind_of(data)}, not a mapping"))
    return data


__all__ = ["MANIFEST", "StackArtifact", "is_assembly", "stacks"]
