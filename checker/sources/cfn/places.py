"""What of a template tablespec reads besides its own resources, and what it cannot read.

SAM's SimpleTables are read as the tables SAM's translator makes of them (`sam`). A loop
not expanded, a macro Transform, or a SimpleTable the translator cannot read is a place where
any of the spec's tables may be: a note each, and a state whose every value is unknown
(their presence is unknown, never absent).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from checker.model import Location, TableState
from checker.sources.cfn.foreach import Unexpanded
from checker.sources.cfn.sam import SIMPLE_TABLE, translate, uses_sam
from checker.sources.cfn.template import Template, line_of
from checker.sources.unread import unread_place
from checker.specfile.limits import brief
from checker.specfile.yamltypes import lined

# Transforms whose output tablespec reads: the loops it expands, and SAM's (what SAM makes
# that is a table is each SimpleTable's)
READ_TRANSFORMS: Final = frozenset({"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"})


def with_sam(template: Template, resources: Mapping[Any, Any], region: str | None
             ) -> tuple[Mapping[Any, Any], str | None]:
    """*resources* with each SimpleTable the table SAM makes of it (at its line, with its
    Metadata), or as it is, and why its SimpleTables are not read (None: none is left)."""
    names = [n for n, r in resources.items()
             if isinstance(r, Mapping) and r.get("Type") == SIMPLE_TABLE]
    if not names:
        return resources, None
    if not uses_sam(template.transform):
        return resources, "the template has no SAM Transform (AWS::Serverless-2016-10-31)"
    made = translate({**template.data, "Resources": resources}, names, region)
    if isinstance(made, str):
        return resources, made
    out = lined(resources.items(), resources)
    for name, table in made.items():
        metadata = resources[name].get("Metadata")
        out[name] = {**table, "Metadata": metadata} if metadata is not None else table
    missing = [n for n in names if n not in made]
    return out, (f"SAM's translator made no table of {', '.join(missing)}" if missing
                 else None)


def not_read(template: Template, resources: Mapping[Any, Any], loops: list[Unexpanded],
             sam: str | None) -> tuple[list[str], list[TableState]]:
    """What of the template is not read (a loop not expanded, a macro not run, SAM's
    tables): a note each, and a place where any table may be (unknown, never absent)."""
    path = template.path
    places = [(f"{path}:{loop.name}", loop.line, f"{loop.name} is not expanded: {loop.why}")
              for loop in loops]
    places += [(f"{path}:{name}", line_of(resources, name), f"{name} is SAM's "
                f"{SIMPLE_TABLE}, not read: {sam}")
               for name, resource in resources.items() if sam is not None
               and isinstance(resource, Mapping) and resource.get("Type") == SIMPLE_TABLE]
    transform = template.transform
    names = transform if isinstance(transform, list) else [] if transform is None else [
        transform]
    places += [(f"{path}:Transform", line_of(template.data, "Transform"),
                f"the Transform {brief(name)} is a macro tablespec cannot run")
               for name in names if not (isinstance(name, str) and name in READ_TRANSFORMS)]
    notes = [f"{path}: {why}: the tables it may make are unknown" for _, _, why in places]
    return notes, [unread_place(address, "cfn", f"{why} (line {line})" if line else why,
                                Location(path, line)) for address, line, why in places]


__all__ = ["READ_TRANSFORMS", "not_read", "with_sam"]
