"""Expression syntax: tree-sitter expression nodes -> `exprnodes` objects.

Literals, collections, references with their index/attribute/splat steps, calls,
`for` expressions, operations and conditionals. String templates are read by
`templatesyntax`, beneath this mixin; bodies and blocks by the parser's converter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.errors import RunError
from checker.sources.hcl import numbers
from checker.sources.hcl.exprnodes import (
    Binary,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Name,
    ObjectExpr,
    Splat,
    TupleExpr,
    Unary,
)
from checker.sources.hcl.templatesyntax import TemplateSyntax

if TYPE_CHECKING:
    from tree_sitter import Node

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")  # as Go's ParseFloat
_MAX_LITERAL = 400  # characters of a number literal read (longer: beyond any budget)
_BINARY_OPS = frozenset(("*", "/", "%", "+", "-", ">", ">=", "<", "<=", "==", "!=", "&&", "||"))


class ExprSyntax(TemplateSyntax):
    """Converts expression nodes; mixed into the parser's converter (`parse`)."""

    def _string_lit(self, node: Node) -> str:
        """A string literal's text, unescaped."""
        kids = node.children
        raw = self._slice(kids[0].end_byte, kids[-1].start_byte)
        return self._unescape(raw, node)

    def expression(self, node: Node) -> Expr:
        """An `expression` node (a term followed by postfix steps, or a conditional)."""
        return self.term(node.children)

    def term(self, nodes: list[Node]) -> Expr:
        """A flattened `_expr_term`: a primary (or `( expr )`) then index/attr/splat steps."""
        first = nodes[0]
        if first.type == "(":
            expr, rest = self.expression(nodes[1]), nodes[3:]
        else:
            expr, rest = self.primary(first), nodes[1:]
        line, start = first.start_point[0] + 1, first.start_byte
        for step in rest:
            base = (self.src, line, start, step.end_byte)
            if step.type == "get_attr":
                expr = GetAttr(*base, expr, self._ident(step.children[1]))
            elif step.type == "index":
                expr = Index(*base, expr, self._index_key(step.children[0]))
            elif step.type == "splat":
                expr = self._splat(expr, step.children[0], line, start)
        return expr

    def _splat(self, obj: Expr, splat: Node, line: int, start: int) -> Expr:
        """`obj[*]...` (every step after it applies to each element) or `obj.*...` (only
        the attribute steps right after it do: an index ends it, as in HCL)."""
        full = splat.type == "full_splat"
        steps: list[str | Expr] = []
        rest: list[Node] = []
        for s in splat.children[1:]:
            if rest or (not full and s.type != "get_attr"):
                rest.append(s)
            elif s.type == "get_attr":
                steps.append(self._ident(s.children[1]))
            else:
                steps.append(self._index_key(s.children[0]))
        end = rest[0].start_byte if rest else splat.end_byte
        expr: Expr = Splat(self.src, line, start, end, obj, tuple(steps), full)
        for s in rest:
            base = (self.src, line, start, s.end_byte)
            if s.type == "get_attr":
                expr = GetAttr(*base, expr, self._ident(s.children[1]))
            else:
                expr = Index(*base, expr, self._index_key(s.children[0]))
        return expr

    def _ident(self, node: Node) -> str:
        """An identifier's text."""
        return self._slice(node.start_byte, node.end_byte)

    def _index_key(self, node: Node) -> Expr:
        """The key of `[key]` or legacy `.N`."""
        if node.type == "legacy_index":
            digits = self._slice(node.children[0].end_byte, node.end_byte)
            return Lit(*self._base(node), int(digits))
        return self.expression(node.children[1])

    def primary(self, node: Node) -> Expr:
        """The first node of a term: literal, template, collection, call, for, operation..."""
        kind = node.type
        if kind == "expression":
            return self.expression(node)
        if kind == "literal_value":
            return self._literal(node.children[0])
        if kind == "template_expr":
            return self._template(node.children[0])
        if kind == "collection_value":
            return self._collection(node.children[0])
        if kind == "variable_expr":
            return Name(*self._base(node), self._ident(node.children[0]))
        if kind == "function_call":
            return self._call(node)
        if kind == "for_expr":
            return self._for(node.children[0])
        if kind == "operation":
            return self._operation(node.children[0])
        if kind == "conditional":
            return self._conditional(node)
        raise RunError(f"{self.src.path}:{node.start_point[0] + 1}: unsupported syntax {kind}")

    def _literal(self, node: Node) -> Expr:
        """A number, bool, null or string literal."""
        text = self._slice(node.start_byte, node.end_byte)
        value: object
        if node.type == "numeric_lit":
            after = self.data[node.end_byte:node.end_byte + 1]
            if not _NUMBER.fullmatch(text) or after in (b"e", b"E"):
                raise RunError(f"{self.src.path}:{node.start_point[0] + 1}: a number "
                               "tablespec cannot read as Terraform does")
            parsed = numbers.parse(text) if len(text) <= _MAX_LITERAL else None
            value = float("inf") if parsed is None else parsed  # beyond any budget
        elif node.type == "bool_lit":
            value = text == "true"
        elif node.type == "null_lit":
            value = None
        else:
            value = self._string_lit(node)
        return Lit(*self._base(node), value)

    def _conditional(self, node: Node) -> Expr:
        """`c ? a : b`, right-associative as in HCL: tree-sitter-hcl reads
        `a ? b : c ? d : e` as `(a ? b : c) ? d : e`, which is read back here."""
        flat: list[Node] = []
        while True:
            cond, then, other = (k for k in node.children if k.type == "expression")
            flat[:0] = [then, other]
            kids = cond.children
            if len(kids) != 1 or kids[0].type != "conditional":
                flat.insert(0, cond)
                break
            node = kids[0]
        expr = self.expression(flat[-1])
        for at in range(len(flat) - 3, -1, -2):
            first, last = flat[at], flat[-1]
            base = (self.src, first.start_point[0] + 1, first.start_byte, last.end_byte)
            expr = Conditional(*base, self.expression(first), self.expression(flat[at + 1]),
                               expr)
        return expr

    def _collection(self, node: Node) -> Expr:
        """A tuple or object."""
        if node.type == "tuple":
            items = tuple(self.expression(k) for k in node.named_children if k.type == "expression")
            return TupleExpr(*self._base(node), items)
        pairs: list[tuple[Expr, Expr]] = []
        for elem in node.named_children:
            if elem.type != "object_elem":
                continue
            key_node, val_node = elem.child_by_field_name("key"), elem.child_by_field_name("val")
            assert key_node is not None and val_node is not None
            kids = key_node.children
            key: Expr
            if len(kids) == 1 and kids[0].type == "variable_expr":
                key = Lit(*self._base(kids[0]), self._ident(kids[0].children[0]))
            else:
                key = self.expression(key_node)
            pairs.append((key, self.expression(val_node)))
        return ObjectExpr(*self._base(node), tuple(pairs))

    def _call(self, node: Node) -> Expr:
        """A function call node."""
        name = self._ident(node.children[0])
        args: list[Expr] = []
        expand = False
        for child in node.named_children:
            if child.type == "function_arguments":
                for arg in child.children:
                    if arg.type == "expression":
                        args.append(self.expression(arg))
                    elif arg.type == "ellipsis":
                        expand = True
        return Call(*self._base(node), name, tuple(args), expand)

    def _for_intro(self, node: Node) -> tuple[str | None, str, Expr]:
        """`for k, v in coll :` -> (k, v, coll)."""
        names = [self._ident(k) for k in node.children if k.type == "identifier"]
        coll = next(k for k in node.children if k.type == "expression")
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return key_var, value_var, self.expression(coll)

    def _for(self, node: Node) -> Expr:
        """A for expression node."""
        kids = node.children
        key_var, value_var, coll = self._for_intro(kids[1])
        exprs = [self.expression(k) for k in kids if k.type == "expression"]
        cond_nodes = [k for k in kids if k.type == "for_cond"]
        cond = self.expression(cond_nodes[0].children[1]) if cond_nodes else None
        if node.type == "for_tuple_expr":
            return ForExpr(*self._base(node), key_var, value_var, coll, None, exprs[0], cond)
        group = any(k.type == "ellipsis" for k in kids)
        return ForExpr(*self._base(node), key_var, value_var, coll, exprs[0], exprs[1], cond,
                       group)

    def _operation(self, node: Node) -> Expr:
        """A unary or binary operation node."""
        kids = node.children
        if node.type == "unary_operation":
            return Unary(*self._base(node), kids[0].type, self.term(kids[1:]))
        depth = 0
        for i, kid in enumerate(kids):
            if kid.type == "(":
                depth += 1
            elif kid.type == ")":
                depth -= 1
            elif depth == 0 and not kid.is_named and kid.type in _BINARY_OPS and i > 0:
                return Binary(*self._base(node), kid.type, self.term(kids[:i]),
                              self.term(kids[i + 1 :]))
        raise RunError(f"{self.src.path}:{node.start_point[0] + 1}: unreadable operation")
