# tablespec audit of a whole AWS Organization, fanned out on Step Functions.
#
# EventBridge starts the state machine on a schedule. It calls three functions of one package:
#   list-shards  lists the organization's accounts (x var.regions) into <prefix><run>/shards.json
#   shard        audits one account and region through the member role, writes its report
#   merge        merges every shard report into <prefix><run>/report.json and latest.json,
#                and publishes to SNS when the audit fails.
# Run it from the management account or a delegated administrator of AWS Organizations.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  # Where the functions keep everything: shards.json, shard reports and merged reports.
  prefix = "tablespec/"
  # Where the distributed Map writes its results (ResultWriter): never into the state.
  results_prefix = "${local.prefix}map-runs"

  state_machine_arn = "arn:${local.partition}:states:${data.aws_region.current.name}:${local.account}:stateMachine:${var.name}"

  common_env = {
    TABLESPEC_REPORT_BUCKET      = aws_s3_bucket.reports.id
    TABLESPEC_REPORT_PREFIX      = local.prefix
    TABLESPEC_SPEC               = "specs/tables.yaml"
    TABLESPEC_REGIONS            = join(",", var.regions)
    TABLESPEC_ORG_ROLE_NAME      = var.member_role_name
    TABLESPEC_ORG_OUS            = join(",", var.organizational_units)
    TABLESPEC_EXCLUDE_ACCOUNTS   = join(",", var.exclude_accounts)
    TABLESPEC_INCLUDE_MANAGEMENT = tostring(var.include_management_account)
    TABLESPEC_EXTERNAL_ID        = var.external_id == null ? "" : var.external_id
    TABLESPEC_ALLOW_UNKNOWN      = tostring(var.allow_unknown)
    TABLESPEC_ENV                = var.environment == null ? "" : var.environment
    TABLESPEC_SAMPLE_ITEMS       = tostring(var.sample_items)
    TABLESPEC_SECURITY_HUB       = tostring(var.security_hub)
  }

  functions = {
    list-shards = {
      description = "tablespec org audit: list the organization's accounts x regions into shards.json"
      handler     = "checker.lambdas.fanout.list_shards"
      timeout     = 300
      memory      = 256
      env         = local.common_env
    }
    shard = {
      description = "tablespec org audit: audit one account and region, read-only, through the member role"
      handler     = "checker.lambdas.scheduled.handler"
      timeout     = var.shard_timeout_seconds
      memory      = 1024
      env         = local.common_env
    }
    merge = {
      description = "tablespec org audit: merge the shard reports into one report; alert on failure"
      handler     = "checker.lambdas.fanout.merge"
      timeout     = 300
      memory      = 1024
      env         = merge(local.common_env, { TABLESPEC_TOPIC_ARN = aws_sns_topic.alerts.arn })
    }
  }
}

# --- where the reports go ---------------------------------------------------------------

resource "aws_s3_bucket" "reports" {
  bucket_prefix = "${var.name}-"
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket                  = aws_s3_bucket.reports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    id     = "expire-reports"
    status = "Enabled"

    filter {
      prefix = local.prefix
    }

    expiration {
      days = var.report_retention_days
    }
  }
}

# --- who hears about failures ----------------------------------------------------------------

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  kms_master_key_id = "alias/aws/sns"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alert_emails)
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

# --- the three functions, one package ---------------------------------------------------------

resource "aws_cloudwatch_log_group" "fn" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_lambda_function" "fn" {
  for_each         = local.functions
  function_name    = "${var.name}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.fn[each.key].arn
  filename         = var.lambda_zip
  source_code_hash = filebase64sha256(var.lambda_zip)
  handler          = each.value.handler
  runtime          = "python3.11"
  architectures    = ["x86_64"]
  timeout          = each.value.timeout
  memory_size      = each.value.memory
  tags             = var.tags

  environment {
    variables = each.value.env
  }

  depends_on = [aws_cloudwatch_log_group.fn]
}
