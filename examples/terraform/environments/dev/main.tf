# Development: on-demand billing, no PITR, no alarms.

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

module "dynamodb" {
  source = "../../modules/dynamodb"

  project_name = "hypermage-vr"
  environment  = "dev"

  billing_mode = "PAY_PER_REQUEST"

  enable_point_in_time_recovery = false
  enable_cloudwatch_alarms      = false

  tags = {
    CostCenter = "Development"
    Owner      = "DevOps Team"
  }
}

output "table_names" {
  value = module.dynamodb.all_table_names
}
