"""Foundation commands: build, validate, queries, query (paths: cli/network.py; stats: cli/data.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..api import Graph
from ..dataset import build_store, load_dataset
from ..errors import InputError
from ..queries import catalogue
from ..validation import read_baseline
from ..validation import validate as validate_with
from .base import endpoint_option, main, project_at, root_option, write_output


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
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json", "baseline"]), default="text",
              show_default=True, help="baseline: the findings as a file for --baseline (write it with -o FILE).")
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
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Report only findings not in this baseline file; exit 0 when no new violation remains.")
@click.option("--summary", is_flag=True, help="Counts per shape and the first few focus nodes instead of every line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE, not stdout.")
def validate(root: str | None, lang: str, fmt: str, fail_on: str, engine: str, jobs: int, baseline: str | None,
             summary: bool, output: str | None) -> None:
    """Validate the dataset against shapes/: exit 0 without violations, 1 with, 2 if it could not run.

    Each finding names the entity, the file and line it is written on, the path and value.
    """
    project = project_at(root)
    store = load_dataset(project)
    report, results = validate_with(store, project, engine=engine, lang=lang, jobs=jobs)
    if baseline:
        report = report.without(read_baseline(Path(baseline)))
    if fmt == "json":
        text = report.to_json() + "\n"
    elif fmt == "turtle":
        text = results.serialize(format="turtle") + "\n"
    elif fmt == "baseline":
        text = report.to_baseline()
    else:
        text = (report.to_summary() if summary else report.to_text()) + "\n"
    write_output(text, output)
    if output and fmt != "baseline":
        click.echo(report.totals(), err=True)
    sys.exit(0 if fmt == "baseline" else report.exit_code(fail_on_warning=fail_on == "warning"))


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
