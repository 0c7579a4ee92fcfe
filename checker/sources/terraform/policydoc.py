"""`data "aws_iam_policy_document"` read as hashicorp/aws 5.100 reads it: a pure function.

`document(body)` is the document its `json` holds, JSON-shaped in the provider's field
order, Unknown leaves where values are known only at apply: Version, Id, and a Statement
per `statement` block (sets: one element a string, more sorted in reverse, known ones
first; `principals` merged by type, `*` alone "*"; `condition` blocks as {test: {variable:
values}}; what is empty left out; `&{` as `${`). `source_policy_documents`, it, then
`override_policy_documents` are merged: a statement replaces the one before with its Sid,
others are appended; each read as the provider's json.Unmarshal reads it. An Unknown where
the document's shape is not known (a `dynamic` statement, a document to merge, a Sid to
merge by); `invalid_value` where Terraform refuses it. Reasons never quote the document.
"""

from __future__ import annotations

import re
from typing import cast

from checker.sources.terraform.body import Body, at
from checker.sources.terraform.policyjson import DECODER, FIELDS, Doc, Stop, bad, parsed, text
from checker.unknown import Unknown, invalid

VERSIONS = ("2008-10-17", "2012-10-17")
_SID = re.compile(r"[a-zA-Z0-9]*")
# Set attributes of a statement block: (attribute, field, `&{` is `${` in it)
_SETS = (("actions", "Action", False), ("not_actions", "NotAction", False),
         ("resources", "Resource", True), ("not_resources", "NotResource", True))


def document(body: Body) -> object:
    """The policy document of one `aws_iam_policy_document` instance *body*: a JSON-shaped
    dict, maybe with Unknown leaves, or an Unknown (see the module)."""
    try:
        return _document(body)
    except Stop as stop:
        return stop.unknown


def _document(body: Body) -> Doc:
    """`document`; Stop where it is not known."""
    version = _choice(body, "version", "2012-10-17", VERSIONS)
    for name in ("source_json", "override_json"):  # deprecated: only ever empty in 5.x
        if isinstance(found := body.value(name), str) and found:
            raise Stop(invalid(f"{at(body, name)} must be empty: the provider ignores it"))
    blocks = body.blocks("statement")
    if isinstance(blocks, Unknown):
        raise Stop(Unknown(blocks.reason, blocks.kind))
    own: Doc = {"Version": version, "Id": _string(body, "policy_id"),
                "Statement": [_statement(b, version) for b in blocks]}
    _unique([own], at(body, "statement"))
    sources = _documents(body, "source_policy_documents")
    _unique(sources, at(body, "source_policy_documents"))
    overrides = _documents(body, "override_policy_documents")
    if not sources and not overrides:
        return _marshal(own)
    merged: Doc = {"Version": "", "Id": "", "Statement": []}
    sids: dict[str, int] = {}
    for doc in [*sources, own, *overrides]:
        _merge(merged, doc, sids, body.where)
    return _marshal(merged)


def _string(body: Body, name: str, default: str = "") -> object:
    """A string attribute: *default* where unset, an Unknown kept."""
    return text(body.value(name), at(body, name), default)


def _choice(body: Body, name: str, default: str, allowed: tuple[str, ...]) -> object:
    """A string attribute the provider allows only some values of."""
    found = _string(body, name, default)
    if isinstance(found, str) and found not in allowed:
        raise Stop(invalid(f"{at(body, name)} must be one of {', '.join(allowed)}"))
    return found


def _list(body: Body, name: str) -> list[object] | Unknown | None:
    """A list (or set) attribute of strings as written; None where unset."""
    found = body.value(name)
    if found is None or isinstance(found, list | Unknown):
        return found
    raise bad(found, at(body, name), "a list of strings")


