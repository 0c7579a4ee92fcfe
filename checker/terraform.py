"""Run the real Terraform CLI offline: find the provider mirror, init, plan, show -json."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from checker.errors import RunError

MIRROR_VARIABLE = "TABLESPEC_TF_PLUGIN_MIRROR"
_PROVIDER_DIR = Path("registry.terraform.io") / "hashicorp" / "aws"
_CANDIDATES = (
    "/opt/tf-plugins",
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
)
_SEARCH_ROOTS = ("/opt", "/usr/local", "/usr/share", "~")

# Lets a plan run with no account: no STS call, no metadata lookup.
OFFLINE_PROVIDER = """provider "aws" {
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"""


def terraform_binary() -> str | None:
    """The terraform on PATH, or None."""
    return shutil.which("terraform")


def _search(root: Path, depth: int) -> Path | None:
    if depth < 0 or not root.is_dir():
        return None
    if (root / _PROVIDER_DIR).is_dir():
        return root
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return None
    for child in children:
        found = _search(child, depth - 1)
        if found:
            return found
    return None


def find_mirror() -> Path | None:
    """The filesystem mirror holding hashicorp/aws: $TABLESPEC_TF_PLUGIN_MIRROR, else a search."""
    named = os.environ.get(MIRROR_VARIABLE)
    if named:
        return Path(named) if (Path(named) / _PROVIDER_DIR).is_dir() else None
    for cand in _CANDIDATES:
        path = Path(cand).expanduser()
        if (path / _PROVIDER_DIR).is_dir():
            return path
    for root in _SEARCH_ROOTS:
        found = _search(Path(root).expanduser(), 3)
        if found:
            return found
    return None


def write_cli_config(mirror: Path, dest: Path) -> Path:
    """A Terraform CLI config that installs hashicorp/aws from *mirror* only."""
    dest.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    return dest


class Terraform:
    """Terraform runs against the mirrored provider, with no network and no account."""

    def __init__(self, workdir: Path, env: Mapping[str, str] | None = None) -> None:
        binary = terraform_binary()
        if binary is None:
            raise RunError("terraform is not on PATH")
        mirror = find_mirror()
        if mirror is None:
            raise RunError(f"no hashicorp/aws provider mirror found; set {MIRROR_VARIABLE}")
        self.binary = binary
        self.mirror = mirror
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(write_cli_config(mirror, workdir / "terraform.rc")),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
            **(env or {}),
        }

    def run(self, cwd: Path, *args: str) -> str:
        """Run `terraform ARGS` in *cwd*; RunError with Terraform's own error on failure."""
        proc = subprocess.run(
            [self.binary, *args, "-no-color"],
            cwd=cwd, env=self.env, capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            first = next((ln for ln in detail if "Error" in ln), detail[0] if detail else "")
            raise RunError(f"terraform {args[0]} failed in {cwd}: {first.strip('│ ')}")
        return proc.stdout

    def plan_json(self, root: Path, *plan_args: str) -> bytes:
        """init + plan + show -json of the configuration in *root*."""
        if not (root / ".terraform").is_dir():
            self.run(root, "init", "-input=false", "-backend=false")
        self.run(root, "plan", "-input=false", "-lock=false", "-out=tablespec.tfplan", *plan_args)
        return self.run(root, "show", "-json", "tablespec.tfplan").encode("utf-8")


def stage(src: Path, dest: Path, root: str, extra: Mapping[str, str] | None = None,
          offline_provider: bool = True) -> Path:
    """Copy the tree *src* to *dest*, add *extra* files, and return the root module dir."""
    ignore = shutil.ignore_patterns(".terraform", "*.tfstate*", "*.tfplan", ".terraform.lock.hcl")
    shutil.copytree(src, dest, ignore=ignore, dirs_exist_ok=True)
    for rel, content in (extra or {}).items():
        (dest / rel).write_text(content, encoding="utf-8")
    root_dir = dest / root
    if offline_provider:
        (root_dir / "tablespec_offline_override.tf").write_text(OFFLINE_PROVIDER, encoding="utf-8")
    return root_dir


def plan_tree(src: Path, root: str, extra: Mapping[str, str] | None = None,
              workdir: Path | None = None, initialised: Path | None = None,
              plan_args: Sequence[str] = (), env: Mapping[str, str] | None = None) -> bytes:
    """Plan JSON of *root* inside a staged copy of *src* (with *extra* files dropped in),
    planned with *plan_args* (`-var-file=env/prod.tfvars`) and *env* (`TF_WORKSPACE`).

    *initialised* is a root directory of an earlier staged copy of the same tree that
    has been through `init`: its .terraform is reused, which saves an init per plan.
    """
    with tempfile.TemporaryDirectory(prefix="tablespec-tf-", dir=workdir) as tmp:
        root_dir = stage(src, Path(tmp) / "tree", root, extra)
        if initialised is not None:
            shutil.copytree(initialised / ".terraform", root_dir / ".terraform", symlinks=True)
            lock = initialised / ".terraform.lock.hcl"
            if lock.is_file():
                shutil.copy2(lock, root_dir / lock.name)
        return Terraform(Path(tmp), env).plan_json(root_dir, *plan_args)


def init_tree(src: Path, root: str, dest: Path) -> Path:
    """Stage *src* at *dest* and `terraform init` its *root*; returns the root directory."""
    root_dir = stage(src, dest, root)
    Terraform(dest.parent).run(root_dir, "init", "-input=false", "-backend=false")
    return root_dir
