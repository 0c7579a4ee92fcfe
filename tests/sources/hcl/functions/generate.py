"""Argument sets for every function, generated from its signature.

Each function gets `PER_FUNCTION` calls whose arguments are drawn (deterministically, seeded
by the function's name) from pools of values of each parameter's type, with a value of
another type now and then: Terraform's conversions and its refusals are part of what is
compared.
"""

from __future__ import annotations

import random

from checker.sources.hcl.functions.signatures import Param, signatures
from checker.sources.hcl.vartypes import TypeSpec

PER_FUNCTION = 20
MAX_VARIADIC = 3

STRINGS = ['""', '"a"', '"Hello World"', '"  padded  "', '"über"', '"a,b,c"', '"123"',
           '"1.5"', '"true"', '"$${x}"', '"line\\nbreak"', '"tab\\there"', '"10.0.0.0/16"',
           '"2024-01-02T03:04:05Z"', '"/a/b/c.txt"', '"YWJj"', '"-"', '"日本語"',
           '"a_b-c.d"', '"orders-prod"', '"%s-%d"', '"0"', '"false"']
NUMBERS = ["0", "1", "-1", "2.5", "-3.75", "10", "3", "255", "0.1", "100", "7", "1.0e2",
           "12345678901234567890", "1/3"]
BOOLS = ["true", "false"]
LISTS = ["[]", '["a", "b"]', '["b", "a", "b"]', "[1, 2, 3]", '["x", ""]', "[true, false]",
         '[["a"], ["b", "c"]]', '[1, "a"]', "[null]", '[{a = 1}, {a = 2}]', "[3, 1, 2]",
         'tolist(["q", "p"])', 'toset(["b", "a"])']
MAPS = ["{}", '{a = 1, b = 2}', '{a = "x", b = "y"}', 'tomap({k = "v"})',
        '{a = ["1"], b = ["2", "3"]}', '{"key with space" = true}', '{a = {b = 1}}']
OTHERS = ["null", *BOOLS]


def _pool(spec: TypeSpec) -> list[str]:
    """The values of a parameter's type, and a few of other types."""
    if spec.kind == "string":
        return STRINGS + NUMBERS[:3] + ["true", "[]", "null"]
    if spec.kind == "number":
        return [*NUMBERS, '"5"', '"x"', "true", "null"]
    if spec.kind == "bool":
        return [*BOOLS, '"true"', '"yes"', "1", "null"]
    if spec.kind in ("list", "set"):
        return [*LISTS, '"a"', "{a = 1}", "null"]
    if spec.kind == "map":
        return [*MAPS, "[]", '"a"', "null"]
    return STRINGS[:8] + NUMBERS[:6] + LISTS + MAPS + OTHERS


def _value(rng: random.Random, param: Param) -> str:
    return rng.choice(_pool(param.type))


def generated(name: str) -> list[str]:
    """`PER_FUNCTION` distinct calls of function *name* (fewer only when it has fewer)."""
    sig = signatures()[name]
    rng = random.Random(name)
    out: dict[str, None] = {}
    for _ in range(PER_FUNCTION * 20):
        if len(out) >= PER_FUNCTION:
            break
        args = [_value(rng, p) for p in sig.params]
        if sig.variadic is not None:
            args += [_value(rng, sig.variadic) for _ in range(rng.randint(0, MAX_VARIADIC))]
        out[f"{name}({', '.join(args)})"] = None
    return list(out)
