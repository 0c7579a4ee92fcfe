"""Terraform's own answers: expressions evaluated by the real `terraform console`.

Many expressions go to one process as `base64encode(jsonencode([try(jsonencode([E]),
"ERR"), ...]))`: each answer is the JSON of `[value]`, or ERR where Terraform fails. A
batch that Terraform refuses as a whole is split until the refused expression stands
alone (an ERR too). Answers are cached per Terraform version under the user's cache
directory, so a warm run starts no Terraform at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tests.support.tfplans import write_atomically

ERR = "ERR"
DIR = "<DIR>"  # the directory expressions are evaluated in, in an answer
HARNESS = 2  # how expressions are put to Terraform: part of each cached answer's key
BATCH = 150


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tablespec-tests" / "console"


def version(binary: str) -> str:
    """The Terraform version of *binary* (`1.11.4`)."""
    out = subprocess.run([binary, "version", "-json"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return str(json.loads(out)["terraform_version"])


def _key(expr: str, files: Mapping[str, str]) -> str:
    digest = hashlib.sha256(json.dumps([HARNESS, expr, sorted(files.items())]).encode())
    return digest.hexdigest()[:32]


def _run(binary: str, exprs: list[str], directory: Path) -> list[str] | None:
    """One console process over *exprs*; None when Terraform refuses the batch."""
    items = ", ".join(f'try(nonsensitive(jsonencode([{e}])), "{ERR}")' for e in exprs)
    line = f"base64encode(jsonencode([{items}]))\n"
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    done = subprocess.run([binary, "console"], input=line, capture_output=True, text=True,
                          cwd=directory, env=env, timeout=300, check=False)
    out = done.stdout.strip()
    if done.returncode != 0 or not out.startswith('"'):
        return None
    answers = json.loads(base64.b64decode(out.strip('"')))
    assert isinstance(answers, list) and len(answers) == len(exprs)
    return [str(a).replace(str(directory), DIR) for a in answers]


def _answer(binary: str, exprs: list[str], directory: Path) -> list[str]:
    """Answers for *exprs*, splitting a refused batch."""
    answers = _run(binary, exprs, directory)
    if answers is not None:
        return answers
    if len(exprs) == 1:
        return [ERR]
    half = len(exprs) // 2
    return _answer(binary, exprs[:half], directory) + _answer(binary, exprs[half:], directory)


def terraform_answers(binary: str, exprs: list[str],
                      files: Mapping[str, str] | None = None) -> dict[str, str]:
    """Terraform's answer to each of *exprs*, evaluated in a directory holding *files*."""
    files = files or {}
    cache_file = _cache_dir() / f"{version(binary)}.json"
    cache: dict[str, str] = {}
    if cache_file.is_file():
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    todo = sorted({e for e in exprs if _key(e, files) not in cache})
    if todo:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp).resolve()
            for rel, text in files.items():
                (directory / rel).parent.mkdir(parents=True, exist_ok=True)
                (directory / rel).write_text(text, encoding="utf-8")
            for start in range(0, len(todo), BATCH):
                batch = todo[start:start + BATCH]
                for expr, answer in zip(batch, _answer(binary, batch, directory), strict=True):
                    cache[_key(expr, files)] = answer
        write_atomically(cache_file, json.dumps(cache).encode())
    return {e: cache[_key(e, files)] for e in exprs}


def binary() -> str | None:
    """The terraform on PATH, if any."""
    return shutil.which("terraform")
