"""Where each table found goes: its spec table, its environment, and the names that say so.

Names that follow the inferred pattern give their table (and environment); the others get a
name of their own: a pattern with {environment} when the same stem appears in several
environments, one literal per environment when the name carries one, else a literal. When
no name carries an environment, it comes from the accounts (`--live`: one environment per
account), else from an environment tag, else one placeholder environment told by `--env`.
The result is checked with the spec's own Placer, and corrected where it disagrees.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from checker.drafter.common import (
    PLACEHOLDER_ENV,
    Notes,
    Placement,
    Seen,
    at,
    env_order,
)
from checker.model import EncLevel, TableState
from checker.naming.inference import (
    SEPARATORS,
    Naming,
    given_naming,
    infer_naming,
    splits,
    tag_projects,
)
from checker.naming.pattern import NamePattern
from checker.naming.placement import Placer
from checker.specfile.model import AlarmPolicy, BillingPolicy, KeySpec, Spec, TableSpec
from checker.unknown import Unknown

ENV_TAG_KEYS = ("environment", "env", "stage")
DEFAULT_TAG = "Environment"
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")


def _tags(state: TableState) -> dict[str, str]:
    """The tags whose values are known."""
    tags = state.tags if isinstance(state.tags, dict) else {}
    return {k: v for k, v in tags.items() if isinstance(v, str)}


def _own_split(name: str, sep: str) -> tuple[str | None, str, str]:
    """(environment, own name pattern, stem) of a name outside the pattern."""
    for s in dict.fromkeys((sep, *SEPARATORS)):
        for layout, env, stem in splits(name, s):
            if layout.where == "suffix":
                return env, f"{stem}{s}{{environment}}", stem
            if layout.where == "prefix":
                return env, f"{{environment}}{s}{stem}", stem
    return None, name, name


def logical_of(stem: str) -> str:
    """A spec table name for a stem: `PlayerRewards` -> `player-rewards`."""
    kebab = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", stem)
    kebab = re.sub(r"[-_.]+", "-", kebab).strip("-").lower()
    return kebab if kebab and _NAME.fullmatch(kebab) else stem


def _unique(wanted: str, stem: str, taken: set[str]) -> str:
    for candidate in (wanted, stem, f"{wanted}-legacy"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def _own_names(unmatched: list[tuple[TableState, str]], naming: Naming, seen: list[Seen],
               own: dict[str, str | dict[str, str]], notes: Notes) -> None:
    """Tables whose names do not follow the pattern: each gets a name of its own."""
    forms: dict[str, dict[str | None, str]] = defaultdict(dict)  # form -> env -> name
    stems: dict[str, str] = {}
    for _, name in unmatched:
        env, form, stem = (_own_split(name, naming.sep) if naming.has_environment
                           else (None, name, name))
        forms[form][env] = name
        stems[form] = stem
    envs_of: dict[str, set[str | None]] = defaultdict(set)
    for s in seen:
        envs_of[s.logical].add(s.env)
    by_name: dict[str, tuple[str, str | None]] = {}
    for form, names in sorted(forms.items()):
        envs = [e for e in names if e is not None]
        given: str | dict[str, str]
        if len(envs) >= 2:
            given = form  # PlayerRewards_{environment}
        elif envs:
            given = {envs[0]: names[envs[0]]}  # {prod: PlayerRewards_prod}
        else:
            given = form  # a literal: its environment comes from elsewhere
        wanted = logical_of(stems[form])
        if isinstance(given, dict) and wanted in envs_of and wanted not in own and not (
                envs_of[wanted] & set(given)):
            table = wanted  # the same table in other words, in an environment it lacks
            notes.add(at(table), f"NOTE: {names[envs[0]]} is taken as this table in "
                      f"{envs[0]}: its name is this table's in other words; review")
        else:
            table = _unique(wanted, stems[form], set(envs_of) | set(own))
        own[table] = given
        for env, literal in names.items():
            envs_of[table].add(env)
            by_name[literal] = (table, env)
    for state, name in unmatched:
        table, env = by_name[name]
        seen.append(Seen(state, name, table, env, env))


def _env_tag_key(states: Sequence[TableState]) -> str | None:
    """The environment-like tag (Environment, Env, Stage) most tables carry."""
    counts: Counter[str] = Counter()
    for state in states:
        for key, value in _tags(state).items():
            if key.lower() in ENV_TAG_KEYS and value and _NAME.fullmatch(value):
                counts[key] += 1
    return counts.most_common(1)[0][0] if counts else None


def _by_accounts(seen: list[Seen], key: str | None, notes: Notes) -> dict[str, list[str]]:
    """One environment per account: the environment tag its tables carry (those without the
    tag tell nothing), else `account-ID`."""
    accounts: dict[str, list[Seen]] = defaultdict(list)
    for s in seen:
        accounts[s.state.account or ""].append(s)
    mapping: dict[str, list[str]] = defaultdict(list)
    for account, group in sorted(accounts.items()):
        values = {v for s in group if (v := _tags(s.state).get(key or ""))} if key else set()
        env = values.pop() if len(values) == 1 else None
        if env is None or not _NAME.fullmatch(env):
            env = f"account-{account}"
            why = (f"its tables' {key} tags disagree: {', '.join(sorted(values))}"
                   if len(values) > 1 else "its tables carry no environment in their names "
                   "or an environment tag")
            notes.add("environments", f"TODO: {env}: name the environment of account "
                      f"{account} ({why}); rename it here and in the lists below")
        mapping[env].append(account)
        for s in group:
            s.env = s.told = env
    return dict(mapping)


def _environments(p: Placement, naming: Naming, roles: bool, notes: Notes) -> None:
    """Each table's environment, and the spec's `environments` (a list or per account)."""
    seen = p.seen
    live = bool(seen) and all(s.state.account for s in seen)
    key = _env_tag_key([s.state for s in seen])
    if not any(s.env for s in seen) and live:
        notes.add("environments", "The names carry no environment: each account is one.")
        p.accounts = _by_accounts(seen, key, notes)
        if key and not any(e.startswith("account-") for e in p.accounts):
            p.environment_tag = key
    elif not any(s.env for s in seen):
        if key:
            p.environment_tag = key
            for s in seen:
                value = _tags(s.state).get(key)
                if value and _NAME.fullmatch(value):
                    s.env = s.told = value
            notes.add("environments", f"The names carry no environment: the {key} tag "
                      "tells it.")
        if not any(s.env for s in seen):
            for s in seen:
                s.env = PLACEHOLDER_ENV
            notes.add("environments", "TODO: nothing tells the environments (no environment "
                      "in the names, no environment tag): the tables are drafted as one "
                      f"environment, {PLACEHOLDER_ENV}; rename it, and tell each table's "
                      "environment by its account (environments: ENV: {accounts: [...]}), a "
                      f"tag (naming.environment_tag), or run with --env {PLACEHOLDER_ENV}")
    else:
        if roles and live:
            _accounts_of_named(p)
        named = {s.env for s in seen if s.env}
        by_account = {a: env for env, accts in p.accounts.items() for a in accts}
        for s in seen:
            if s.env is None and s.state.account in by_account:
                s.env = s.told = by_account[s.state.account or ""]
            elif s.env is None and _tags(s.state).get(DEFAULT_TAG) in named:
                s.env = s.told = _tags(s.state)[DEFAULT_TAG]
    p.environments = env_order(s.env for s in seen) or [PLACEHOLDER_ENV]
    for s in seen:
        if s.env is None:
            notes.add(at(s.logical), f"TODO: nothing tells the environment of "
                      f"{s.name} (not its name, account or {p.environment_tag} tag): run "
                      "with --env, or give it a name of its own per environment")


def _accounts_of_named(p: Placement) -> None:
    """With --role-arn: `environments` per account when each account holds one environment."""
    envs: dict[str, set[str]] = defaultdict(set)
    for s in p.seen:
        if s.env:
            envs[s.state.account or ""].add(s.env)
    if envs and all(len(e) == 1 for e in envs.values()):
        mapping: dict[str, list[str]] = defaultdict(list)
        for account, (env,) in sorted((a, tuple(e)) for a, e in envs.items()):
            mapping[env].append(account)
        p.accounts = dict(mapping)


def naming_spec(p: Placement) -> Spec:
    """A spec that holds only the drafted naming: enough for the spec's Placer."""
    tables = {t: TableSpec(t, "", KeySpec("k", "S"), None, None, EncLevel.AWS_OWNED, (), (),
                           AlarmPolicy((), ()), BillingPolicy(("PAY_PER_REQUEST",)), (),
                           own_name=p.own_names.get(t))
              for t in {s.logical for s in p.seen}}
    accounts = {a: env for env, accts in p.accounts.items() for a in accts}
    return Spec("(draft)", p.project, p.pattern, tuple(p.environments), tables,
                environment_tag=p.environment_tag, accounts=accounts)


