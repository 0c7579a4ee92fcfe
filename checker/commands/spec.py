"""`tablespec spec validate|schema`: check a spec file; print its JSON Schema for editors."""

from __future__ import annotations

import argparse
import json

from checker.commands.stdout import to_stdout
from checker.specfile.discover import find_spec
from checker.specfile.load import load_spec, spec_json_schema


def validate(args: argparse.Namespace) -> int:
    """Check the spec: 0 and a one-line summary, or exit 2 with every problem, file and line."""
    path = find_spec(args.file or args.spec)
    spec = load_spec(path)  # a RunError: every problem, each on its line (cli)
    to_stdout(f"{path}: ok: {len(spec.tables)} tables, environments "
              f"{', '.join(spec.environments)}\n")
    return 0


def schema(args: argparse.Namespace) -> int:
    """Print the spec's JSON Schema."""
    to_stdout(f"{json.dumps(spec_json_schema(), indent=2)}\n")
    return 0
