# One root for every environment, a variables file per environment in env/:
#   terraform plan -var-file=env/prod.tfvars
# tablespec evaluates the root once per file, each held to the environment its name says.

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

variable "environment" {
  description = "Environment this plan deploys: dev, staging or prod"
  type        = string
}

variable "point_in_time_recovery" {
  description = "Continuous backups (required in prod)"
  type        = bool
  default     = false
}

variable "alarm_sns_topic_arns" {
  description = "SNS topics of the throttle alarms; none: no alarms"
  type        = list(string)
  default     = []
}

variable "cost_center" {
  type = string
}

module "dynamodb" {
  source = "../../terraform/modules/dynamodb"

  project_name = "hypermage-vr"
  environment  = var.environment
  billing_mode = "PAY_PER_REQUEST"

  enable_point_in_time_recovery = var.point_in_time_recovery
  enable_cloudwatch_alarms      = length(var.alarm_sns_topic_arns) > 0
  alarm_sns_topic_arns          = var.alarm_sns_topic_arns

  tags = {
    CostCenter = var.cost_center
    Owner      = "DevOps Team"
  }
}
