"""What a template's functions read (`Inputs`): its parameters, given on the command line or
in a parameter file, else their Default; the pseudo parameters; its Mappings, Conditions
and Resources; and the budget one template's evaluation may spend.

A parameter's value is what `Ref` gives, per its Type: text for String and Number
(CloudFormation checks a Number, then passes its text), a list of text for the list types;
an Unknown where only deploy decides (no value, an SSM parameter, a stack's previous value)
knowing the AllowedValues it can only be; `invalid` where CloudFormation refuses the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Final

from checker.errors import RunError, located
from checker.sources.cfn.calls import UNBOUND, Calls
from checker.specfile.limits import MAX_NUMBER_CHARS, brief, key_text, kind_of
from checker.unknown import Origin, Reason, Unknown, invalid

MAX_STEPS: Final = 2_000_000  # evaluation steps of one template: a few seconds
MAX_STRING: Final = 1_048_576  # characters of one string a function builds
MAX_ELEMENTS: Final = 100_000  # elements of one list a function builds
MAX_NESTING: Final = 100  # nested evaluations (values, functions): ~6 Python frames each
REASON: Final = 600  # characters of an inner reason kept when it is wrapped
# The command-line options that give each pseudo parameter (for the hint in a reason).
PSEUDO_OPTIONS: Final = {"AWS::Region": "--region", "AWS::AccountId": "--account",
                         "AWS::StackName": "--stack-name", "AWS::StackId": "--stack-id",
                         "AWS::NotificationARNs": "--notification-arn"}
# Region prefix -> (partition, URL suffix), as botocore's endpoints list them.
_PARTITIONS: Final = (("cn-", "aws-cn", "amazonaws.com.cn"),
                      ("us-gov-", "aws-us-gov", "amazonaws.com"),
                      ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"),
                      ("us-isof-", "aws-iso-f", "csp.hci.ic.gov"),
                      ("us-iso-", "aws-iso", "c2s.ic.gov"),
                      ("eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"))
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_AWS_TYPE = re.compile(r"AWS::[A-Za-z0-9]+(?:::[A-Za-z0-9]+)+")


class Spent(Exception):
    """The template's evaluation budget is spent."""


@dataclass
class Budget:
    """The steps one template's evaluation has taken (an expression, an element walked)."""

    steps: int = 0

    def spend(self, n: int = 1) -> None:
        """Take *n* steps; Spent beyond MAX_STEPS."""
        self.steps += n
        if self.steps > MAX_STEPS:
            raise Spent(f"is not evaluated: the template's evaluation took more than "
                        f"{MAX_STEPS:,} steps")


@dataclass(frozen=True)
class Pseudo:
    """The pseudo parameters given on the command line (None: not given)."""

    region: str | None = None
    account: str | None = None
    stack_name: str | None = None
    stack_id: str | None = None
    notification_arns: tuple[str, ...] | None = None


MAX_POSSIBLE: Final = 64  # values an Unknown lists as those it can only be


@dataclass
class Inputs:
    """What a template's functions read. *params* and *pseudo* map a name to what `Ref`
    gives; the sections are the template's own; *memo* keeps conditions and table names
    already evaluated; *lifting* is set while parameters are fixed to one of their possible
    values (see `conditions.narrow`)."""

    path: str
    params: dict[str, object] = field(default_factory=dict)
    pseudo: dict[str, object] = field(default_factory=lambda: pseudo_values(Pseudo()))
    mappings: Mapping[Any, Any] = field(default_factory=dict)
    conditions: Mapping[Any, Any] = field(default_factory=dict)
    resources: Mapping[Any, Any] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    lifting: bool = False
    depth: int = 0
    calls: Calls = UNBOUND  # what the functions call back into: `intrinsics` binds it

    @cached_property
    def choosing(self) -> bool:
        """True when some parameter is not known but can only be one of a few values."""
        return any(choices(v) for v in self.params.values())

    def fixing(self, values: Mapping[str, object]) -> Inputs:
        """These inputs with the parameters in *values* fixed to them (and nothing yet
        evaluated with them)."""
        return replace(self, params={**self.params, **values}, memo={}, lifting=True)


