"""`tablespec cfn [PATH ...]`: CloudFormation templates (JSON or YAML) and CDK cloud
assemblies, before deploy.

The CLI builds its parser with `arguments` for every command: what only a run needs
(the pipeline, the reports) is imported by `run`.
"""

from __future__ import annotations

import argparse

from checker.findings import Gate
from checker.runpolicy import RunPolicy

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


def run(args: argparse.Namespace) -> int:
    """Evaluate each template and check its tables."""
    from checker import pipeline
    from checker.commands.output import checked_paths, emit, outputs, spec_and_waivers
    from checker.sources.cfn.batches import CfnSource, parameter_values
    from checker.sources.cfn.parameters import Pseudo
    from checker.sources.cfn.source import Options

    spec, waivers = spec_and_waivers(args)
    outputs(args)
    pseudo = Pseudo(region=args.region, account=args.account, stack_name=args.stack_name)
    values = parameter_values(args.parameter_file, args.parameter, args.config_env)
    source = CfnSource(checked_paths(args, spec), Options(values, pseudo,
                                                          spec.environment_parameter),
                       spec, args.account, args.only_templates, args.paths or ["."])
    outcome = pipeline.check(spec, source, environment=args.env, waivers=waivers,
                             gate=Gate.of(args.fail_on, args.fail_on_unknown),
                             policy=RunPolicy.source_check(args.strict_names, UNTOLD))
    return emit(outcome, args)
