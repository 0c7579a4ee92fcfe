"""Where tablespec reads Terraform: inside the repository, and nowhere else.

The place of a directory is its git work tree, else the directories given on the command
line. Paths are compared by their real paths, so a symbolic link that leaves the place is
not followed: a module directory, or a module with a `.tf` file, that is outside is a
module not read (its tables are unknown, never absent), and a note says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from checker.paths import git_root


class Place:
    """The directories sources may be read from (real paths)."""

    __slots__ = ("dirs", "roots", "what")

    def __init__(self, dirs: Iterable[str], what: str) -> None:
        absolute = sorted({os.path.abspath(d) for d in dirs})
        # as given, without those inside another: where the search for callers walks
        self.dirs = tuple(d for d in absolute if not any(
            d.startswith(o.rstrip(os.sep) + os.sep) for o in absolute if o != d))
        self.roots = tuple(sorted({os.path.realpath(d) for d in absolute}))  # to compare
        self.what = what  # "the repository", "the directories given"

    def holds(self, path: str) -> bool:
        """True when the real path of *path* is inside the place."""
        return _inside(os.path.realpath(path), self.roots)

    def outside(self, path: str) -> str:
        """How *path*, not held, leaves the place: outside it, or by a symbolic link."""
        if _inside(os.path.abspath(path), self.dirs) or _inside(path, self.roots):
            return f"is a symbolic link that leaves {self.what}"
        return f"is outside {self.what}"

    def escape(self, directory: str, files: Sequence[str]) -> str | None:
        """Why the module in *directory*, with its *files*, cannot be read here (None when
        it can): the directory, or one of its files, is outside the place."""
        from checker.sources.hcl.index import display_path

        for path in [directory, *files]:
            if os.path.exists(path) and not self.holds(path):  # a dangling link: cannot read
                return f"{display_path(path)} {self.outside(path)}"
        return None


def _inside(path: str, roots: Sequence[str]) -> bool:
    """True when *path* is one of *roots* or under one."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep)
               for root in roots)


def place_of(directory: str, given: Sequence[str] = ()) -> Place:
    """The place of *directory*: its git work tree, else the directories *given* (or
    *directory* itself when none are)."""
    root = git_root(directory)
    if root is not None:
        return Place([root], "the repository")
    return Place(given or [directory], "the directories given (no git repository)")
