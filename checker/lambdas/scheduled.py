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
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checker.sources.live import limits as bounds
from checker.sources.live import sessions

if TYPE_CHECKING:  # the boto3 stubs are a development dependency
    from mypy_boto3_sns import SNSClient

from checker.audit import audit
from checker.audit_options import AuditOptions
from checker.errors import RunError
from checker.findings import Finding, Status
from checker.pipeline import EXIT_BUG
from checker.report import jsonreport
from checker.report.model import Report

SUBJECT_MAX = 100
MARGIN = 30.0  # seconds of the invocation kept to write the report and alert


def remaining(context: object) -> float | None:
    """Seconds the invocation has left (the Lambda context's), or None outside Lambda."""
    left = getattr(context, "get_remaining_time_in_millis", None)
    return float(left()) / 1000 if callable(left) else None


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise RunError(f"{name}={raw}: not a number") from None


def deadline(env: Mapping[str, str], context: object) -> tuple[float, str]:
    """(seconds, label) of the audit's deadline: TABLESPEC_TIMEOUT, and in Lambda never
    later than the invocation's time left less MARGIN (half of it, when that is shorter)."""
    asked = _number(env, "TABLESPEC_TIMEOUT", bounds.DEADLINE)
    left = remaining(context)
    if left is None:
        return asked, f"TABLESPEC_TIMEOUT {asked:g}" if env.get("TABLESPEC_TIMEOUT") else ""
    room, why = (left - MARGIN, f"the invocation's time left less {MARGIN:g} s") if (
        left - MARGIN >= left / 2) else (left / 2, "half the invocation's time left")
    if asked and asked <= room:
        return asked, f"TABLESPEC_TIMEOUT {asked:g}"
    return room, f"{room:.0f} s: {why}"


def listed(value: str | None) -> list[str]:
    """A comma-separated environment variable as a list."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def flag(value: str | None) -> bool:
    """A boolean environment variable (`true`, `1`, `yes`)."""
    return (value or "").strip().lower() in ("1", "true", "yes")


def options(env: Mapping[str, str], context: object = None) -> AuditOptions:
    """AuditOptions from the function's environment variables (and the invocation's time)."""
    org = flag(env.get("TABLESPEC_ORG"))
    timeout, label = deadline(env, context)
    return AuditOptions(
        spec=env.get("TABLESPEC_SPEC", "specs/tables.yaml"),
        env=env.get("TABLESPEC_ENV") or None,
        regions=listed(env.get("TABLESPEC_REGIONS")),
        roles=listed(env.get("TABLESPEC_ROLE_ARNS")),
        org=org,
        org_role_name=(env.get("TABLESPEC_ORG_ROLE_NAME") or None) if org else None,
        ous=listed(env.get("TABLESPEC_ORG_OUS")) if org else [],
        exclude_accounts=listed(env.get("TABLESPEC_EXCLUDE_ACCOUNTS")) if org else [],
        include_management=org and flag(env.get("TABLESPEC_INCLUDE_MANAGEMENT")),
        external_id=env.get("TABLESPEC_EXTERNAL_ID") or None,
        max_workers=int(env.get("TABLESPEC_MAX_WORKERS", "8")),
        sample_items=int(env.get("TABLESPEC_SAMPLE_ITEMS", "0")),
        progress=False,
        allow_unknown=flag(env.get("TABLESPEC_ALLOW_UNKNOWN")),
        security_hub=flag(env.get("TABLESPEC_SECURITY_HUB")),
        timeout=timeout,
        timeout_label=label,
        call_timeout=_number(env, "TABLESPEC_CALL_TIMEOUT", bounds.READ_TIMEOUT),
        max_attempts=int(_number(env, "TABLESPEC_MAX_ATTEMPTS", bounds.MAX_ATTEMPTS)),
        max_pages=int(_number(env, "TABLESPEC_MAX_PAGES", bounds.MAX_PAGES)),
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
    return subject, "\n".join(lines) + "\n"


def put_json(s3: Any, bucket: str, key: str, body: object) -> None:
    """Write *body* (JSON text, or a value to dump as JSON) to s3://bucket/key."""
    data = body if isinstance(body, str) else json.dumps(body, indent=1)
    s3.put_object(Bucket=bucket, Key=key, Body=data.encode(), ContentType="application/json")


def publish(sns: SNSClient | None, topic: str | None, subject: str, message: str) -> None:
    """Publish to the alert topic, when there is one."""
    if sns is not None and topic is not None:
        sns.publish(TopicArn=topic, Subject=subject[:SUBJECT_MAX], Message=message)


def storage(env: Mapping[str, str]) -> tuple[str, str]:
    """(bucket, key prefix) of the reports; RunError when the bucket is not set."""
    bucket = env.get("TABLESPEC_REPORT_BUCKET")
    if not bucket:
        raise RunError("TABLESPEC_REPORT_BUCKET is not set")
    return bucket, env.get("TABLESPEC_REPORT_PREFIX", "tablespec/")


def handler(event: Mapping[str, Any] | None, context: object,
            env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run the audit, store the report, alert when something fails or the audit cannot run;
    with a shard event, audit that shard only and return its small summary."""
    env = os.environ if env is None else env
    bucket, prefix = storage(env)
    session = sessions.session()
    s3 = session.client("s3")
    if event and "account" in event:
        from checker.lambdas.shard import run_shard

        return run_shard(event, env, s3, bucket, prefix, context)
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
