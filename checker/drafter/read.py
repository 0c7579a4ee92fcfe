"""The tables `spec init` drafts from: plan JSON files, Terraform source, CloudFormation
templates (and CDK cloud assemblies), or the live account(s), read with the same sources
(and, live, the same read-only calls) as the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checker.errors import RunError
from checker.model import TableState
from checker.sources.base import Source
from checker.unknown import Reason, Unknown

# What `spec init --live` needs; `tablespec permissions --all-tables` prints it as a policy.
LIVE_PERMISSIONS = (
    "dynamodb:ListTables, and dynamodb:DescribeTable, DescribeTimeToLive, "
    "DescribeContinuousBackups and ListTagsOfResource on every table "
    "(arn:aws:dynamodb:*:*:table/*), cloudwatch:DescribeAlarms and kms:DescribeKey: the "
    "policy `tablespec permissions --all-tables` prints")


@dataclass
class Found:
    """The tables read, and a phrase saying where from."""

    states: list[TableState]
    origin: str


def _shown(items: Sequence[str]) -> str:
    return ", ".join(items)


def _states(source: Source) -> list[TableState]:
    """Every table *source* reads (a spec is drafted from them all)."""
    return [s for batch in source.read() for s in batch.states]


def from_plans(paths: Sequence[str], source_dir: str | None = None) -> Found:
    """Every table of the plan JSON files (completed by their source, when given)."""
    from checker.sources.plan.batches import PlanSource

    states = _states(PlanSource(paths, source_dir))
    return Found(states, f"the plan{'s' if len(paths) > 1 else ''} {_shown(paths)}")


def from_hcl(paths: Sequence[str], var_files: Sequence[str] = (),
             workspace: str | None = None) -> Found:
    """Every table of the Terraform roots of *paths* (a module through its callers), each
    root with each of its variables files (or with *var_files*), in *workspace*."""
    from checker.sources.hcl.batches import HclSource
    from checker.sources.hcl.layouts import Environments

    source = HclSource(paths, var_files, Environments(workspace=workspace))
    states = _states(source)
    return Found(states, f"the Terraform source {source.target([])}")


def from_cfn(paths: Sequence[str], parameters: Sequence[str] = ()) -> Found:
    """Every table of the CloudFormation templates and CDK cloud assemblies of *paths*,
    evaluated with the `KEY=VALUE` *parameters* (else their defaults)."""
    from checker.sources.cfn.batches import CfnSource
    from checker.sources.cfn.paramfiles import parse_parameter_arg
    from checker.sources.cfn.source import Options

    given: dict[str, str | Unknown] = dict(parse_parameter_arg(p) for p in parameters)
    states = _states(CfnSource(paths, Options(given)))
    return Found(states, f"the CloudFormation template(s) {_shown(list(paths))}")


def _denied(states: Sequence[TableState]) -> Unknown | None:
    """The first value a refused call left unknown."""
    for s in states:
        for value in (s.hash_key, s.ttl, s.pitr, s.tags, s.gsis, s.billing_mode,
                      s.alarms_incomplete, s.encryption.key_arn):
            if isinstance(value, Unknown) and value.kind is Reason.ACCESS_DENIED:
                return value
    return None


def from_live(regions: Sequence[str], roles: Sequence[str], profile: str | None,
              external_id: str | None = None, workers: int = 8) -> Found:
    """Every table of the account(s) and region(s), read-only, as `tablespec audit` reads."""
    from checker.audit_options import AuditOptions
    from checker.progress import for_stderr
    from checker.sources.live import api
    from checker.sources.live.accounts import accounts, base_session
    from checker.sources.live.batches import Selection
    from checker.sources.live.clients import default_region, regions_for
    from checker.sources.live.source import LiveSource

    AuditOptions(regions=list(regions), roles=list(roles), external_id=external_id,
                 max_workers=workers).check()
    base = base_session(profile)
    names = list(dict.fromkeys(regions)) or [default_region(base)]
    permitted = api.allowed(sample=False, assume=bool(roles), keys=())
    log = api.CallLog()
    accts = accounts(base, list(dict.fromkeys(roles)), external_id, names[0], permitted, log)
    where = [r for a in accts for r in regions_for(a, names, workers, permitted, log)]
    source = LiveSource(where, Selection(placer=None), workers, for_stderr("init"),
                        tolerant=False)
    try:
        batches = source.read()
    except RunError as err:
        if "denied" in err.message:
            raise RunError(f"{err.message}; `spec init --live` needs {LIVE_PERMISSIONS}"
                           ) from None
        raise
    states = [s for b in batches for s in b.states]
    denied = _denied(states)
    if denied is not None:
        raise RunError(f"{denied.reason}; `spec init --live` needs {LIVE_PERMISSIONS}")
    return Found(states, f"the live account(s) {source.target(batches)}")
