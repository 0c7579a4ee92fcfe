variable "role_name" {
  description = "The member role, as the hub's member_role_name says it; a path is allowed: security/tablespec-audit"
  type        = string
  default     = "tablespec-audit"

  validation {
    condition     = can(regex("^([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be an IAM role name, optionally with a path (security/tablespec-audit)."
  }
}

variable "trusted_role_arn" {
  description = "The hub's shard function role (the hub's shard_role_arn output): the only principal that may assume this role"
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.trusted_role_arn))
    error_message = "trusted_role_arn must be an IAM role ARN."
  }
}

variable "external_id" {
  description = "External ID the hub must present (the hub's external_id); null: none"
  type        = string
  default     = null
}

variable "sample_items" {
  description = "The hub samples TTL values (its sample_items > 0): also grant dynamodb:Scan on the spec's tables"
  type        = bool
  default     = false
}

variable "security_hub" {
  description = "The hub imports findings into Security Hub (its security_hub): grant the import into this account's default product"
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the role"
  type        = map(string)
  default     = {}
}
