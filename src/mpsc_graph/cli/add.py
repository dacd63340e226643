"""``add``: a steward's case (adoption, offer, solution) from a filled YAML template into data/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from ..contribute import KINDS, Origin, add_case, read_case, template
from .base import main, project_at, root_option

_FIELD = re.compile(r"^(\w+):\s*(.*?)\s*#\s*(.*)$")
_EVIDENCE = ("url", "titel", "herausgeber", "datum")


def _ask(kind: str) -> dict[str, Any]:
    """Ask for each field of the template, its English comment as the question."""
    case: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    for line in template(kind).splitlines():
        stripped = line.strip().removeprefix("- ")
        match = _FIELD.match(stripped)
        if not match:
            continue
        key, _example, comment = match.groups()
        if key == "art":
            case[key] = _example
        elif key == "belege":
            continue
        elif key in _EVIDENCE:
            evidence[key] = click.prompt(f"belege {key} ({comment})", default="", show_default=False)
        else:
            case[key] = click.prompt(f"{key} ({comment})", default="", show_default=False)
    case["belege"] = [evidence]
    return case


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@root_option
@click.option("--interactive", "kind", type=click.Choice(["adoption", "offer", "solution"]), default=None,
              help="Ask for each field of this kind of case instead of reading FILE.")
@click.option("--template", "show", type=click.Choice(["adoption", "offer", "solution"]), default=None,
              help="Print the template (German, with English comments) to fill in, and stop.")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
              help="Language of validation messages.")
def add(file: str | None, root: str | None, kind: str | None, show: str | None, lang: str) -> None:
    """Add a case from a filled template FILE.yaml to data/contrib-ORGANISATION.ttl.

    Every name is resolved (municipalities by name or AGS; solutions, modules, organisations by
    label), at least one evidence page is required, and the result is validated before anything is
    written. Exit 0 added, 1 the case breaks a shape, 2 refused (unresolved name, missing field,
    duplicate, bad input); on 1 and 2 nothing is written.
    """
    if show:
        click.echo(template(show), nl=False)
        return
    if (file is None) == (kind is None):
        raise click.UsageError("give a FILE.yaml or --interactive adoption|offer|solution")
    project = project_at(root)
    if kind:
        case, origin = _ask(kind), Origin(f"<interactive {KINDS[kind]}>")
    else:
        assert file is not None
        case, origin = read_case(Path(file))
    contribution, report = add_case(case, project, origin, lang=lang)
    click.echo(f"added {contribution.kind} <{contribution.iri}> to {contribution.target.relative_to(project.root)}")
    if report.findings:
        click.echo(report.to_text())
