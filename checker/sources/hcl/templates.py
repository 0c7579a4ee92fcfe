"""String templates: interpolation, `%{if}` and `%{for}`; partly known strings keep their text."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.exprnodes import Expr, Part, Template, TemplateFor, TemplateIf
from checker.sources.hcl.operators import iterate, to_bool
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import Unknown, plain, to_text

Evaluate = Callable[[Expr, Scope], object]


class _Out:
    """Pieces of a rendered template: text, or None where a piece is unknown."""

    def __init__(self) -> None:
        self.pieces: list[str | None] = []
        self.unknown: Unknown | None = None
        self.length = 0  # characters so far (within the budget of one string)

    def _grow(self, length: int) -> None:
        """Count *length* more characters against the budget of one string."""
        self.length += length
        if self.length > budget.MAX_STRING:
            budget.text(self.length)

    def text(self, value: str) -> None:
        """Add known text."""
        if value:
            self._grow(len(value))
            self.pieces.append(value)

    def hole(self, value: Unknown) -> None:
        """Add an unknown piece (a partly known one keeps its text)."""
        self.unknown = self.unknown or value
        if value.parts:
            self._grow(sum(len(p) for p in value.parts if p is not None))
            self.pieces.extend(value.parts)
        else:
            self.pieces.append(None)


def render(expr: Template, scope: Scope, evaluate: Evaluate) -> object:
    """The string *expr* makes; `"${x}"` alone is x itself (provenance kept)."""
    if len(expr.parts) == 1 and isinstance(expr.parts[0], Expr):
        return evaluate(expr.parts[0], scope)
    out = _Out()
    _parts(expr.parts, scope, out, evaluate)
    budget.text(out.length)
    if out.unknown is None:
        return "".join(p for p in out.pieces if p is not None)
    merged: list[str | None] = []
    for piece in out.pieces:
        if merged and (piece is None) == (merged[-1] is None):
            if piece is not None:
                merged[-1] = f"{merged[-1]}{piece}"
            continue
        merged.append(piece)
    parts = tuple(merged) if any(p for p in merged) else None
    return Unknown(out.unknown.reason, parts=parts)


def _parts(parts: tuple[Part, ...], scope: Scope, out: _Out, evaluate: Evaluate) -> None:
    """Render template parts into *out*."""
    for part in parts:
        if isinstance(part, str):
            out.text(part)
        elif isinstance(part, TemplateIf):
            cond = to_bool(plain(evaluate(part.cond, scope)), "the condition of a template if")
            if isinstance(cond, Unknown):
                out.hole(Unknown(cond.reason))
            else:
                _parts(part.then if cond else part.otherwise, scope, out, evaluate)
        elif isinstance(part, TemplateFor):
            pairs = iterate(evaluate(part.collection, scope))
            if isinstance(pairs, Unknown):
                out.hole(pairs)
                continue
            for key, item in pairs:
                budget.step()
                names = {part.value_var: item}
                if part.key_var:
                    names[part.key_var] = key
                _parts(part.body, scope.bind(**names), out, evaluate)
        else:
            value = plain(evaluate(part, scope))
            if isinstance(value, Unknown):
                out.hole(value)
            else:
                out.text(to_text(value))
