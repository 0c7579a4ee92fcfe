"""`tablespec permissions`: the least-privilege IAM policy `tablespec audit` needs."""

from __future__ import annotations

import argparse
import json
import sys

from checker.sources.live import api


def run(args: argparse.Namespace) -> int:
    """Print the policy JSON on stdout; say on stderr what it leaves out and why."""
    sample = args.sample_items > 0
    assume = bool(args.role_arn)
    print(json.dumps(api.policy(sample=sample, assume=assume), indent=2))
    for call in api.optional_calls():
        if (call.only_for == api.SAMPLE_OPTION and not sample) or (
                call.only_for == api.ROLE_OPTION and not assume):
            print(f"tablespec: {call.action} is left out: only `audit {call.only_for}` needs "
                  f"it ({call.why}); see docs/audit.md", file=sys.stderr)
    return 0
