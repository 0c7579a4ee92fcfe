"""The spec loader: the real spec loads; every bad spec is exit 2 with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.model import EncLevel
from checker.specfile.model import Spec
from tests.support.paths import REPO

GOOD = """\
version: 1
project: shop
naming:
  pattern: "{environment}.{project}.{table}"
environments: [test, live]
defaults:
  encryption: customer_managed
tables:
  carts:
    hash_key: {name: cartId, type: S}
    ttl: {attribute: expiresAt}
"""


def test_project_spec_says_what_the_seed_says(spec: Spec) -> None:
    assert spec.project == "hypermage-vr"
    assert spec.pattern == "{project}-{table}-{environment}"
    assert spec.environments == ("dev", "staging", "prod")
    s, e, r = (spec.tables[n] for n in ("player-sessions", "interaction-events", "player-rewards"))
    assert (s.hash_key.name, s.range_key and s.range_key.name) == ("playerId", "sessionId")
    assert (e.hash_key.name, e.range_key and e.range_key.name) == ("sessionId", "timestamp")
    assert (r.hash_key.name, r.range_key and r.range_key.name) == ("playerId", "rewardId")
    assert s.ttl and s.ttl.attribute == "ttl" and e.ttl and e.ttl.attribute == "ttl"
    assert r.ttl is None
    assert {t.encryption for t in spec.tables.values()} == {EncLevel.AWS_MANAGED}
    assert {t.pitr_required_in for t in spec.tables.values()} == {("prod",)}
    (gsi,) = e.gsis
    assert (gsi.name, gsi.hash_key.name, gsi.range_key and gsi.range_key.name,
            gsi.projection) == ("PlayerIdIndex", "playerId", "timestamp", "ALL")
    for table in spec.tables.values():
        assert table.alarms.required_in == ("prod",)
        assert [(a.metric, a.namespace, a.statistic, a.comparison, a.threshold, a.period,
                 a.evaluation_periods, a.action_required) for a in table.alarms.metrics] == [
            (m, "AWS/DynamoDB", "Sum", "GreaterThanThreshold", 10.0, 300, 1, True)
            for m in ("ReadThrottleEvents", "WriteThrottleEvents")]
        assert table.billing.modes == ("PAY_PER_REQUEST", "PROVISIONED")
        assert table.billing.min_capacity == 1


def test_embedded_demo_spec_is_the_project_spec() -> None:
    embedded = REPO / "checker" / "data" / "tables.yaml"
    assert embedded.read_text() == (REPO / "specs" / "tables.yaml").read_text()


def test_another_teams_spec_works(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    assert main(["spec", "validate", "--spec", str(path)]) == 0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "empty"),
        ("   \n# only a comment\n", None, "empty"),
        ("tables: [unclosed\n", 2, "not valid YAML"),
        ("- a\n- b\n", 1, "must be a YAML mapping"),
        ("just a string\n", 1, "must be a YAML mapping"),
        (GOOD.replace("    ttl:", "    tll: 1\n    ttl:"), 11, "unknown key (did you mean 'ttl'?)"),
        (GOOD.replace("version: 1", "version: '1'"), 1, "expected the spec version, got a string"),
        (GOOD.replace("type: S", "type: string"), 10, "'string' is not one of: S, N, B"),
        (GOOD.replace("encryption: customer_managed", "encryption: 3"), 7, "expected an encr"),
        (GOOD.replace("    ttl: {attribute: expiresAt}\n", ""), 9, "missing required key 'ttl'"),
        (GOOD.replace(".{table}", ""), 4, "must contain {table} exactly once"),
        (GOOD.replace("{environment}.", "{environment}.{environment}."), 4,
         "may contain {environment} at most once"),
        (GOOD + "  carts:\n    hash_key: {name: x, type: S}\n    ttl: false\n", 12, "duplicate"),
        (GOOD.replace("encryption: customer_managed",
                      "pitr: {required_in: [prod]}"), 7, "'prod' is not in `environments`"),
    ],
)
def test_bad_spec_is_exit_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int | None, words: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert main(["spec", "validate", "--spec", str(path)]) == 2
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    where = f"{path}:{line}:" if line else f"{path}:"
    assert first.startswith(f"tablespec: {where}"), first
    assert words in first
    assert "Traceback" not in err


def test_python_tag_never_executes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"version: !!python/object/apply:os.system ['touch {marker}']\n")
    assert main(["spec", "validate", "--spec", str(path)]) == 2
    assert not marker.exists()
    err = capsys.readouterr().err
    assert f"{path}:1:" in err and "!!python/object/apply:os.system is not allowed" in err


def test_spec_errors_stop_a_plan_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\n")
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": "1.2", "resource_changes": []}')
    assert main(["plan", str(plan), "--spec", str(path)]) == 2
    assert "missing required key 'project'" in capsys.readouterr().err


def test_missing_spec_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "validate", "--spec", str(tmp_path / "nope.yaml")]) == 2
    assert "spec file not found" in capsys.readouterr().err


def test_json_schema_is_current_and_agrees_with_the_loader() -> None:
    import json

    import jsonschema
    import yaml

    from checker.specfile.load import spec_json_schema

    committed = json.loads((REPO / "specs" / "tables.schema.json").read_text())
    assert committed == spec_json_schema(), "run `tablespec spec schema > specs/tables.schema.json`"
    jsonschema.validate(yaml.safe_load((REPO / "specs" / "tables.yaml").read_text()), committed)
    jsonschema.validate(yaml.safe_load(GOOD), committed)
    for bad in (GOOD.replace("    ttl:", "    tll: 1\n    ttl:"),
                GOOD.replace("type: S", "type: string"),
                GOOD.replace("    ttl: {attribute: expiresAt}\n", "    ttl: true\n")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(bad), committed)


def test_docs_spec_md_is_current_and_documents_every_key() -> None:
    from checker.specfile.reference import render_reference
    from checker.specfile.schema import SPEC_SHAPE
    from checker.specfile.shape import Doc, Obj

    assert (REPO / "docs" / "spec.md").read_text() == render_reference(), (
        "docs/spec.md is stale: run `make docs`")

    def undocumented(shape: object, path: str) -> list[str]:
        inner = shape.shape if isinstance(shape, Doc) else shape
        out = []
        for attr in ("required", "optional"):
            for key, sub in (getattr(inner, attr, {}) or {}).items():
                if not isinstance(sub, Doc):
                    out.append(f"{path}.{key}")
                out += undocumented(sub, f"{path}.{key}")
        for attr in ("value", "item"):
            if hasattr(inner, attr):
                out += undocumented(getattr(inner, attr), path)
        for _, option in getattr(inner, "options", ()):
            out += undocumented(option, path)
        return out

    assert isinstance(SPEC_SHAPE, Obj) and undocumented(SPEC_SHAPE, "") == []
    from checker.specfile.load import spec_json_schema

    assert spec_json_schema()["properties"]["naming"]["description"]  # editors show it
