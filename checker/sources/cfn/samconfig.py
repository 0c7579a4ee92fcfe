"""Parameter values from SAM's `samconfig.toml`: the `parameter_overrides` of one config
environment (`--config-env`, as SAM's own option; default `default`), those of its `deploy`
command over its `global` ones, as `sam deploy` reads them."""

from __future__ import annotations

import shlex
import tomllib
from typing import Any, Final

from checker.errors import RunError, located
from checker.specfile.limits import brief, kind_of
from checker.unknown import Unknown

DEFAULT_ENV: Final = "default"


def parse_samconfig(path: str, text: str, env: str = DEFAULT_ENV) -> dict[str, str | Unknown]:
    """The parameter overrides *path* (samconfig.toml, its *text*) gives environment *env*;
    a RunError naming the file when it cannot be read so."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RunError(located(path, getattr(err, "lineno", None),
                               "not valid TOML (a samconfig.toml is TOML)")) from None
    section = data.get(env)
    if not isinstance(section, dict):
        raise RunError(f"{path}: no config environment {brief(env)} (choose one with "
                       "--config-env)")
    out: dict[str, str | Unknown] = {}
    for command in ("global", "deploy"):
        params = section.get(command, {}).get("parameters", {}) if isinstance(
            section.get(command), dict) else {}
        if isinstance(params, dict) and "parameter_overrides" in params:
            out.update(_overrides(params["parameter_overrides"], path, f"{env}.{command}"))
    return out


def _overrides(value: Any, path: str, where: str) -> dict[str, str | Unknown]:
    """`parameter_overrides`: "K=V K2='a b'" (shell quoting) or a list of "K=V"."""
    if isinstance(value, str):
        try:
            items = shlex.split(value)
        except ValueError:
            raise RunError(f"{path}: {where}.parameter_overrides: unbalanced quotes") from None
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        raise RunError(f"{path}: {where}.parameter_overrides is {kind_of(value)}, not text "
                       "or a list of KEY=VALUE")
    out: dict[str, str | Unknown] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise RunError(f"{path}: {where}.parameter_overrides: {brief(item)} is not "
                           "KEY=VALUE")
        out[key] = text
    return out


__all__ = ["DEFAULT_ENV", "parse_samconfig"]
