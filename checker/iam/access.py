"""Judge a parsed resource policy: is it public, does it let in principals from outside?

Both judgments read Allow statements with the conditions that bind them: the statement's own
(all must hold) and "guards", Deny statements on "*" for every action whose negated conditions
(StringNotEquals aws:PrincipalOrgID ...) leave the Allow only where the positive form holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from checker.iam.document import (
    Condition,
    Policy,
    Principals,
    Statement,
    account_of,
    is_hole,
)

Status = Literal["ok", "found", "undecidable"]


@dataclass(frozen=True)
class Judgment:
    """A verdict; *statements* are 0-based indexes, *detail* one human line."""

    status: Status
    statements: tuple[int, ...]
    detail: str


# The keys DynamoDB Block Public Access trusts to make a "*" principal non-public, with fixed
# values (no wildcard, no policy variable; aws:PrincipalIsAWSService only when true):
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-bpa-rbp.html
# (S3's list differs: it also trusts aws:SourceIp and aws:SourceOwner; DynamoDB's does not.)
TRUSTED_KEYS: Final = frozenset({
    "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:userid",
    "aws:principalservicename", "aws:principalservicenameslist", "aws:principalisawsservice",
    "aws:ec2instancesourcevpc", "aws:sourceorgid", "aws:sourceorgpaths",
})
_SERVICE_KEYS: Final = frozenset({
    "aws:principalisawsservice", "aws:principalservicename", "aws:principalservicenameslist"})
_POSITIVE: Final = frozenset({
    "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})
_NEGATED: Final = frozenset({
    "stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals",
    "arnnotlike", "notipaddress", "numericnotequals", "datenotequals", "null"})
# A guard's negated operator, and the positive one the Allow is left with.
_FLIP: Final = {"stringnotequals": "StringEquals", "stringnotequalsignorecase":
                "StringEqualsIgnoreCase", "stringnotlike": "StringLike",
                "arnnotequals": "ArnEquals", "arnnotlike": "ArnLike"}
_SHOWN: Final = 3  # statements and principals a detail names before "and N more"

# How one condition (or a statement's conditions together) binds the caller.
# public: "pin" (fixed values on a trusted key), "none", "unknown".
# outsiders: "inside" (allowed accounts, the organization, services), "outside" (other
# accounts/orgs, named), "other" (pinned, but not to an account: a VPC endpoint ...), "none",
# "unknown". *_ANY combines a group's alternatives (OR), *_ALL the groups (AND): first wins.
_PUBLIC_ANY: Final = ("none", "unknown", "pin")
_PUBLIC_ALL: Final = ("pin", "unknown", "none")
_REACH_ANY: Final = ("none", "outside", "unknown", "other", "inside")
_REACH_ALL: Final = ("inside", "outside", "unknown", "other", "none")
Group = tuple[Condition, ...]
Classify = Callable[[Condition], tuple[str, frozenset[str]]]


def public(policy: Policy) -> Judgment:
    """Whether an Allow statement grants a wildcard principal ("*", {"AWS": "*"}, or
    NotPrincipal) that no condition pins to fixed values of a trusted key."""
    guards = _guards(policy)
    found: list[tuple[Statement, str]] = []
    unsure: list[tuple[Statement, str]] = []
    for s in policy.statements:
        if s.effect != "Allow":
            continue
        who = _wildcard(s)
        if who is None:
            if s.principal is None:
                unsure.append((s, "has neither Principal nor NotPrincipal"))
            elif any("*" in v for v in _named(s.principal)):
                unsure.append((s, "names a principal with a wildcard inside it"))
            elif any(is_hole(v) for v in _named(s.principal)):
                unsure.append((s, "names a principal known only after apply"))
            continue
        verdict, _, first = _verdict(_groups(s, guards), _pin, _PUBLIC_ANY, _PUBLIC_ALL)
        if verdict == "none":
            found.append((s, f"allows {who}"))
        elif verdict == "unknown":
            unsure.append((s, f"allows {who}; {_cannot_tell(first, 'pins the caller')}"))
    if found:
        return _judge("found", found, "public: ",
                      " with no condition pinning the caller to fixed values")
    if unsure:
        return _judge("undecidable", unsure, "cannot tell whether the policy is public: ")
    return Judgment("ok", (), "not public: no Allow statement grants an unpinned wildcard "
                    "principal")


def outsiders(policy: Policy, accounts: frozenset[str], organization: str | None,
              own_account: str | None) -> Judgment:
    """Whether an Allow statement grants a principal outside *accounts* (and *own_account*).

    With *own_account* None, a principal of any account not in *accounts* is outside: the
    caller puts the table's own account into *accounts* when it knows it. Service principals
    count as inside (they are not judged); federated and canonical users are outside.
    """
    allowed = accounts | ({own_account} if own_account else frozenset())
    guards = _guards(policy)

    def reach(c: Condition) -> tuple[str, frozenset[str]]:
        return _reach(c, allowed, organization)

    found: list[tuple[Statement, str]] = []
    unsure: list[tuple[Statement, str]] = []
    services = False
    for s in policy.statements:
        if s.effect != "Allow":
            continue
        if s.principal is None and s.not_principal is None:
            unsure.append((s, "has neither Principal nor NotPrincipal"))
            continue
        services = services or bool(s.principal and s.principal.service)
        verdict, names, first = _verdict(_groups(s, guards), reach, _REACH_ANY, _REACH_ALL)
        if verdict == "inside":
            continue
        outs: list[str] = []
        odd: list[str] = []
        who = _wildcard(s)
        if who is not None and verdict == "none":
            outs.append(who)
        elif who is not None and verdict == "outside":
            outs.append(f"{who} pinned to {_names(sorted(names))}")
        elif who is not None:
            odd.append(f"{who}; {_cannot_tell(first, 'keeps the caller in the allowed accounts')}")
        if s.principal is not None:
            for name in s.principal.aws:
                account = account_of(name)
                if is_hole(name):
                    odd.append("a principal known only after apply")
                elif account is None:
                    odd.append(f"{_clip(name)} (not an account id or IAM ARN)")
                elif account not in allowed:
                    outs.append(f"account {account}")
            outs += [f"federated {_clip(n)}" for n in s.principal.federated]
            outs += [f"canonical user {_clip(n)}" for n in s.principal.canonical_user]
        if outs:
            found.append((s, f"grants {_names(outs)}"))
        elif odd:
            unsure.append((s, f"grants {_names(odd)}"))
    note = " (service principals are not judged)" if services else ""
    if found:
        return _judge("found", found, "grants principals outside the allowed accounts: ", note)
    if unsure:
        return _judge("undecidable", unsure, "cannot tell who the policy lets in: ", note)
    return Judgment("ok", (), f"every Allow statement grants only the allowed accounts{note}")


def _named(p: Principals) -> tuple[str, ...]:
    return (*p.aws, *p.service, *p.federated, *p.canonical_user)


def _wildcard(s: Statement) -> str | None:
    """How *s* grants everyone, or None when it names its principals."""
    if s.not_principal is not None:
        return "everyone but its NotPrincipal"
    if s.principal is not None and s.principal.anyone:
        return 'any principal ("*")'
    return None


def _split(operator: str) -> tuple[str, str, bool]:
    """("forallvalues"/"foranyvalue"/"", the base operator, IfExists), lower-cased."""
    prefix, _, base = operator.lower().rpartition(":")
    if_exists = base.endswith("ifexists")
    return prefix, base.removesuffix("ifexists"), if_exists


def _fixed(values: Sequence[str]) -> bool:
    return bool(values) and not any("*" in v or "?" in v or "${" in v for v in values)


def _pin(c: Condition) -> tuple[str, frozenset[str]]:
    """Whether *c* alone pins the caller, as DynamoDB Block Public Access reads it."""
    if c.key not in TRUSTED_KEYS:
        return "none", frozenset()
    if any(is_hole(v) for v in c.values):
        return "unknown", frozenset()
    prefix, base, if_exists = _split(c.operator)
    if prefix not in ("", "foranyvalue"):  # ForAllValues is true on an empty set
        return ("none" if prefix == "forallvalues" else "unknown"), frozenset()
    if if_exists or base in _NEGATED:
        return "none", frozenset()
    if c.key == "aws:principalisawsservice" and base in ("bool", *_POSITIVE):
        pinned = bool(c.values) and all(v.lower() == "true" for v in c.values)
        return ("pin" if pinned else "none"), frozenset()
    if base in _POSITIVE:
        return ("pin" if _fixed(c.values) else "none"), frozenset()
    return "unknown", frozenset()


def _reach(c: Condition, allowed: frozenset[str],
           organization: str | None) -> tuple[str, frozenset[str]]:
    """Where a pinning *c* keeps the caller: inside, outside (which), or other."""
    pinned, _ = _pin(c)
    if pinned != "pin":
        return pinned, frozenset()
    if c.key in _SERVICE_KEYS:
        return "inside", frozenset()
    if c.key in ("aws:principalaccount", "aws:sourceaccount"):
        out = frozenset(v for v in c.values if v not in allowed)
    elif c.key in ("aws:principalorgid", "aws:sourceorgid"):
        out = frozenset(v for v in c.values if v != organization)
    elif c.key == "aws:principalarn":
        accounts = [account_of(v) for v in c.values]
        if None in accounts:
            return "other", frozenset()
        out = frozenset(a for a in accounts if a is not None and a not in allowed)
    else:
        return "other", frozenset()
    return ("outside", out) if out else ("inside", frozenset())


def _guards(policy: Policy) -> list[tuple[Statement, Group]]:
    """Deny statements on "*" whose negated conditions leave Allows only their positive form
    (alternatives: the Deny needs every condition to hold, so failing any one escapes it)."""
    out: list[tuple[Statement, Group]] = []
    for s in policy.statements:
        if (s.effect != "Deny" or s.principal is None or not s.principal.anyone
                or s.not_actions or s.not_resources or not s.conditions):
            continue
        flipped: list[Condition] = []
        for c in s.conditions:
            prefix, base, _ = _split(c.operator)
            if prefix == "" and base in _FLIP:
                flipped.append(Condition(_FLIP[base], c.key, c.values))
            elif (prefix == "" and base == "bool" and c.key == "aws:principalisawsservice"
                  and c.values and all(v.lower() == "false" for v in c.values)):
                flipped.append(Condition("Bool", c.key, ("true",)))
            else:
                break
        else:
            out.append((s, tuple(flipped)))
    return out


def _covers(deny: Statement, allow: Statement) -> bool:
    """Whether *deny* applies to every action and resource *allow* grants."""
    acts = {a.lower() for a in deny.actions}
    mine = {a.lower() for a in allow.actions}
    if not ("*" in acts or "dynamodb:*" in acts or (mine and not allow.not_actions
                                                    and mine <= acts)):
        return False
    return "*" in deny.resources or (bool(allow.resources) and not allow.not_resources
                                     and set(allow.resources) <= set(deny.resources))


def _groups(s: Statement, guards: list[tuple[Statement, Group]]) -> list[Group]:
    """What binds *s*: each own condition alone, and the alternatives of each covering guard."""
    return [(c,) for c in s.conditions] + [g for deny, g in guards if _covers(deny, s)]


def _verdict(groups: list[Group], classify: Classify, any_order: tuple[str, ...],
             all_order: tuple[str, ...]) -> tuple[str, frozenset[str], Condition | None]:
    """The statement's class, the outside names it pins to, and the first undecided
    (unknown, else other) condition, for the detail."""
    results: list[str] = []
    names: set[str] = set()
    undecided: dict[str, Condition] = {}
    for group in groups:
        classes: list[str] = []
        group_names: set[str] = set()
        for c in group:
            cls, out = classify(c)
            classes.append(cls)
            group_names |= out
            undecided.setdefault(cls, c)
        result = next((k for k in any_order if k in classes), "unknown")
        names |= group_names if result == "outside" else set()
        results.append(result)
    verdict = next((k for k in all_order if k in results), "none")
    return verdict, frozenset(names), undecided.get("unknown", undecided.get("other"))


def _cannot_tell(c: Condition | None, question: str) -> str:
    """The detail's clause for an undecided condition *c*."""
    if c is None:
        return f"cannot tell whether its conditions {question}"
    return f"cannot tell whether {_clip(c.operator)} on {_clip(c.key)} {question}"


def _label(s: Statement) -> str:
    return f'statement "{_clip(s.sid, 64)}"' if s.sid else f"statement {s.index + 1}"


def _clip(text: str, limit: int = 100) -> str:
    """*text* for one line of a message: printable, and no longer than *limit*."""
    shown = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return shown + "…" if len(text) > limit else shown


def _names(items: Sequence[str]) -> str:
    head = ", ".join(items[:_SHOWN])
    return head + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _judge(status: Status, hits: list[tuple[Statement, str]], prefix: str,
           suffix: str = "") -> Judgment:
    parts = [f"{_label(s)} {what}" for s, what in hits[:_SHOWN]]
    more = f"; and {len(hits) - _SHOWN} more statements" if len(hits) > _SHOWN else ""
    return Judgment(status, tuple(s.index for s, _ in hits),
                    prefix + "; ".join(parts) + more + suffix)
