# Optional: a role the GitHub Actions workflow (../github/tablespec-audit.yml) assumes through
# OIDC, with the same read-only policy. Set var.github_repository to "owner/repo".

locals {
  github_enabled  = var.github_repository != ""
  create_provider = local.github_enabled && var.github_oidc_provider_arn == ""
  github_provider = local.create_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn
}

resource "aws_iam_openid_connect_provider" "github" {
  count          = local.create_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

resource "aws_iam_role" "github" {
  count = local.github_enabled ? 1 : 0
  name  = "${var.name}-github"
  tags  = var.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.github_provider }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:${var.github_repository}:${var.github_subject}"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "github_read" {
  count = local.github_enabled ? 1 : 0
  name  = "tablespec-audit-read"
  role  = aws_iam_role.github[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.audit_statements
  })
}
