"""boto3 sessions that share one botocore data loader per process.

Each boto3 session has its own loader, which reads and parses the JSON models of every service
it makes a client for (several MB and tens of milliseconds per service). An audit of many
accounts makes one session per account, and a warm Lambda one per invocation: sharing one
loader parses each model once per process. The loader only reads files and caches what it
parsed, so sessions in different threads can share it.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import botocore.loaders
import botocore.session

_LOCK = threading.Lock()
_LOADER: list[botocore.loaders.Loader] = []  # the process's loader, made by the first session


def session(profile: str | None = None, **credentials: Any) -> boto3.Session:
    """`boto3.Session(profile_name=profile, **credentials)`, on the process's shared loader."""
    core = botocore.session.Session(profile=profile)
    core.get_scoped_config()  # ProfileNotFound now, as boto3.Session(profile_name=...) raises
    with _LOCK:
        if not _LOADER:
            _LOADER.append(botocore.loaders.create_loader(core.get_config_variable("data_path")))
        loader = _LOADER[0]
        core.register_component("data_loader", loader)
        made = boto3.Session(botocore_session=core, **credentials)
        # boto3 appends its own data folder to the loader's search paths on every session.
        loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
    return made
