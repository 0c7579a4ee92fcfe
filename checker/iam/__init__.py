"""IAM resource-based policies (a table's or stream's): parse them, judge who they let in."""
