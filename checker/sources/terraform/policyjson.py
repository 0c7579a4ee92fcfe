"""The policy documents `data "aws_iam_policy_document"` merges (its
`source_policy_documents` and `override_policy_documents`), read as the provider's
json.Unmarshal reads them into its struct: JSON text, or a value known in part (`decoded`,
its Unknown leaves kept). Reasons never quote the document.
"""

from __future__ import annotations

import json
import math

from checker.unknown import Unknown, invalid

KEPT = ("Action", "NotAction", "Resource", "NotResource")  # fields kept as written
FIELDS = ("Sid", "Effect", *KEPT, "Principal", "NotPrincipal", "Condition")
Doc = dict[str, object]  # a document or statement as the provider holds it (Go's struct)


class Stop(Exception):
    """The document is not known, or not valid: the Unknown that says why."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


class _Pairs(list):  # type: ignore[type-arg]
    """A JSON object's (key, value) pairs, in order, duplicates kept."""


def bad(node: object, where: str, what: str) -> Stop:
    """Stop: *node* is an Unknown (not known), or not *what* (Terraform fails on it)."""
    if isinstance(node, Unknown):
        return Stop(Unknown(f"{where} is not known: {node.reason}", node.kind))
    return Stop(invalid(f"{where} is not {what}"))


def _constant(name: str) -> object:
    """NaN and the infinities, which Python's decoder takes and Go's does not."""
    raise ValueError(f"{name} is not JSON")


DECODER = json.JSONDecoder(object_pairs_hook=_Pairs, parse_constant=_constant)


def _object(node: object, where: str, names: tuple[str, ...] = ()) -> dict[str, object]:
    """A JSON object (the last of a key wins); with *names*, a Go struct's fields, keys
    matched ignoring case. Stop for anything else, or an Unknown."""
    if not isinstance(node, dict | _Pairs):
        raise bad(node, where, "a JSON object")
    pairs = node.items() if isinstance(node, dict) else node
    if not names:
        return dict(pairs)
    folded = {n.upper(): n for n in names}
    return {folded[k.lower().upper()]: v for k, v in pairs if k.lower().upper() in folded}


def text(node: object, where: str, default: str = "") -> object:
    """A string (a Go string field): *default* for null, an Unknown kept."""
    if node is None or isinstance(node, str | Unknown):
        return default if node is None else node
    raise bad(node, where, "a string")


def _string_list(node: object, where: str) -> list[object]:
    """A JSON list of strings (Unknown ones kept); the provider fails on anything else."""
    if isinstance(node, list) and all(isinstance(v, str | Unknown) for v in node):
        return list(node)
    raise bad(node, where, "a list of strings")


def _plain(node: object, where: str) -> object:
    """A JSON value as Go's `any` holds it: objects maps, numbers float64s."""
    if isinstance(node, dict | _Pairs):
        pairs = _object(node, where)
        return {k: _plain(pairs[k], where) for k in sorted(pairs)}
    if isinstance(node, list):
        return [_plain(v, where) for v in node]
    if isinstance(node, int | float) and not isinstance(node, bool):
        try:
            number = float(node)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise Stop(invalid(f"{where} holds a number beyond a float64's range"))
        return int(number) if number.is_integer() and abs(number) < 1e21 else number
    return node


def parsed(node: object, where: str) -> Doc:
    """A policy document as the provider's json.Unmarshal reads it into its struct."""
    doc = {} if node is None else _object(node, where, ("Version", "Id", "Statement"))
    items = [] if doc.get("Statement") is None else doc["Statement"]
    if not isinstance(items, list):
        raise bad(items, f"{where}: Statement", "a list")
    statements: list[Doc] = []
    for i, item in enumerate(items):
        spot = f"{where}: Statement[{i}]"
        fields = _object(item, spot, FIELDS)  # a nil statement too: the provider fails
        out: Doc = {f: text(fields.get(f), f"{spot}.{f}") for f in ("Sid", "Effect")}
        out.update({f: _plain(fields[f], spot) for f in KEPT if fields.get(f) is not None})
        for f in ("Principal", "NotPrincipal"):
            out[f] = _principals(fields[f], f"{spot}.{f}") if f in fields else []
        out["Condition"] = _conditions(fields.get("Condition"), f"{spot}.Condition")
        statements.append(out)
    return {"Version": text(doc.get("Version"), f"{where}: Version"),
            "Id": text(doc.get("Id"), f"{where}: Id"), "Statement": statements}


def _principals(node: object, where: str) -> object:
    """A Principal as the provider reads it: any string "*", an object (type,
    identifiers) entries; anything else (null too) fails."""
    if isinstance(node, str | Unknown):
        return [("*", ["*"])] if isinstance(node, str) else node
    return [(k, v if isinstance(v, str | Unknown) else _string_list(v, f"{where}.{k}"))
            for k, v in _object(node, where).items()]


def _conditions(node: object, where: str) -> object:
    """A Condition as the provider reads it: (test, variable, values) entries; a bool is
    its text, a number or null is dropped."""
    if node is None or isinstance(node, Unknown):
        return [] if node is None else node
    out: list[tuple[object, ...]] = []
    for test, keys in _object(node, where).items():
        if isinstance(keys, Unknown):
            return keys
        for key, values in ({} if keys is None else _object(keys, f"{where}.{test}")).items():
            if isinstance(values, bool):
                out.append((test, key, "true" if values else "false"))
            elif isinstance(values, str | Unknown):
                out.append((test, key, [values]))
            elif isinstance(values, list):
                out.append((test, key, _string_list(values, f"{where}.{test}.{key}")))
    return out
