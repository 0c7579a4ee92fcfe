"""`tablespec cfn [PATH ...]`: CloudFormation templates (JSON or YAML) and CDK cloud
assemblies, before deploy.

The CLI builds its parser with `arguments` for every command: what only a run needs
(the pipeline, the reports) is imported by `run`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from checker.errors import RunError
from checker.findings import Gate
from checker.runpolicy import RunPolicy

if TYPE_CHECKING:
    from checker import pipeline
    from checker.model import Unknown
    from checker.sources.cfn.source import CfnTemplate
    from checker.specfile.model import Spec

UNTOLD = ("tell it with --env ENV, a table name that carries it, --account ACCOUNT "
          "(environments: {ENV: {accounts: [...]}} in the spec), the environment tag, or a "
          "template parameter (naming: {environment_parameter: NAME} in the spec)")


def arguments(cfn: argparse.ArgumentParser) -> None:
    """The options of `tablespec cfn` (besides the common ones)."""
    cfn.add_argument("paths", nargs="*", metavar="PATH",
                     help="templates (.json, .yaml, .yml, .template), directories holding "
                     "them, or CDK cloud assemblies (cdk.out: every stack, each in its own "
                     "environment) (default: the current directory)")
    cfn.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                     help="a template parameter's value (repeatable; default: its Default)")
    cfn.add_argument("--parameter-file", action="append", default=[], metavar="FILE",
                     help="parameter values: the JSON of `aws cloudformation create-stack "
                     "--parameters`, of `deploy --parameter-overrides`, CodePipeline's "
                     "template configuration, or SAM's samconfig.toml (repeatable; "
                     "--parameter wins)")
    cfn.add_argument("--config-env", default="default", metavar="ENV",
                     help="the config environment of a samconfig.toml (default: default)")
    cfn.add_argument("--region", help="AWS::Region (and so AWS::Partition): where the stack "
                     "is deployed (default: a CDK stack's own environment, else unknown)")
    cfn.add_argument("--account", help="AWS::AccountId: the account the stack is deployed in "
                     "(and so its environment, where the spec lists its accounts) (default: a "
                     "CDK stack's own environment, else unknown)")
    cfn.add_argument("--stack-name", help="AWS::StackName (default: a CDK stack's own, else "
                     "unknown)")
    cfn.add_argument("--only-templates", action="store_true",
                     help="pass over a file named that is not a CloudFormation template, as "
                     "files under a directory are (the pre-commit hook, which is given every "
                     "YAML and JSON file); without it, such a file is an error")


def _parameters(args: argparse.Namespace) -> dict[str, str | Unknown]:
    """The parameter values the command line gives: the files in order, then --parameter."""
    from checker.sources.cfn.paramfiles import parse_parameter_arg, parse_parameter_file
    from checker.sources.cfn.samconfig import parse_samconfig

    out: dict[str, str | Unknown] = {}
    for path in args.parameter_file:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(4 * 1024 * 1024 + 1)
        except (OSError, UnicodeDecodeError) as err:
            raise RunError(f"{path}: cannot read the parameter file ({type(err).__name__})"
                           ) from None
        out.update(parse_samconfig(path, text, args.config_env) if path.endswith(".toml")
                   else parse_parameter_file(path, text))
    for given in args.parameter:
        key, value = parse_parameter_arg(given)
        out[key] = value
    return out


def _batch(spec: Spec, template: CfnTemplate, account: str | None) -> pipeline.Batch:
    """A template's batch, held to the environment its parameter gives (the spec's
    `naming.environment_parameter`) where that is one of the spec's; noted where it is not."""
    from checker import pipeline
    from checker.findings import Note, NoteKind
    from checker.specfile.limits import brief

    notes = [Note(NoteKind.SOURCE, n) for n in template.notes]
    selected = template.environment
    if selected is not None and selected not in spec.environments:
        notes.append(Note(NoteKind.SOURCE, f"{template.path}: parameter "
                          f"{spec.environment_parameter} is {brief(selected)}, not an "
                          f"environment of the spec: its tables are placed by their names"))
        selected = None
    return pipeline.Batch(template.path, template.states, notes,
                          environment=spec.accounts.get(account or ""), selected=selected)


def run(args: argparse.Namespace) -> int:
    """Evaluate each template and check its tables."""
    from checker import pipeline
    from checker.commands.output import checked_paths, emit, outputs, spec_and_waivers
    from checker.sources.cfn.parameters import Pseudo
    from checker.sources.cfn.read import read_templates
    from checker.sources.cfn.source import Options

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    pseudo = Pseudo(region=args.region, account=args.account, stack_name=args.stack_name)
    options = Options(_parameters(args), pseudo, spec.environment_parameter)
    templates = read_templates(checked_paths(args, spec), options,
                               only_templates=args.only_templates)
    batches = [_batch(spec, t, t.account or args.account) for t in templates]
    outcome = pipeline.run(spec, batches, kind="cfn",
                           target=", ".join(t.path for t in templates) or ", ".join(
                               args.paths or ["."]),
                           environment=args.env, waivers=waivers,
                           gate=Gate.of(args.fail_on, args.fail_on_unknown),
                           policy=RunPolicy.source_check(args.strict_names, UNTOLD))
    return emit(outcome, args)
