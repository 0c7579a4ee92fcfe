"""Resources -> TableState: defaults, written blocks, encryption, dynamic blocks, addresses,
field locations (tags, alarms, keys and module arguments: test_links.py)."""

from __future__ import annotations

from pathlib import Path

from checker.model import (
    NO_MAXIMUM,
    TTL_OFF,
    EncLevel,
    Encryption,
    Gsi,
    InlineSkip,
    Key,
    Location,
    Ttl,
)
from checker.unknown import Unknown
from tests.sources.hcl.util import one, states

BARE = '''
resource "aws_dynamodb_table" "t" {
  name     = "tbl"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
'''


def table(body: str, extra: str = "") -> dict[str, str]:
    """One table `aws_dynamodb_table.t` (name tbl, hash key id) with *body* added."""
    return {"main.tf": f'''
        resource "aws_dynamodb_table" "t" {{
          name     = "tbl"
          hash_key = "id"
          attribute {{
            name = "id"
            type = "S"
          }}
        {body}
        }}
        {extra}
    '''}


def test_left_out_blocks_are_the_aws_defaults(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf": BARE})
    assert state.source == "hcl"
    assert state.resource == "aws_dynamodb_table.t"
    assert state.name == "tbl"
    assert state.hash_key == Key("id", "S") and state.range_key is None
    assert state.billing_mode == "PROVISIONED"
    assert state.read_capacity is None and state.write_capacity is None
    assert state.ttl == TTL_OFF and state.pitr is False
    assert state.encryption == Encryption.exact(EncLevel.AWS_OWNED)
    assert state.gsis == () and state.tags == {} and state.deletion_protection is False
    assert state.location == Location(str(tmp_path / "main.tf"), 1)


def test_written_blocks_are_read(tmp_path: Path) -> None:
    state = one(tmp_path, table('''
          range_key      = "sk"
          billing_mode   = "PROVISIONED"
          read_capacity  = 5
          write_capacity = "7"
          deletion_protection_enabled = true
          attribute {
            name = "sk"
            type = "N"
          }
          ttl {
            enabled        = true
            attribute_name = "expires"
          }
          point_in_time_recovery {
            enabled = true
          }
          global_secondary_index {
            name               = "B"
            hash_key           = "sk"
            projection_type    = "INCLUDE"
            non_key_attributes = ["x"]
            read_capacity      = 1
            write_capacity     = 2
          }
          global_secondary_index {
            name            = "A"
            hash_key        = "id"
            range_key       = "sk"
            projection_type = "ALL"
          }
    '''))
    assert state.range_key == Key("sk", "N")
    assert (state.read_capacity, state.write_capacity) == (5, 7)
    assert state.ttl == Ttl(True, "expires") and state.pitr is True
    assert state.deletion_protection is True
    assert state.gsis == (
        Gsi("A", Key("id", "S"), Key("sk", "N"), "ALL", (), None, None, NO_MAXIMUM),
        Gsi("B", Key("sk", "N"), None, "INCLUDE", ("x",), 1, 2, NO_MAXIMUM),
    )


def test_encryption_levels(tmp_path: Path) -> None:
    def enc(block: str, extra: str = "", sub: str = "") -> Encryption:
        return one(tmp_path / sub, table(block, extra)).encryption

    assert enc("server_side_encryption {\n enabled = false\n}", sub="a") == Encryption.exact(
        EncLevel.AWS_OWNED)
    assert enc("server_side_encryption {\n enabled = true\n}", sub="b") == Encryption.exact(
        EncLevel.AWS_MANAGED)
    arn = "arn:aws:kms:eu-west-1:111122223333:key/abcd"
    assert enc(f'server_side_encryption {{\n enabled = true\n kms_key_arn = "{arn}"\n}}',
               sub="c") == Encryption.exact(EncLevel.CUSTOMER_MANAGED, arn)
    alias = "arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb"
    assert enc(f'server_side_encryption {{\n enabled = true\n kms_key_arn = "{alias}"\n}}',
               sub="d") == Encryption.exact(EncLevel.AWS_MANAGED, alias)
    cmk = enc("server_side_encryption {\n enabled = true\n kms_key_arn = local.k\n}",
              'resource "aws_kms_key" "k" {}\nlocals {\n k = aws_kms_key.k.key_id\n}', "e")
    assert (cmk.low, cmk.high) == (EncLevel.CUSTOMER_MANAGED,) * 2
    managed = enc("server_side_encryption {\n enabled = true\n"
                  " kms_key_arn = data.aws_kms_key.k.arn\n}",
                  'data "aws_kms_key" "k" {\n key_id = "alias/aws/dynamodb"\n}', "f")
    assert (managed.low, managed.high) == (EncLevel.AWS_MANAGED,) * 2
    unknown_key = enc("server_side_encryption {\n enabled = true\n kms_key_arn = var.k\n}",
                      'variable "k" {}', "g")
    assert (unknown_key.low, unknown_key.high) == (EncLevel.AWS_MANAGED,
                                                   EncLevel.CUSTOMER_MANAGED)
    assert isinstance(unknown_key.key_arn, Unknown) and "var.k (" in unknown_key.key_arn.reason
    unknown_on = enc("server_side_encryption {\n enabled = var.on\n}", 'variable "on" {}', "h")
    assert (unknown_on.low, unknown_on.high) == (EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED)


def test_dynamic_blocks_expand_and_unknown_for_each_is_never_left_out(tmp_path: Path) -> None:
    state = one(tmp_path / "known", table('''
          dynamic "ttl" {
            for_each = ["expires"]
            iterator = it
            content {
              enabled        = true
              attribute_name = it.value
            }
          }
          dynamic "point_in_time_recovery" {
            for_each = []
            content {
              enabled = true
            }
          }
    '''))
    assert state.ttl == Ttl(True, "expires") and state.pitr is False
    blocks = "\n".join(f'''
          dynamic "{b}" {{
            for_each = var.u
            content {{
              enabled = true
            }}
          }}''' for b in ("ttl", "point_in_time_recovery", "server_side_encryption"))
    gsi = '''
          dynamic "global_secondary_index" {
            for_each = var.u
            content {
              name            = "G"
              hash_key        = "id"
              projection_type = "ALL"
            }
          }'''
    state = one(tmp_path / "unknown", table(blocks + gsi, 'variable "u" {}'))
    for value in (state.ttl, state.pitr, state.gsis):
        assert isinstance(value, Unknown) and "for_each is not known" in value.reason
        assert "var.u (" in value.reason
    assert (state.encryption.low, state.encryption.high) == (EncLevel.AWS_OWNED,
                                                             EncLevel.CUSTOMER_MANAGED)


def test_count_and_for_each_addresses(tmp_path: Path) -> None:
    found = states(tmp_path, {
        "main.tf": '''
            resource "aws_dynamodb_table" "c" {
              count    = 2
              name     = "c-${count.index}"
              hash_key = "id"
            }
            resource "aws_dynamodb_table" "f" {
              for_each = toset(["x", "y"])
              name     = "f-${each.key}"
              hash_key = "id"
            }
            resource "aws_dynamodb_table" "none" {
              count    = 0
              name     = "never"
              hash_key = "id"
            }
            module "outer" {
              source   = "./outer"
              for_each = { PlayerRewards = "r" }
              name     = each.value
            }
        ''',
        "outer/main.tf": '''
            variable "name" {}
            module "inner" {
              source = "../inner"
              count  = 1
              name   = var.name
            }
        ''',
        "inner/main.tf": '''
            variable "name" {}
            resource "aws_dynamodb_table" "this" {
              name     = var.name
              hash_key = "id"
            }
        ''',
    })
    assert {s.resource: s.name for s in found} == {
        "aws_dynamodb_table.c[0]": "c-0",
        "aws_dynamodb_table.c[1]": "c-1",
        'aws_dynamodb_table.f["x"]': "f-x",
        'aws_dynamodb_table.f["y"]': "f-y",
        'module.outer["PlayerRewards"].module.inner[0].aws_dynamodb_table.this': "r",
    }


def test_unknown_count_is_one_table_whose_name_says_why(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf": '''
        variable "n" {}
        resource "aws_dynamodb_table" "t" {
          count    = var.n
          name     = "tbl"
          hash_key = "id"
        }
    '''})
    assert state.resource == "aws_dynamodb_table.t"
    assert isinstance(state.name, Unknown)
    assert "count is not known" in state.name.reason and "var.n (" in state.name.reason


def test_field_locations_and_inline_skips(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf": '''
        resource "aws_dynamodb_table" "t" {
          #checkov:skip=CKV_AWS_28:PITR is off on purpose
          name     = "tbl"
          hash_key = "id"
          // tablespec:skip=TS-PITR-001:covered by backups
          /* checkov:skip=CKV_TS_PITR_001 */
          attribute {
            name = "id"
            type = "S"
          }
          dynamic "global_secondary_index" {
            for_each = ["G1"]
            content {
              name            = global_secondary_index.value
              hash_key        = "id"
              projection_type = "ALL"
            }
          }
          point_in_time_recovery {
            enabled = false
          }
        }
        # checkov:skip=CKV_OUTSIDE:not in the block
    '''})
    f = str(tmp_path / "main.tf")
    assert state.skips == (
        InlineSkip("CKV_AWS_28", "PITR is off on purpose", Location(f, 2)),
        InlineSkip("TS-PITR-001", "covered by backups", Location(f, 5)),
        InlineSkip("CKV_TS_PITR_001", "", Location(f, 6)),
    )
    loc = state.field_locations
    assert loc["name"] == Location(f, 3) and loc["hash_key"] == Location(f, 4)
    assert loc["point_in_time_recovery"] == Location(f, 19)
    assert loc["point_in_time_recovery.enabled"] == Location(f, 20)
    assert loc["global_secondary_index"] == Location(f, 11)
    assert loc["global_secondary_index.G1"] == Location(f, 11)
    assert loc["global_secondary_index.G1.projection_type"] == Location(f, 16)


def test_attribute_and_index_blocks_are_located_by_name(tmp_path: Path) -> None:
    state = one(tmp_path, {"main.tf": '''
        resource "aws_dynamodb_table" "t" {
          name     = "tbl"
          hash_key = "id"
          dynamic "attribute" {
            for_each = { id = "S", sk = "N" }
            content {
              name = attribute.key
              type = attribute.value
            }
          }
        }
    '''})
    f = str(tmp_path / "main.tf")
    assert state.hash_key == Key("id", "S")
    assert state.field_locations["attribute.sk"] == Location(f, 4)
    assert state.field_locations["attribute.sk.type"] == Location(f, 8)
