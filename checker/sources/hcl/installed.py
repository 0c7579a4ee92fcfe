"""Modules `terraform init` installed under a root: `.terraform/modules/modules.json`.

A registry or git module is read from where `terraform init` put it, when the manifest
names it with the source the call writes; otherwise it is not read (the caller says so).
"""

from __future__ import annotations

import json
import os
import re

MANIFEST = os.path.join(".terraform", "modules", "modules.json")
MAX_MANIFEST = 8 * 1024 * 1024  # bytes: a manifest larger than this is not read


class Installed:
    """The installed modules of one root directory, read once on first use."""

    def __init__(self, root_dir: str) -> None:
        self.root_dir = os.path.abspath(root_dir)
        self._entries: dict[str, tuple[str, str]] | None = None  # key -> (source, dir)
        self.problem: str | None = None  # why the manifest could not be read

    def _read(self) -> dict[str, tuple[str, str]]:
        if self._entries is not None:
            return self._entries
        self._entries = {}
        path = os.path.join(self.root_dir, MANIFEST)
        try:
            if os.path.getsize(path) > MAX_MANIFEST:
                self.problem = f"{MANIFEST} is larger than {MAX_MANIFEST} bytes"
                return self._entries
            with open(path, "rb") as fh:
                data = json.loads(fh.read())
        except FileNotFoundError:
            return self._entries
        except (OSError, ValueError, RecursionError):
            self.problem = f"{MANIFEST} is not a readable modules manifest"
            return self._entries
        modules = data.get("Modules") if isinstance(data, dict) else None
        base = os.path.join(self.root_dir, ".terraform", "modules") + os.sep
        for entry in modules if isinstance(modules, list) else []:
            if not isinstance(entry, dict):
                continue
            key, source, where = entry.get("Key"), entry.get("Source"), entry.get("Dir")
            if not (isinstance(key, str) and isinstance(source, str) and isinstance(where, str)):
                continue
            directory = os.path.normpath(os.path.join(self.root_dir, where))
            if (directory + os.sep).startswith(base):  # only what init put there
                self._entries[key] = (source, directory)
        return self._entries

    def directory(self, key: str, source: str) -> str | None:
        """Where the module call *key* (`a.b`: call names from the root) is installed from
        *source*; None when it is not, or from another source (init not run again)."""
        found = self._read().get(key)
        if found is None or not _same_source(found[0], source):
            return None
        return found[1] if os.path.isdir(found[1]) else None


def _same_source(installed: str, written: str) -> bool:
    """True when the manifest's source is the one the call writes (a registry address is
    written without its host, which the manifest adds)."""
    if installed == written:
        return True
    host, _, rest = installed.partition("/")
    return "." in host and rest == written and "::" not in written


def call_key(parent_address: str, name: str) -> str:
    """The manifest key of call *name* in the module instance at *parent_address*."""
    names = re.findall(r"module\.([^.\[]+)", parent_address)
    return ".".join([*names, name])