def _misplaced(p: Placement) -> list[Seen]:
    placer = Placer(naming_spec(p))
    out = []
    for s in p.seen:
        got = placer.place(s.state)
        if not got.follows_pattern or got.logical != s.logical or got.environment != s.told:
            out.append(s)
    return out


def _verify(p: Placement, notes: Notes) -> None:
    """Place every table as the drafted spec would; give a misplaced table its own names."""
    for table in sorted({s.logical for s in _misplaced(p)}):
        mine = [s for s in p.seen if s.logical == table]
        per_env = {s.told: s.name for s in mine}
        if all(per_env) and len(per_env) == len({s.name for s in mine}):
            p.own_names[table] = {str(e): n for e, n in per_env.items()}
        elif len({s.name for s in mine}) == 1:
            p.own_names[table] = mine[0].name
    for s in _misplaced(p):
        notes.add(at(s.logical), f"TODO: the drafted naming does not place {s.name} "
                  f"as this table{f' in {s.told}' if s.told else ''}; review its name")


def place(states: Sequence[TableState], project: str | None, pattern: str | None,
          roles: bool, notes: Notes) -> Placement:
    """The naming of *states* and the place of each (tables without a known name skipped)."""
    named = [(s, s.name) for s in states if isinstance(s.name, str) and _TABLE.fullmatch(s.name)]
    skipped = [f"{s.resource} ({s.name.reason})" for s in states if isinstance(s.name, Unknown)]
    skipped += [f"{s.resource} ({s.name!r} is not a DynamoDB table name)" for s in states
                if isinstance(s.name, str) and not _TABLE.fullmatch(s.name)]
    names = sorted({n for _, n in named})
    tagged = tag_projects(_tags(s) for s, _ in named)
    naming = (given_naming(pattern, names, tagged, project) if pattern
              else infer_naming(names, tagged, project))
    chosen = naming.project or (tagged[0] if tagged else "project")
    matcher = NamePattern(naming.pattern, chosen, naming.tokens)
    p = Placement(chosen, naming.project is not None or bool(tagged), naming.pattern, [],
                  skipped=skipped)
    unmatched = []
    for state, name in named:
        m = matcher.match(name)
        if m is None or m.table is None or m.environment == "":
            unmatched.append((state, name))
        else:
            p.seen.append(Seen(state, name, m.table, m.environment, m.environment))
    _own_names(unmatched, naming, p.seen, p.own_names, notes)
    if unmatched:
        notes.add("naming", f"{len({n for _, n in unmatched})} name(s) do not follow the "
                  "pattern: those tables have a `name:` of their own.")
    _environments(p, naming, roles, notes)
    if not naming.has_environment and not naming.given:
        notes.add("naming", "No environment (dev, test, qa, stage, staging, prod, production) "
                  "in the names: the environment must come from accounts, a tag or --env.")
    _verify(p, notes)
    for s in p.seen:
        tag = _tags(s.state).get(p.environment_tag)
        if s.told and tag and tag != s.told:
            notes.add(at(s.logical), f"NOTE: the {p.environment_tag} tag of {s.name} says "
                      f"{tag}, its name or account {s.told}: TS-NAME-002 fails")
    return p
