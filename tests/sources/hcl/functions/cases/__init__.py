"""Hand-written argument sets: the edge cases each function's documentation names.

Each family module has `CASES` (function name -> expressions); `language` has `TOPICS`
(topic -> expressions) for what surrounds the functions; `files` has `FILES`, the files
both Terraform and tablespec evaluate beside (relative path -> text).
"""

from __future__ import annotations

from tests.sources.hcl.functions.cases import (
    collections,
    encoding,
    files,
    language,
    network,
    numeric,
    strings,
    times,
)

_FAMILIES = (collections, encoding, files, network, numeric, strings, times)

CASES: dict[str, list[str]] = {}
for _family in _FAMILIES:
    for _name, _exprs in _family.CASES.items():
        CASES.setdefault(_name, []).extend(_exprs)

TOPICS: dict[str, list[str]] = language.TOPICS
FILES: dict[str, str] = files.FILES
