"""AWS Lambda entry point: a scheduled, read-only `tablespec audit`, or one shard of a fan-out.

With a shard event (`{"account", "region", "role_arn", "run_id"}`, from the Step Functions
fan-out of examples/org), it audits exactly that account and region and stores the report
(`checker.lambdas.shard`). Otherwise it audits what its environment says, writes the JSON
report to S3 (a dated key and `latest.json`) and publishes to SNS when a
finding fails (or is unknown, unless TABLESPEC_ALLOW_UNKNOWN is true), when a rule failed
(a bug: its findings are unknown), or when the audit could not run at all (bad input, or
an unexpected error); the function then raises, so the invocation is marked failed too.
Handler: `checker.lambdas.scheduled.handler`. Set up by the Terraform in
examples/scheduled/terraform; configured through environment variables:

  TABLESPEC_REPORT_BUCKET  S3 bucket for the reports (required)
  TABLESPEC_REPORT_PREFIX  key prefix (default `tablespec/`)
  TABLESPEC_TOPIC_ARN      SNS topic to alert (optional)
  TABLESPEC_SPEC           spec file in the package (default `specs/tables.yaml`)
  TABLESPEC_ENV            environment the tables must exist in (e.g. `prod`)
  TABLESPEC_REGIONS        comma-separated regions (default: the function's region)
  TABLESPEC_ROLE_ARNS      comma-separated roles to assume, one per account (optional)
  TABLESPEC_ORG            `true`: every account of the organization (instead of the roles)
  TABLESPEC_ORG_ROLE_NAME  the role assumed in each account (default tablespec-audit)
  TABLESPEC_ORG_OUS        comma-separated OU or root ids: only the accounts under them
  TABLESPEC_EXCLUDE_ACCOUNTS  comma-separated account ids to leave out
  TABLESPEC_INCLUDE_MANAGEMENT  `true`: audit the management account too
  TABLESPEC_EXTERNAL_ID    external ID for those roles (optional)
  TABLESPEC_MAX_WORKERS    concurrent API calls (default 8)
  TABLESPEC_SAMPLE_ITEMS   items per TTL table to sample (default 0: off; needs dynamodb:Scan)
  TABLESPEC_ALLOW_UNKNOWN  `true`: unknown findings do not alert
  TABLESPEC_TIMEOUT        deadline of the audit in seconds (default: the invocation's time
                           left less 30 s, to write the report; never later than that)
  TABLESPEC_CALL_TIMEOUT   seconds to wait for each answer, per attempt (default 15)
  TABLESPEC_MAX_ATTEMPTS   attempts per call, the first included (default 5)
  TABLESPEC_MAX_PAGES      pages per listing before it counts as a page loop (default 1000)

The S3 and SNS clients are the function's own, outside the audit's read-only clients.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from checker.audit import audit
from checker.errors import RunError
from checker.lambdas import shard
from checker.lambdas.delivery import alert_text, publish, put_json
from checker.lambdas.environment import options, storage
from checker.pipeline import EXIT_BUG
from checker.report import jsonreport
from checker.sources.live import sessions


def handler(event: Mapping[str, Any] | None, context: object,
            env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run the audit, store the report, alert when something fails or the audit cannot run;
    with a shard event, audit that shard only and return its small summary."""
    env = os.environ if env is None else env
    bucket, prefix = storage(env)
    session = sessions.session()
    s3 = session.client("s3")
    if event and "account" in event:
        return shard.run_shard(event, env, s3, bucket, prefix, context)
    topic = env.get("TABLESPEC_TOPIC_ARN") or None
    sns = session.client("sns") if topic else None
    try:
        result = audit(options(env, context))
    except RunError as err:
        publish(sns, topic, "tablespec audit could not run",
                 f"tablespec audit could not run: {err.message}\n")
        raise
    except Exception as err:
        publish(sns, topic, "tablespec audit failed (a bug in tablespec)",
                 f"tablespec audit failed: {type(err).__name__}: {err}\n"
                 "See the function's log for the traceback.\n")
        raise
    outcome = result.outcome
    report = outcome.report
    body = jsonreport.render(report)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y/%m/%d/%H%M%SZ")
    key = f"{prefix}{stamp}.json"
    for name in (key, f"{prefix}latest.json"):
        put_json(s3, bucket, name, body)
    url = f"s3://{bucket}/{key}"
    bad = report.gate.failing(report.findings)
    if bad or outcome.exit_code == EXIT_BUG:
        subject, message = alert_text(report, bad, url)
        if outcome.exit_code == EXIT_BUG:
            subject = (f"tablespec audit: {len(outcome.errors)} rule evaluation(s) failed (a "
                       f"bug); {subject}")
            message += "".join(f"\n{text}" for text in outcome.errors)
        publish(sns, topic, subject, message)
    status = "error" if outcome.exit_code == EXIT_BUG else "fail" if bad else "pass"
    return {"status": status, "report": url, "exit_code": outcome.exit_code,
            "summary": report.contract_summary(), "seconds": round(result.seconds, 2)}
