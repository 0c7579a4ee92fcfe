variable "region" {
  description = "Region of the function, its bucket and topic (and the default region audited)"
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the function and prefix of everything else"
  type        = string
  default     = "tablespec-audit"
}

variable "lambda_zip" {
  description = "Prebuilt deployment package (examples/scheduled/build_lambda.sh makes it)"
  type        = string
  default     = "dist/tablespec-lambda.zip"
}

variable "schedule_expression" {
  description = "When to audit: an EventBridge schedule expression"
  type        = string
  default     = "cron(0 6 * * ? *)"
}

variable "environment" {
  description = "Environment whose tables must exist (tablespec --env)"
  type        = string
  default     = "prod"
}

variable "audit_regions" {
  description = "Regions to audit (empty: var.region)"
  type        = list(string)
  default     = []
}

variable "audit_role_arns" {
  description = "Roles to assume, one per audited account (empty: this account, with the function's own role)"
  type        = list(string)
  default     = []
}

variable "audit_org" {
  description = "Audit every active account of the organization, each through audit_org_role_name, in one run (the function runs in the management or a delegated administrator account); not with audit_role_arns. For large organizations, see examples/org (Step Functions fan-out)"
  type        = bool
  default     = false
}

variable "audit_org_role_name" {
  description = "The role audit_org assumes in each account"
  type        = string
  default     = "tablespec-audit"
}

variable "external_id" {
  description = "External ID the audited roles require (with audit_role_arns)"
  type        = string
  default     = null
}

variable "sample_items" {
  description = "Items per TTL table to sample (0: off; more grants dynamodb:Scan)"
  type        = number
  default     = 0

  validation {
    condition     = var.sample_items >= 0
    error_message = "sample_items must be 0 (off) or more."
  }
}

variable "allow_unknown" {
  description = "Do not alert on unknown findings (missing permissions, API faults)"
  type        = bool
  default     = false
}

variable "security_hub" {
  description = "Import the findings into Security Hub (audit --security-hub), each into its own account: this function's for its own account, the member role's for audit_role_arns (grant them security-hub-policy.json)"
  type        = bool
  default     = false
}

variable "alert_emails" {
  description = "Addresses subscribed to the alert topic"
  type        = list(string)
  default     = []
}

variable "report_retention_days" {
  description = "Days the JSON reports are kept in S3"
  type        = number
  default     = 400
}

variable "github_repository" {
  description = "owner/repo whose Actions workflow may assume the audit role through OIDC (empty: none)"
  type        = string
  default     = ""
}

variable "github_subject" {
  description = "OIDC subject suffix allowed to assume it: the branch the scheduled workflow runs on"
  type        = string
  default     = "ref:refs/heads/main"
}

variable "github_oidc_provider_arn" {
  description = "Existing token.actions.githubusercontent.com provider (empty: create one)"
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default     = {}
}
