"""The options of an audit, and their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.errors import RunError
from checker.findings import Gate, Severity
from checker.sources.live import limits as bounds
from checker.sources.live import org as organization

MAX_WORKERS = 64
MOST_ATTEMPTS = 10
LONGEST_CALL = 300.0  # seconds: --call-timeout at most
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")


@dataclass
class AuditOptions:
    """What to audit and how (`checker.commands.audit` reads them off the CLI, the Lambdas
    off their environment)."""

    spec: str | None = None  # None: found as the CLI finds it (checker.specfile.discover)
    env: str | None = None
    regions: list[str] = field(default_factory=list)
    profile: str | None = None
    roles: list[str] = field(default_factory=list)
    external_id: str | None = None
    max_workers: int = 8
    sample_items: int = 0
    waivers: str | None = None
    progress: bool = True
    fail_on: Severity | None = None
    allow_unknown: bool = False
    strict_names: bool = False
    security_hub: bool = False  # import the findings into each account's Security Hub
    org: bool = False  # every account of the organization (or of `ous`) in scope
    org_role_name: str | None = None  # the role assumed in each (default tablespec-audit)
    ous: list[str] = field(default_factory=list)
    exclude_accounts: list[str] = field(default_factory=list)
    include_management: bool = False
    shard: bool = False  # one (account, region) of a fan-out: see `several`
    # Regions the other shards of a fan-out audit: a replica there is read there, as a table.
    elsewhere: list[str] = field(default_factory=list)
    timeout: float = bounds.DEADLINE  # seconds for the whole audit; 0: no deadline
    timeout_label: str = ""  # how messages name the deadline (default `--timeout N`)
    call_timeout: float = bounds.READ_TIMEOUT  # seconds to wait for an answer, per attempt
    max_attempts: int = bounds.MAX_ATTEMPTS
    max_pages: int = bounds.MAX_PAGES

    @property
    def several(self) -> bool:
        """Whether the run covers several accounts (or is one shard of a fan-out that does).

        Then an account with none of the spec's tables is a clean answer, and one that
        cannot be entered is reported (TS-ACCESS-001), not the end of the run.
        """
        return self.org or self.shard or len(set(self.roles)) > 1

    def gate(self) -> Gate:
        """The exit policy: live state is always knowable, so an unknown finding (a missing
        permission or a fault) fails the run too, unless `allow_unknown`."""
        return Gate.of(self.fail_on, not self.allow_unknown)

    def limits(self) -> bounds.Limits:
        """The time and size bounds of the run; its deadline starts now."""
        deadline = bounds.Deadline(self.timeout or None, self.timeout_label)
        return bounds.Limits(connect_timeout=min(bounds.CONNECT_TIMEOUT, self.call_timeout),
                             read_timeout=self.call_timeout, attempts=self.max_attempts,
                             max_pages=self.max_pages, deadline=deadline)

    def org_scope(self) -> organization.Scope:
        """The `--org` options."""
        name = organization.role_name(self.org_role_name, self.org)
        return organization.Scope(name, tuple(self.ous), tuple(self.exclude_accounts),
                                  self.include_management)

    def check(self) -> None:
        """RunError for options that cannot make a run."""
        if not 1 <= self.max_workers <= MAX_WORKERS:
            raise RunError(f"--max-workers {self.max_workers}: use 1 to {MAX_WORKERS}")
        if self.sample_items < 0:
            raise RunError(f"--sample-items {self.sample_items}: use 0 (off) or more")
        if not self.timeout >= 0:  # NaN too
            raise RunError(f"--timeout {self.timeout:g}: use 0 (no deadline) or more seconds")
        if not 0 < self.call_timeout <= LONGEST_CALL:
            raise RunError(f"--call-timeout {self.call_timeout:g}: use more than 0 and at most "
                           f"{LONGEST_CALL:g} seconds")
        if not 1 <= self.max_attempts <= MOST_ATTEMPTS:
            raise RunError(f"--max-attempts {self.max_attempts}: use 1 to {MOST_ATTEMPTS}")
        if self.max_pages < 1:
            raise RunError(f"--max-pages {self.max_pages}: use 1 or more")
        for role in self.roles:
            if not _ROLE.match(role):
                raise RunError(f"--role-arn {role}: not a role ARN "
                               "(arn:aws:iam::123456789012:role/NAME)")
        if self.org and self.roles:
            raise RunError("--org and --role-arn: use one (--org assumes --org-role-name in "
                           "every account of the organization)")
        for given, flag in ((self.ous, "--ou"), (self.exclude_accounts, "--exclude-account"),
                            (self.include_management, "--include-management-account")):
            if given and not self.org:
                raise RunError(f"{flag} is used with --org only")
        self.org_scope().check()
        if self.external_id is not None and not (self.roles or self.org):
            raise RunError("--external-id is used with --role-arn or --org only")
        if self.external_id is not None and not _EXTERNAL_ID.match(self.external_id):
            raise RunError("--external-id: 2 to 1224 characters of letters, digits and "
                           "+=,.@:/- (what STS accepts)")
        for region in self.regions:
            if not _REGION.match(region):
                raise RunError(f"--region {region}: not a region name (e.g. eu-west-1)")
