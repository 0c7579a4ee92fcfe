# A scheduled, read-only tablespec audit: EventBridge runs the Lambda, the Lambda writes the
# JSON report to S3 and publishes to SNS when a finding fails.
#
# The function's read permissions are exactly `tablespec permissions` (audit-policy.json,
# regenerate it with `tablespec permissions > audit-policy.json`); writing is limited to the
# report bucket and the alert topic.

locals {
  audit_policy = jsondecode(file("${path.module}/audit-policy.json"))

  # Only `tablespec audit --sample-items` needs dynamodb:Scan.
  sample_statement = {
    Sid      = "TablespecSampleTtlValues"
    Effect   = "Allow"
    Action   = ["dynamodb:Scan"]
    Resource = "arn:aws:dynamodb:*:*:table/hypermage-vr-*" # as `tablespec permissions` prints
  }

  # Only `tablespec audit --security-hub` writes: `tablespec permissions --security-hub` adds
  # these statements (security-hub-policy.json).
  security_hub_statements = jsondecode(file("${path.module}/security-hub-policy.json")).Statement
  audit_statements = concat(
    local.audit_policy.Statement,
    var.sample_items > 0 ? [local.sample_statement] : [],
    var.security_hub ? local.security_hub_statements : [],
  )

  function_env = {
    TABLESPEC_REPORT_BUCKET = aws_s3_bucket.reports.id
    TABLESPEC_REPORT_PREFIX = "tablespec/"
    TABLESPEC_TOPIC_ARN     = aws_sns_topic.alerts.arn
    TABLESPEC_SPEC          = "specs/tables.yaml"
    TABLESPEC_ENV           = var.environment
    TABLESPEC_REGIONS       = join(",", length(var.audit_regions) > 0 ? var.audit_regions : [var.region])
    TABLESPEC_ROLE_ARNS     = join(",", var.audit_role_arns)
    TABLESPEC_ORG           = tostring(var.audit_org)
    TABLESPEC_ORG_ROLE_NAME = var.audit_org_role_name
    TABLESPEC_EXTERNAL_ID   = var.external_id == null ? "" : var.external_id
    TABLESPEC_SAMPLE_ITEMS  = tostring(var.sample_items)
    TABLESPEC_ALLOW_UNKNOWN = tostring(var.allow_unknown)
    TABLESPEC_SECURITY_HUB  = tostring(var.security_hub)
  }
}

# --- where the reports go ---------------------------------------------------------------

resource "aws_s3_bucket" "reports" {
  bucket_prefix = "${var.name}-reports-"
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
      prefix = "tablespec/"
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

# --- the function and its role -------------------------------------------------------------

resource "aws_iam_role" "audit" {
  name = var.name
  tags = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Read-only: built from `tablespec permissions`.
resource "aws_iam_role_policy" "audit_read" {
  name = "tablespec-audit-read"
  role = aws_iam_role.audit.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.audit_statements
  })
}

resource "aws_iam_role_policy" "deliver" {
  name = "tablespec-audit-deliver"
  role = aws_iam_role.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "WriteReports"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = "${aws_s3_bucket.reports.arn}/tablespec/*"
      },
      {
        Sid      = "Alert"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = aws_sns_topic.alerts.arn
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.audit.arn}:*"
      },
      ], length(var.audit_role_arns) > 0 ? [{
        Sid      = "AssumeAuditRoles"
        Effect   = "Allow"
        Action   = ["sts:AssumeRole"]
        Resource = var.audit_role_arns
        }] : [], var.audit_org ? [{
        Sid    = "ReadOrganization"
        Effect = "Allow"
        Action = ["organizations:DescribeOrganization", "organizations:ListAccounts",
        "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
        Resource = "*"
        }, {
        Sid      = "AssumeOrganizationAuditRoles"
        Effect   = "Allow"
        Action   = ["sts:AssumeRole"]
        Resource = "arn:aws:iam::*:role/${var.audit_org_role_name}"
    }] : [])
  })
}

resource "aws_cloudwatch_log_group" "audit" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_lambda_function" "audit" {
  function_name    = var.name
  description      = "tablespec audit: DynamoDB tables against the spec, read-only"
  role             = aws_iam_role.audit.arn
  filename         = var.lambda_zip
  source_code_hash = filebase64sha256(var.lambda_zip)
  handler          = "checker.lambdas.scheduled.handler"
  runtime          = "python3.11"
  architectures    = ["x86_64"]
  timeout          = 300
  memory_size      = 512
  tags             = var.tags

  environment {
    variables = local.function_env
  }

  depends_on = [aws_cloudwatch_log_group.audit]

  lifecycle {
    precondition {
      condition     = !var.audit_org || length(var.audit_role_arns) == 0
      error_message = "Set audit_org or audit_role_arns, not both."
    }
  }
}

# A run that could not be made alerts once; it is not retried into three alerts.
resource "aws_lambda_function_event_invoke_config" "audit" {
  function_name          = aws_lambda_function.audit.function_name
  maximum_retry_attempts = 0
}

# --- the schedule ----------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${var.name}-schedule"
  description         = "Run the tablespec audit"
  schedule_expression = var.schedule_expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "audit" {
  rule = aws_cloudwatch_event_rule.schedule.name
  arn  = aws_lambda_function.audit.arn
}

resource "aws_lambda_permission" "schedule" {
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.audit.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule.arn
}
