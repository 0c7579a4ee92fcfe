# DynamoDB tables of the Unreal VR Multiplayer System: sessions and events
# expire 72 hours after session end (TTL on `ttl`); rewards persist (no TTL).

locals {
  provisioned = var.billing_mode == "PROVISIONED"

  common_tags = merge(var.tags, {
    Project     = var.project_name
    Environment = var.environment
    ManagedBy   = "Terraform"
  })
}

resource "aws_dynamodb_table" "player_sessions" {
  name           = "${var.project_name}-player-sessions-${var.environment}"
  billing_mode   = var.billing_mode
  read_capacity  = local.provisioned ? var.read_capacity : null
  write_capacity = local.provisioned ? var.write_capacity : null
  hash_key       = "playerId"
  range_key      = "sessionId"

  attribute {
    name = "playerId"
    type = "S"
  }

  attribute {
    name = "sessionId"
    type = "S"
  }

  ttl {
    enabled        = true
    attribute_name = "ttl"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.enable_point_in_time_recovery
  }

  tags = merge(local.common_tags, {
    Name = "${var.project_name}-player-sessions-${var.environment}"
  })
}

resource "aws_dynamodb_table" "interaction_events" {
  name           = "${var.project_name}-interaction-events-${var.environment}"
  billing_mode   = var.billing_mode
  read_capacity  = local.provisioned ? var.read_capacity : null
  write_capacity = local.provisioned ? var.write_capacity : null
  hash_key       = "sessionId"
  range_key      = "timestamp"

  attribute {
    name = "sessionId"
    type = "S"
  }

  attribute {
    name = "timestamp"
    type = "S"
  }

  attribute {
    name = "playerId"
    type = "S"
  }

  global_secondary_index {
    name            = "PlayerIdIndex"
    hash_key        = "playerId"
    range_key       = "timestamp"
    projection_type = "ALL"
    read_capacity   = local.provisioned ? var.gsi_read_capacity : null
    write_capacity  = local.provisioned ? var.gsi_write_capacity : null
  }

  ttl {
    enabled        = true
    attribute_name = "ttl"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.enable_point_in_time_recovery
  }

  tags = merge(local.common_tags, {
    Name = "${var.project_name}-interaction-events-${var.environment}"
  })
}

resource "aws_dynamodb_table" "player_rewards" {
  name           = "${var.project_name}-player-rewards-${var.environment}"
  billing_mode   = var.billing_mode
  read_capacity  = local.provisioned ? var.read_capacity : null
  write_capacity = local.provisioned ? var.write_capacity : null
  hash_key       = "playerId"
  range_key      = "rewardId"

  attribute {
    name = "playerId"
    type = "S"
  }

  attribute {
    name = "rewardId"
    type = "S"
  }

  # No TTL: rewards persist indefinitely.

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.enable_point_in_time_recovery
  }

  tags = merge(local.common_tags, {
    Name = "${var.project_name}-player-rewards-${var.environment}"
  })
}
