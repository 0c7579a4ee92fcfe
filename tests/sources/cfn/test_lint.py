"""Every CloudFormation template the project ships or tests with passes cfn-lint (those bad
on purpose are built inside the tests, not shipped)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

TEMPLATES = sorted((REPO / "examples").rglob("*.yaml")) + sorted(
    (REPO / "examples").rglob("*.template"))


def test_the_shipped_templates_and_the_test_fixture_pass_cfn_lint(tmp_path: Path) -> None:
    from tests.conformance import cfncases
    from tests.sources.cfn.test_command import TABLE
    from tests.sources.cfn.test_foreach import looped
    from tests.sources.cfn.test_globaltable import GLOBAL, KEY
    from tests.sources.cfn.test_sam import TEMPLATE as SAM

    fixture = tmp_path / "fixture.yaml"
    fixture.write_text(TABLE.format(pitr="!If [Maybe, true, false]", extra=""))
    global_table = tmp_path / "global.yaml"
    global_table.write_text(GLOBAL.format(east_pitr="false", west=KEY, east=KEY))
    conformance = tmp_path / "conformance.yaml"
    conformance.write_text(cfncases.template())
    loops = tmp_path / "loops.yaml"
    loops.write_text(looped())
    sam = tmp_path / "sam.yaml"
    sam.write_text(SAM)
    templates = [t for t in TEMPLATES if "AWSTemplateFormatVersion" in t.read_text()]
    assert templates, "no CloudFormation template found under examples/"
    cfn_lint = Path(sys.executable).parent / "cfn-lint"  # installed by the dev extras
    done = subprocess.run([str(cfn_lint), *map(str, templates), str(fixture),
                           str(global_table), str(conformance), str(loops), str(sam)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
