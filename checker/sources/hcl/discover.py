"""Which directories to evaluate: group the given paths, and follow a module to its callers.

The search for callers walks the run's place only (`place`: the git work tree, else the
directories given), never crosses into another file system (`/proc`), follows no link to
a directory, and skips a file whose link leaves the place; a file larger than the budget
is scanned in pieces, so no caller is missed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field

from checker.errors import RunError
from checker.sources.hcl.index import (
    ModuleConfig,
    display_path,
    is_config_name,
    load_module,
    read_file,
)
from checker.sources.hcl.parse import parse_source
from checker.sources.hcl.place import Place

# `source = "./x"` (HCL) or `"source": "./x"` (JSON)
_LOCAL_SOURCE = re.compile(rb"""\bsource"?\s*[=:]\s*"(\.{1,2}/[^"]{0,4096})\"""")
_SKIP_DIRS = (".terraform",)
_CHUNK = 1 << 20  # bytes of a file scanned at a time
_OVERLAP = 8192  # bytes kept between two pieces: longer than any source string


VAR_DIR_DEPTH = 2  # a folder of variables files may sit this deep under its root


def is_auto_tfvars(name: str) -> bool:
    """True for the variable files Terraform loads by itself."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json"))


def is_tfvars(name: str) -> bool:
    """True for a variable definitions file."""
    return name.endswith((".tfvars", ".tfvars.json"))


@dataclass
class Group:
    """One directory named (or holding a file named) on the command line."""

    directory: str  # absolute
    var_files: list[str] = field(default_factory=list)  # explicit, not auto-loaded


def _holds_config(directory: str) -> bool:
    """True when *directory* holds a Terraform configuration file."""
    try:
        with os.scandir(directory) as found:
            return any(is_config_name(e.name) and e.is_file() for e in found)
    except OSError:
        return False


def config_dirs(top: str) -> list[str]:
    """*top* and every directory under it that holds Terraform configuration, skipping
    hidden folders, `.terraform` and other file systems; no link to a directory is
    followed."""
    try:
        device = os.stat(top).st_dev
    except OSError:
        return []
    out: list[str] = []
    for current, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                         and _on(device, current, d))
        if any(is_config_name(n) for n in files):
            out.append(current)
    return out


def _root_above(directory: str) -> str | None:
    """The nearest directory above *directory* (a folder of variables files) that holds
    Terraform configuration, at most `VAR_DIR_DEPTH` levels up and never above the git
    work tree; None when there is none."""
    from checker.paths import git_root

    top = git_root(directory)
    current = directory
    for _ in range(VAR_DIR_DEPTH):
        if current == top:
            return None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
        if _holds_config(current):
            return current
    return None


def group_paths(paths: list[str]) -> list[Group]:
    """The given files and directories, grouped by the directory evaluated, in first-seen
    order: a directory stands for every Terraform directory in or under it, and a variables
    file in a folder without configuration (`env/prod.tfvars`) for the root above it."""
    groups: dict[str, Group] = {}
    for path in paths:
        if not os.path.lexists(path):
            raise RunError(f"{path}: no such file or directory")
        if os.path.isdir(path):
            found = config_dirs(os.path.abspath(path))
            if not found:
                raise RunError(f"{path}: no Terraform files in it or under it")
            for directory in found:
                groups.setdefault(directory, Group(directory))
            continue
        name = os.path.basename(path)
        if not (is_config_name(name) or is_tfvars(name)):
            raise RunError(f"{path}: not a Terraform file (.tf, .tf.json, .tofu, .tfvars)")
        if not os.access(path, os.R_OK) or not os.path.isfile(path):
            raise RunError(f"{path}: cannot read this file")
        own = os.path.dirname(os.path.abspath(path))
        above = own if _holds_config(own) else _root_above(own)
        if above is None:
            raise RunError(f"{path}: no Terraform root holds this variables file (it must sit "
                           f"in its root, or in a folder at most {VAR_DIR_DEPTH} levels under "
                           "it); pass the root with --var-file FILE")
        group = groups.setdefault(above, Group(above))
        if is_tfvars(name) and not (is_auto_tfvars(name) and above == own):
            group.var_files.append(os.path.abspath(path))
    return list(groups.values())


def _local_sources(path: str) -> set[bytes]:
    """The local module sources (`./...`, `../...`) written in the file *path*, by text,
    read a piece at a time; none when it is not a regular file or cannot be read."""
    found: set[bytes] = set()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return found
        with open(path, "rb") as fh:
            tail = b""
            while chunk := fh.read(_CHUNK):
                data = tail + chunk
                if b"source" in data:
                    found.update(m.group(1) for m in _LOCAL_SOURCE.finditer(data))
                tail = data[-_OVERLAP:]
    except OSError:
        pass
    return found


class Callers:
    """Which directories of a place call which local modules.

    The place is scanned once, by text: a directory is parsed only when one of its files'
    `source = "./..."` strings points at the directory asked about, to confirm that the
    string is a module call's source; what is parsed is kept in *modules*, the run's cache
    of parsed modules, so that evaluating that directory does not parse it again.
    """

    def __init__(self, place: Place, modules: dict[str, ModuleConfig] | None = None) -> None:
        self.place = place
        self._candidates: dict[str, set[str]] | None = None  # target dir -> files
        self._confirmed: dict[str, list[str]] = {}  # directory -> module dirs it calls
        # directories parsed to confirm a call, kept for the run's evaluation to reuse
        self.modules = modules if modules is not None else {}

    def _scan(self) -> dict[str, set[str]]:
        """Every local `source` string of the place, by target directory."""
        candidates: dict[str, set[str]] = {}
        for top in self.place.dirs:
            try:
                device = os.stat(top).st_dev
            except OSError:
                continue
            for current, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and d not in _SKIP_DIRS and _on(device, current, d))
                for name in files:
                    path = os.path.join(current, name)
                    if not is_config_name(name) or not self.place.holds(path):
                        continue
                    for source in _local_sources(path):
                        target = os.path.normpath(os.path.join(
                            current, source.decode("utf-8", "replace")))
                        candidates.setdefault(target, set()).add(path)
        return candidates

    def _calls(self, directory: str) -> list[str]:
        """The module directories the configuration in *directory* calls by a local source
        (parsed and merged as Terraform merges it, cached)."""
        if directory not in self._confirmed:
            out: list[str] = []
            for block in load_module(directory, self.modules).calls.values():
                source = block.body.attributes.get("source")
                value = getattr(source.expr, "value", None) if source is not None else None
                if isinstance(value, str) and value.startswith(("./", "../")):
                    out.append(os.path.normpath(os.path.join(directory, value)))
            self._confirmed[directory] = out
        return self._confirmed[directory]

    def of(self, directory: str) -> set[str]:
        """Directories that call the module in *directory*."""
        if self._candidates is None:
            self._candidates = self._scan()
        files = self._candidates.get(directory, set())
        found = {d for d in {os.path.dirname(f) for f in files} if directory in self._calls(d)}
        return found - {directory}


def _on(device: int, parent: str, name: str) -> bool:
    """True when the directory *name* in *parent* is on file system *device* (a mount
    point of another, such as /proc, is not walked)."""
    try:
        return os.lstat(os.path.join(parent, name)).st_dev == device
    except OSError:
        return False


def roots_of(directory: str, callers: Callers) -> list[str]:
    """The root directories that reach *directory* through module calls (transitively);
    empty when nobody calls it."""
    roots: set[str] = set()
    seen = {directory}
    todo = sorted(callers.of(directory))
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        above = callers.of(current) - seen
        if callers.of(current):
            todo.extend(sorted(above))
        else:
            roots.add(current)
    return sorted(roots)


def auto_var_files(directory: str) -> list[str]:
    """The variable files Terraform loads by itself from *directory*, in its order."""
    names = sorted(os.listdir(directory))
    first = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    auto = [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return [os.path.join(directory, n) for n in first + auto]


def read_var_file(path: str) -> dict[str, object]:
    """Variable values of one `.tfvars` (literal HCL) or `.tfvars.json` file (read as
    Terraform reads it: numbers exact, a name set twice refused)."""
    from checker.sources.hcl.evaluate import resolve
    from checker.sources.hcl.scopes import literal_scope

    data = read_file(path)
    shown = display_path(path)
    if path.endswith(".json"):
        from checker.sources.hcl.tfjson.body import parse_var_values

        return parse_var_values(data, shown)
    body, _blocks, _comments = parse_source(data, shown)
    scope = literal_scope()
    return {name: resolve(attr.expr, scope) for name, attr in body.attributes.items()}
