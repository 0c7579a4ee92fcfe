"""The Lambdas' configuration: AuditOptions, the reports' bucket and the deadline, from the
function's environment variables (listed in `checker.lambdas.scheduled`) and the invocation."""

from __future__ import annotations

from collections.abc import Mapping

from checker.audit_options import AuditOptions
from checker.errors import RunError
from checker.sources.live import limits as bounds

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


def storage(env: Mapping[str, str]) -> tuple[str, str]:
    """(bucket, key prefix) of the reports; RunError when the bucket is not set."""
    bucket = env.get("TABLESPEC_REPORT_BUCKET")
    if not bucket:
        raise RunError("TABLESPEC_REPORT_BUCKET is not set")
    return bucket, env.get("TABLESPEC_REPORT_PREFIX", "tablespec/")
