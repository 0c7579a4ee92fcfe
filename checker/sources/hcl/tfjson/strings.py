"""The strings of a JSON configuration file read as HCL: templates and expressions.

HCL's JSON syntax reads a string where Terraform evaluates one as a standalone template
(no backslash escapes: JSON's are already resolved; `$${` and `%%{` escaped, `~` strip
markers, `%{if}` and `%{for}`), and a string that stands for a reference, a keyword or a
type (`depends_on`, `provider`, `"list(string)"`) as a native expression. Both are parsed
by the HCL parser (`parse.parse_source`): the template as the text of a heredoc, the
expression as an argument's value. Every expression made is placed on the line of its
JSON string (a JSON string is on one line); its `text` is its part of the string.

The templates of a file are parsed together, as the heredocs of one source (a parse
costs far more than its text): `template` gives a Template whose parts `finish` fills.
When that source is not valid, halving it finds the first string that is not a template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from checker.errors import RunError
from checker.sources.hcl.exprnodes import Expr, Part, Source, Template, TemplateFor, TemplateIf
from checker.sources.hcl.parse import parse_source
from checker.sources.hcl.tfjson.syntax import JString

_RUN = re.compile(r"EOT(_*)")
# Where the parser's message places an error: in the text parsed, not in the file
_COLUMN = re.compile(r" at column \d+|(?<=\()at column \d+: ")


def is_template(text: str) -> bool:
    """True when *text* holds a template sequence (`${` or `%{`); otherwise it reads as
    itself."""
    return "${" in text or "%{" in text


def _delimiter(texts: Iterable[str]) -> str:
    """A heredoc delimiter that is in none of *texts*: `EOT` and more underscores than
    follow `EOT` anywhere in them (found in one pass)."""
    longest = max((len(m.group(1)) for t in texts for m in _RUN.finditer(t)), default=-1)
    return "EOT" + "_" * (longest + 1)


def _relocate(expr: object, line: int) -> None:
    """Place *expr* (an expression, or a tuple of template parts) and everything in it on
    *line* (iteratively)."""
    todo: list[object] = [expr]
    while todo:
        item = todo.pop()
        if isinstance(item, tuple):
            todo.extend(item)
            continue
        if not isinstance(item, Expr | TemplateIf | TemplateFor):
            continue
        if isinstance(item, Expr):
            item.line = line
        for cls in type(item).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                value = getattr(item, slot, None)
                if isinstance(value, Expr | TemplateIf | TemplateFor | tuple):
                    todo.append(value)


def _standalone(parts: tuple[Part, ...], text: str) -> tuple[Part, ...]:
    """The parts of a heredoc holding *text*, made those of *text* as a standalone template:
    without the heredoc's last line break, and one interpolation alone (`${x}`, not
    `${x}\\n` whose line break a `~` trims) its value rather than a string."""
    out = list(parts)
    last = out[-1] if out else None
    if isinstance(last, str) and last.endswith("\n"):
        out[-1] = last[:-1]
        if not out[-1]:
            out.pop()
    kept = [p for p in out if p != ""]
    if len(kept) == 1 and isinstance(kept[0], Expr):
        alone = text.startswith("${") and text.endswith("}")
        return (kept[0],) if alone else ("", kept[0])
    return tuple(out)


class Strings:
    """Parses the template and expression strings of one file (*path*, for messages)."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.path = src.path
        self._located = re.compile(rf"^{re.escape(self.path)}:(?:\d+:)? ?")
        self._pending: list[tuple[Template, JString]] = []

    def _error(self, exc: RunError, line: int, what: str) -> RunError:
        """The error for a string (at *line*) whose *what* the parser refused with *exc*."""
        detail = _COLUMN.sub("", self._located.sub("", str(exc), count=1))
        return RunError(f"{self.path}:{line}: in this string's {what}: {detail}")

    def expression(self, node: JString) -> Expr:
        """The string *node* read as a native expression (a reference, a keyword, a type)."""
        try:
            body, _blocks, _comments = parse_source(
                f"x = {node.value}\n".encode("utf-8", "replace"), self.path)
        except RunError as exc:
            raise self._error(exc, node.line, "expression") from None
        found = body.attributes.get("x")
        if found is None or len(body.attributes) != 1 or body.blocks:
            raise RunError(f"{self.path}:{node.line}: this string is not one expression; "
                           "Terraform refuses it")
        _relocate(found.expr, node.line)
        return found.expr

    def template(self, node: JString) -> Template:
        """The string *node* read as a standalone template: its parts are filled in by
        `finish`."""
        made = Template(self.src, node.line, node.start, node.end, ())
        self._pending.append((made, node))
        return made

    def finish(self) -> None:
        """Parse every template asked for (together), filling in their parts; RunError
        naming the first string that is not a valid template."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        parsed = self._parse([n.value for _, n in pending])
        if parsed is None:
            raise self._first_error([n for _, n in pending])
        for (made, node), parts in zip(pending, parsed, strict=True):
            _relocate(parts, node.line)
            made.parts = _standalone(parts, node.value)

    def _parse(self, texts: list[str]) -> list[tuple[Part, ...]] | None:
        """The heredoc parts of each of *texts*, parsed together; None when they do not
        parse."""
        try:
            return self._heredocs(texts)
        except RunError:
            return None

    def _heredocs(self, texts: list[str]) -> list[tuple[Part, ...]]:
        """The heredoc parts of each of *texts*, parsed together; RunError when they do not
        parse."""
        delimiter = _delimiter(texts)
        source = "".join(f"x{i} = <<{delimiter}\n{t}\n{delimiter}\n" for i, t in enumerate(texts))
        body, _blocks, _comments = parse_source(source.encode("utf-8", "replace"), self.path)
        out: list[tuple[Part, ...]] = []
        for i in range(len(texts)):
            attr = body.attributes.get(f"x{i}")
            if attr is None or not isinstance(attr.expr, Template):
                raise RunError(f"{self.path}: a template string tablespec cannot read")
            out.append(attr.expr.parts)
        return out

    def _first_error(self, nodes: list[JString]) -> RunError:
        """The error of the first of *nodes* (which do not parse together) that is not a
        valid template, found by halving: a few parses, not one a string."""
        while len(nodes) > 1:
            half = len(nodes) // 2
            nodes = nodes[:half] if self._parse([n.value for n in nodes[:half]]) is None \
                else nodes[half:]
        try:
            self._heredocs([nodes[0].value])
        except RunError as exc:
            return self._error(exc, nodes[0].line, "template")
        return RunError(f"{self.path}:{nodes[0].line}: a template string tablespec cannot read")
