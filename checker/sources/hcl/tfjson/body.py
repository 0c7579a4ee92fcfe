"""Terraform's JSON configuration syntax (`.tf.json`) -> the `bodynodes` and `exprnodes`
trees the HCL parser gives, so that everything after parsing works unchanged.

Read as HCL's JSON syntax reads it: the root object's properties are top-level blocks,
each label a level of objects (or arrays of objects), a block body an object (an array
of objects: one block each); which nested properties are blocks is `kinds`. A string
is a template where Terraform evaluates one (`"${var.x}"` alone is var.x), written as is
where it takes a literal value (a variable's default), an expression where it takes a
reference or keyword (`depends_on`, `provider`, a variable's `type`): `strings`.
Numbers are exact (`numbers.parse` on the literal text). A `"//"` property of a body is
a comment (its string a `Comment`, where `tablespec:skip=` is read), not content.

Each Attribute and Block names the file and the line of its property name (a block of
an array of bodies: the line of its `{`). What Terraform refuses is a one-line RunError
naming file:line: a root that is not an object, a top-level property that is not a block
type, an argument or object key set twice, a block that is not an object.
"""

from __future__ import annotations

import re
from collections import Counter

from checker.errors import RunError
from checker.sources.hcl import numbers
from checker.sources.hcl.bodynodes import Attribute, Block, Body, Comment
from checker.sources.hcl.exprnodes import Expr, Lit, ObjectExpr, Source, TupleExpr
from checker.sources.hcl.hclsyntax.errors import shown_name
from checker.sources.hcl.tfjson import syntax as jsonsyntax
from checker.sources.hcl.tfjson.kinds import FILE, LITERAL, OPEN, REFERENCE, Kind, KindOf, nested
from checker.sources.hcl.tfjson.strings import Strings, is_template
from checker.sources.hcl.tfjson.syntax import (
    JArray,
    JKeyword,
    JNode,
    JNumber,
    JObject,
    JProperty,
    JString,
)

_MAX_LITERAL = 400  # characters of a number literal read (longer: beyond any budget)
_WHOLE = re.compile(r"-?[1-9][0-9]{0,99}|0")  # exact in 512 bits (not `-0`: negative zero)


def _number(text: str) -> object:
    """A JSON number's exact value (beyond any budget: an infinity)."""
    if _WHOLE.fullmatch(text):
        return int(text)  # what `numbers.parse` gives, without its cost
    parsed = numbers.parse(text) if len(text) <= _MAX_LITERAL else None
    return float("inf") if parsed is None else parsed


def _may_be_blocks(value: JNode) -> bool:
    """True when *value* may be blocks: an object, an array, null."""
    return isinstance(value, JObject | JArray) or (
        isinstance(value, JKeyword) and value.value is None)


