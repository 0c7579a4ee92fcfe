"""The one reading of Terraform's DynamoDB table and CloudWatch alarm resources.

`tablespec plan` (plan JSON), `tablespec hcl` (evaluated source) and the Checkov policies
(through the same two) each turn what they read into `Body`s (`body.py`); `table.py`,
`encryption.py` and `alarms.py` give every attribute its one meaning, as the hashicorp/aws
5.100 schema (`schema.py`) types it. No reader decides what a setting means.
"""
