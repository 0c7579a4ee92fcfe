"""Every function and the language around them, against the real `terraform console`.

For each function, its generated argument sets and the edge cases of `cases`: where
Terraform gives a value, tablespec gives the same (as cty's JSON); where Terraform fails,
tablespec gives an unknown naming the call.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess

import pytest

from checker.sources.hcl.functions import BY_DESIGN, LAZY, supported
from checker.sources.hcl.functions.signatures import signatures
from tests.sources.hcl.functions.cases import CASES, FILES, TOPICS
from tests.sources.hcl.functions.console import ERR, binary, terraform_answers
from tests.sources.hcl.functions.generate import PER_FUNCTION, generated
from tests.sources.hcl.functions.ours import our_answers
from tests.support.tfplans import REQUIRE_TF

TESTED = sorted(n for n in signatures() if n not in BY_DESIGN and n not in LAZY)


def _terraform() -> str:
    """The terraform binary; skipped without one, failed where CI requires it."""
    found = binary()
    if found is None:
        if os.environ.get(REQUIRE_TF):
            pytest.fail(f"{REQUIRE_TF} is set but terraform is not on PATH")
        pytest.skip("terraform is not on PATH")
    return found


def expressions(name: str) -> list[str]:
    """Every expression put to Terraform for function *name*."""
    return list(dict.fromkeys(generated(name) + CASES.get(name, [])))


@pytest.fixture(scope="session")
def terraform_says() -> dict[str, str]:
    """Terraform's answer to every expression of this module, in one pass."""
    exprs = [e for n in TESTED for e in expressions(n)]
    exprs += [e for topic in TOPICS.values() for e in topic]
    return terraform_answers(_terraform(), exprs, FILES)


def _gunzipped(answer: str) -> str:
    """A `base64gzip` answer with its gzip bytes (which differ by implementation) opened."""
    if answer == ERR:
        return answer
    (text,) = json.loads(answer)
    return gzip.decompress(base64.b64decode(text)).decode("utf-8", "replace")


def _mismatches(exprs: list[str], terraform: dict[str, str], name: str | None) -> list[str]:
    """Each expression where tablespec's answer is not Terraform's."""
    ours = our_answers(exprs, FILES)
    out: list[str] = []
    for expr in exprs:
        theirs, (mine, reason) = terraform[expr], ours[expr]
        if name == "base64gzip":
            theirs, mine = _gunzipped(theirs), _gunzipped(mine)
        if theirs == ERR and mine == ERR:
            if name is not None and name not in reason:
                out.append(f"{expr}: our unknown does not name the call: {reason}")
        elif theirs != mine:
            out.append(f"{expr}: terraform {theirs[:200]} | ours {mine[:200]} {reason[:200]}")
    return out


@pytest.mark.parametrize("name", TESTED)
def test_each_function_gives_what_terraform_gives(name: str,
                                                  terraform_says: dict[str, str]) -> None:
    exprs = expressions(name)
    assert len(exprs) >= PER_FUNCTION
    values = [e for e in exprs if terraform_says[e] != ERR]
    assert len(values) >= 3, f"{name}: too few calls that Terraform answers with a value"
    bad = _mismatches(exprs, terraform_says, name)
    assert not bad, f"{len(bad)} of {len(exprs)} differ:\n" + "\n".join(bad[:40])


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_the_language_around_them_gives_what_terraform_gives(
        topic: str, terraform_says: dict[str, str]) -> None:
    bad = _mismatches(TOPICS[topic], terraform_says, None)
    assert not bad, f"{len(bad)} differ:\n" + "\n".join(bad[:40])


def test_every_function_terraform_has_is_implemented_or_unknown_by_design() -> None:
    out = subprocess.run([_terraform(), "metadata", "functions", "-json"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    live = {n for n in json.loads(out)["function_signatures"] if "::" not in n}
    assert live == set(signatures())
    missing = sorted(n for n in live if not supported(n) and n not in set(BY_DESIGN) | LAZY)
    assert not missing, f"neither implemented nor unknown by design: {missing}"
    assert not [n for n in set(BY_DESIGN) | LAZY if signatures()[n].family is not None]
