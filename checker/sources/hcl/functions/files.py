"""Filesystem functions: files read only inside the repository, else unknown.

Terraform reads a relative path from its working directory, the root module's (modules
reach their own files with `path.module`), after expanding a leading `~`. tablespec
reads a file only inside the run's place (`place`: the git work tree, else the
directories given): a path that leaves it, by an absolute path, `..` or a symbolic link,
is an Unknown naming the call, never a value and never an error. What the run is (its
directory and place) is told to this module when the run starts (`use`). A file read is
bounded: its text within the budget of one string, any file within MAX_FILE_BYTES.
"""

from __future__ import annotations

import os
import posixpath
import pwd
import stat
from collections.abc import Callable
from typing import TYPE_CHECKING

from checker.sources.hcl import budget
from checker.sources.hcl.functions import globs
from checker.sources.hcl.functions.texts import b64encode, nfc
from checker.sources.hcl.valuemodel import EvalError, Unknown

if TYPE_CHECKING:
    from checker.sources.hcl.place import Place

_RUN: list[tuple[str, Place]] = []  # (Terraform's working directory, place) of the run
DENIED: list[str] = []  # the template function whose template may not read files, if any


def use(directory: str, place: Place) -> None:
    """File functions read from *directory* (the root module's: where Terraform runs)
    and only inside *place*, until the next run."""
    _RUN[:] = [(os.path.abspath(directory), place)]


def clean(path: str) -> str:
    """Go's filepath.Clean."""
    out = posixpath.normpath(path)
    return "/" + out.lstrip("/") if out.startswith("//") else out


def home() -> str:
    """The user's home directory, as go-homedir finds it ($HOME first)."""
    return os.environ.get("HOME") or pwd.getpwuid(os.getuid()).pw_dir


def expand(path: str, what: str) -> str:
    """go-homedir's Expand: a leading `~` (alone or before a slash) is the home dir."""
    if not path.startswith("~"):
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise EvalError(f"{what}: failed to expand ~: cannot expand user-specific home dir")
    return clean(home() + "/" + path[1:])


def _run(what: str) -> tuple[str, Place] | Unknown:
    """The run's directory and place; an Unknown when no run has said (or a template
    function's template may not read files: an EvalError, as Terraform's)."""
    if DENIED:
        raise EvalError(f"{what}: cannot use filesystem access functions like {what} in "
                        f"{DENIED[-1]} templates; consider passing the function result as a "
                        "template variable instead")
    if not _RUN:
        return Unknown(f"{what}() is not evaluated: the directory Terraform runs in is not "
                       "known here")
    return _RUN[0]


def _shown(path: str) -> str:
    """*path* as a reason shows it: short."""
    return path if len(path) <= 80 else path[:77] + "..."


def _outside(what: str, path: str, place: Place) -> Unknown:
    """The Unknown of a call whose path leaves the place."""
    return Unknown(f"{what}({_shown(path)!r}) is not read: the path {place.outside(path)}; "
                   f"tablespec reads files only inside {place.what}")


def locate(path: str, what: str) -> str | Unknown:
    """The absolute, clean path Terraform opens for *path*; an Unknown when it leaves the
    place."""
    run = _run(what)
    if isinstance(run, Unknown):
        return run
    base, place = run
    full = clean(os.path.join(base, expand(path, what)))
    return full if place.holds(full) else _outside(what, full, place)


