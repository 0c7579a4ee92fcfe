"""A syntax error is named on the file and line Terraform names: a differential test.

Each broken tree is written to a directory of its own and checked by the real `terraform
validate` (no init is needed to parse); the first error Terraform prints (`on FILE line N`)
must be the file and line of our one-line RunError, and our message must carry Terraform's
summary of it. Files Terraform accepts (quirks of its syntax) must be read without error.
The validations run once, on two threads.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from checker import terraform
from checker.errors import RunError
from checker.sources.hcl import read_hcl
from tests.support.tfplans import require_terraform

Files = dict[str, "str | bytes"]
C = "# a comment\n" * 40
SECRET = "s3cr3t-Value"  # in files: never in a message
TABLE = 'resource "aws_dynamodb_table" "t" {\n  name = "x"\n}\n'
OTHER = TABLE.replace('"t"', '"u"')


def main(text: str | bytes) -> Files:
    """A tree of one file, main.tf."""
    return {"main.tf": text}


def local(line: str) -> Files:
    """main.tf: a locals block holding *line*, a valid block after it."""
    return main(f"locals {{\n  {line}\n}}\n{C}{TABLE}")


REFUSED: dict[str, Files] = {
    # stray tokens after an argument: tree-sitter once named the last line of the next block
    "stray token": main(C + f'resource "aws_dynamodb_table" "t" {{\n  name = "{SECRET}" !\n'
                        f'}}\n{C}{OTHER}'),
    "two arguments on a line": local("a = 1 b = 2"),
    "comma after an argument": local("a = 1,"),
    "missing =": main('resource "aws_dynamodb_table" "t" {\n  name "x"\n  hash_key = "id"\n}\n'),
    "a quoted argument name": local('"a" = 1'),
    "argument set twice": local("a = 1\n  b = 2\n  a = 3"),
    "nothing after =": main('resource "a" "b" {\n  x = \n}\n'),
    "nothing after = at the end": main('locals {\n  a ='),
    "trailing operator": local("a = 1 +"),
    # unclosed things
    "unclosed block": main(TABLE + 'resource "aws_dynamodb_table" "u" {\n  name = "y"\n' + C),
    "unclosed nested block": main('resource "aws_dynamodb_table" "t" {\n  name = "x"\n'
                                  '  ttl {\n    enabled = true\n' + C),
    "unclosed after an argument": main('resource "aws_dynamodb_table" "t" {\n  name = "x"\n'),
    "unclosed after a bad escape": main(f'locals {{\n  a = "\\q"\n{C}'),
    "unclosed one-line block": main('resource "aws_dynamodb_table" "t" { name = "x"'),
    "unclosed object": main("locals {\n  a = {\n    b = 1\n" + C),
    "unclosed object at the end": main('locals {\n  a = { b = 1'),
    "unclosed tuple": main("locals {\n  a = [1, 2\n}\n" + C + TABLE),
    "unclosed tuple at the end": main("locals {\n  a = [1"),
    "unclosed paren": main("locals {\n  a = (1 + 2\n}\n" + TABLE),
    "unclosed call": main("locals {\n  a = max(1, 2\n}\n" + C + TABLE),
    "unclosed call at the end": main("locals {\n  a = max(1"),
    "unclosed index": main("locals {\n  a = x[1 2\n}\n" + C),
    "unclosed splat": main("locals {\n  a = x[*.b\n}\n"),
    # strings
    "unclosed string, a quote later": main(f'resource "aws_dynamodb_table" "t" {{\n  name = "x\n'
                                           f'  hash_key = "id"\n}}\n{C}{OTHER}'),
    "multi-line string tree-sitter reads": local(f'a = "{SECRET}\n  more"'),
    "string at the end of the file": main('locals {\n  a = "abc'),
    "bad escape": local('a = "x\\qy"'),
    "short unicode escape": local('a = "\\u12"'),
    "bad escape in a label": main('resource "aws_dynamodb_table" "t\\q" {\n  name = "x"\n}\n'),
    "${ not closed": local('a = "${var.x"\n  b = 2'),
    "${ not closed at the end": main('locals {\n  a = "x ${var.y\n' + C),
    "${ with extra": local('a = "${var.x y}"'),
    "${ with a colon": local('a = "${var.x:-1}"'),
    "${} empty": local('a = "${}"'),
    "a quote inside ${": local('a = "${"x"}'),
    "${ in a label": main('resource "aws_dynamodb_table" "t" {\n  dynamic "a${1}" {\n'
                          '    content {}\n  }\n}\n'),
    # templates
    "bad directive keyword": local('a = "%{ foo }x"'),
    "directive without keyword": local('a = "%{ 1 }"'),
    "if without endif": local('a = "%{ if true }x"'),
    "else twice": local('a = "%{ if true }a%{ else }b%{ else }c%{ endif }"'),
    "endif alone in a heredoc": main("locals {\n  a = <<EOT\nx\n%{ endif }\nEOT\n}\n"),
    "for directive without in": local('a = "%{ for x y }%{ endfor }"'),
    # heredocs
    "unterminated heredoc": main("locals {\n  a = <<EOT\nhello\nworld\n" + C),
    "heredoc with the wrong marker": main("locals {\n  a = <<EOT\nhello\nEOF\n}\n" + C),
    "heredoc marker without its newline": main("locals {\n  a = <<EOT\nhello\nEOT"),
    "heredoc opener alone": main("locals {\n  a = <<EOT"),
    "carriage return in a heredoc": main("locals {\n  a = <<EOT\nab\rcd\nEOT\n}\n"),
    # blocks
    "label not a string": main('resource "aws_dynamodb_table" t.x {\n  name = "x"\n}\n'),
    "brace on the next line": main('resource "aws_dynamodb_table" "t"\n{\n  name = "x"\n}\n'),
    "brace after a comment": main('resource "aws_dynamodb_table" "t" # why\n{\n}\n'),
    "block after a block on its line": main("locals {\n  a = 1\n} locals {\n  b = 2\n}\n"),
    "one-line block, two arguments": main('resource "aws_dynamodb_table" "t" { name = "x", '
                                          'hash_key = "y" }\n'),
    "one-line block not closed on its line": main('resource "aws_dynamodb_table" "t" '
                                                  '{ name = "x"\n}\n'),
    "lone closing brace": main(TABLE + "}\n" + C + OTHER),
    "lone closing brace first": main("}\n" + TABLE),
    # expressions
    "conditional without :": local("a = true ? 1"),
    "for with a key in a tuple": local("a = [for k, v in {} : k => v]"),
    "for without a key in an object": local("a = {for v in [] : v}"),
    "for with extra": local("a = [for x in [] : x y]"),
    "trailing dot": local("a = var."),
    "two legacy indexes": local("a = x.0.1"),
    "nested splat": local("a = x.*.*"),
    "object missing a separator": local("a = { b = 1 c = 2 }"),
    "object missing a value": main("locals {\n  a = {\n    b\n  }\n}\n"),
    "tuple missing a comma": local("a = [1 2]"),
    "call missing a comma": local("a = max(1 2)"),
    "expanded argument not last": local("a = max([1]..., 2)"),
    "provider function without a name": local("a = provider::"),
    "number with two dots": local("a = 1.2.3"),
    "number whose exponent overflows": local("a = 1e2147483647"),
    # characters and bytes
    "semicolon": local("a = 1;"),
    "single quotes": local("a = 'x'"),
    "backtick": local("a = `x`"),
    "bitwise operator": local("a = 1 & 2"),
    "curly quotes": local("a = \u201cx\u201d"),
    "character not in the language": main("locals {\n  a = 1\n  b = \u20ac\n}\n"),
    "carriage return alone": main("locals {\n  a = 1\r  b = 2\n}\n"),
    "NUL bytes": main("locals {\n  a = 1\n}\n\x00\x01\x02\n"),
    "invalid UTF-8 in a string": main(b'locals {\n  a = "\xff\xfe"\n}\n'),
    "invalid UTF-8 in a comment is fine": main(b"# \xff\xfe\nlocals {\n  a = 1 +\n}\n"),
    "binary file": main(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
    "block comment never closed": main("locals {\n  a = 1\n}\n/* open\n\nlocals {\n  b = 2\n}\n"),
    "BOM, then an error": main("\ufefflocals {\n  a = 1 !\n}\n"),
    "CRLF, then an error": main("locals {\r\n  a = 1\r\n  b = \r\n}\r\n"),
    # several files: Terraform names the first by name; a valid file is no error
    "one bad file of two": {"ok.tf": "locals {}\n", "bad.tf": 'locals {\n  a = "x\n}\n'},
    "two bad files": {"b.tf": "locals {\n  a = (\n}\n", "a.tf": "locals {\n\n  b = ]\n}\n"},
}

ACCEPTED: dict[str, Files] = {
    "tabs": main("locals {\n\ta = 1\n}\n"),
    "newline inside ${ }": main('locals {\n  a = "${\n  1 }"\n}\n'),
    "escaped template sequences": main('locals {\n  a = "$${x} %%{y} $5 100%"\n}\n'),
    "flush heredoc and trimming": main('locals {\n  a = <<-EOT\n    %{~ if true ~}\n    x\n'
                                       '    %{~ endif ~}\n    EOT\n}\n'),
    "exponents": main("locals {\n  a = 1.e3\n  b = 1e646456990\n  c = 0e99999999999\n}\n"),
    "unicode names and comments": main("# \u00e9\u00e9\nlocals {\n  caf\u00e9 = 1 /* x */\n}\n"),
    "one-line blocks": main('locals { a = 1 }\nlocals {}\n'),
    "CRLF and BOM": main("\ufefflocals {\r\n  a = [\r\n    1,\r\n  ]\r\n}\r\n"),
    "splats, fors and legacy indexes": main(
        "locals {\n  a = [for k, v in {} : v if k != \"\"]\n  b = {for x in [] : x => x...}\n"
        "  c = local.a[*].b\n  d = [{ b = [1] }].*.b.0\n  e = [1, 2].0\n}\n"),
}


Said = tuple[str, int, str]  # file, line, summary


def _first_error(out: str) -> Said:
    """(file, line, summary) of the first error Terraform printed."""
    error = re.compile(r"Error: (.+)").search(out)
    found = re.compile(r"on (\S+) line (\d+)").search(out, error.end() if error else 0)
    assert error is not None and found is not None, out
    return found.group(1), int(found.group(2)), error.group(1).strip()


def _validate(files: Files) -> Said | None:
    """Where `terraform validate` names the first error in *files*; None if it accepts them."""
    binary = terraform.terraform_binary()
    assert binary is not None
    env = {**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null", "CHECKPOINT_DISABLE": "1"}
    with tempfile.TemporaryDirectory() as directory:
        _write(Path(directory), files)
        done = subprocess.run([binary, "validate", "-no-color"], cwd=directory, env=env,
                              capture_output=True, timeout=120, check=False)
    out = (done.stdout + done.stderr).decode("utf-8", "replace")
    return None if done.returncode == 0 else _first_error(out)


def _write(directory: Path, files: Files) -> None:
    """Write *files* (name -> text or bytes) into *directory*."""
    for name, text in files.items():
        (directory / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


@pytest.fixture(scope="module")
def terraform_says() -> Iterator[dict[str, Said | None]]:
    """Terraform's verdict on every tree, validated once, two at a time."""
    require_terraform()
    trees = {**REFUSED, **ACCEPTED}
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield dict(zip(trees, pool.map(_validate, trees.values()), strict=True))


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_syntax_error_names_the_file_and_line_terraform_names(
    case: str, terraform_says: dict[str, Said | None], tmp_path: Path
) -> None:
    want = terraform_says[case]
    assert want is not None, f"Terraform accepts {case!r}: not a syntax error"
    _write(tmp_path, REFUSED[case])
    with pytest.raises(RunError) as err:
        read_hcl([str(tmp_path)])
    message = err.value.message
    found = re.match(r"(.+?):(\d+): ", message)
    assert found is not None, message
    assert (Path(found.group(1)).name, int(found.group(2))) == want[:2], message
    said = "is set twice" if want[2] == "Attribute redefined" else want[2].lower()
    assert said in message.lower(), (want, message)  # the same error, not another one there
    assert "\n" not in message and SECRET not in message and "s3cr3t" not in message.lower()


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_what_terraform_parses_is_read(case: str,
                                       terraform_says: dict[str, Said | None],
                                       tmp_path: Path) -> None:
    assert terraform_says[case] is None, f"Terraform refuses {case!r}"
    _write(tmp_path, ACCEPTED[case])
    read_hcl([str(tmp_path)])  # no RunError


def test_the_message_says_what_terraform_says_in_one_line(tmp_path: Path) -> None:
    """The summary is Terraform's own words; the token found is named by its kind."""
    _write(tmp_path, REFUSED["stray token"])
    with pytest.raises(RunError, match=r"main\.tf:42: syntax error at column 25: missing "
                                       r"newline after argument, found '!'$"):
        read_hcl([str(tmp_path)])
