"""Nested blocks of a resource (static and `dynamic`), and where each field is written."""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import Location
from checker.sources.hcl import budget
from checker.sources.hcl.bodynodes import Block, Body
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.exprnodes import Lit, Name
from checker.sources.hcl.operators import iterate
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import EvalError, Unknown, plain


@dataclass(eq=False)
class Nested:
    """One nested block as Terraform will see it: a body and the scope to read it in."""

    type: str
    body: Body
    scope: Scope
    written: Block  # the block as written: the static block, or the `dynamic` block

    def value(self, attr: str) -> object:
        """Argument *attr* of this block (None when not written)."""
        found = self.body.attributes.get(attr)
        return None if found is None else resolve(found.expr, self.scope)

    def locations(self, prefix: str) -> dict[str, Location]:
        """`prefix` -> the block, `prefix.attr` -> each argument written in it."""
        out = {prefix: Location(self.written.file, self.written.line)}
        for name, attr in self.body.attributes.items():
            out[f"{prefix}.{name}"] = Location(attr.file, attr.line)
        return out


def _iterator(block: Block, btype: str) -> str:
    """The iterator name of a dynamic block (its type unless `iterator` is set)."""
    found = block.body.attributes.get("iterator")
    return found.expr.name if found is not None and isinstance(found.expr, Name) else btype


def nested(body: Body, btype: str, scope: Scope) -> list[Nested] | Unknown:
    """The *btype* blocks of *body*, `dynamic` ones expanded; Unknown when a for_each is not known.

    A dynamic block whose for_each is not known makes the whole list unknown: the
    blocks may or may not be there, which is not the same as leaving them out.
    """
    out: list[Nested] = []
    for block in body.blocks:
        if block.type == btype:
            out.append(Nested(btype, block.body, scope, block))
            continue
        if block.type != "dynamic" or block.labels[:1] != (btype,):
            continue
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        for_each = block.body.attributes.get("for_each")
        where = f'dynamic "{btype}" ({block.file}:{block.line})'
        if content is None or for_each is None:
            return Unknown(f"{where} has no for_each or no content")
        try:
            pairs = iterate(plain(resolve(for_each.expr, scope)))
        except EvalError as exc:
            return Unknown(f"{where}: for_each: {exc}")
        if isinstance(pairs, Unknown):
            return Unknown(f"{where}: for_each is not known: {pairs.reason}")
        if why := budget.instances(len(out) + len(pairs)):
            return Unknown(f"{where}: for_each {why}")
        name = _iterator(block, btype)
        for key, value in pairs:
            inner = scope.bind(**{name: {"key": key, "value": value}})
            out.append(Nested(btype, content.body, inner, block))
    return out


def written_blocks(body: Body, btype: str) -> list[tuple[Block, Body]]:
    """The *btype* blocks as written (a dynamic block with its content), no evaluation."""
    out: list[tuple[Block, Body]] = []
    for block in body.blocks:
        if block.type == btype:
            out.append((block, block.body))
        elif block.type == "dynamic" and block.labels[:1] == (btype,):
            content = next((b for b in block.body.blocks if b.type == "content"), None)
            out.append((block, content.body if content is not None else Body()))
    return out


_NAMED = ("attribute", "global_secondary_index", "local_secondary_index")


def syntax_locations(body: Body) -> dict[str, Location]:
    """Field locations read from syntax alone: attributes, the first block of each type,
    and `attribute`/index blocks by their literal name (`global_secondary_index.NAME`)."""
    out = {name: Location(a.file, a.line) for name, a in body.attributes.items()}
    types = {b.labels[0] if b.type == "dynamic" and b.labels else b.type for b in body.blocks}
    for btype in sorted(types):
        found = written_blocks(body, btype)
        if not found:
            continue
        block, inner = found[0]
        out.setdefault(btype, Location(block.file, block.line))
        for name, attr in inner.attributes.items():
            out.setdefault(f"{btype}.{name}", Location(attr.file, attr.line))
        if btype not in _NAMED:
            continue
        for block, inner in found:
            name_attr = inner.attributes.get("name")
            if name_attr is None or not isinstance(name_attr.expr, Lit):
                continue
            prefix = f"{btype}.{name_attr.expr.value}"
            out[prefix] = Location(block.file, block.line)
            for name, attr in inner.attributes.items():
                out[f"{prefix}.{name}"] = Location(attr.file, attr.line)
    return out
