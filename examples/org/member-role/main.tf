# The role every audited account carries: exactly the read-only policy `tablespec permissions`
# prints (audit-policy.json; audit-policy-sampling.json with --sample-items), trusted by the
# hub's shard function alone. Use it with a provider per account, or deploy stackset.yaml to the
# whole organization as a service-managed StackSet (the hub can do that: member_role_stackset).
#
# Regenerate the policies after a tablespec upgrade or a spec change (a test checks them):
#   tablespec permissions > audit-policy.json
#   tablespec permissions --sample-items 1 > audit-policy-sampling.json
# With security_hub, the role may also import findings into its own account's Security Hub
# (security-hub-policy.json: the statements `tablespec permissions --security-hub` adds).

locals {
  parts  = split("/", var.role_name)
  name   = local.parts[length(local.parts) - 1]
  path   = "/${join("", [for p in slice(local.parts, 0, length(local.parts) - 1) : "${p}/"])}"
  policy = file("${path.module}/${var.sample_items ? "audit-policy-sampling.json" : "audit-policy.json"}")
}

data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.trusted_role_arn]
    }

    dynamic "condition" {
      for_each = var.external_id == null ? [] : [var.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "audit" {
  name                 = local.name
  path                 = local.path
  description          = "tablespec audit: read-only DynamoDB, alarm and key reads for the organization audit"
  max_session_duration = 3600
  tags                 = var.tags

  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "read" {
  name   = "tablespec-audit-read"
  role   = aws_iam_role.audit.id
  policy = local.policy
}

# `audit --security-hub`: the audit's one write, into this account's own default product
# (security-hub-policy.json: what `tablespec permissions --security-hub` adds).
resource "aws_iam_role_policy" "security_hub" {
  count  = var.security_hub ? 1 : 0
  name   = "tablespec-audit-security-hub"
  role   = aws_iam_role.audit.id
  policy = file("${path.module}/security-hub-policy.json")
}
