"""The fan-out's own Lambda entry points: list the shards, and merge their reports.

`list_shards` (handler `checker.lambdas.fanout.list_shards`) reads the organization as
`audit --org` does and writes `<prefix><run_id>/shards.json`, one shard event per account
and region, for the distributed Map to read. `merge` (handler `checker.lambdas.fanout.merge`)
reads every shard report of the run, answers for each expected shard that left none
(TS-ACCESS-001, unknown), writes the merged report and alerts as the scheduled audit does.
Both return a small summary for the state machine. Configured through the same environment
variables as `checker.lambdas.scheduled` (TABLESPEC_REPORT_BUCKET, TABLESPEC_REPORT_PREFIX,
TABLESPEC_REGIONS, TABLESPEC_ORG_ROLE_NAME, TABLESPEC_ORG_OUS, TABLESPEC_EXCLUDE_ACCOUNTS,
TABLESPEC_INCLUDE_MANAGEMENT, TABLESPEC_ENV, TABLESPEC_TOPIC_ARN, TABLESPEC_ALLOW_UNKNOWN).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from checker import pipeline
from checker.findings import Note, NoteKind, Reason
from checker.lambdas.delivery import alert_text, publish, put_json
from checker.lambdas.environment import options, storage
from checker.lambdas.layout import MERGED, NOTES, SHARD_REPORT, SHARDS, ShardEvent, run_prefix
from checker.pipeline import EXIT_BUG, EXIT_CLEAN, EXIT_FAILED
from checker.report import jsonreport
from checker.report.merge import combine, parse_report, parse_shards
from checker.sources.live import api, org, sessions
from checker.sources.live.accounts import identity
from checker.sources.live.clients import default_region
from checker.specfile.discover import find_spec
from checker.specfile.load import load_spec

READERS = 16  # shard reports fetched at once by the merge (one S3 client is thread-safe)


def _run_id(event: Mapping[str, Any] | None) -> str:
    given = (event or {}).get("run_id")
    return str(given) if given else dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _get(s3: Any, bucket: str, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def list_shards(event: Mapping[str, Any] | None, context: object,
                env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Write shards.json (and the organization's notes) for this run; return where."""
    env = os.environ if env is None else env
    bucket, prefix = storage(env)
    run_id = _run_id(event)
    base = sessions.session()
    opts = options({**env, "TABLESPEC_ORG": "true"})
    opts.check()
    regions = list(dict.fromkeys(opts.regions)) or [default_region(base)]
    permitted, log = api.allowed(sample=False, org=True), api.CallLog()
    partition = identity(base, regions[0], permitted, log).partition
    scope = opts.org_scope()
    chosen = org.Organization(base, regions[0], permitted, log).select(scope)
    notes, accounts = list(chosen.notes), chosen.accounts
    if opts.env is not None:  # accounts the spec gives to another environment: not shards
        spec = load_spec(find_spec(opts.spec))
        accounts, others = pipeline.accounts_of(spec, accounts, opts.env)
        notes += others
    shards = [ShardEvent(a, r, org.role_arn(partition, a, scope.role_name), run_id).as_event()
              for a in accounts for r in regions]
    here = run_prefix(prefix, run_id)
    s3 = base.client("s3")
    put_json(s3, bucket, here + NOTES,
             [{"kind": n.kind.value, "message": n.message} for n in notes])
    put_json(s3, bucket, here + SHARDS, shards)
    return {"run_id": run_id, "bucket": bucket, "key": here + SHARDS, "shards": len(shards)}


def merge(event: Mapping[str, Any] | None, context: object,
          env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Merge the run's shard reports into one, store it, alert when it fails."""
    env = os.environ if env is None else env
    bucket, prefix = storage(env)
    run_id = str((event or {}).get("run_id") or "")
    here = run_prefix(prefix, run_id)
    session = sessions.session()
    s3 = session.client("s3")
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=here) for o in page.get("Contents", [])]
    shard_keys = [k for k in sorted(keys) if SHARD_REPORT.search(k) and k.startswith(here)]
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="tablespec-s3") as pool:
        reports = list(pool.map(lambda k: (k, parse_report(k, _get(s3, bucket, k))), shard_keys))
    expect = parse_shards(here + SHARDS, _get(s3, bucket, here + SHARDS)) \
        if here + SHARDS in keys else []
    notes = _get(s3, bucket, here + NOTES) if here + NOTES in keys else []
    opts = options(env)
    gate = opts.gate()
    report = combine(reports, gate, expect, kind="live", spec=opts.spec)
    report.notes = list(dict.fromkeys([*(Note(NoteKind(n["kind"]), n["message"])
                                         for n in notes), *report.notes]))
    body = jsonreport.render(report)
    for key in (here + MERGED, f"{prefix}latest.json"):
        put_json(s3, bucket, key, body)
    bugs = [f for f in report.findings if f.reason is Reason.RULE_ERROR]
    failing = gate.failing(report.findings)
    bad = [*failing, *(f for f in bugs if not any(f is g for g in failing))]
    topic = env.get("TABLESPEC_TOPIC_ARN") or None
    if bad:
        subject, message = alert_text(report, bad, f"s3://{bucket}/{here}{MERGED}")
        if bugs:
            subject = f"tablespec audit: {len(bugs)} failed on a bug; {subject}"
        publish(session.client("sns") if topic else None, topic, subject, message)
    code = EXIT_BUG if bugs else EXIT_FAILED if bad else EXIT_CLEAN
    return {"run_id": run_id, "key": here + MERGED, "exit_code": code,
            **report.contract_summary()}
