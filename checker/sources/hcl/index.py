"""One module directory's declarations: its files parsed, override files merged in.

A directory's configuration files are the ones Terraform and OpenTofu read: `.tf` and
`.tf.json`, and OpenTofu's `.tofu` and `.tofu.json`, a `.tofu` file taking the place of
the `.tf` file of the same name (`.tofu.json` that of `.tf.json`); hidden and editor
backup files are not read. JSON files are read by `tfjson.body`, the others by `parse`.

Override files (`override.tf`, `*_override.tf`, in each of the four forms) merge into the
blocks they name, in name order, as Terraform does: attributes replace attributes, and a
nested block type written in the override (statically or as `dynamic`) replaces every
block of that type. What Terraform refuses is a one-line RunError (exit 2) naming the
file and line: a resource, data source, module call, output, variable, provider
configuration or local declared twice outside override files, and a cycle among locals.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import TypeVar

from checker.errors import RunError, located
from checker.model import InlineSkip, Location
from checker.sources.hcl import budget
from checker.sources.hcl.bodynodes import Attribute, Block, Body, Comment
from checker.sources.hcl.exprnodes import Lit
from checker.sources.hcl.hclsyntax.errors import shown_name
from checker.sources.hcl.parse import parse_source
from checker.sources.hcl.references import local_cycle

_SKIP = re.compile(
    r"\b(checkov|tablespec):skip=([A-Za-z0-9_.\-]+)(?:@([a-z0-9\-]+))?(?::([^\n]*))?")


def display_path(path: str) -> str:
    """*path* relative to the current directory when under it, else absolute."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute


# The OpenTofu extension whose file takes the place of a file of the same name
_TOFU = {".tf": ".tofu", ".tf.json": ".tofu.json"}


def _extension(name: str) -> str | None:
    """The configuration file extension *name* ends with (None: not one)."""
    for ext in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(ext):
            return ext
    return None


def is_config_name(name: str) -> bool:
    """True for the name of a file Terraform or OpenTofu reads as configuration: `.tf`,
    `.tf.json`, `.tofu`, `.tofu.json`, not hidden (`.x.tf`) nor an editor's backup."""
    ignored = name.startswith(".") or name.endswith("~") or (
        name.startswith("#") and name.endswith("#"))
    return _extension(name) is not None and not ignored


def is_override(filename: str) -> bool:
    """True for override files (`override.tf`, `x_override.tf.json`, `override.tofu`...)."""
    ext = _extension(filename)
    stem = filename[: -len(ext)] if ext is not None else filename
    return stem == "override" or stem.endswith("_override")


@dataclass(eq=False)
class ModuleConfig:
    """The merged declarations of one module directory."""

    directory: str  # display path
    abspath: str
    files: list[str] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    providers: dict[str, Block] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    root_like: bool = False  # has a provider block or a backend: written to be a root


