# Each function has its own role with only what it does; the state machine and the schedule
# have theirs. Only the shard function may leave this account, and only into the member role.

locals {
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  reports_objects = "${aws_s3_bucket.reports.arn}/${local.prefix}*"

  function_statements = {
    list-shards = [
      {
        Sid    = "ListOrganization"
        Effect = "Allow"
        Action = [
          "organizations:ListAccounts",
          "organizations:ListAccountsForParent",
          "organizations:ListOrganizationalUnitsForParent",
          "organizations:DescribeOrganization",
        ]
        Resource = "*"
      },
      {
        Sid      = "WriteShards"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = local.reports_objects
      },
    ]
    shard = [
      {
        Sid      = "AssumeMemberRole"
        Effect   = "Allow"
        Action   = ["sts:AssumeRole"]
        Resource = "arn:${local.partition}:iam::*:role/${var.member_role_name}"
      },
      {
        Sid      = "WriteShardReport"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = local.reports_objects
      },
    ]
    merge = [
      {
        Sid      = "ReadShardReports"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = local.reports_objects
      },
      {
        Sid       = "ListShardReports"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = aws_s3_bucket.reports.arn
        Condition = { StringLike = { "s3:prefix" = ["${local.prefix}*"] } }
      },
      {
        Sid      = "WriteReport"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = local.reports_objects
      },
      {
        Sid      = "Alert"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = aws_sns_topic.alerts.arn
      },
    ]
  }
}

resource "aws_iam_role" "fn" {
  for_each           = local.functions
  name               = "${var.name}-${each.key}"
  assume_role_policy = local.lambda_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions
  name     = "tablespec-${each.key}"
  role     = aws_iam_role.fn[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.function_statements[each.key], [{
      Sid      = "Logs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.fn[each.key].arn}:*"
    }])
  })
}

# --- the state machine's role --------------------------------------------------------------

resource "aws_iam_role" "state_machine" {
  name = "${var.name}-states"
  tags = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}

resource "aws_iam_role_policy" "state_machine" {
  name = "tablespec-org-audit"
  role = aws_iam_role.state_machine.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeFunctions"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = flatten([for f in aws_lambda_function.fn : [f.arn, "${f.arn}:*"]])
      },
      {
        Sid      = "ReadShardList" # the distributed Map's ItemReader
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = local.reports_objects
      },
      {
        Sid    = "WriteMapResults" # the distributed Map's ResultWriter
        Effect = "Allow"
        Action = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts",
        "s3:AbortMultipartUpload"]
        Resource = "${aws_s3_bucket.reports.arn}/${local.results_prefix}/*"
      },
      {
        Sid      = "StartMapChildren" # a distributed Map runs its items as child executions
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.state_machine_arn
      },
      {
        Sid      = "ManageMapChildren"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = "arn:${local.partition}:states:${data.aws_region.current.name}:${local.account}:execution:${var.name}/*"
      },
    ]
  })
}

# --- the schedule's role -------------------------------------------------------------------

resource "aws_iam_role" "schedule" {
  name = "${var.name}-schedule"
  tags = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "schedule" {
  name = "tablespec-start-audit"
  role = aws_iam_role.schedule.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "StartAudit"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = aws_sfn_state_machine.audit.arn
    }]
  })
}
