"""Reporters: one module per format, imported only when a run asks for that format."""

from __future__ import annotations

from importlib import import_module

from checker.report.model import Report

_MODULES = {
    "text": "checker.report.text",
    "json": "checker.report.jsonreport",
    "sarif": "checker.report.sarif",
    "junit": "checker.report.junit",
    "markdown": "checker.report.markdown",
    "ocsf": "checker.report.ocsf",
    "gitlab": "checker.report.gitlab",
}
FORMATS = tuple(_MODULES)


def render(report: Report, fmt: str, colour: bool = False, verbose: bool = False) -> str:
    """The report in *fmt* (one of FORMATS)."""
    module = import_module(_MODULES[fmt])
    if fmt == "text":
        return str(module.render(report, colour=colour, verbose=verbose))
    return str(module.render(report))
