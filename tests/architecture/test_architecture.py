"""The shape of checker/, checked from its source: no import cycle, no moto outside the
demo, sources that judge nothing, rules that parse nothing, an engine that knows no rule by
name, one Source protocol, and a command line that starts without boto."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from checker.sources.base import Source
from checker.sources.cfn.batches import CfnSource
from checker.sources.hcl.batches import HclSource
from checker.sources.live.source import LiveSource
from checker.sources.plan.batches import PlanSource
from tests.support.paths import REPO

CHECKER = REPO / "checker"
DEMO = CHECKER / "demo"


def _modules() -> dict[str, Path]:
    """Every module of checker/ by its dotted name (a package by its own)."""
    out = {}
    for path in sorted(CHECKER.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _type_only(tree: ast.Module) -> set[int]:
    """The nodes under `if TYPE_CHECKING:`: annotations, never imported at run time."""
    return {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}


def _known(name: str) -> str | None:
    """*name*, or the longest package or module of checker/ it is inside."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> Iterator[tuple[str, bool]]:
    """(checker module imported, at the top level?) for every import *module* runs,
    `from X import Y` counted as Y where Y is a module; TYPE_CHECKING imports left out."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top = {id(n) for n in tree.body}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                     for a in node.names]
        else:
            continue
        for name in names:
            found = _known(name)
            if found is not None and found != module:
                yield found, id(node) in top


def graph() -> dict[str, list[str]]:
    """checker's modules, each with the checker modules it imports."""
    return {m: sorted({t for t, _ in imports(m)}) for m in MODULES}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The groups of modules of *graph* that import each other, directly or around a loop
    (Tarjan's strongly connected components, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
            elif nxt not in index:
                index[nxt] = low[nxt] = len(index)
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(graph[nxt])))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
    return out


def test_the_cycle_finder_finds_cycles() -> None:
    toy = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": [], "e": ["e", "d"]}
    assert cycles(toy) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"]}) == [["a", "b"], ["c", "d"]]


def test_no_import_cycle_in_checker() -> None:
    assert len(MODULES) > 200
    assert cycles(graph()) == []


def test_no_module_outside_the_demo_mentions_moto() -> None:
    mentions = [str(p.relative_to(REPO)) for p in CHECKER.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and DEMO not in p.parents
                and "moto" in p.read_text(encoding="utf-8", errors="replace")]
    assert mentions == []


def test_only_the_demo_command_imports_the_demo() -> None:
    importers = sorted({(m, top) for m in MODULES if not m.startswith("checker.demo")
                        for target, top in imports(m) if target.startswith("checker.demo")})
    assert importers == [("checker.cli", False)]  # `tablespec demo`, lazily


def test_sources_judge_nothing_and_rules_parse_nothing() -> None:
    judging = ("checker.rules", "checker.engine", "checker.pipeline", "checker.audit")
    parsing = ("checker.sources", "checker.specfile.load", "checker.specfile.yamlread",
               "checker.drafter", "checker.commands", "checker.checkov")
    for module in MODULES:
        found = {t for t, _ in imports(module)}
        if module.startswith("checker.sources"):
            assert not {t for t in found if t.startswith(judging)}, module
        if module.startswith("checker.rules"):
            assert not {t for t in found if t.startswith(parsing)}, module
            tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
            stdlib = {a.name.split(".")[0] for n in ast.walk(tree)
                      if isinstance(n, ast.Import) for a in n.names}
            assert not stdlib & {"json", "yaml", "ast", "tomllib"}, module


def test_the_engine_knows_no_rule_by_name() -> None:
    text = (CHECKER / "engine.py").read_text(encoding="utf-8")
    assert "TS-" not in text
    assert not {t for t, _ in imports("checker.engine")} - {
        "checker", "checker.rules", "checker.rules.base", "checker.batch", "checker.findings",
        "checker.model", "checker.unknown", "checker.naming.placement", "checker.runpolicy",
        "checker.specfile.model"}


def test_every_source_is_a_source() -> None:
    sources: tuple[type[Source], ...] = (PlanSource, HclSource, CfnSource, LiveSource)
    assert sorted(vars(s)["kind"] for s in sources) == ["cfn", "hcl", "live", "plan"]
    for source in sources:
        assert callable(source.read) and callable(source.target)


def test_the_command_line_starts_without_boto() -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "checker.cli", "--version"],
                          capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    assert proc.stdout.startswith("tablespec ")
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()]
    assert imported and not [m for m in imported if "boto" in m]
