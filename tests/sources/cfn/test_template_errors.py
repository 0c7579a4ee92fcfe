"""load_template's refusals: every problem with a template (not JSON or YAML, not a
template, an unknown tag, a duplicate key, past a bound, unreadable) is a RunError of one
line naming the file and the line; and a spec still refuses the short forms."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import RunError
from checker.sources.cfn import template
from checker.sources.cfn.template import MAX_BYTES, MAX_DEPTH, MAX_VALUES, load_template
from checker.specfile.yamlread import read_yaml
from tests.sources.cfn.template_util import TABLE, load, refused, value_of

DEEP_OK = MAX_DEPTH - 4  # the root, Resources, T and Properties are 4 levels
BAD: dict[str, tuple[str, str, int | None, str]] = {
    "not YAML": ("t.yaml", TABLE + "      P: [a, b\n", 6, "not valid YAML"),
    "not JSON": ("t.json", '{"Resources": {"T": {"Type": "X"},}}', 1,
                 "not valid JSON: expected a key"),
    "JSON ends early": ("t.json", '{\n"Resources": {"T": {"Type": "X"}}\n', 3,
                        "not valid JSON: expected ',' or '}'"),
    "JSON bad string": ("t.json", '{\n"Resources": "a\tb"}', 2, "not valid JSON: invalid control"),
    "JSON NaN": ("t.json", '{"Resources": NaN}', 1, "not valid JSON: expected a value"),
    "JSON after": ("t.json", '{"Resources": {}}\n{}', 2, "more after the JSON value"),
    "empty": ("t.yaml", "# nothing\n", None, "not a CloudFormation template: the file is empty"),
    "a list": ("t.yaml", "\n- a\n", 2, "not a CloudFormation template: the top level is a list"),
    "no Resources": ("t.yaml", "Parameters: {}\n", 1, "not a CloudFormation template: it has "
                     "no Resources section"),
    "Resources a list": ("t.yaml", "A: 1\nResources: [a]\n", 2, "Resources is a list, not a "
                         "mapping"),
    "Resources empty": ("t.json", '{\n "Resources": {}}', 2, "Resources is empty"),
    "Outputs a string": ("t.yaml", "Resources: {T: {Type: X}}\nOutputs: x\n", 2,
                         "Outputs is a string, not a mapping"),
    "no Type": ("t.yaml", "Resources:\n  T:\n    Properties: {}\n", 2,
                "not a CloudFormation template: resource 'T' has no Type"),
    "Type not text": ("t.yaml", "Resources:\n  T:\n    Type: !Ref X\n", 3,
                      "the Type of resource 'T' is a mapping, not text"),
    "resource a string": ("t.json", '{"Resources": {\n"T": "x"}}', 2,
                          "resource 'T' is a string, not a mapping"),
    "unknown tag": ("t.yaml", TABLE + "      P: !Foo x\n", 5, "unknown tag !Foo"),
    "unknown tag on a list": ("t.yaml", TABLE + "      P: !Bar [x]\n", 5, "unknown tag !Bar"),
    "two tags": ("t.yaml", TABLE + "      P: !Base64 !Sub x\n", 5, "not valid YAML"),
    "GetAtt no dot": ("t.yaml", TABLE + "      P: !GetAtt Res\n", 5,
                      "!GetAtt 'Res' is not Resource.Attribute"),
    "GetAtt mapping": ("t.yaml", TABLE + "      P: !GetAtt {a: b}\n", 5, "!GetAtt takes"),
    "binary tag": ("t.yaml", TABLE + "      P: !!binary aGk=\n", 5,
                   "YAML tag !!binary is not allowed: CloudFormation does not support it"),
    "timestamp tag": ("t.yaml", TABLE + "      P: !!timestamp 2024-01-01\n", 5,
                      "YAML tag !!timestamp is not allowed"),
    "alias": ("t.yaml", TABLE + "      P: &a [x]\n      Q: *a\n", 6,
              "YAML alias *a is not allowed: CloudFormation does not support YAML aliases"),
    "billion laughs": ("t.yaml", TABLE + "      A: &a [x, x]\n      B: &b [*a, *a]\n", 6,
                       "YAML alias *a is not allowed"),
    "merge": ("t.yaml", TABLE + "      P: {<<: {a: 1}}\n", 5, "a `<<` merge is not allowed"),
    "duplicate YAML key": ("t.yaml", TABLE + "      P: 1\n      P: 2\n", 6,
                           "duplicate key 'P' (first at line 5)"),
    "duplicate JSON key": ("t.json", '{"Resources": {"T": {"Type": "X"},\n "T": {}}}', 2,
                           "duplicate key 'T' (first at line 1)"),
    "two documents": ("t.yaml", TABLE + "      P: 1\n---\nA: 1\n", 6,
                      "a second YAML document (---): a template is one document"),
    "long number": ("t.json", '{"Resources": ' + "1" * 1001 + "}", 1,
                    "a number of 1001 characters: at most 1000"),
    "too deep YAML": ("t.yaml", TABLE + "      P: " + "[" * (DEEP_OK + 1) + "]" *
                      (DEEP_OK + 1) + "\n", 5, f"nested more than {MAX_DEPTH} levels deep"),
    "too deep tags": ("t.yaml", TABLE + "      P: " + "!Not [" * (DEEP_OK // 2 + 1) + "x" +
                      "]" * (DEEP_OK // 2 + 1) + "\n", 5, f"nested more than {MAX_DEPTH} levels"),
    "too deep a tagged scalar": ("t.yaml", TABLE + "      P: " + "!Not [" * (DEEP_OK // 2) +
                                 "!Ref x" + "]" * (DEEP_OK // 2) + "\n", 5,
                                 f"nested more than {MAX_DEPTH} levels"),
    "too deep JSON": ("t.json", '{"Resources": {"T": {"Properties": {"P": ' + "[" *
                      (DEEP_OK + 1) + "]" * (DEEP_OK + 1) + "}}}}", 1,
                      f"nested more than {MAX_DEPTH} levels deep"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_every_problem_is_one_line_naming_the_file_and_line(tmp_path: Path, case: str) -> None:
    name, text, line, words = BAD[case]
    message = refused(tmp_path, text, name)
    where = f"{tmp_path / name}:{line}: " if line else f"{tmp_path / name}: "
    assert message.startswith(where) and words in message, message


def test_depth_up_to_the_bound_is_read(tmp_path: Path) -> None:
    lists = value_of(tmp_path, "[" * DEEP_OK + "]" * DEEP_OK)
    for _ in range(DEEP_OK - 1):
        lists = lists[0]
    assert lists == []
    nots = value_of(tmp_path, "!Not [" * (DEEP_OK // 2) + "x" + "]" * (DEEP_OK // 2))
    assert nots["Fn::Not"][0]["Fn::Not"][0]["Fn::Not"] is not None
    body = '{"Resources": {"T": {"Properties": {"P": ' + "[" * DEEP_OK + "]" * DEEP_OK + "}}}}"
    with pytest.raises(RunError, match="has no Type"):  # read whole; refused as a template
        load(tmp_path, body, "t.json")


def test_too_many_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = ",".join(["0"] * MAX_VALUES)  # with the 5 values around them, past the bound
    text = '{"Resources": {"T": {"Type": "X", "Properties": {"P": [' + items + "]}}}}"
    message = refused(tmp_path, text, "t.json")
    assert message.endswith(":1: more than 1,000,000 values: too large a file to check; "
                            "split it")
    # YAML counts as the spec reader does (1,000,000 of them take about 3 s): a lower bound
    monkeypatch.setattr(template, "TEMPLATE", replace(template.TEMPLATE, max_values=10_000))
    message = refused(tmp_path, TABLE + "      P:\n" + "        - 0\n" * 10_000)
    # 11 values come before the list's items (keys included); item k is on line 5 + k
    assert message.endswith(":9995: more than 10,000 values: too large a file to check; "
                            "split it")


def test_too_big(tmp_path: Path) -> None:
    text = "Resources: {T: {Type: X}}\n" + "#" * MAX_BYTES
    message = refused(tmp_path, text)
    assert message == (f"{tmp_path / 't.yaml'}: the template is larger than 8 MiB "
                       "(CloudFormation takes at most 1 MB); split it")
    with pytest.raises(RunError, match="larger than 8 MiB"):
        load_template("given.yaml", text)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RunError) as caught:
        load_template(str(tmp_path / "nope.yaml"))
    assert caught.value.message == f"{tmp_path / 'nope.yaml'}: no such template file"
    with pytest.raises(RunError) as caught:
        load_template(str(tmp_path))
    assert caught.value.message.startswith(f"{tmp_path}: cannot read the template: ")
    (tmp_path / "latin.yaml").write_bytes(b"Resources:\n  T: {Type: caf\xe9}\n")
    with pytest.raises(RunError) as caught:
        load_template(str(tmp_path / "latin.yaml"))
    assert caught.value.message == f"{tmp_path / 'latin.yaml'}:2: the template is not UTF-8 text"


def test_a_spec_with_a_short_form_is_still_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RunError) as caught:
        read_yaml("s.yaml", "version: 1\nproject: !Ref Project\n")
    assert caught.value.message == ("s.yaml:2: YAML tag !Ref is not allowed: a spec is plain "
                                    "data")
    path = tmp_path / "spec.yaml"
    path.write_text("version: 1\nproject: !Sub x\n")
    assert main(["spec", "validate", str(path)]) == 2
    assert f"{path}:2: YAML tag !Sub is not allowed: a spec is plain data" in \
        capsys.readouterr().err
    assert read_yaml("s.yaml", "a: &x {b: 1}\nc: *x\nd: 2024-01-02\n")["c"] == {"b": 1}
