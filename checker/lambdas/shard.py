"""One shard of the fan-out: audit exactly one account and region and store its report.

A shard never publishes (the merge does) and returns a small summary for the state machine.
A shard that cannot be audited still writes a report, saying why, its place unknown
(TS-ACCESS-001): the merge then knows it ran and what it could not see.
"""

from __future__ import annotations

import dataclasses
import sys
import traceback
from collections.abc import Mapping
from typing import Any

from checker import pipeline
from checker.audit import audit
from checker.errors import RunError
from checker.findings import Gate, Note, NoteKind
from checker.lambdas.delivery import put_json
from checker.lambdas.environment import options
from checker.lambdas.layout import ShardEvent, shard_key
from checker.pipeline import EXIT_BUG, EXIT_NOT_RUN
from checker.report import jsonreport
from checker.report.model import Report
from checker.runpolicy import RunPolicy
from checker.sources.live.clients import table_arn
from checker.specfile.model import Spec
from checker.unknown import Reason, Unknown


def failed_report(shard: ShardEvent, spec: str, why: Unknown, gate: Gate) -> Report:
    """The report of a shard that could not be audited: its place unknown, saying why (the
    spec itself may be what could not be read: the report names its file only)."""
    where = f"{shard.account}/{shard.region}"
    partition = shard.role_arn.split(":")[1]
    batch = pipeline.Batch(where, [], [Note(NoteKind.NOT_READ, f"{where}: not read "
                                             f"({why.reason})")],
                           lambda name: table_arn(partition, shard.region, shard.account, name),
                           {"account": shard.account, "region": shard.region}, unreadable=why)
    return pipeline.run(Spec.unread(spec), [batch], kind="live", target=where, gate=gate,
                        policy=RunPolicy(empty_is_clean=True)).report


def run_shard(event: Mapping[str, Any], env: Mapping[str, str], s3: Any, bucket: str,
              prefix: str, context: object = None) -> dict[str, Any]:
    """Audit the shard *event* names, store its report, return its summary (< 1 KB); the
    audit's deadline leaves the invocation time to store it (*context*: Lambda's)."""
    shard = ShardEvent.parse(event)
    base = options(env, context)
    opts = dataclasses.replace(
        base, regions=[shard.region], roles=[shard.role_arn], org=False,
        org_role_name=None, ous=[], exclude_accounts=[], include_management=False, shard=True,
        elsewhere=[r for r in base.regions if r != shard.region])
    spec = opts.spec or "specs/tables.yaml"
    gate = opts.gate()
    try:
        outcome = audit(opts).outcome
        report, code = outcome.report, outcome.exit_code
    except RunError as err:
        report = failed_report(shard, spec, Unknown(err.message), gate)
        code = EXIT_NOT_RUN
    except Exception as err:  # a bug of ours: the shard still reports, and says so
        traceback.print_exc(file=sys.stderr)
        why = Unknown(f"tablespec failed on this shard (a bug in tablespec): "
                      f"{type(err).__name__}: {err}", Reason.RULE_ERROR)
        report, code = failed_report(shard, spec, why, gate), EXIT_BUG
    key = shard_key(prefix, shard)
    put_json(s3, bucket, key, jsonreport.render(report))
    return {"account": shard.account, "region": shard.region, "run_id": shard.run_id,
            "key": key, "exit_code": code, **report.contract_summary()}
