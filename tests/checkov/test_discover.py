"""find_spec: --spec, $TABLESPEC_SPEC, then the nearest spec up to the git root."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import RunError
from checker.specfile.discover import CANDIDATES, SPEC_VARIABLE, find_spec


@pytest.fixture(autouse=True)
def _no_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_VARIABLE, raising=False)


def _put(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("version: 1\n", encoding="utf-8")
    return path


def test_explicit_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _put(tmp_path / "specs" / "tables.yaml")
    monkeypatch.setenv(SPEC_VARIABLE, "from-env.yaml")
    assert find_spec("mine.yaml", tmp_path) == Path("mine.yaml")


def test_variable_before_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _put(tmp_path / "specs" / "tables.yaml")
    monkeypatch.setenv(SPEC_VARIABLE, "from-env.yaml")
    assert find_spec(None, tmp_path) == Path("from-env.yaml")


@pytest.mark.parametrize("candidate", CANDIDATES)
def test_found_in_a_parent(tmp_path: Path, candidate: str) -> None:
    spec = _put(tmp_path / "repo" / candidate)
    (tmp_path / "repo" / ".git").mkdir()
    deep = tmp_path / "repo" / "infra" / "prod"
    deep.mkdir(parents=True)
    assert find_spec(None, deep) == spec


def test_nearest_wins_and_specs_dir_first(tmp_path: Path) -> None:
    _put(tmp_path / "tablespec.yaml")
    near = _put(tmp_path / "a" / "specs" / "tables.yaml")
    _put(tmp_path / "a" / "tablespec.yaml")
    assert find_spec(None, tmp_path / "a") == near


def test_git_root_is_searched_but_not_passed(tmp_path: Path) -> None:
    _put(tmp_path / "tablespec.yaml")  # above the repository: not this project's
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    with pytest.raises(RunError) as err:
        find_spec(None, repo / "sub")
    message = err.value.message
    assert str(repo / "sub") in message and str(repo) in message
    assert str(tmp_path) + "," not in message and not message.endswith(str(tmp_path))
    assert err.value.details == [str(d / c) for d in (repo / "sub", repo) for c in CANDIDATES]


def test_git_file_marks_a_root_too(tmp_path: Path) -> None:
    _put(tmp_path / "tablespec.yaml")
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree
    with pytest.raises(RunError, match="no spec found"):
        find_spec(None, tmp_path / "wt")
