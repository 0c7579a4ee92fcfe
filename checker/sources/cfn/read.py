"""What `tablespec cfn` reads of the paths it is given: the templates they name or hold, and
the CDK cloud assemblies they are (each stack with its own environment and construct paths).
A template read as another's nested stack is not read alone too.
"""

from __future__ import annotations

import os
from dataclasses import replace

from checker.errors import RunError
from checker.model import Alarm
from checker.sources.alarms import attach, names_of
from checker.sources.cfn.assembly import StackArtifact, is_assembly, stacks
from checker.sources.cfn.files import looks_like, template_files
from checker.sources.cfn.parameters import Pseudo
from checker.sources.cfn.source import (
    CfnTemplate,
    Family,
    Options,
    construct,
    read_template,
    stack_tags,
)
from checker.sources.cfn.template import Template, load_template
from checker.unknown import Unknown


def read_templates(paths: list[str], options: Options,
                   only_templates: bool = False) -> list[CfnTemplate]:
    """Every template the paths name or hold (a file under a directory that is not a
    CloudFormation template is passed over; one named that is not is a RunError, unless
    *only_templates*), and every stack of the cloud assemblies among them."""
    assemblies = [p for p in paths if os.path.isdir(p) and is_assembly(p)]
    stacked = [(s, load_template(s.template)) for a in assemblies for s in stacks(a)]
    named, found = template_files([p for p in paths if p not in assemblies])
    loaded = [] if only_templates else [load_template(p) for p in named]
    for path in [*named, *found] if only_templates else found:
        try:
            template = load_template(path)
        except RunError as err:
            if "not a CloudFormation template" in err.message or not looks_like(path):
                continue
            raise
        loaded.append(template)
    declared = {name for t in [*loaded, *(t for _, t in stacked)] for name in t.parameters}
    stray = sorted(set(options.parameters) - declared)
    if stray and (loaded or stacked):  # a value no template takes: misspelt, not kept
        every = [*loaded, *(t for _, t in stacked)]
        shown = ", ".join(t.path for t in every[:3]) + (" ..." if len(every) > 3 else "")
        raise RunError(f"a value is given for parameter {stray[0]}, which no template read "
                       f"declares ({shown})")
    families = [Family() for _ in loaded]
    read = [read_template(t, options, f) for t, f in zip(loaded, families, strict=True)]
    return [*_assembly(stacked, options), *(read[i] for i in _roots(loaded, families))]


def _assembly(stacked: list[tuple[StackArtifact, Template]], options: Options
              ) -> list[CfnTemplate]:
    """The stacks of cloud assemblies, each read in its own environment (the command
    line's account and region where the stack has none), with its construct paths and
    stack tags; an alarm of one stack watches the tables (and replicas) it names in
    another of the same account, in its own region."""
    out: list[CfnTemplate] = []
    for stack, template in stacked:
        given = options.pseudo
        pseudo = Pseudo(region=stack.region or given.region,
                        account=stack.account or given.account, stack_name=stack.name)
        read = read_template(template, replace(options, pseudo=pseudo, assets=stack.assets))
        _name_constructs(read, stack.paths)
        for state in read.states:
            stack_tags(state, dict(stack.tags))
        out.append(read)
    for read in out:
        _alarms_across(read, [r for r in out if r is not read and r.account is not None
                              and r.account == read.account])
    return out


def _name_constructs(read: CfnTemplate, paths: dict[str, str]) -> None:
    """Name the stack's own tables and alarms (not its nested stacks') by their construct
    paths where its metadata gives them and the template did not."""
    renamed: dict[int, Alarm] = {}

    def alarm(found: Alarm) -> Alarm:
        if found.resource not in paths or found.location.file != read.path:
            return found
        return renamed.setdefault(id(found), replace(found, resource=construct(
            paths[found.resource])))

    for state in read.states:
        if state.location.file == read.path and state.resource in paths:
            state.resource = construct(paths[state.resource])
        state.alarms = [alarm(a) for a in state.alarms]
    read.alarms = [alarm(a) for a in read.alarms]


def _alarms_across(read: CfnTemplate, others: list[CfnTemplate]) -> None:
    """Tie to *read*'s tables the alarms of the *others* stacks (of its account) that name
    them, where they are in their region; one that names a table not known may watch
    them."""
    for other in others:
        by_name = [a for a in other.alarms if all(
            not isinstance(n, Unknown) and n.name is not None for n in names_of(a))]
        attach(read.states, [a for a in by_name if a.region is not None])
        for alarm in (a for a in by_name if a.region is None):  # a stack with no region
            named = {n.name for n in names_of(alarm) if not isinstance(n, Unknown)}
            for state in (s for s in read.states if s.name in named):
                state.alarms_incomplete = state.alarms_incomplete or Unknown(
                    f"alarm {alarm.resource} of {other.path} names this table, but the "
                    "region of its stack is not known (alarms watch the table of their "
                    "own region)")
        loose = next((n for a in other.alarms for n in names_of(a) if isinstance(n, Unknown)),
                     None)
        if loose is not None:
            for state in read.states:
                state.alarms_incomplete = state.alarms_incomplete or Unknown(
                    f"an alarm of {other.path} names a table that is not known: "
                    f"{loose.reason}", loose.kind)


def _roots(loaded: list[Template], families: list[Family]) -> list[int]:
    """The templates that are not another's nested stack (each read once): first those no
    template nests, then, of those nested in a loop, each not nested in one kept."""
    nested = {path for family in families for path in family.reads}
    reals = [os.path.realpath(t.path) for t in loaded]
    order = sorted(range(len(loaded)), key=lambda i: reals[i] in nested)
    kept: list[int] = []
    covered: set[str] = set()
    for i in order:
        if reals[i] not in covered:
            kept.append(i)
            covered.update(families[i].reads)
    return sorted(kept)


__all__ = ["read_templates"]
