"""The command line of `tablespec audit`: argparse alone, so that building the parser of any
command stays cheap (the options' checks live in audit_options, beside the AWS clients)."""

from __future__ import annotations

import argparse


def arguments(audit: argparse.ArgumentParser) -> None:
    """The options of `tablespec audit` (beside those every checking command shares)."""
    audit.add_argument("--region", action="append", default=[],
                       help="region to audit (repeatable; default: the credential chain's)")
    audit.add_argument("--profile", help="AWS profile to use")
    audit.add_argument("--role-arn", action="append", default=[],
                       help="role to assume, one per account (repeatable)")
    audit.add_argument("--org", action="store_true",
                       help="every active account of the AWS Organization (run with credentials "
                       "of the management account or a delegated administrator), each through "
                       "the role --org-role-name; the management account is left out")
    audit.add_argument("--ou", action="append", default=[], metavar="OU_ID",
                       help="with --org: only the accounts under this OU (or root), "
                       "recursively (repeatable)")
    audit.add_argument("--org-role-name", metavar="NAME",
                       help="the role --org assumes in each account (default: tablespec-audit)")
    audit.add_argument("--exclude-account", action="append", default=[], metavar="ID",
                       help="with --org: leave this account out (repeatable; noted)")
    audit.add_argument("--include-management-account", action="store_true",
                       help="with --org: audit the management account too (the role must "
                       "exist there: service-managed StackSets do not deploy to it)")
    audit.add_argument("--external-id", help="external ID for --role-arn or --org-role")
    audit.add_argument("--max-workers", type=int, default=8,
                       help="concurrent API workers (default: %(default)s)")
    audit.add_argument("--allow-unknown", action="store_true",
                       help="do not fail the run on unknown findings")
    audit.add_argument("--sample-items", type=int, default=0, metavar="N",
                       help="read up to N items per TTL table to check TTL values "
                       "(needs dynamodb:Scan; default 0: none read)")
    audit.add_argument("--security-hub", action="store_true",
                       help="import the findings into AWS Security Hub (ASFF, each account's "
                       "default product, with that account's credentials); earlier findings "
                       "of tables gone are archived. The audit's only write")
    audit.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                       help="deadline of the whole audit: what is not read by then is "
                       "reported unknown (default 1800; 0: none)")
    audit.add_argument("--call-timeout", type=float, default=None, metavar="SECONDS",
                       help="how long to wait for each answer, per attempt (default 15; "
                       "connecting: at most 3)")
    audit.add_argument("--max-attempts", type=int, default=None, metavar="N",
                       help="attempts per call, the first included (1 to 10, default 5)")
    audit.add_argument("--max-pages", type=int, default=None, metavar="N",
                       help="pages per listing before it counts as a page loop (default 1000, "
                       "100 tables or alarms a page)")
