"""`data "aws_iam_policy_document"`: a pure function of its block, computed from source.

Its `json` and `minified_json` are the document `policydoc.document` reads from the
block, written as the provider writes them (Go's json.MarshalIndent and json.Marshal:
HTML characters escaped), when it is wholly known. Where only some of its values are
known, they are an Unknown whose `decoded` is the document with those values as Unknown
leaves; where its shape is not known (or Terraform would refuse it), a bare Unknown.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING

from checker.sources.hcl import budget
from checker.sources.hcl.body import instance_body
from checker.sources.hcl.valuemodel import Origin, Tagged, Thunk, Unknown, find_unknown
from checker.sources.terraform.policydoc import document
from checker.unknown import Reason

if TYPE_CHECKING:
    from checker.sources.hcl.resources import Instance

POLICY_DOCUMENT = "aws_iam_policy_document"
_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                       "\u2028": "\\u2028", "\u2029": "\\u2029"})
# Each attribute computed, and the indent of its JSON (None: minified)
_TEXTS: dict[str, int | None] = {"json": 2, "minified_json": None}


def computed(inst: Instance) -> dict[str, Thunk]:
    """The attributes of a policy document data instance that its block decides."""
    doc = Thunk(f"{inst.address} ({inst.block.file}:{inst.block.line})",
                partial(_document, inst))
    return {attr: Thunk(f"{inst.address}.{attr}", partial(_attribute, inst, doc, attr))
            for attr in _TEXTS}


def _document(inst: Instance) -> object:
    """The document of *inst*, read from its block."""
    return document(instance_body(inst))


def _attribute(inst: Instance, doc: Thunk, attr: str) -> object:
    """Attribute *attr* (`json` or `minified_json`) of *inst*, whose document is *doc*."""
    found = doc.get()
    site = f"{inst.address}.{attr} ({inst.block.file}:{inst.block.line})"
    origin = Origin(f"data.{inst.type}", inst.address, attr)
    if isinstance(found, Unknown):
        what = "valid" if found.kind is Reason.INVALID_VALUE else "known"
        return Unknown(f"{site} is not {what}: {found.reason}", found.kind, origin=origin)
    unknown = find_unknown(found)
    if unknown is not None:
        return Unknown(f"{site} is known only when all of its values are: {unknown.reason}",
                       unknown.kind, origin=origin, decoded=found)
    return Tagged(_text(found, _TEXTS[attr]), origin)


def _text(doc: object, indent: int | None) -> str:
    """A wholly known JSON-shaped value as Go's encoding/json writes it (maps' keys sorted
    as the document holds them), within the budget of one string."""
    separators = (",", ": ") if indent is not None else (",", ":")
    out = json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators)
    budget.text(len(out))
    return out.translate(_HTML)


__all__ = ["POLICY_DOCUMENT", "computed"]
