"""Which evaluations a Terraform root gets: one per environment it serves.

Teams select an environment with variables files (`terraform plan -var-file prod.tfvars`)
or with a workspace (`terraform workspace select prod`). A root is evaluated once per
selection, and each evaluation says what selected it:

- the spec's `environments: {ENV: {var_files: [...]}}` (relative to the root), where the
  files are there;
- every other variables file of the root, each its own evaluation: those given on the
  command line, those beside the root and those in a folder under it that holds no
  Terraform configuration (`env/prod.tfvars`); a file named for an environment
  (`prod.tfvars`, `env/prod/terraform.tfvars`) selects that environment;
- `--var-file` (`Environments.var_file_args`): one evaluation with those files, in order.

A root that reads `terraform.workspace` is evaluated once per environment, with the
workspace the spec names for it (by default its own name), unless a workspace is pinned.
Nothing here judges: the environments are the spec's names, passed in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from checker.sources.hcl.discover import is_auto_tfvars, is_tfvars
from checker.sources.hcl.index import is_config_name

VAR_DIR_DEPTH = 2  # a folder of variables files may sit this deep under its root
MAX_VAR_FILES = 100  # variables files of one root evaluated on their own (more: noted)


@dataclass(frozen=True)
class Environments:
    """What tells the environments of a run (from the spec and the command line)."""

    names: tuple[str, ...] = ()  # the spec's environments
    var_files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # env -> files
    workspaces: Mapping[str, str] = field(default_factory=dict)  # env -> its workspace
    env: str | None = None  # --env / TABLESPEC_ENV: only this environment
    workspace: str | None = None  # --workspace / TF_WORKSPACE: this workspace
    var_file_args: tuple[str, ...] = ()  # --var-file, absolute: one evaluation with them

    def workspace_of(self, env: str) -> str:
        """The workspace of environment *env*."""
        return self.workspaces.get(env, env)

    def environment_of_workspace(self, workspace: str) -> str | None:
        """The environment whose workspace *workspace* is (None: none is)."""
        return next((e for e in self.names if self.workspace_of(e) == workspace), None)


@dataclass(frozen=True)
class Selection:
    """What one evaluation of a root is made with."""

    var_files: tuple[str, ...] = ()  # absolute, applied after the automatic ones, in order
    workspace: str | None = None  # terraform.workspace; None: "default" (and watched)
    environment: str | None = None  # the environment it is made for, where something says
    root: str = ""  # the root directory (absolute), to show the files relative to it

    def label(self, workspace_read: bool = True) -> str:
        """What selected it, in words (empty for the plain evaluation); the workspace only
        where the root reads it."""
        parts = []
        if self.var_files:
            shown = ", ".join(_relative(f, self.root) for f in self.var_files)
            parts.append(f"var file{'s' if len(self.var_files) > 1 else ''} {shown}")
        if self.workspace is not None and workspace_read:
            parts.append(f"workspace {self.workspace}")
        return ", ".join(parts)


def _relative(path: str, root: str) -> str:
    """*path* relative to *root* when under it, else as the current directory shows it."""
    if root and (path + os.sep).startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(path, root).replace(os.sep, "/")
    from checker.sources.hcl.index import display_path

    return display_path(path)


def _listing(directory: str) -> tuple[list[str], list[str]]:
    """(files, subdirectories) of *directory*, sorted; hidden and `.terraform` left out."""
    files: list[str] = []
    dirs: list[str] = []
    try:
        with os.scandir(directory) as found:
            for entry in found:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        dirs.append(entry.name)
                elif entry.is_file():
                    files.append(entry.name)
    except OSError:
        return [], []
    return sorted(files), sorted(dirs)


def var_files_of(root: str) -> list[str]:
    """The variables files of *root* Terraform does not load by itself: beside it, and in
    folders under it that hold no Terraform configuration (at most `VAR_DIR_DEPTH` deep)."""
    out: list[str] = []
    todo = [(root, 0)]
    while todo:
        directory, depth = todo.pop(0)
        files, dirs = _listing(directory)
        if depth and any(is_config_name(n) for n in files):
            continue  # another root or a module: its variables files are its own
        out += [os.path.join(directory, n) for n in files
                if is_tfvars(n) and not (depth == 0 and is_auto_tfvars(n))]
        if depth < VAR_DIR_DEPTH:
            todo += [(os.path.join(directory, d), depth + 1) for d in dirs]
    return out


def environment_of(path: str, root: str, names: Sequence[str]) -> str | None:
    """The environment a variables file is named for: its name (`prod.tfvars`), else the
    folder it is in under the root (`env/prod/terraform.tfvars`); None when neither is."""
    name = os.path.basename(path)
    stem = name.removesuffix(".json").removesuffix(".tfvars")
    if stem in names:
        return stem
    folder = os.path.dirname(path)
    if folder != root and os.path.basename(folder) in names:
        return os.path.basename(folder)
    return None


def selections(root: str, given: Sequence[str], envs: Environments) -> tuple[list[Selection],
                                                                            list[str]]:
    """The evaluations of *root* (absolute) with the variables files *given* for it on the
    command line, and notes on what is not evaluated."""
    notes: list[str] = []
    found: list[Selection] = []
    if envs.var_file_args:
        named = {environment_of(f, root, envs.names) for f in envs.var_file_args} - {None}
        env = envs.env or (named.pop() if len(named) == 1 else None)
        found.append(Selection(envs.var_file_args, environment=env, root=root))
    else:
        used: set[str] = set()
        for env, rels in envs.var_files.items():
            files = tuple(os.path.normpath(os.path.join(root, r)) for r in rels)
            if all(os.path.isfile(f) for f in files):
                found.append(Selection(files, environment=env, root=root))
                used.update(files)
        alone = list(dict.fromkeys([*var_files_of(root), *given]))
        alone = [f for f in alone if f not in used]
        if len(alone) > MAX_VAR_FILES:
            notes.append(f"{_relative(root, '')}: {len(alone) - MAX_VAR_FILES} variables "
                         f"file(s) beyond tablespec's budget of {MAX_VAR_FILES} not evaluated")
        found += [Selection((f,), environment=environment_of(f, root, envs.names), root=root)
                  for f in alone[:MAX_VAR_FILES]]
    found = found or [Selection(root=root)]
    if envs.env is not None:
        mine = [s for s in found if s.environment == envs.env]
        found = mine or [replace(s, environment=envs.env) for s in found
                         if s.environment is None]
        if not found:
            notes.append(f"{_relative(root, '')}: not evaluated for {envs.env}: none of its "
                         f"variables files is {envs.env}'s")
    return [_with_workspace(s, envs) for s in found], notes


def _with_workspace(selection: Selection, envs: Environments) -> Selection:
    """*selection* with the workspace it is made in: the pinned one, else its environment's
    (None: no environment says, "default" and watched)."""
    if envs.workspace is not None:
        env = selection.environment or envs.environment_of_workspace(envs.workspace)
        return replace(selection, workspace=envs.workspace, environment=env)
    if selection.environment is not None:
        return replace(selection, workspace=envs.workspace_of(selection.environment))
    return selection


def per_workspace(selection: Selection, envs: Environments) -> list[Selection]:
    """*selection*, made without a workspace, once per environment's workspace (the root
    reads terraform.workspace): one per environment of the spec, or the pinned one."""
    wanted = [envs.env] if envs.env is not None else list(envs.names)
    return [replace(selection, workspace=envs.workspace_of(e), environment=e) for e in wanted]
