variable "region" {
  description = "Region of the hub: the functions, the state machine, the bucket and the topic"
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the state machine and prefix of everything else"
  type        = string
  default     = "tablespec-org-audit"
}

variable "lambda_zip" {
  description = "Prebuilt deployment package of the three functions (examples/org/build_lambda.sh makes it)"
  type        = string
  default     = "dist/tablespec-lambda.zip"
}

variable "regions" {
  description = "Regions audited in every account (one shard per account and region)"
  type        = list(string)
  default     = ["eu-west-1"]

  validation {
    condition     = length(var.regions) > 0
    error_message = "Audit at least one region."
  }
}

variable "member_role_name" {
  description = "The role assumed in every member account (examples/org/member-role deploys it); a path is allowed: security/tablespec-audit"
  type        = string
  default     = "tablespec-audit"

  validation {
    condition     = can(regex("^([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$", var.member_role_name))
    error_message = "member_role_name must be an IAM role name, optionally with a path (security/tablespec-audit)."
  }
}

variable "organizational_units" {
  description = "Audit only the accounts under these OUs (ou-... ids, nested OUs included); empty: the whole organization"
  type        = list(string)
  default     = []
}

variable "exclude_accounts" {
  description = "Account ids never audited"
  type        = list(string)
  default     = []
}

variable "include_management_account" {
  description = "Also audit the management account (it needs the member role too: StackSets do not deploy there)"
  type        = bool
  default     = false
}

variable "external_id" {
  description = "External ID the member roles require (sts:ExternalId); null: none"
  type        = string
  default     = null
}

variable "environment" {
  description = "Environment whose tables must exist in every audited account and region (tablespec --env); null: told by the table names"
  type        = string
  default     = null
}

variable "allow_unknown" {
  description = "Unknown findings (missing permissions, accounts that cannot be entered) do not fail the run nor alert"
  type        = bool
  default     = false
}

variable "security_hub" {
  description = "Each shard imports its findings into Security Hub, in its account through the member role (give the member roles security_hub / SecurityHub too)"
  type        = bool
  default     = false
}

variable "sample_items" {
  description = "Items per TTL table to sample (0: off; the member roles then need dynamodb:Scan, see member-role)"
  type        = number
  default     = 0

  validation {
    condition     = var.sample_items >= 0
    error_message = "sample_items must be 0 (off) or more."
  }
}

variable "max_concurrency" {
  description = "Shards (account and region) audited at the same time"
  type        = number
  default     = 40

  validation {
    condition     = var.max_concurrency >= 1 && var.max_concurrency <= 10000 && floor(var.max_concurrency) == var.max_concurrency
    error_message = "max_concurrency must be a whole number from 1 to 10000."
  }
}

variable "tolerated_failure_percentage" {
  description = "Share of shards whose audit may fail (after retries) before the Map run fails; the merge runs either way, and a shard without a report is unknown in it"
  type        = number
  default     = 10

  validation {
    condition     = var.tolerated_failure_percentage >= 0 && var.tolerated_failure_percentage <= 100
    error_message = "tolerated_failure_percentage must be from 0 to 100."
  }
}

variable "schedule_expression" {
  description = "When to audit: an EventBridge schedule expression"
  type        = string
  default     = "cron(0 6 * * ? *)"
}

variable "alert_emails" {
  description = "Addresses subscribed to the alert topic"
  type        = list(string)
  default     = []
}

variable "report_retention_days" {
  description = "Days the reports (and every run's shard reports) are kept in S3"
  type        = number
  default     = 400
}

variable "shard_timeout_seconds" {
  description = "Timeout of one shard's audit (one account, one region)"
  type        = number
  default     = 900

  validation {
    condition     = var.shard_timeout_seconds >= 30 && var.shard_timeout_seconds <= 900
    error_message = "shard_timeout_seconds must be from 30 to 900 (the Lambda limit)."
  }
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default     = {}
}

variable "member_role_stackset" {
  description = "Deploy the member role (../member-role/stackset.yaml) to the audited OUs, or the whole organization, as a service-managed StackSet"
  type        = bool
  default     = false
}

variable "member_role_stackset_call_as" {
  description = "SELF when this is the management account, DELEGATED_ADMIN for a delegated StackSets administrator"
  type        = string
  default     = "SELF"

  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.member_role_stackset_call_as)
    error_message = "member_role_stackset_call_as must be SELF or DELEGATED_ADMIN."
  }
}