def _strings(body: Body, name: str, version: object, variables: bool, unique: bool = True
             ) -> object:
    """A set (*unique*) of strings as the provider holds it: None where unset, one element
    a string, more sorted in reverse (known ones first); a list keeps its order. `&{` is
    `${` with *variables*."""
    found = _list(body, name)
    if not isinstance(found, list):
        return found
    items = found
    if unique:
        known = sorted({v for v in found if isinstance(v, str)}, reverse=True)
        items = [*known, *(v for v in found if not isinstance(v, str))]
    if variables:
        items = [_variables(v, version, at(body, name)) for v in items]
    return items[0] if len(items) == 1 else items


def _variables(value: object, version: object, where: str) -> object:
    """`&{` written `${` (a policy variable), which version 2008-10-17 refuses."""
    if isinstance(value, Unknown):
        return value.but(parts=tuple(None if p is None else p.replace("&{", "${")
                                     for p in value.parts)) if value.parts else value
    if not isinstance(value, str):
        raise Stop(invalid(f"{where} holds a value that is not a string"))
    if "&{" in value and version == "2008-10-17":
        raise Stop(invalid(f"{where} holds `&{{`, which version 2008-10-17 refuses"))
    return value.replace("&{", "${")


def _statement(body: Body, version: object) -> Doc:
    """One `statement` block as the provider holds it."""
    sid = _string(body, "sid")
    if isinstance(sid, str) and not _SID.fullmatch(sid):
        raise Stop(invalid(f"{at(body, 'sid')} must only include letters and digits"))
    out: Doc = {"Sid": sid, "Effect": _choice(body, "effect", "Allow", ("Allow", "Deny"))}
    for name, field, variables in _SETS:
        found = _strings(body, name, version, variables)
        if found is not None and found != []:
            out[field] = found
    for name, field in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        out[field] = _entries(body, name, ("type", "identifiers"), version)
    out["Condition"] = _entries(body, "condition", ("test", "variable", "values"), version)
    return out


def _entries(body: Body, name: str, attrs: tuple[str, ...], version: object) -> object:
    """The `principals` ((type, identifiers) each) or `condition` ((test, variable,
    values) each) blocks of a statement: a set, the same block twice is one."""
    blocks = body.blocks(name)
    if isinstance(blocks, Unknown):
        return blocks
    out: list[tuple[object, ...]] = []
    for block in blocks:
        if any(block.value(a) is None for a in attrs):
            raise Stop(invalid(f"{block.where} needs {' and '.join(attrs)}"))
        last = _strings(block, attrs[-1], version, True, attrs[-1] == "identifiers")
        entry = (*(_string(block, a) for a in attrs[:-1]), last)
        if entry not in out or _holds_unknown(entry):
            out.append(entry)
    return out


def _holds_unknown(value: object) -> bool:
    """True when *value* (a tuple, list or leaf) holds an Unknown."""
    if isinstance(value, tuple | list):
        return any(_holds_unknown(v) for v in value)
    return isinstance(value, Unknown)


def _unique(docs: list[Doc], where: str) -> None:
    """Two statements of *docs* with one Sid: the provider refuses them."""
    seen: set[str] = set()
    for statement in (s for doc in docs for s in cast(list[Doc], doc["Statement"])):
        if isinstance(sid := statement["Sid"], str) and sid:
            if sid in seen:
                raise Stop(invalid(f"{where}: two statements have the same Sid"))
            seen.add(sid)


def _merge(into: Doc, doc: Doc, sids: dict[str, int], where: str) -> None:
    """The provider's Merge: *doc*'s Id, the later Version, its statements replacing those
    with their Sid (*sids*: where each is in *into*; "" where one is not known), the others
    appended."""
    if isinstance(doc["Id"], Unknown) or doc["Id"]:
        into["Id"] = doc["Id"]
    old, new = into["Version"], doc["Version"]
    if isinstance(new, Unknown) or (isinstance(old, str) and isinstance(new, str) and new > old):
        into["Version"] = new
    statements = cast(list[Doc], into["Statement"])
    for statement in cast(list[Doc], doc["Statement"]):
        sid = statement["Sid"]
        if (isinstance(sid, Unknown) and sids) or (isinstance(sid, str) and sid and "" in sids):
            unknown = next(s for s in [sid, *(t["Sid"] for t in statements)]
                           if isinstance(s, Unknown))
            raise Stop(Unknown(f"{where} merges statements by Sid, and a Sid is not known: "
                                f"{unknown.reason}", unknown.kind))
        if isinstance(sid, str) and sid and sid in sids:
            statements[sids[sid]] = statement
            continue
        if isinstance(sid, Unknown) or sid:
            sids["" if isinstance(sid, Unknown) else str(sid)] = len(statements)
        statements.append(statement)