def choices(value: object) -> tuple[object, ...] | None:
    """The values an unknown value can only be, when it knows them (each known)."""
    if isinstance(value, Unknown) and value.kind is Reason.UNKNOWN_VALUE and value.possible \
            and not any(isinstance(v, Unknown) for v in value.possible):
        return value.possible
    return None


def because(expr: str, site: str, inner: Unknown, **known: object) -> Unknown:
    """*inner* as the value of *expr* at *site*: its reason wrapped (the innermost cause
    kept where it would grow long), what it knows kept unless *known* says otherwise."""
    reason = inner.reason if len(inner.reason) <= REASON else "..." + inner.reason[-REASON:]
    return inner.but(f"{expr} ({site}): {reason}", **known)


def known(value: object) -> bool:
    """True when *value* holds no Unknown, however deep."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Unknown):
            return False
        stack.extend(item.values() if isinstance(item, dict) else
                     item if isinstance(item, list) else ())
    return True


def where(path: str, line: int | None) -> str:
    """`path:line`, or the path when the line is not known."""
    return f"{path}:{line}" if line else path


def cfn_text(value: object) -> str | None:
    """A scalar as CloudFormation passes it, as text (true, 5, 0.5); None for others."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() < 3000 else None
    if isinstance(value, float):
        return str(value)
    return None


# The origin of the stack's region where it is not given: `Ref AWS::Region` is still the
# stack's own region (a global table's replica there is the table itself).
STACK_REGION: Final = Origin("AWS::Region", "AWS::Region", "Ref")


def pseudo_values(given: Pseudo) -> dict[str, object]:
    """What `Ref` gives for each pseudo parameter (AWS::NoValue aside): those given, the
    partition and URL suffix of a given region, an Unknown naming the option for others."""
    partition: str | None = None
    suffix: str | None = None
    if given.region is not None:
        partition, suffix = "aws", "amazonaws.com"
        for prefix, name, dns in _PARTITIONS:
            if given.region.startswith(prefix):
                partition, suffix = name, dns
                break
    arns = list(given.notification_arns) if given.notification_arns is not None else None
    values = {"AWS::Region": given.region, "AWS::AccountId": given.account,
              "AWS::StackName": given.stack_name, "AWS::StackId": given.stack_id,
              "AWS::NotificationARNs": arns, "AWS::Partition": partition,
              "AWS::URLSuffix": suffix}
    out: dict[str, object] = {}
    for name, value in values.items():
        option = PSEUDO_OPTIONS.get(name, PSEUDO_OPTIONS["AWS::Region"])
        out[name] = value if value is not None else Unknown(
            f"{name} is known only at deploy: give {option}",
            origin=STACK_REGION if name == "AWS::Region" else None)
    return out


def build_inputs(data: Mapping[str, Any], path: str, *,
                 overrides: Mapping[str, str | Unknown] | None = None,
                 pseudo: Pseudo | None = None, calls: Calls = UNBOUND) -> Inputs:
    """The inputs of the template *data* (its top-level mapping) read from *path*, with
    the parameter values given on the command line or in files (*overrides*) and the
    pseudo parameters given (a value for a parameter the template does not declare is not
    its: the command line gives values to every template; `source` refuses one that no
    template declares)."""
    sections = {name: _section(data, name, path)
                for name in ("Parameters", "Mappings", "Conditions", "Resources")}
    declared = sections["Parameters"]
    overrides = overrides or {}
    inputs = Inputs(path, pseudo=pseudo_values(pseudo or Pseudo()),
                    mappings=sections["Mappings"], conditions=sections["Conditions"],
                    resources={k: v for k, v in sections["Resources"].items()
                               if not (isinstance(k, str) and k.startswith("Fn::ForEach::"))},
                    calls=calls)
    lines = getattr(declared, "key_lines", {})
    for name, decl in declared.items():
        inputs.budget.spend()
        if isinstance(name, str):
            inputs.params[name] = parameter_value(
                name, decl, overrides.get(name), where(path, lines.get(name)))
    return inputs


def _section(data: Mapping[str, Any], name: str, path: str) -> Mapping[Any, Any]:
    """The template's section *name* ({} when it has none); RunError when not a mapping."""
    found = data.get(name)
    if found is None:
        return {}
    if not isinstance(found, Mapping):
        line = getattr(data, "key_lines", {}).get(name)
        raise RunError(located(path, line, f"not a CloudFormation template: {name} is "
                                           f"{kind_of(found)}, not a mapping"))
    return found