def read_bytes(path: str, what: str, limit: int | None = None) -> bytes | Unknown:
    """The bytes of the file at *path* (at most *limit*, MAX_FILE_BYTES by default: over
    it, the budget is spent);
    EvalError where Terraform fails, Unknown where the path leaves the place or is not a
    regular file (a pipe or a device: it could block or never end)."""
    full = locate(path, what)
    if isinstance(full, Unknown):
        return full
    limit = budget.MAX_FILE_BYTES if limit is None else limit
    real = os.path.realpath(full)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise EvalError(f"{what}: no file exists at {_shown(path)}; this function works "
                        "only with files that are distributed as part of the configuration "
                        "source code") from None
    except OSError as exc:
        raise EvalError(f"{what}: cannot open {_shown(path)}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise EvalError(f"{what}: failed to read {_shown(path)}: is a directory")
        if not stat.S_ISREG(mode):
            return Unknown(f"{what}({_shown(path)!r}) is not read: it is not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise budget.BudgetExceeded(f"reads a file of more than {limit:,} bytes, over "
                                    "tablespec's budget for one file")
    budget.volume(len(data))
    return data


def read_text(path: str, what: str) -> str | Unknown:
    """The text of the file at *path* (UTF-8), within the budget of one string."""
    data = read_bytes(path, what, min(budget.MAX_FILE_BYTES, 4 * budget.MAX_STRING))
    if isinstance(data, Unknown):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError(f"{what}: contents of {_shown(path)} are not valid UTF-8; use the "
                        "filebase64 function to obtain the Base64 encoded contents or the "
                        "other file functions (e.g. filemd5, filesha256) to obtain file "
                        "hashing results instead") from None
    budget.text(len(text))
    return nfc(text)


def _file_hash(algorithm: str, base64: bool = False) -> Callable[[str], object]:
    """`filemd5`, `filesha256`...: the hash of a file's bytes."""
    what = f"file{'base64' if base64 else ''}{algorithm}"

    def fn(path: str) -> object:
        """The hash of the file at *path*."""
        data = read_bytes(path, what)
        from checker.sources.hcl.functions.hashing import digest  # on use: a slow import

        return data if isinstance(data, Unknown) else digest(algorithm, data, base64)
    return fn


def _filebase64(path: str) -> object:
    """`filebase64(path)`."""
    data = read_bytes(path, "filebase64", min(budget.MAX_FILE_BYTES, budget.MAX_STRING))
    return data if isinstance(data, Unknown) else b64encode(data)


def _fileexists(path: str) -> object:
    """`fileexists(path)`: a regular file there (a directory is an error)."""
    full = locate(path, "fileexists")
    if isinstance(full, Unknown):
        return full
    try:
        mode = os.stat(full).st_mode
    except FileNotFoundError:
        return False
    except OSError:
        raise EvalError(f"fileexists: failed to stat {_shown(path)}") from None
    if stat.S_ISREG(mode):
        return True
    kind = "is a directory, not a file" if stat.S_ISDIR(mode) else "is not a regular file"
    raise EvalError(f"fileexists: {_shown(path)} {kind}")


def _fileset(path: str, pattern: str) -> object:
    """`fileset(path, pattern)`: the regular files under *path* matching *pattern*,
    relative to *path*, `/`-separated."""
    run = _run("fileset")
    if isinstance(run, Unknown):
        return run
    base, place = run
    root = clean(path if os.path.isabs(path) else os.path.join(base, path))
    full = clean(f"{root}/{pattern}")  # Go's filepath.Join: an absolute pattern too
    try:
        found, bad = globs.glob(full, place.holds)
    except globs.Outside as exc:
        return _outside("fileset", exc.path, place)
    if bad:
        raise EvalError("fileset: failed to glob pattern: syntax error in pattern")
    out: list[str] = []
    for match in found:
        budget.step()
        if not place.holds(match):
            return _outside("fileset", match, place)
        try:
            mode = os.stat(match).st_mode
        except OSError:
            raise EvalError(f"fileset: failed to stat {_shown(match)}") from None
        if stat.S_ISREG(mode):
            out.append(nfc(os.path.relpath(match, root)))
    budget.elements(len(out))
    from checker.sources.hcl.functions.collections import as_set  # on use: a slow import

    return as_set(out)


def _abspath(path: str) -> object:
    """`abspath(path)`: from the directory Terraform runs in."""
    run = _RUN[0] if _RUN else None
    if run is None:
        return Unknown("abspath() is not evaluated: the directory Terraform runs in is not "
                       "known here")
    return nfc(clean(os.path.join(run[0], path)))


def _basename(path: str) -> str:
    """Go's filepath.Base."""
    if not path:
        return "."
    stripped = path.rstrip("/")
    return stripped.rsplit("/", 1)[-1] if stripped else "/"


def _dirname(path: str) -> str:
    """Go's filepath.Dir."""
    return clean(path[: path.rfind("/") + 1])


FUNCTIONS: dict[str, Callable[..., object]] = {
    "abspath": _abspath,
    "basename": _basename,
    "dirname": _dirname,
    "pathexpand": lambda path: nfc(expand(path, "pathexpand")),
    "file": lambda path: read_text(path, "file"),
    "filebase64": _filebase64,
    "fileexists": _fileexists,
    "fileset": _fileset,
    "filemd5": _file_hash("md5"),
    "filesha1": _file_hash("sha1"),
    "filesha256": _file_hash("sha256"),
    "filesha512": _file_hash("sha512"),
    "filebase64sha256": _file_hash("sha256", base64=True),
    "filebase64sha512": _file_hash("sha512", base64=True),
}

__all__ = ["DENIED", "FUNCTIONS", "clean", "expand", "locate", "read_text", "use"]
