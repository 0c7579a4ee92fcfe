"""Every case of the conformance table, in every mode: the case's verdict, or an unknown
only where the case says why.

One root holds every case (a module each); it is planned once against moto, read by
`tablespec plan` alone and with its source, by `tablespec hcl`, by Checkov in both its
frameworks (one run each), and, applied to moto, by `tablespec audit`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.checkov import verdicts
from checker.checkov.cfn import REGION_VARIABLE
from checker.checkov.checks import covered_rules
from checker.findings import Status
from checker.specfile.discover import SPEC_VARIABLE
from tests.checkov.harness import InProcess, in_checkov
from tests.conformance import cfncases
from tests.conformance.cases import (
    CASES,
    CK_HCL,
    CK_PLAN,
    HCL,
    LIVE,
    MODES,
    PLAN,
    SOURCE,
    Case,
)
from tests.conformance.modes import (
    CANNOT_TELL,
    NOT_REPORTED,
    Verdict,
    Verdicts,
    from_checkov,
    tablespec,
)
from tests.conformance.roots import REGION
from tests.conformance.world import World, apply, make
from tests.support.audit_fixtures import isolate
from tests.support.tfplans import require_terraform

pytestmark = pytest.mark.terraform
COVERED = {r.id for r in covered_rules()}


@pytest.fixture(scope="module")
def world(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The conformance root, planned against moto (or its cached plan)."""
    require_terraform()
    return make(tmp_path_factory.mktemp("conformance"), moto_endpoint)


def _checkov(world: World, checkov: InProcess) -> tuple[Verdicts, Verdicts]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SPEC_VARIABLE, str(world.spec))
        mp.delenv(verdicts.ENV_VARIABLE, raising=False)
        mp.delenv(verdicts.UNKNOWN_VARIABLE, raising=False)
        verdicts.forget_specs()
        try:
            return from_checkov(checkov.plan(world.plan)), from_checkov(checkov.hcl(world.root))
        finally:
            verdicts.forget_specs()


def _live(world: World, tmp: Path) -> Verdicts:

    apply(world)
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp)
        for name, value in {**world.env, "AWS_ENDPOINT_URL": world.endpoint,
                            "AWS_DEFAULT_REGION": REGION}.items():
            mp.setenv(name, value)
        code, found = tablespec("audit", "--region", REGION, "--spec", str(world.spec))
    assert code in (0, 1), f"tablespec audit exited {code}"
    return found


