"""Nested stacks (AWS::CloudFormation::Stack): the child template read as the parent deploys
it, with the Parameters the parent passes.

A child is read where its TemplateURL is a file beside the parent, as written before
`aws cloudformation package` uploads it (a relative path, or `file://`), or where the CDK's
`aws:asset:path` metadata or its assembly's asset manifest names that file. One at a URL, a
child whose file is missing, a stack nested in itself or too deep is a place not read: the
tables it may make are unknown, never absent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlparse

from checker.sources.cfn.parameters import cfn_text
from checker.sources.typed import string
from checker.specfile.limits import brief, kind_of
from checker.unknown import Unknown, invalid

STACK: Final = "AWS::CloudFormation::Stack"
MAX_DEPTH: Final = 8  # stacks nested in stacks
MAX_STACKS: Final = 200  # child stacks read for one template given


@dataclass(frozen=True)
class Child:
    """A child stack: the file of its template (None: not read, and why), its parameters."""

    path: str | None
    why: str
    parameters: dict[str, str | Unknown] | Unknown  # Unknown: every one of them is


def child_of(props: object, logical: str, parent: str, ancestry: tuple[str, ...],
             asset: object = None, assets: Mapping[str, str] | None = None) -> Child:
    """The child stack *logical* of the template *parent* declares with *props* (*asset*:
    its `aws:asset:path` metadata, the file of a CDK nested stack's template; *assets*: a
    cloud assembly's file assets by S3 object key)."""
    where = f"{logical}.Properties"
    values = props if isinstance(props, Mapping) else {}
    url = string(values.get("TemplateURL"), f"{where}.TemplateURL")
    path, why = _local(url, parent)
    if path is None and isinstance(asset, str) and asset:
        path = _local(asset, parent)[0]
    if path is None and assets:
        path = assets.get(_object_key(url) or "")
    if path is not None:
        real = os.path.realpath(path)
        if real in ancestry:
            path, why = None, f"its template {brief(path)} is a stack it is nested in"
        elif len(ancestry) >= MAX_DEPTH:
            path, why = None, f"it is nested more than {MAX_DEPTH} stacks deep"
    return Child(path, f"nested stack {logical} is not read: {why}" if path is None else "",
                 _parameters(values.get("Parameters"), where))


def _object_key(url: str | Unknown | None) -> str | None:
    """The last segment of an S3 URL (known in part: its literal end), where a CDK
    assembly's asset is published."""
    text = url if isinstance(url, str) else url.parts[-1] if isinstance(
        url, Unknown) and url.parts else None
    return text.rsplit("/", 1)[-1] if text and "/" in text else None


def _local(url: str | Unknown | None, parent: str) -> tuple[str | None, str]:
    """The file a TemplateURL names beside *parent* (None, and why, when it names none)."""
    if url is None:
        return None, "it has no TemplateURL"
    if isinstance(url, Unknown):
        return None, f"its TemplateURL is not known: {url.reason}"
    parsed = urlparse(url)
    if parsed.scheme and parsed.scheme != "file" and len(parsed.scheme) > 1:
        return None, (f"its template is at {brief(url)}, not here (check the template "
                      "before `aws cloudformation package` uploads it)")
    relative = unquote(parsed.path) if parsed.scheme == "file" else url
    path = os.path.join(os.path.dirname(parent), relative)
    if not os.path.isfile(path):
        return None, f"its template {brief(relative)} is not a file beside {brief(parent)}"
    return path, ""


def _parameters(node: object, where: str) -> dict[str, str | Unknown] | Unknown:
    """The Parameters a parent passes, as text (CloudFormation passes every value as text;
    a list is joined by commas); an Unknown when which they are is not known."""
    if node is None:
        return {}
    if isinstance(node, Unknown):
        return node
    if not isinstance(node, Mapping):
        return invalid(f"{where}.Parameters is {kind_of(node)}, not a mapping")
    out: dict[str, str | Unknown] = {}
    for name, value in node.items():
        if isinstance(name, str):
            out[name] = _text(value, f"{where}.Parameters.{name}")
    return out


def _text(value: object, where: str) -> str | Unknown:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        parts = [_text(v, where) for v in value]
        unknown = next((p for p in parts if isinstance(p, Unknown)), None)
        return unknown if unknown is not None else ",".join(str(p) for p in parts)
    text = cfn_text(value)
    return text if text is not None else invalid(f"{where} is {kind_of(value)}, not text")


__all__ = ["MAX_DEPTH", "MAX_STACKS", "STACK", "Child", "child_of"]
