# One root, one Terraform workspace per environment:
#   terraform workspace select prod && terraform plan
# tablespec sees that the root reads terraform.workspace and evaluates it once per
# environment of the spec, in the workspace of that name (or the spec's
# environments: {prod: {workspace: ...}}).

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  environment = terraform.workspace
  settings = {
    dev     = { pitr = false, alarms = [], cost_center = "Development" }
    staging = { pitr = false, alarms = [], cost_center = "Staging" }
    prod = {
      pitr        = true
      alarms      = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
      cost_center = "Production"
    }
  }
  this = local.settings[local.environment]
}

module "dynamodb" {
  source = "../../terraform/modules/dynamodb"

  project_name = "hypermage-vr"
  environment  = local.environment
  billing_mode = "PAY_PER_REQUEST"

  enable_point_in_time_recovery = local.this.pitr
  enable_cloudwatch_alarms      = length(local.this.alarms) > 0
  alarm_sns_topic_arns          = local.this.alarms

  tags = {
    CostCenter = local.this.cost_center
    Owner      = "DevOps Team"
  }
}
