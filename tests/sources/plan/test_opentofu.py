"""`tablespec plan` reads OpenTofu's plan JSON exactly as it reads Terraform's.

OpenTofu cannot be installed here, so its plan is a real Terraform plan of the example
rewritten as `tofu show -json` writes it (OpenTofu's "JSON Output Format" documentation):
every provider on OpenTofu's registry (`registry.opentofu.org/hashicorp/aws` in each
`provider_name` and `configuration.provider_config`'s `full_name`), `format_version` "1.2",
and the `terraform_version` key kept (OpenTofu keeps it for compatibility) holding OpenTofu's
own version. The JSON reports on the two must be identical but for the plan's path; a
format_version 1.x reads alike; another major version is refused in one line (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.errors import RunError
from checker.sources.plan import parse_plan_bytes
from tests.support.paths import REPO
from tests.support.tfplans import PlanFarm, staged

SPEC = str(REPO / "specs" / "tables.yaml")
TERRAFORM_HOST, TOFU_HOST = "registry.terraform.io/", "registry.opentofu.org/"
TOFU_VERSION = "1.9.1"  # what OpenTofu writes in `terraform_version`: its own version
JOBS: list[tuple[str, str | None]] = [("module", None), ("inline", None), ("foreach", None),
                                      ("module", "pitr-off"), ("foreach", "alarm-missing")]


def as_opentofu(plan: dict[str, Any], format_version: str = "1.2") -> tuple[dict[str, Any], int]:
    """*plan* as OpenTofu writes it, and how many registry addresses were rewritten."""
    count = 0

    def walk(value: Any) -> Any:
        nonlocal count
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, str) and value.startswith(TERRAFORM_HOST):
            count += 1
            return TOFU_HOST + value.removeprefix(TERRAFORM_HOST)
        return value

    tofu = walk(plan)
    tofu["format_version"] = format_version
    tofu["terraform_version"] = TOFU_VERSION
    return tofu, count


def report(plan: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """(exit code, JSON report) of `tablespec plan PLAN`, the plan's path written `<plan>`."""
    code = main(["plan", str(plan), "--spec", SPEC, "--format", "json", "-o", str(out),
                 *extra])
    return code, json.loads(out.read_text(encoding="utf-8").replace(str(plan), "<plan>"))


def tofu_plan(terraform_plan: Path, where: Path, format_version: str = "1.2") -> Path:
    """The OpenTofu rewrite of *terraform_plan*, written under *where*; every provider
    address in it rewritten (asserted: the test cannot pass on a plan left as it was)."""
    plan = json.loads(terraform_plan.read_text(encoding="utf-8"))
    tofu, count = as_opentofu(plan, format_version)
    text = json.dumps(tofu)
    assert count >= len(plan["resource_changes"]) + 1  # each change, and its provider_config
    assert TERRAFORM_HOST not in text and f"{TOFU_HOST}hashicorp/aws" in text
    where.mkdir(parents=True, exist_ok=True)
    path = where / "plan.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plans(farm: PlanFarm) -> dict[tuple[str, str | None], Path]:
    """The real Terraform plans of every job, made once."""
    return farm.plans(JOBS)


@pytest.mark.terraform
@pytest.mark.parametrize("with_source", [False, True], ids=["plan alone", "with its source"])
@pytest.mark.parametrize("job", JOBS, ids=lambda j: f"{j[0]}-{j[1] or 'compliant'}")
def test_an_opentofu_plan_reports_as_the_terraform_plan_does(
    plans: dict[tuple[str, str | None], Path], job: tuple[str, str | None],
    with_source: bool, tmp_path: Path,
) -> None:
    terraform_plan = plans[job]
    extra = ["--source-dir", str(staged(job[0], job[1], tmp_path / "tree"))] if (
        with_source) else []
    tofu = tofu_plan(terraform_plan, tmp_path / "tofu")
    code, want = report(terraform_plan, tmp_path / "terraform.json", *extra)
    tofu_code, got = report(tofu, tmp_path / "tofu.json", *extra)
    assert (tofu_code, got) == (code, want)
    assert want["findings"] and want["source"]["target"] == "<plan>"
    assert code == (0 if job[1] is None else 1)  # the deviation fails, as in Terraform's plan


@pytest.mark.terraform
@pytest.mark.parametrize("version", ["1.0", "1.99"])
def test_any_format_version_1x_reads_alike(plans: dict[tuple[str, str | None], Path],
                                           version: str, tmp_path: Path) -> None:
    terraform_plan = plans[("module", "pitr-off")]
    code, want = report(terraform_plan, tmp_path / "terraform.json")
    tofu = tofu_plan(terraform_plan, tmp_path / "tofu", version)
    assert report(tofu, tmp_path / "tofu.json") == (code, want)


@pytest.mark.terraform
def test_format_version_2_is_refused_in_one_line(
    plans: dict[tuple[str, str | None], Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tofu = tofu_plan(plans[("module", None)], tmp_path, "2.0")
    assert main(["plan", str(tofu), "--spec", SPEC]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f'{tofu}: plan JSON format_version "2.0"; tablespec reads format 1.x only' in err


@pytest.mark.parametrize(("version", "says"), [
    ("2.0", '"2.0"'), ("0.2", '"0.2"'), ("10.1", '"10.1"'), ("one", '"one"'),
    (2, "is a number, not a version"), (None, "is null, not a version"),
    ("x" * 200, "is a string, not a version"),  # too long to show
])
def test_a_format_version_not_1x_is_refused_naming_it(version: object, says: str) -> None:
    raw = json.dumps({"format_version": version, "planned_values": {}, "resource_changes": []})
    with pytest.raises(RunError) as err:
        parse_plan_bytes("plan.json", raw.encode())
    assert says in err.value.message and "reads format 1.x only" in err.value.message
    assert "\n" not in err.value.message and "x" * 40 not in err.value.message


@pytest.mark.parametrize("version", ["1.0", "1.2", "1.99", "1"])
def test_a_format_version_1x_is_read(version: str) -> None:
    raw = json.dumps({"format_version": version, "planned_values": {}, "resource_changes": []})
    assert parse_plan_bytes("plan.json", raw.encode())["format_version"] == version
