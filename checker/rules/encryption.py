"""encryption: server-side encryption at least at the spec's level."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, failed, passed, unknown
from checker.unknown import Unknown


def _level(s: Subject) -> list[Verdict]:
    want = s.table.encryption
    enc = s.state.encryption
    expected = f"at least {want.label}"
    actual = enc.describe()
    field = "server_side_encryption"
    if enc.low >= want:
        return [passed(f"encrypted with {actual}", expected, actual, field)]
    if enc.high < want:
        hint = (
            "enable server-side encryption"
            if want.label == "aws_managed"
            else "name a customer managed KMS key"
        )
        return [failed(f"encryption is {actual}, the spec needs {expected}; {hint}",
                       expected, actual, field)]
    reason = enc.key_arn if isinstance(enc.key_arn, Unknown) else "the KMS key is not known"
    return [unknown(reason, expected, field)]


ENCRYPTION = Rule(
    id="TS-SSE-001",
    check="encryption",
    severity=Severity.HIGH,
    title="Server-side encryption meets the spec's level",
    why="The AWS-owned default key is invisible to your account: no key policy, no CloudTrail "
    "record of its use. The spec sets the least acceptable level "
    "(aws_owned < aws_managed < customer_managed).",
    fix="Enable server_side_encryption (SSESpecification); name a customer managed key "
    "(kms_key_arn, KMSMasterKeyId) where the spec asks for one.",
    example="server_side_encryption {\n  enabled     = true\n"
    "  kms_key_arn = aws_kms_key.dynamodb.arn # customer_managed; omit for aws_managed\n}",
    evaluate=_level,
)

RULES = [ENCRYPTION]
