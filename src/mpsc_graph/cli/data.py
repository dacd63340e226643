"""Data-breadth commands: ``import publiccode``, ``enrich wikidata`` and the coverage report ``stats``.

``import`` and ``enrich`` write reviewable Turtle (to ``-o FILE`` through a temporary file, or stdout);
a curator moves it into ``data/``. Network is used only for URL arguments and by ``enrich``.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace

import click

from ..errors import InputError
from ..project import Project
from .base import endpoint_option, http_options, main, root_option, write_output


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--accessed expects a date YYYY-MM-DD, got '{value}'") from None


@main.group("import")
def import_group() -> None:
    """Import outside formats as reviewable Turtle."""


@import_group.command("publiccode")
@click.argument("inputs", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Turtle file to write (default stdout).")
@root_option
@click.option("--source-url", default=None, metavar="URL",
              help="Where a local file is published (default: the file's 'url', its repository).")
@click.option("--accessed", default=None, metavar="YYYY-MM-DD", help="Access date of the source (default: today).")
@click.option("--report", "report_file", default=None, type=click.Path(dir_okay=False),
              help="Also write the resolution report (every usedBy name and its outcome) to this file.")
@click.option("--state", default=None, metavar="NN",
              help="Länderschlüssel (e.g. 12) that settles usedBy names shared by bodies in several states.")
@http_options(timeout=30.0)
def import_publiccode(inputs: tuple[str, ...], output: str | None, root: str | None, source_url: str | None,
                      accessed: str | None, report_file: str | None, state: str | None, timeout: float, retries: int,
                      max_wait: float) -> None:
    """Read publiccode.yml files (versions 0, 0.2-0.7) and write Turtle: solution, roles, usedBy adoptions.

    usedBy names resolve through the gazetteer; unresolved or ambiguous names are reported on stderr
    (with candidates) and never turned into identifiers. An invalid file stops the import (exit 2)
    and nothing is written.
    """
    from ..importers.publiccode import (
        fetch_settings,
        import_all,
        project_organisations,
        project_repositories,
        report_lines,
        to_turtle,
    )
    from ..resolve import Gazetteer

    project = Project.find_optional(root)  # without any project: the shipped gazetteer only
    gazetteer = Gazetteer.for_project(project).with_state_hint(state)
    lookup = project_organisations(project) if project is not None else None
    repositories = project_repositories(project) if project is not None else None
    graph, results = import_all(inputs, gazetteer=gazetteer, organisations=lookup, accessed=parse_date(accessed),
                                source_url=source_url, settings=fetch_settings(timeout, retries, max_wait),
                                repositories=repositories)
    report = report_lines(results)
    for line in report:
        click.echo(line, err=True)
    if report_file:
        write_output("\n".join(report) + "\n", report_file)
    write_output(to_turtle(graph, results), output)
    if output:
        click.echo(f"wrote {len(graph)} triples to {output}", err=True)


@main.group()
def enrich() -> None:
    """Look up links in outside sources and write them as reviewable Turtle."""


@enrich.command("wikidata")
@click.option("--endpoint", default=None, metavar="URL",
              help="Wikidata-shaped SPARQL endpoint (default https://query.wikidata.org/sparql).")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Turtle file to write (default stdout).")
@root_option
@http_options()
def enrich_wikidata(endpoint: str | None, output: str | None, root: str | None, timeout: float, retries: int,
                    max_wait: float) -> None:
    """Find Wikidata items whose AGS (P439) or district key (P440) match the graph's municipalities and districts.

    Writes schema:sameAs links with a dated Source node for review; keys matching several items and
    items contradicting an existing link are reported on stderr and not written.
    """
    from ..api import Graph
    from ..importers.wikidata import DEFAULT_ENDPOINT, WIKIDATA_SETTINGS, ask_wikidata, graph_bodies, to_turtle

    graph = Graph.open(root)
    bodies = graph_bodies(graph)
    settings = replace(WIKIDATA_SETTINGS, timeout=timeout, retries=retries, max_wait=max_wait)
    result = ask_wikidata(graph.named_query("wikidata_by_key"), bodies, endpoint or DEFAULT_ENDPOINT,
                          settings=settings, log=lambda message: click.echo(message, err=True))
    for line in result.report(bodies):
        click.echo(line, err=True)
    write_output(to_turtle(result, bodies), output)


@main.command()
@root_option
@endpoint_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(root: str | None, endpoint: str | None, fmt: str) -> None:
    """Coverage report: instances per class, adoptions by mode and status, unsourced domain nodes, Wikidata links.

    Every figure comes from a named query (class_counts, adoptions_by_mode_and_status, unsourced_nodes,
    wikidata_coverage). Exit code 1 when a domain node has no source (they are listed).
    """
    from ..api import Graph
    from ..coverage import coverage

    report = coverage(Graph.open(root, endpoint=endpoint))
    click.echo(report.to_json() if fmt == "json" else report.to_text(), nl=False)
    if report.unsourced:
        sys.exit(1)
