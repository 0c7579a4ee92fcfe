"""What the Lambdas write: JSON to S3, and the SNS alert of a report that fails.

The S3 and SNS clients are the function's own, outside the audit's read-only clients.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from checker.findings import Finding, Status
from checker.report.model import Report

if TYPE_CHECKING:  # the boto3 stubs are a development dependency
    from mypy_boto3_sns import SNSClient

SUBJECT_MAX = 100


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
