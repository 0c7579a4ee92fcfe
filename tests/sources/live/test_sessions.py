"""The audit's boto3 sessions share one botocore data loader per process."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ProfileNotFound

from checker.sources.live import sessions


def _loader(made: boto3.Session) -> Any:
    return made._session.get_component("data_loader")


def test_sessions_share_one_loader_and_its_search_paths_do_not_grow() -> None:
    first = sessions.session(aws_access_key_id="a", aws_secret_access_key="b")
    paths = list(_loader(first).search_paths)
    others = [sessions.session(aws_access_key_id=f"k{i}", aws_secret_access_key="s",
                               aws_session_token="t") for i in range(3)]
    assert all(_loader(o) is _loader(first) for o in others)
    assert _loader(first).search_paths == paths
    assert len(set(paths)) == len(paths)
    creds = others[1].get_credentials()
    assert creds is not None and creds.access_key == "k1"  # each keeps its own credentials


def test_a_model_is_parsed_once_for_every_session() -> None:
    made = [sessions.session(aws_access_key_id=f"k{i}", aws_secret_access_key="s")
            for i in range(2)]
    models = [_loader(s).load_service_model("dynamodb", "service-2") for s in made]
    assert models[0] is models[1]


def test_an_unknown_profile_raises_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    with pytest.raises(ProfileNotFound):
        sessions.session("nobody")
