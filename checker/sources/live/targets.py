"""The accounts an audit reads: the credentials' own, one per `--role-arn`, or the
organization's (`--org`), each with credentials or as `Unreadable`."""

from __future__ import annotations

import boto3

from checker.findings import Note
from checker.sources.live import org
from checker.sources.live.accounts import Unreadable, assume_roles, identity
from checker.sources.live.api import CallLog
from checker.sources.live.clients import Account
from checker.sources.live.limits import DEFAULT, Limits

Target = Account | Unreadable


def targets(base: boto3.Session, region: str, permitted: frozenset[tuple[str, str]],
            log: CallLog, *, roles: list[str], external_id: str | None,
            scope: org.Scope | None, tolerant: bool, workers: int,
            limits: Limits = DEFAULT) -> tuple[list[Target], list[Note]]:
    """The accounts to read, in order, and notes on those of the organization left out.

    With *scope* (`--org`), every account in it through the role `scope.role_name`, the
    credentials' own too. With *tolerant*, a role that cannot be assumed makes its account
    Unreadable (reported, TS-ACCESS-001); otherwise it ends the run.
    """
    if scope is None and not roles:
        return [identity(base, region, permitted, log, limits)], []
    notes: list[Note] = []
    if scope is not None:
        partition = identity(base, region, permitted, log, limits).partition
        chosen = org.Organization(base, region, permitted, log, limits).select(scope)
        roles, notes = [org.role_arn(partition, a, scope.role_name)
                        for a in chosen.accounts], chosen.notes
    return assume_roles(base, list(dict.fromkeys(roles)), external_id, region, permitted, log,
                        tolerant=tolerant, workers=workers, limits=limits), notes
