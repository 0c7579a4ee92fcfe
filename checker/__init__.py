"""tablespec: hold DynamoDB tables in Terraform and live accounts to one written spec."""

__version__ = "0.1.0"
