"""The live source: DynamoDB tables of the audited account(s), read-only -> [TableState]."""