def read_file(path: str) -> bytes:
    """A file's bytes; RunError naming it when it cannot be read, is not a regular file
    (a FIFO would never end), or is larger than the budget (`budget.MAX_FILE_BYTES`)."""
    shown = display_path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise RunError(f"{shown}: cannot read: not a regular file")
        budget.source(shown, info.st_size)
        with open(path, "rb") as fh:
            data = fh.read(budget.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RunError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if len(data) > budget.MAX_FILE_BYTES:  # it grew while being read
        budget.source(shown, len(data))
    return data


def terraform_files(abspath: str) -> list[str]:
    """The configuration files of a directory (not its subdirectories) that Terraform and
    OpenTofu read, in the order they are loaded (by name): a `.tf` (`.tf.json`) file with a
    `.tofu` (`.tofu.json`) file of the same name is left out, as OpenTofu leaves it."""
    try:
        names = sorted(os.listdir(abspath))
    except OSError as exc:
        raise RunError(f"{display_path(abspath)}: cannot read: {exc.strerror or exc}") from None
    found = [n for n in names if is_config_name(n)
             and not os.path.isdir(os.path.join(abspath, n))]
    present = set(found)
    out: list[str] = []
    for name in found:
        ext = _extension(name)
        assert ext is not None
        tofu = _TOFU.get(ext)
        if tofu is None or name[: -len(ext)] + tofu not in present:
            out.append(name)
    return out


def parse_config(data: bytes, path: str) -> tuple[Body, list[Block], list[Comment]]:
    """(top-level body, its blocks, every comment) of one configuration file, read by its
    extension: JSON syntax for `.json` (`.tf.json`, `.tofu.json`), else HCL's native syntax.
    RunError (one line, naming file:line) for a syntax error or what Terraform refuses."""
    if path.endswith(".json"):
        from checker.sources.hcl.tfjson.body import parse_json

        return parse_json(data, path)
    return parse_source(data, path)


def nested_type(block: Block) -> str:
    """The block type a nested block makes (`dynamic "x"` makes x)."""
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def merge_block(base: Block, over: Block) -> Block:
    """*base* with override block *over* merged in."""
    replaced = {nested_type(b) for b in over.body.blocks}
    blocks = [b for b in base.body.blocks if nested_type(b) not in replaced]
    body = Body({**base.body.attributes, **over.body.attributes}, blocks + over.body.blocks)
    return Block(base.type, base.labels, body, base.file, base.line, base.start, base.end,
                 base.comments + over.comments)


def _provider_key(block: Block) -> str:
    """`aws` or `aws.ALIAS` for a provider block (`aws.?FILE:LINE` for an alias that is
    not a literal string: it is never taken for another configuration)."""
    alias = block.body.attributes.get("alias")
    name = block.labels[0] if block.labels else "?"
    if alias is None:
        return name
    if isinstance(alias.expr, Lit) and isinstance(alias.expr.value, str):
        return f"{name}.{alias.expr.value}"
    return f"{name}.?{block.file}:{block.line}"


def _twice(block: Block, first: Block) -> RunError:
    """The error for *block*, a second declaration of what *first* declares."""
    kind = {"module": "module call", "provider": "provider configuration"}.get(
        block.type, "data source" if block.type == "data" else block.type)
    labels = " ".join(f'"{shown_name(label)}"' for label in block.labels)
    return RunError(located(block.file, block.line,
                            f"{kind} {labels} is declared twice (first at {first.file}:"
                            f"{first.line}); Terraform refuses it"))


K = TypeVar("K")


def _put(config: ModuleConfig, table: dict[K, Block], key: K, block: Block,
         override: bool) -> None:
    """Declare *block* under *key* (RunError when it already is), or merge it into the
    block there when an override."""
    if not override:
        if key in table:
            raise _twice(block, table[key])
        table[key] = block
    elif key in table:
        table[key] = merge_block(table[key], block)
    else:
        config.notes.append(f"{block.file}:{block.line}: override of {block.type} "
                            f"{'.'.join(block.labels)} that is not declared elsewhere; ignored")


def _add(config: ModuleConfig, block: Block, override: bool) -> None:
    """Add one top-level block of a file to *config* (merging an override)."""
    if block.type == "provider" or (block.type == "terraform" and any(
            b.type in ("backend", "cloud") for b in block.body.blocks)):
        config.root_like = True
    if block.type == "locals":
        for name, attr in block.body.attributes.items():
            first = config.locals.get(name)
            if first is not None and not override:
                raise RunError(located(attr.file, attr.line,
                                       f"local.{shown_name(name)} is defined twice (first at "
                                       f"{first.file}:{first.line}); Terraform refuses it"))
            config.locals[name] = attr
        return
    labels = block.labels
    if block.type in ("resource", "data") and len(labels) == 2:
        pairs = config.resources if block.type == "resource" else config.data
        _put(config, pairs, (labels[0], labels[1]), block, override)
    elif block.type == "provider" and labels:
        _put(config, config.providers, _provider_key(block), block, override)
    elif block.type in ("variable", "output", "module") and labels:
        named = {"variable": config.variables, "output": config.outputs,
                 "module": config.calls}[block.type]
        _put(config, named, labels[0], block, override)


def _refuse_cycles(config: ModuleConfig) -> None:
    """RunError for a cycle among the module's locals, as Terraform refuses it."""
    cycle = local_cycle(config.locals)
    if cycle is None:
        return
    first = cycle[0]
    through = ", ".join(f"local.{shown_name(a.name)}" for a in cycle[1:])
    how = f"through {through}" if through else "directly"
    raise RunError(located(first.file, first.line,
                           f"local.{shown_name(first.name)} refers to itself {how}: a cycle, which "
                           "Terraform refuses"))


def load_module(abspath: str, cache: dict[str, ModuleConfig] | None = None) -> ModuleConfig:
    """Parse and merge the module in directory *abspath* (once per *cache*)."""
    abspath = os.path.abspath(abspath)
    cached = cache.get(abspath) if cache is not None else None
    if cached is not None:
        return cached
    names = terraform_files(abspath)
    config = ModuleConfig(display_path(abspath), abspath)
    parsed: list[tuple[str, list[Block]]] = []
    for name in names:
        path = os.path.join(abspath, name)
        shown = display_path(path)
        _body, blocks, _comments = parse_config(read_file(path), shown)
        config.files.append(shown)
        parsed.append((name, blocks))
    for override in (False, True):
        for name, blocks in parsed:
            if is_override(name) == override:
                for block in blocks:
                    _add(config, block, override)
    _refuse_cycles(config)
    if cache is not None:
        cache[abspath] = config
    return config


def skips_of(comments: list[Comment]) -> tuple[InlineSkip, ...]:
    """Every `checkov:skip=` / `tablespec:skip=` written in *comments*, as written."""
    out: list[InlineSkip] = []
    for comment in comments:
        text = comment.text
        for m in _SKIP.finditer(text):
            line = comment.line + text.count("\n", 0, m.start())
            reason = (m.group(4) or "").strip().removesuffix("*/").strip()
            out.append(InlineSkip(m.group(2), reason, Location(comment.file, line), m.group(3)))
    return tuple(out)