@pytest.fixture(scope="module")
def results(world: World, checkov: InProcess, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[dict[str, Verdicts]]:
    """Each mode's verdicts on every case."""
    spec = ("--spec", str(world.spec))
    out: dict[str, Verdicts] = {}
    for mode, args in ((PLAN, ("plan", str(world.plan))),
                       (SOURCE, ("plan", str(world.plan), "--source-dir", str(world.root))),
                       (HCL, ("hcl", str(world.root)))):
        code, out[mode] = tablespec(*args, *spec)
        assert code == 1, f"{mode}: exit {code}"  # some cases fail, none breaks the run
    out[CK_PLAN], out[CK_HCL] = _checkov(world, checkov)
    out[LIVE] = _live(world, tmp_path_factory.mktemp("live"))
    template = tmp_path_factory.mktemp("cfn") / "conformance.yaml"
    template.write_text(cfncases.template(), encoding="utf-8")
    code, out[cfncases.CFN] = tablespec("cfn", str(template), *spec, "--env", "prod",
                                        "--region", REGION)
    assert code == 1, f"cfn: exit {code}"
    with pytest.MonkeyPatch.context() as mp:  # --env and --region, as Checkov is told them
        mp.setenv(SPEC_VARIABLE, str(world.spec))
        mp.setenv(verdicts.ENV_VARIABLE, "prod")
        mp.setenv(REGION_VARIABLE, REGION)
        verdicts.forget_specs()
        try:
            out[cfncases.CK_CFN] = from_checkov(checkov.cfn(template), cfncases.case_of_resource)
        finally:
            verdicts.forget_specs()
    yield out


def _expected(case: Case, mode: str) -> dict[str, str]:
    if mode == LIVE and case.live_expect is not None:
        return {**case.expect, **case.live_expect}
    return case.expect


# Everywhere in Checkov's plan mode: a table being created has its tags_all known only after
# apply, and Checkov's plan conf lacks the provider's default_tags (AFTER_UNKNOWN).
TAGS_ALL = {"TS-TAG-001", "TS-NAME-002"}


def _may_be_unknown(case: Case, mode: str, rule: str, got: Verdict) -> bool:
    return (mode in case.unknown_in or got.reason == "not_evaluated"
            or (mode == CK_PLAN and rule in TAGS_ALL))


def _in_region(region: str, mode: str, got: Verdict) -> bool:
    """True when a failing finding of the verdict is in *region* (Checkov's records say
    where in their details: `table (prod, REGION): ...`)."""
    if mode in (CK_PLAN, CK_HCL):
        return f", {region}): " in got.message
    return region in got.regions


def _problems(case: Case, mode: str, results: dict[str, Verdicts]) -> list[str]:
    """What *mode* got wrong on *case*: a verdict not the case's, or an unknown the case
    does not allow there, or another rule of its table that does not pass. The rules are
    those that apply to the table (tablespec hcl reports each); Checkov's, those it covers."""
    expected = _expected(case, mode)
    out = []
    rules = {rule for (table, rule) in results[HCL] if table == case.id}
    if mode in (CK_PLAN, CK_HCL):
        rules &= COVERED
    absent = NOT_REPORTED if mode in (CK_PLAN, CK_HCL) else Verdict("absent")
    for rule in sorted(rules):
        got = results[mode].get((case.id, rule), absent)
        want = expected.get(rule, "pass")
        status = "unknown" if got.reason == CANNOT_TELL else got.status  # Checkov: made to fail
        if status == want or (status == "unknown" and _may_be_unknown(case, mode, rule, got)):
            said = case.says.get(rule)
            if said and status == want == "fail" and said not in got.message:
                out.append(f"{mode}: {rule} does not say {said!r}: {got.message}")
            if case.region and status == want == "fail" and not _in_region(case.region, mode,
                                                                             got):
                out.append(f"{mode}: {rule} fails, but not in {case.region}: {got}")
            continue
        out.append(f"{mode}: {rule} {status}, not {want} ({got.message[:200]})")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_mode_gives_the_case_its_verdict(results: dict[str, Verdicts],
                                               case: Case) -> None:
    modes = [m for m in MODES if not (m == LIVE and case.live)]
    problems = [p for mode in modes for p in _problems(case, mode, results)]
    assert problems == [], f"{case.id} ({case.setting})"


@pytest.mark.parametrize("case", [c for c in CASES if c.id in cfncases.SHAPES],
                         ids=[c.id for c in CASES if c.id in cfncases.SHAPES])
def test_the_cloudformation_shape_gives_the_case_its_verdict(results: dict[str, Verdicts],
                                                            case: Case) -> None:
    """The same setting written in a template (`cfncases`): `tablespec cfn` gives the
    case's verdict on every rule `tablespec hcl` reports for its table, unknown only where
    the case expects it."""
    assert _problems(case, cfncases.CFN, results) == [], f"{case.id} ({case.setting})"


def test_every_case_has_its_cloudformation_shape_or_says_why_not() -> None:
    assert set(cfncases.SHAPES) | set(cfncases.NO_SHAPE) == {c.id for c in CASES}
    assert not set(cfncases.SHAPES) & set(cfncases.NO_SHAPE)


def test_no_case_allows_an_unknown_without_saying_why() -> None:
    for case in CASES:
        assert set(case.unknown_in) <= set(MODES) - {LIVE}, case.id
        assert all(why.strip() for why in case.unknown_in.values()), case.id
        assert case.expect and set(case.expect.values()) <= {"pass", "fail", "unknown"}


def test_a_false_pass_is_never_allowed(results: dict[str, Verdicts]) -> None:
    """Where a case expects fail or unknown, no mode passes (an unknown in its place is the
    most a mode may say)."""
    passed = [(case.id, mode, rule) for case in CASES for mode in MODES
              if not (mode == LIVE and case.live)
              for rule, want in _expected(case, mode).items() if want != "pass"
              and results[mode].get((case.id, rule), Verdict("absent")).status == "pass"]
    assert passed == []


def _in_checkov(verdict: Verdict, rule: str) -> str:
    """What Checkov must say where tablespec says *verdict* (it has no waived)."""
    status = in_checkov(Status(verdict.status), verdict.reason, rule)
    return status.value if status in (Status.FAIL, Status.PASS) else "unknown"


@pytest.mark.parametrize(("checkov_mode", "mode"), [(CK_PLAN, PLAN), (CK_HCL, HCL),
                                                   (cfncases.CK_CFN, cfncases.CFN)])
def test_checkov_gives_tablespecs_verdicts_both_ways(results: dict[str, Verdicts],
                                                     checkov_mode: str, mode: str) -> None:
    """On every case, Checkov's record of each covered rule is tablespec's verdict on the
    same file: FAILED where it fails or cannot tell (critical, high), PASSED only where it
    passes, and nothing where tablespec has no finding. (CloudFormation: on the cases that
    have a template shape; Checkov's CloudFormation records carry no details.)"""
    cases = {c.id for c in CASES} if mode != cfncases.CFN else set(cfncases.SHAPES)
    keys = {k for k in (*results[mode], *results[checkov_mode])
            if k[0] in cases and k[1] in COVERED}
    wrong = []
    for case, rule in sorted(keys):
        want = _in_checkov(results[mode].get((case, rule), Verdict("unknown")), rule)
        got = results[checkov_mode].get((case, rule), NOT_REPORTED)
        if got.status != want:
            wrong.append(f"{case} {rule}: Checkov {got.status}, tablespec {mode} "
                         f"{results[mode].get((case, rule))}")
        if got.status == "fail" and want == "fail" and mode != cfncases.CFN and results[
                mode][(case, rule)].status == "unknown":
            assert got.reason == CANNOT_TELL, got.message
    assert wrong == []
    said = " ".join(v.message for v in results[checkov_mode].values())
    assert "__startline__" not in said and "__file__" not in said  # no parser internals
