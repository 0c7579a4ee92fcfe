# Optional: deploy the member role (../member-role/stackset.yaml) to every account of the
# organization, or of var.organizational_units, as a service-managed StackSet that also reaches
# the accounts that join later. Needs trusted access for StackSets in AWS Organizations, and runs
# as the management account (or a delegated administrator: member_role_stackset_call_as).

locals {
  member_role_parts = split("/", var.member_role_name)
  member_role_base  = local.member_role_parts[length(local.member_role_parts) - 1]
  member_role_path  = "/${join("", [for p in slice(local.member_role_parts, 0, length(local.member_role_parts) - 1) : "${p}/"])}"
}

data "aws_organizations_organization" "this" {
  count = var.member_role_stackset ? 1 : 0
}

resource "aws_cloudformation_stack_set" "member_role" {
  count            = var.member_role_stackset ? 1 : 0
  name             = "${var.name}-member-role"
  description      = "tablespec audit member role, trusted by ${aws_iam_role.fn["shard"].name}"
  permission_model = "SERVICE_MANAGED"
  call_as          = var.member_role_stackset_call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = file("${path.module}/../member-role/stackset.yaml")
  tags             = var.tags

  parameters = {
    RoleName       = local.member_role_base
    RolePath       = local.member_role_path
    TrustedRoleArn = aws_iam_role.fn["shard"].arn
    ExternalId     = var.external_id == null ? "" : var.external_id
    SampleItems    = tostring(var.sample_items > 0)
    SecurityHub    = tostring(var.security_hub)
  }

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  lifecycle {
    ignore_changes = [administration_role_arn] # set by AWS for service-managed StackSets
  }
}

resource "aws_cloudformation_stack_set_instance" "member_role" {
  count          = var.member_role_stackset ? 1 : 0
  stack_set_name = aws_cloudformation_stack_set.member_role[0].name
  call_as        = var.member_role_stackset_call_as
  region         = var.region # IAM is global: one region deploys the role

  deployment_targets {
    organizational_unit_ids = length(var.organizational_units) > 0 ? var.organizational_units : [
      data.aws_organizations_organization.this[0].roots[0].id
    ]
  }
}