def _marshal(doc: Doc) -> Doc:
    """A document as the provider writes it (Go's json.Marshal of its struct)."""
    out = {k: doc[k] for k in ("Version", "Id") if doc[k] != ""}
    statements = []
    for statement in cast(list[Doc], doc["Statement"]):
        shown: Doc = {}
        for field in FIELDS:
            value = statement.get(field)
            if field in ("Principal", "NotPrincipal"):
                value = _principal(value)
            elif field == "Condition":
                value = _condition(value)
            elif field in ("Sid", "Effect") and value == "":
                value = None  # Go's omitempty: an `any` field is left out only when nil
            if value is not None:
                shown[field] = value
        statements.append(shown)
    return {**out, "Statement": statements} if statements else out


def _principal(entries: object) -> object:
    """Principal entries as the provider writes them: by type, "*" for `*` alone."""
    if not isinstance(entries, list):
        return entries  # None, or an Unknown
    pairs = cast(list[tuple[object, object]], entries)
    if len(pairs) == 1 and pairs[0][0] == "*" and pairs[0][1] in ("*", ["*"]):
        return "*"
    raw: dict[str, object] = {}
    for kind, ids in pairs:
        if not isinstance(kind, str):
            return kind  # an Unknown
        had = raw.get(kind)
        if isinstance(ids, list):  # more than one: each entry's own sorted in reverse
            known = sorted((i for i in ids if isinstance(i, str)), reverse=True)
            ids = [*known, *(i for i in ids if not isinstance(i, str))]
        if had is None:
            raw[kind] = ids
        else:
            raw[kind] = [*(had if isinstance(had, list) else [had]),
                         *(ids if isinstance(ids, list) else [ids])]
    return {k: raw[k] for k in sorted(raw)} or None


def _condition(entries: object) -> object:
    """Condition entries as the provider writes them: {test: {variable: values}}, the
    values of one variable merged, one value a string."""
    if not isinstance(entries, list):
        return entries
    raw: dict[str, dict[str, list[object]]] = {}
    for test, variable, values in cast(list[tuple[object, object, object]], entries):
        if not isinstance(test, str) or not isinstance(variable, str):
            return test if not isinstance(test, str) else variable  # an Unknown
        raw.setdefault(test, {}).setdefault(variable, []).extend(
            values if isinstance(values, list) else [values])
    return {t: {v: (raw[t][v][0] if len(raw[t][v]) == 1 else raw[t][v]) for v in sorted(raw[t])}
            for t in sorted(raw)} or None


def _documents(body: Body, name: str) -> list[Doc]:
    """The documents of `source_policy_documents` (or `override_...`), each a JSON text
    or a value known in part (`decoded`), read as the provider's json.Unmarshal does."""
    found, where = _list(body, name), at(body, name)
    if isinstance(found, Unknown):
        raise bad(found, where, "")
    out: list[Doc] = []
    for i, item in enumerate(found or []):
        spot = f"{where}[{i}]"
        if isinstance(item, str):
            try:
                item = DECODER.decode(item)
            except ValueError:
                raise Stop(invalid(f"{spot} is not valid JSON")) from None
        elif isinstance(item, Unknown) and item.decoded is not None:
            item = item.decoded
        elif item is None:
            continue
        out.append(parsed(item, spot))
    return out
