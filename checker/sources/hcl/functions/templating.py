"""templatefile and templatestring: a template rendered with the variables given.

The template is read with the evaluator's own template parser (the text as the body of
a heredoc, whose syntax is a template's: `${...}`, `%{...}`, `$${` and `%%{` escapes and
no backslash escapes) and rendered in a scope that binds only the variables given:
every name the template refers to must be one of them. A template may call the other
functions, but not templatefile or templatestring, and templatestring's templates may
not read files. Terraform accepts only a reference as templatestring's template (not a
literal, nor an inline template): `precheck` is that rule, applied by the evaluator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from checker.errors import RunError
from checker.sources.hcl import budget
from checker.sources.hcl.exprnodes import (
    Expr,
    ForExpr,
    Lit,
    Name,
    Part,
    Template,
    TemplateFor,
    TemplateIf,
)
from checker.sources.hcl.functions import files
from checker.sources.hcl.functions.texts import nfc
from checker.sources.hcl.references import children as expr_children
from checker.sources.hcl.valuemodel import EvalError, Unknown, plain, to_text, type_name

_RENDERING: list[str] = []  # the template functions being rendered, innermost last
_IDENT = re.compile(r"[^\W\d][\w-]*")
_NAMES = ("templatefile", "templatestring")


@lru_cache(maxsize=16)
def parse(text: str, name: str) -> Template:
    """*text* parsed as a template (file *name* in messages); EvalError when it is not one."""
    from checker.sources.hcl.parse import parse_source

    delimiter = "TEMPLATE"
    while delimiter in text:
        delimiter += "_"
    source = f"template = <<{delimiter}\n{text}\n{delimiter}\n"
    try:
        body, _, _ = parse_source(source.encode("utf-8", "surrogatepass"), name)
    except RunError as exc:
        raise EvalError(f"the template is not valid: {str(exc)[:200]}") from None
    attribute = body.attributes.get("template")
    if attribute is None or not isinstance(attribute.expr, Template):
        raise EvalError("the template is not valid")
    expr = attribute.expr
    parts = list(expr.parts)
    if parts and isinstance(parts[-1], str) and parts[-1].endswith("\n"):
        parts[-1] = parts[-1][:-1]  # the line break before the heredoc's end
        if not parts[-1]:
            parts.pop()
    return Template(expr.src, expr.line, expr.start, expr.end, tuple(parts))


def _roots(node: Expr | Part, bound: frozenset[str]) -> Iterator[Name]:
    """Each variable reference in *node* (hclsyntax's Variables): the names not bound by a
    `for` around them."""
    budget.step()
    if isinstance(node, Name):
        if node.name not in bound:
            yield node
        return
    children: list[Expr | Part] = []
    inner: list[Expr | Part] = []
    names: frozenset[str] = frozenset()
    if isinstance(node, Template):
        children = list(node.parts)
    elif isinstance(node, TemplateIf):
        children = [node.cond, *node.then, *node.otherwise]
    elif isinstance(node, ForExpr | TemplateFor):
        children = [node.collection]
        names = frozenset(n for n in (node.key_var, node.value_var) if n)
        inner = ([e for e in (node.key, node.value, node.cond) if e is not None]
                 if isinstance(node, ForExpr) else list(node.body))
    elif isinstance(node, Expr):
        children = list(expr_children(node))
    for child in children:
        if not isinstance(child, str | Lit):
            yield from _roots(child, bound)
    for child in inner:
        if not isinstance(child, str):
            yield from _roots(child, bound | names)


def render(template: Template, variables: object, what: str) -> object:
    """*template* rendered with *variables* (a map or an object of valid names)."""
    from checker.sources.hcl.evaluate import evaluate
    from checker.sources.hcl.scopes import literal_scope

    if not isinstance(variables, dict):
        raise EvalError(f"{what}: invalid vars value: must be a map, not "
                        f"{type_name(variables)}")
    for key in variables:
        if not _IDENT.fullmatch(key):
            raise EvalError(f"{what}: invalid template variable name {key[:40]!r}: must start "
                            "with a letter, followed by zero or more letters, digits, and "
                            "underscores")
    for ref in _roots(template, frozenset()):
        if ref.name not in variables:
            raise EvalError(f'{what}: vars map does not contain key "{ref.name}", referenced '
                            f"at {ref.where}")
    _RENDERING.append(what)
    if what == "templatestring":
        files.DENIED.append(what)
    try:
        value = evaluate(template, literal_scope().bind(**variables))
    finally:
        _RENDERING.pop()
        if what == "templatestring":
            files.DENIED.pop()
    if value is None:
        raise EvalError(f"{what}: the result of the template is null")
    return nfc(value) if isinstance(value, str) else value


def _enter(what: str) -> None:
    """Refuse *what* inside another template's rendering, as Terraform does."""
    if _RENDERING:
        raise EvalError(f"{what}: cannot recursively call {what} from inside another "
                        "template function")


def _templatefile(path: str, variables: object) -> object:
    """`templatefile(path, vars)`: the file (read as `file` reads it) rendered."""
    _enter("templatefile")
    text = files.read_text(path, "templatefile")
    if isinstance(text, Unknown):
        return text
    return render(parse(text, path), variables, "templatefile")


def _templatestring(template: str, variables: object) -> object:
    """`templatestring(template, vars)`: a string template rendered; a string result."""
    _enter("templatestring")
    value = plain(render(parse(template, "<templatestring argument>"), variables,
                         "templatestring"))
    if isinstance(value, Unknown | str):
        return value
    if isinstance(value, list | dict):
        raise EvalError(f"templatestring: invalid template result: a string is required, "
                        f"not {type_name(value)}")
    return to_text(value)


FUNCTIONS: dict[str, Callable[..., object]] = {
    "templatefile": _templatefile,
    "templatestring": _templatestring,
}

__all__ = ["FUNCTIONS", "parse", "render"]
