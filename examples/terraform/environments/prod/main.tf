# Production: PITR, throttle alarms wired to the alerts topic.

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
  region = var.aws_region
}

variable "aws_region" {
  description = "AWS region"
  type        = string
  default     = "eu-west-1"
}

variable "alarm_sns_topic_arns" {
  description = "SNS topics that receive throttle alarms"
  type        = list(string)
  default     = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}

module "dynamodb" {
  source = "../../modules/dynamodb"

  project_name = "hypermage-vr"
  environment  = "prod"

  billing_mode = "PAY_PER_REQUEST"

  enable_point_in_time_recovery = true

  enable_cloudwatch_alarms = true
  alarm_sns_topic_arns     = var.alarm_sns_topic_arns

  tags = {
    CostCenter = "Production"
    Owner      = "DevOps Team"
  }
}

output "table_names" {
  value = module.dynamodb.all_table_names
}
