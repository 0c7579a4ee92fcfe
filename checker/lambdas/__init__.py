"""The organization fan-out: one Lambda lists the shards (account x region), one audits each
shard, one merges their reports; examples/org/terraform wires them with Step Functions."""
