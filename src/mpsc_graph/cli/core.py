"""Foundation commands: build, validate, queries, query (paths: cli/network.py; stats: cli/data.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..api import Graph
from ..dataset import build_store, load_dataset
from ..errors import InputError
from ..fastvalidate import ResultsGraph, validate_fast
from ..queries import catalogue
from ..validation import validate_store
from .base import endpoint_option, main, project_at, root_option

if TYPE_CHECKING:
    import rdflib

    from ..fastvalidate import ResultsGraph


@main.command()
@root_option
@click.option(
    "--store",
    "store_dir",
    default=".cache/store",
    show_default=True,
    type=click.Path(file_okay=False),
    help="On-disk Oxigraph store to (re)build; written to a temporary directory first.",
)
def build(root: str | None, store_dir: str) -> None:
    """Load the ontology and every data file, each as its own named graph, into an on-disk store."""
    project = project_at(root)
    target = Path(store_dir) if Path(store_dir).is_absolute() else project.root / store_dir
    report = build_store(project, target)
    click.echo(f"built {target}: {report.quads} quads in {len(report.quads_per_graph)} graphs ({report.seconds:.1f} s)")


@main.command()
@root_option
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of messages.")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the command exit 1.",
)
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: the shapes compiled to SPARQL on the store; pyshacl: the reference engine.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="fast engine: share the checks among this many forked processes (10M triples: 2 save 20 %).")
def validate(root: str | None, lang: str, fmt: str, fail_on: str, engine: str, jobs: int) -> None:
    """Validate the dataset against shapes/: exit 0 without violations, 1 with, 2 if it could not run."""
    project = project_at(root)
    store = load_dataset(project)
    results: ResultsGraph | rdflib.Graph
    if engine == "fast":
        report, results = validate_fast(store, project, lang=lang, workers=jobs)
    else:
        report, results = validate_store(store, project, lang=lang)
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "turtle":
        click.echo(results.serialize(format="turtle"))
    else:
        click.echo(report.to_text())
    sys.exit(report.exit_code(fail_on_warning=fail_on == "warning"))


@main.command("queries")
@root_option
def list_queries(root: str | None) -> None:
    """List the named queries with their summaries and parameters."""
    for name, q in catalogue(project_at(root).queries_dir).items():
        params = ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{name}{f' ({params})' if params else ''}\n    {q.summary}")
    from ..readiness import criteria

    found = criteria(project_at(root).queries_dir)
    if found:
        click.echo("\nReadiness criteria (queries/readiness/; see 'mpsc-graph readiness NAME'):")
        for c in found:
            click.echo(f"readiness/{c.name}{' (asOf:date)' if c.dated else ''}\n    {c.title_en}: {c.threshold}")


def _parse_params(items: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"--param expects key=value, got '{item}'")
        params[key.strip()] = value
    return params


@main.command()
@click.argument("name")
@root_option
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Parameter value; an IRI parameter also accepts a label, key or slug.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@endpoint_option
def query(name: str, root: str | None, params: tuple[str, ...], fmt: str, endpoint: str | None) -> None:
    """Run the named query NAME (see 'mpsc-graph queries')."""
    graph = Graph.open(root, endpoint=endpoint)
    named = graph.named_query(name)
    values: dict[str, str] = {}
    for key, value in _parse_params(params).items():
        param = named.param(key)
        if param.type == "iri" and "://" not in value:
            value = graph.resolve(value, param.kinds).iri
        values[key] = value
    table = graph.query(name, **values)
    click.echo(
        table.to_csv() if fmt == "csv" else table.to_json() if fmt == "json" else table.to_text(), nl=fmt == "table"
    )
