"""Make real plans of the example and its one-deviation fixtures, in parallel, cached."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker import terraform
from checker.sources.hcl.index import is_config_name
from tests.sources.hcl.util import repository
from tests.support.paths import REPO
from tests.support.tfcombine import Variant, split, stage_combined

REQUIRE_TF = "TABLESPEC_REQUIRE_TERRAFORM"  # set by .ci/run: missing Terraform fails there
# The AWS provider's start-up is mostly garbage collection of its schema: collecting less
# often makes each plan about a sixth faster, for a few hundred MB more per process.
TF_ENV = {"GOGC": "400"}
DEVIATIONS = REPO / "tests" / "fixtures" / "deviations"


@dataclass(frozen=True)
class Shape:
    """A way of writing the same compliant prod tables."""

    tree: Path
    root: str
    module_dir: str


SHAPES = {
    "module": Shape(REPO / "examples" / "terraform", "environments/prod", "modules/dynamodb"),
    "inline": Shape(REPO / "tests" / "fixtures" / "terraform" / "inline", ".", "."),
    "foreach": Shape(REPO / "tests" / "fixtures" / "terraform" / "foreach", ".", "."),
}
# Trees planned on their own (not staged with the deviations).
TREES = {
    "functions": Shape(REPO / "tests" / "fixtures" / "terraform" / "functions", ".", "."),
    "dev": Shape(REPO / "examples" / "terraform", "environments/dev", "modules/dynamodb"),
    # the layouts teams have (examples/layouts): planned per environment
    "var-files": Shape(REPO / "examples", "layouts/var-files", "terraform/modules/dynamodb"),
    "workspaces": Shape(REPO / "examples", "layouts/workspaces", "terraform/modules/dynamodb"),
}


def _shape(name: str) -> Shape:
    """A shape or a tree planned on its own, by name."""
    return SHAPES[name] if name in SHAPES else TREES[name]


def terraform_missing() -> str | None:
    """Why real plans cannot be made here, or None."""
    if terraform.terraform_binary() is None:
        return "terraform is not on PATH"
    if terraform.find_mirror() is None:
        return "no hashicorp/aws provider mirror found"
    return None


def require_terraform() -> None:
    """Skip without Terraform and its provider mirror; fail instead where CI requires them."""
    missing = terraform_missing()
    if missing:
        if os.environ.get(REQUIRE_TF):
            pytest.fail(f"{REQUIRE_TF} is set but {missing}")
        pytest.skip(missing)


def deviation_names() -> list[str]:
    """Every one-deviation fixture."""
    return sorted(p.name for p in DEVIATIONS.iterdir() if (p / "expect.yaml").is_file())


def deviation_files(shape: str, deviation: str) -> dict[str, str]:
    """The file a deviation drops into *shape*, keyed by its path in the staged tree."""
    path = DEVIATIONS / deviation / f"{shape}.tf"
    if shape == "inline" and not path.exists():
        path = path.with_name("module.tf")  # same resource names: the same override works
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0].strip() if text else ""
    name = "deviation_override.tf" if first == "# mode: override" else "deviation.tf"
    if first not in ("# mode: override", "# mode: add"):
        raise ValueError(f"{deviation}/{shape}.tf must start with '# mode: override|add'")
    return {f"{SHAPES[shape].module_dir}/{name}": text}


def staged(shape: str, deviation: str | None, dest: Path) -> Path:
    """The root module of *shape* (with *deviation* dropped in) staged at *dest*, as the
    farm stages it to plan: the source of that plan (`--source-dir`)."""
    s = SHAPES[shape]
    extra = deviation_files(shape, deviation) if deviation else {}
    return terraform.stage(s.tree, repository(dest), s.root, extra)


_VERSION: list[str] = []


def tool_version() -> str:
    """Terraform's version and the provider mirror: part of every cached plan's key."""
    if not _VERSION:
        binary = terraform.terraform_binary() or "terraform"
        out = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
        _VERSION.append(out.stdout + str(terraform.find_mirror()))
    return _VERSION[0]


def _digest(shape: Shape, extra: dict[str, str], *also: str) -> str:
    h = hashlib.sha256(tool_version().encode())
    for part in also:
        h.update(part.encode() + b"\0")
    for path in sorted(shape.tree.rglob("*")):
        if ".terraform" not in path.parts and path.is_file() and (
                is_config_name(path.name) or path.name.endswith((".tfvars", ".tfvars.json"))):
            h.update(str(path.relative_to(shape.tree)).encode() + path.read_bytes())
    for rel, content in sorted(extra.items()):
        h.update(rel.encode() + content.encode())
    h.update(terraform.OFFLINE_PROVIDER.encode())
    return h.hexdigest()[:24]


def plan_bytes(plan: dict[str, object]) -> bytes:
    """*plan* written as `terraform show -json` writes it (Go escapes <, > and &)."""
    text = json.dumps(plan, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return (text + "\n").encode("utf-8")


def made_once(lock: Path, done: Callable[[], bool], make: Callable[[], None]) -> None:
    """Call *make* unless *done*, once across test processes (pytest-xdist workers): another
    process making the same thing holds *lock*, and this one waits for what it made."""
    if done():
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not done():
            make()


def write_atomically(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all, whatever other test processes write beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class PlanFarm:
    """Plans keyed by (shape, deviation); made at most once, on two workers."""

    def __init__(self, workdir: Path, cache: Path) -> None:
        self.workdir = workdir
        self.cache = cache
        self._lock = threading.Lock()
        self._made: dict[tuple[str, str | None], Path] = {}
        self._init_lock = threading.Lock()
        self._inits: dict[str, Path] = {}

    def _initialised(self, shape_name: str) -> Path:
        """A staged copy of the shape that has been through `terraform init` (made once)."""
        with self._init_lock:
            if shape_name not in self._inits:
                shape = _shape(shape_name)
                dest = self.workdir / f"init-{shape_name}" / "tree"
                self._inits[shape_name] = terraform.init_tree(shape.tree, shape.root, dest)
            return self._inits[shape_name]

    def _cached(self, shape_name: str, extra: dict[str, str], name: str,
                plan_args: tuple[str, ...] = (), workspace: str | None = None) -> Path:
        """Where the plan of this job is cached (by everything it is made of)."""
        digest = _digest(_shape(shape_name), extra, *plan_args, f"workspace={workspace}")
        return self.cache / f"{shape_name}-{name}-{digest}.json"

    def _group(self, shape_name: str) -> None:
        """Plan a shape's compliant root and every deviation of it in one `terraform plan`
        (tests/support/tfcombine.py), and cache each variant's plan as if it were made alone."""
        shape = SHAPES[shape_name]
        extras = {d or "base": deviation_files(shape_name, d) if d else {}
                  for d in [None, *deviation_names()]}
        paths = [self._cached(shape_name, extra, name) for name, extra in extras.items()]

        def plan_all() -> None:
            variants = [Variant(shape.tree, shape.root, extra) for extra in extras.values()]
            with tempfile.TemporaryDirectory(prefix="tablespec-group-", dir=self.workdir) as tmp:
                root = stage_combined(variants, Path(tmp) / "tree")
                plan = json.loads(terraform.Terraform(Path(tmp), TF_ENV).plan_json(root))
            for i, path in enumerate(paths):
                write_atomically(path, plan_bytes(split(plan, i)))

        made_once(self.cache / f"{shape_name}-group.lock",
                  lambda: all(p.is_file() for p in paths), plan_all)

    def _make(self, shape_name: str, deviation: str | None,
              files: dict[str, str] | None = None, label: str | None = None,
              plan_args: tuple[str, ...] = (), workspace: str | None = None) -> Path:
        shape = _shape(shape_name)
        extra = {**(deviation_files(shape_name, deviation) if deviation else {}), **(files or {})}
        cached = self._cached(shape_name, extra, label or deviation or "base", plan_args,
                              workspace)

        def plan() -> None:
            env = {**TF_ENV, **({"TF_WORKSPACE": workspace} if workspace else {})}
            write_atomically(cached, terraform.plan_tree(
                shape.tree, shape.root, extra, workdir=self.workdir,
                initialised=self._initialised(shape_name), plan_args=plan_args, env=env))

        made_once(cached.with_suffix(".lock"), cached.is_file, plan)
        return cached

    def plans(self, jobs: list[tuple[str, str | None]]) -> dict[tuple[str, str | None], Path]:
        """Plan JSON files for *jobs*, making the missing ones in parallel."""
        with self._lock:
            todo = [j for j in dict.fromkeys(jobs) if j not in self._made]
            groups = list(dict.fromkeys(s for s, _ in todo if s in SHAPES))
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(self._group, groups))
                for job, path in zip(todo, pool.map(lambda j: self._make(*j), todo), strict=True):
                    self._made[job] = path
            return {j: self._made[j] for j in jobs}

    def plan(self, shape: str, deviation: str | None = None) -> Path:
        """One plan JSON file."""
        return self.plans([(shape, deviation)])[(shape, deviation)]

    def planned(self, jobs: dict[str, tuple[str, tuple[str, ...], str | None]]) -> dict[str, Path]:
        """Plans of label -> (shape, plan arguments, workspace), made in parallel."""
        with self._lock, ThreadPoolExecutor(max_workers=2) as pool:
            made = pool.map(lambda item: self._make(item[1][0], None, None, item[0],
                                                    item[1][1], item[1][2]), jobs.items())
            return dict(zip(jobs, made, strict=True))

    def cached(self, label: str, tree: Path, key: tuple[str, ...], make: Callable[[], bytes],
               suffix: str = ".json") -> Path:
        """What *make* writes of the Terraform *tree* (a plan), cached by the tree's files,
        *key* and Terraform's version, and made once across test processes."""
        path = self.cache / f"{label}-{_digest(Shape(tree, '.', '.'), {}, *key)}{suffix}"
        made_once(path.with_suffix(".lock"), path.is_file, lambda: write_atomically(path, make()))
        return path

    def plan_with(self, shape: str, label: str, files: dict[str, str]) -> Path:
        """A plan of *shape* with *files* (path in the staged tree -> text) dropped in."""
        with self._lock:
            return self._make(shape, None, files, label)