def parameter_value(name: str, decl: object, given: str | Unknown | None,
                    at: str) -> object:
    """What `Ref` gives for parameter *name* declared by *decl* at *at*, given *given*
    (None: not given, so its Default)."""
    head = f"parameter {key_text(name)} ({at})"
    if not isinstance(decl, Mapping):
        return invalid(f"{head} is {kind_of(decl)}, not a mapping")
    ptype = decl.get("Type")
    shape = _shape(ptype) if isinstance(ptype, str) else None
    if shape is None:
        return invalid(f"{head} has Type {brief(ptype)}, which CloudFormation does not know")
    allowed = decl.get("AllowedValues")
    texts = [cfn_text(v) for v in allowed] if isinstance(allowed, list) else []
    if allowed is not None and (not texts or None in texts):
        return invalid(f"{head}: AllowedValues is not a list of values")
    options = tuple(t for t in texts if t is not None) or None
    if shape in ("list", "numbers", "ssm"):
        options = None  # a list's elements each allowed, or the value in SSM: not listed
    if isinstance(given, Unknown):
        return given.but(possible=options)
    default = decl.get("Default")
    if isinstance(default, list) and shape in ("list", "numbers"):  # written as a list
        default = ",".join(cfn_text(v) or "" for v in default)
    text = given if given is not None else cfn_text(default)
    if text is None:
        if default is not None:
            return invalid(f"{head}: its Default is {kind_of(default)}, not text")
        return Unknown(f"{head} has no value: give --parameter {key_text(name)}=...",
                       possible=options)
    if shape == "ssm":
        return Unknown(f"{head} is read from the SSM parameter {brief(text)} at deploy")
    items = [text] if shape in ("string", "number") else _split(text)
    if items is None:
        return invalid(f"{head}: its value has more than {MAX_ELEMENTS:,} elements")
    listed = frozenset(t for t in texts if t is not None) if allowed is not None else None
    for item in items:
        problem = _problem(item, shape, decl, listed)
        if problem:
            return invalid(f"{head}: {brief(item)} {problem}")
    return text if shape in ("string", "number") else items


def _shape(ptype: str) -> str | None:
    """What values of *ptype* are: string, number, list, numbers, ssm; None: no type."""
    if ptype in ("String", "AWS::SSM::Parameter::Name"):
        return "string"
    if ptype == "Number":
        return "number"
    if ptype == "List<Number>":
        return "numbers"
    if ptype == "CommaDelimitedList" or (
            ptype.startswith("List<") and _AWS_TYPE.fullmatch(ptype[5:-1])
            and ptype.endswith(">")):
        return "list"
    if ptype.startswith("AWS::SSM::Parameter::Value<") and ptype.endswith(">"):
        return "ssm"
    return "string" if _AWS_TYPE.fullmatch(ptype) else None


def _split(text: str) -> list[str] | None:
    """A list parameter's elements, space-trimmed; None when there are too many."""
    if text.count(",") >= MAX_ELEMENTS:
        return None
    return [item.strip() for item in text.split(",")]


def _problem(text: str, shape: str, decl: Mapping[Any, Any],
             allowed: frozenset[str] | None) -> str | None:
    """Why CloudFormation refuses *text* as a value (an element) of the parameter."""
    if allowed is not None and text not in allowed:
        return "is not one of its AllowedValues"
    if shape in ("number", "numbers"):
        if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            return "is not a number"
        for bound, below in (("MinValue", True), ("MaxValue", False)):
            limit = cfn_text(decl.get(bound))
            if limit is not None and _NUMBER.fullmatch(limit) and (
                    float(text) < float(limit) if below else float(text) > float(limit)):
                return f"is {'below its MinValue' if below else 'above its MaxValue'} {limit}"
    for bound, below in (("MinLength", True), ("MaxLength", False)):
        limit = decl.get(bound)
        if isinstance(limit, int) and not isinstance(limit, bool) and (
                len(text) < limit if below else len(text) > limit):
            return f"is {'shorter' if below else 'longer'} than its {bound} {limit}"
    return None
