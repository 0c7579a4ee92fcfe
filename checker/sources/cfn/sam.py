"""SAM's `AWS::Serverless::SimpleTable`, read as CloudFormation deploys it: through SAM's own
translator (aws-sam-translator, the `sam` extra), imported only for a template with SAM's
Transform.

Only the SimpleTables (with `Globals.SimpleTable` and the sections they may use) are given to
the translator: what a template's functions or APIs need (a managed policy lookup, code
URIs) is no verdict's. The translator wants a region: the stack's, or a placeholder, which no
SimpleTable property takes. Where the translator is not installed, or refuses the tables,
they are places not read, with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

SERVERLESS: Final = "AWS::Serverless-2016-10-31"
SIMPLE_TABLE: Final = "AWS::Serverless::SimpleTable"
TABLE: Final = "AWS::DynamoDB::Table"
PLACEHOLDER_REGION: Final = "us-east-1"  # the translator's need only: no table property uses it
SECTIONS: Final = ("Parameters", "Conditions", "Mappings")


def uses_sam(transform: object) -> bool:
    """Whether a template's Transform (a name or a list of them) is SAM's."""
    names = transform if isinstance(transform, list) else [transform]
    return SERVERLESS in names


def translate(data: Mapping[str, Any], names: list[str], region: str | None
              ) -> dict[str, dict[str, Any]] | str:
    """The AWS::DynamoDB::Table each SimpleTable *names* of the template *data* becomes
    (logical id -> resource), or why they cannot be read."""
    try:
        import boto3
        from samtranslator.model.exceptions import InvalidDocumentException
        from samtranslator.parser.parser import Parser
        from samtranslator.translator.translator import Translator
    except ImportError:
        return "reading it needs aws-sam-translator: pip install 'tablespec[sam]'"
    resources = data["Resources"]
    fragment: dict[str, Any] = {"Transform": SERVERLESS,
                                "Resources": {n: _plain(resources[n]) for n in names}}
    fragment.update({s: _plain(data[s]) for s in SECTIONS if isinstance(data.get(s), Mapping)})
    globals_ = data.get("Globals")
    if isinstance(globals_, Mapping) and isinstance(globals_.get("SimpleTable"), Mapping):
        fragment["Globals"] = {"SimpleTable": _plain(globals_["SimpleTable"])}
    session = boto3.session.Session(region_name=region or PLACEHOLDER_REGION)
    translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=session)
    try:
        out = translator.translate(fragment, parameter_values={})
    except InvalidDocumentException as err:
        causes = "; ".join(str(c.message) for c in err.causes)[:300]
        return f"SAM's translator refuses it: {causes}"
    except Exception as err:
        return f"SAM's translator failed on it ({type(err).__name__})"
    made = out.get("Resources") if isinstance(out, Mapping) else None
    return {n: r for n, r in (made or {}).items()
            if n in names and isinstance(r, dict) and r.get("Type") == TABLE}


def _plain(node: object) -> Any:
    """*node* as the plain dicts and lists the translator takes (lines are the source's)."""
    if isinstance(node, Mapping):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


__all__ = ["SIMPLE_TABLE", "translate", "uses_sam"]