class _Converter:
    """Turns one file's JSON tree into `bodynodes` objects."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        self.src = Source(path, data)
        self.strings = Strings(self.src)
        self.comments: list[Comment] = []

    def refuse(self, line: int, why: str) -> RunError:
        """The error for what Terraform refuses at *line*."""
        return RunError(f"{self.path}:{line}: {why}; Terraform refuses it")

    def file(self, root: JNode) -> Body:
        """The top-level body of the file."""
        if not isinstance(root, JObject | JArray):
            raise self.refuse(root.line, "the root of a JSON configuration file is not an "
                                         "object")
        props: list[JProperty] = []
        for item in root.items if isinstance(root, JArray) else [root]:
            if not isinstance(item, JObject):
                raise self.refuse(item.line, "an element of the root array is not an object")
            props.extend(item.props)
        for prop in props:
            if prop.name.value != "//" and nested(FILE, prop.name.value) is None:
                raise self.refuse(prop.name.line, f"{shown_name(prop.name.value)} is not a "
                                  "block type of Terraform's configuration files")
        return self.body(props, FILE)

    def body(self, props: list[JProperty], kind: Kind) -> Body:
        """A body of *kind* from its properties."""
        body = Body()
        counts = Counter(p.name.value for p in props)
        blockish: dict[str, bool] = {}  # name -> every value of it may be blocks
        for p in props:
            blockish[p.name.value] = blockish.get(p.name.value, True) and _may_be_blocks(p.value)
        for prop in props:
            name = prop.name.value
            if name == "//":
                if isinstance(prop.value, JString):
                    self.comments.append(Comment(prop.value.value, self.path, prop.value.line,
                                                 prop.name.start))
                continue
            found = nested(kind, name)
            if found is None and counts[name] > 1 and not (
                    kind.closed or name in kind.attributes) and blockish[name]:
                found = (0, OPEN)  # blocks of a type not known here (an attribute Terraform
                # refuses set twice, or blocks tablespec does not read): never an attribute
            if found is not None:
                body.blocks.extend(self.blocks(name, prop, found[0], found[1]))
                continue
            first = body.attributes.get(name)
            if first is not None:
                raise self.refuse(prop.name.line, f"the argument {shown_name(name)} is set "
                                  f"twice (first at line {first.line})")
            mode = kind.modes.get(name, kind.mode)
            body.attributes[name] = Attribute(name, self.expr(prop.value, mode), self.path,
                                              prop.name.line)
        return body

    def blocks(self, btype: str, prop: JProperty, labels: int,
               of: Kind | KindOf) -> list[Block]:
        """The *btype* blocks a property makes: *labels* levels of objects, then bodies."""
        out: list[Block] = []
        self._unpack(btype, prop.value, labels, (), prop.name, of, out)
        return out

    def _unpack(self, btype: str, value: JNode, left: int, labels: tuple[str, ...],
                name: JString, of: Kind | KindOf, out: list[Block]) -> None:
        """Blocks under one label level (*left* levels to go), appended to *out*."""
        if left:
            null = isinstance(value, JKeyword) and value.value is None
            items = value.items if isinstance(value, JArray) else [] if null else [value]
            if not all(isinstance(i, JObject) for i in items):
                raise self.refuse(value.line, f"a {shown_name(btype)} block's labels are not "
                                  "an object whose property names are its labels")
            props = [p for i in items if isinstance(i, JObject) for p in i.props]
            if not props:
                raise self.refuse(value.line, f"a {shown_name(btype)} block without its "
                                  "labels")
            for prop in props:
                self._unpack(btype, prop.value, left - 1, (*labels, prop.name.value),
                             prop.name, of, out)
            return
        kind = of if isinstance(of, Kind) else of(labels)
        if isinstance(value, JKeyword) and value.value is None:
            return  # no block
        if isinstance(value, JObject):
            out.append(self._block(btype, labels, value, name.line, name.start, kind))
            return
        if not isinstance(value, JArray):
            raise self.refuse(value.line, f"a {shown_name(btype)} block is not an object "
                              "(or an array of objects)")
        for item in value.items:
            if isinstance(item, JKeyword) and item.value is None:
                out.append(Block(btype, labels, Body(), self.path, item.line, item.start,
                                 item.end))
            elif isinstance(item, JObject):
                out.append(self._block(btype, labels, item, item.line, item.start, kind))
            else:
                raise self.refuse(item.line, f"a {shown_name(btype)} block is not an object")

    def _block(self, btype: str, labels: tuple[str, ...], obj: JObject, line: int,
               start: int, kind: Kind) -> Block:
        """One block with body *obj*."""
        return Block(btype, labels, self.body(obj.props, kind), self.path, line, start,
                     obj.end)

    def expr(self, node: JNode, mode: str) -> Expr:
        """The expression a JSON value makes, read in *mode* (iteratively: no recursion)."""
        done: list[Expr] = []
        todo: list[tuple[JNode, bool]] = [(node, False)]
        while todo:
            current, built = todo.pop()
            if isinstance(current, JArray):
                if not built:
                    todo.append((current, True))
                    todo.extend((i, False) for i in reversed(current.items))
                    continue
                items = tuple(done[len(done) - len(current.items):])
                del done[len(done) - len(current.items):]
                done.append(TupleExpr(self.src, current.line, current.start, current.end,
                                      items))
            elif isinstance(current, JObject):
                if not built:
                    todo.append((current, True))
                    todo.extend((p.value, False) for p in reversed(current.props))
                    continue
                values = done[len(done) - len(current.props):]
                del done[len(done) - len(current.props):]
                done.append(self._object(current, values, mode))
            else:
                done.append(self._scalar(current, mode))
        return done[0]

    def _object(self, obj: JObject, values: list[Expr], mode: str) -> Expr:
        """An object expression: keys read in *mode*; a literal key written twice is
        refused, as Terraform refuses it."""
        seen: dict[str, int] = {}
        items: list[tuple[Expr, Expr]] = []
        for prop, value in zip(obj.props, values, strict=True):
            key = prop.name
            if mode == LITERAL or (mode != REFERENCE and not is_template(key.value)):
                if key.value in seen:
                    raise self.refuse(key.line, f"the object key {shown_name(key.value)} is "
                                      f"set twice (first at line {seen[key.value]})")
                seen[key.value] = key.line
            items.append((self._scalar(key, mode), value))
        return ObjectExpr(self.src, obj.line, obj.start, obj.end, tuple(items))

    def _scalar(self, node: JNode, mode: str) -> Expr:
        """A string, number, bool or null."""
        if isinstance(node, JString):
            if mode == REFERENCE:
                return self.strings.expression(node)
            if mode == LITERAL or not is_template(node.value):
                return Lit(self.src, node.line, node.start, node.end, node.value)
            return self.strings.template(node)
        if isinstance(node, JNumber):
            return Lit(self.src, node.line, node.start, node.end, _number(node.text))
        assert isinstance(node, JKeyword)
        return Lit(self.src, node.line, node.start, node.end, node.value)


def parse_json(data: bytes, path: str) -> tuple[Body, list[Block], list[Comment]]:
    """(top-level body, its blocks, every comment) of one JSON configuration file;
    RunError for invalid JSON or what Terraform refuses in it."""
    root = jsonsyntax.parse(data, path)
    conv = _Converter(data, path)
    try:
        body = conv.file(root)
    except RecursionError:
        raise RunError(f"{path}: blocks nested too deeply to read") from None
    conv.strings.finish()
    for block in body.blocks:
        block.comments = [c for c in conv.comments if block.start <= c.start < block.end]
    return body, body.blocks, conv.comments


def _plain(node: JNode, path: str, twice: str = "duplicate object attribute {}") -> object:
    """The literal value of a JSON value, as Terraform reads a `.tfvars.json` file's:
    strings as written (no templates), numbers exact, an object key set twice refused
    (*twice*: the message, `{}` the key)."""
    if isinstance(node, JString):
        return node.value
    if isinstance(node, JNumber):
        return _number(node.text)
    if isinstance(node, JKeyword):
        return node.value
    if isinstance(node, JArray):
        return [_plain(item, path) for item in node.items]
    assert isinstance(node, JObject)
    out: dict[str, object] = {}
    for prop in node.props:
        if prop.name.value in out:
            raise RunError(f"{path}:{prop.name.line}: "
                           + twice.format(shown_name(prop.name.value)))
        out[prop.name.value] = _plain(prop.value, path)
    return out


def parse_var_values(data: bytes, path: str) -> dict[str, object]:
    """Variable values of one `.tfvars.json` file: a JSON object of literal values. RunError
    (one line, file:line) for invalid JSON, a root that is not an object, a name set twice."""
    root = jsonsyntax.parse(data, path)
    if not isinstance(root, JObject):
        raise RunError(f"{path}:{root.line}: a JSON variables file must hold an object")
    values = _plain(root, path, "variable {} is set twice in this file")
    assert isinstance(values, dict)
    return values
