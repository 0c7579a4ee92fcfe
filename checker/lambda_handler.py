"""AWS Lambda entry point: a scheduled, read-only `tablespec audit`.

It writes the JSON report to S3 (a dated key and `latest.json`) and publishes to SNS when a
finding fails (or is unknown, unless TABLESPEC_ALLOW_UNKNOWN is true), or when the audit
could not run at all. Handler: `checker.lambda_handler.handler`. Set up by the Terraform in
examples/scheduled/terraform; configured through environment variables:

  TABLESPEC_REPORT_BUCKET  S3 bucket for the reports (required)
  TABLESPEC_REPORT_PREFIX  key prefix (default `tablespec/`)
  TABLESPEC_TOPIC_ARN      SNS topic to alert (optional)
  TABLESPEC_SPEC           spec file in the package (default `specs/tables.yaml`)
  TABLESPEC_ENV            environment the tables must exist in (e.g. `prod`)
  TABLESPEC_REGIONS        comma-separated regions (default: the function's region)
  TABLESPEC_ROLE_ARNS      comma-separated roles to assume, one per account (optional)
  TABLESPEC_EXTERNAL_ID    external ID for those roles (optional)
  TABLESPEC_MAX_WORKERS    concurrent API calls (default 8)
  TABLESPEC_SAMPLE_ITEMS   items per TTL table to sample (default 0: off; needs dynamodb:Scan)
  TABLESPEC_ALLOW_UNKNOWN  `true`: unknown findings do not alert

The S3 and SNS clients are the function's own, outside the audit's read-only clients.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import boto3

from checker.audit import AuditOptions, audit
from checker.engine import failing
from checker.errors import RunError
from checker.model import Finding, Status
from checker.report import jsonreport
from checker.report.model import Report

SUBJECT_MAX = 100


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def options(env: Mapping[str, str]) -> AuditOptions:
    """AuditOptions from the function's environment variables."""
    return AuditOptions(
        spec=env.get("TABLESPEC_SPEC", "specs/tables.yaml"),
        env=env.get("TABLESPEC_ENV") or None,
        regions=_list(env.get("TABLESPEC_REGIONS")),
        roles=_list(env.get("TABLESPEC_ROLE_ARNS")),
        external_id=env.get("TABLESPEC_EXTERNAL_ID") or None,
        max_workers=int(env.get("TABLESPEC_MAX_WORKERS", "8")),
        sample_items=int(env.get("TABLESPEC_SAMPLE_ITEMS", "0")),
        progress=False,
    )


def _line(f: Finding) -> str:
    where = f.resource.split(":", 3)[-1] if f.resource.startswith("arn:") else f.resource
    return f"{f.status.value.upper()} {f.rule_id} {f.table} ({f.environment}) {where}: {f.message}"


def alert_text(report: Report, bad: list[Finding], url: str) -> tuple[str, str]:
    """(subject, message) of the SNS alert."""
    fails = sum(1 for f in bad if f.status is Status.FAIL)
    subject = f"tablespec audit: {fails} failing, {len(bad) - fails} unknown ({report.target})"
    lines = [f"tablespec audit of {report.target} against {report.spec_path}", f"report: {url}",
             "", *(_line(f) for f in bad[:50])]
    if len(bad) > 50:
        lines.append(f"... and {len(bad) - 50} more in the report")
    return subject[:SUBJECT_MAX], "\n".join(lines) + "\n"


def handler(event: Mapping[str, Any] | None, context: object,
            env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run the audit, store the report, alert when something fails."""
    env = os.environ if env is None else env
    bucket = env.get("TABLESPEC_REPORT_BUCKET")
    if not bucket:
        raise RunError("TABLESPEC_REPORT_BUCKET is not set")
    prefix = env.get("TABLESPEC_REPORT_PREFIX", "tablespec/")
    topic = env.get("TABLESPEC_TOPIC_ARN") or None
    session = boto3.Session()
    s3: Any = session.client("s3")
    sns: Any = session.client("sns") if topic else None
    try:
        result = audit(options(env))
    except RunError as err:
        if sns is not None:
            sns.publish(TopicArn=topic, Subject="tablespec audit could not run",
                        Message=f"tablespec audit could not run: {err.message}\n")
        raise
    report = result.report
    body = jsonreport.render(report).encode()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y/%m/%d/%H%M%SZ")
    key = f"{prefix}{stamp}.json"
    for name in (key, f"{prefix}latest.json"):
        s3.put_object(Bucket=bucket, Key=name, Body=body, ContentType="application/json")
    url = f"s3://{bucket}/{key}"
    allow_unknown = env.get("TABLESPEC_ALLOW_UNKNOWN", "").lower() in ("1", "true", "yes")
    bad = failing(report.findings, unknown_fails=not allow_unknown)
    if bad and sns is not None:
        subject, message = alert_text(report, bad, url)
        sns.publish(TopicArn=topic, Subject=subject, Message=message)
    return {"status": "fail" if bad else "pass", "report": url,
            "summary": report.contract_summary(), "seconds": round(result.seconds, 2)}
