"""CloudFormation as the pipeline reads it: each template (each stack of a CDK cloud
assembly) a batch (`Source`), and the parameter values the command line gives."""

from __future__ import annotations

from collections.abc import Sequence

from checker.batch import Batch
from checker.errors import RunError
from checker.findings import Note, NoteKind
from checker.sources.cfn.paramfiles import parse_parameter_arg, parse_parameter_file
from checker.sources.cfn.read import read_templates
from checker.sources.cfn.samconfig import parse_samconfig
from checker.sources.cfn.source import CfnTemplate, Options
from checker.specfile.limits import brief
from checker.specfile.model import Spec
from checker.unknown import Unknown


def parameter_values(files: Sequence[str], given: Sequence[str], config_env: str
                     ) -> dict[str, str | Unknown]:
    """The parameter values of the parameter *files* in order (samconfig.toml: its
    *config_env*), then of the `KEY=VALUE` *given*."""
    out: dict[str, str | Unknown] = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(4 * 1024 * 1024 + 1)
        except (OSError, UnicodeDecodeError) as err:
            raise RunError(f"{path}: cannot read the parameter file ({type(err).__name__})"
                           ) from None
        out.update(parse_samconfig(path, text, config_env) if path.endswith(".toml")
                   else parse_parameter_file(path, text))
    for text in given:
        key, value = parse_parameter_arg(text)
        out[key] = value
    return out


class CfnSource:
    """The templates and CDK cloud assemblies of *paths*, evaluated with *options*; with a
    *spec*, each template is held to the environment its parameter gives (the spec's
    `naming.environment_parameter`) and its *account*'s (the stack's own, else the given)."""

    kind = "cfn"

    def __init__(self, paths: Sequence[str], options: Options, spec: Spec | None = None,
                 account: str | None = None, only_templates: bool = False,
                 named: Sequence[str] = (".",)) -> None:
        self.paths = list(paths)
        self.options = options
        self.spec = spec
        self.account = account
        self.only_templates = only_templates
        self.named = list(named)  # the paths as given, for a report that read no template

    def read(self) -> list[Batch]:
        """Every template read: one batch each."""
        templates = read_templates(self.paths, self.options, only_templates=self.only_templates)
        return [self._batch(t) for t in templates]

    def _batch(self, template: CfnTemplate) -> Batch:
        """A template's batch; an environment parameter that is none of the spec's is noted."""
        notes = [Note(NoteKind.SOURCE, n) for n in template.notes]
        selected = template.environment
        spec = self.spec
        if spec is None:
            return Batch(template.path, template.states, notes)
        if selected is not None and selected not in spec.environments:
            notes.append(Note(NoteKind.SOURCE, f"{template.path}: parameter "
                              f"{spec.environment_parameter} is {brief(selected)}, not an "
                              f"environment of the spec: its tables are placed by their names"))
            selected = None
        account = template.account or self.account
        return Batch(template.path, template.states, notes,
                     environment=spec.accounts.get(account or ""), selected=selected)

    def target(self, batches: Sequence[Batch]) -> str:
        """The templates read, else the paths given."""
        return ", ".join(b.where for b in batches) or ", ".join(self.named)
