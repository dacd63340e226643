"""``mpsc-graph network ...``: adoption paths, cascades, reach, brokers, communities, exports, plots.

Every subcommand takes ``--root`` (as every command: the current directory if it is a project, else
``$MPSC_ROOT``, else the bundled one) and ``--endpoint URL`` (the graphs are then built from the
remote endpoint's answers to the same named queries). Names are resolved like everywhere else
(label, key, slug or IRI; ambiguous → exit 2 listing the candidates). An empty answer ("no
adoptions of X") is printed and exits 1, like ``paths`` without a path.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import analysis
from ..api import Graph
from ..errors import MpscError, UnknownName
from ..network import (
    EXPORT_FORMATS,
    GRAPH_KINDS,
    adoption_digraph,
    build_graph,
    graph_bytes,
    operator_graph,
    paths_between,
)
from ..resolve import PUBLIC_BODY_KINDS
from .base import endpoint_option, main, root_option, write_output

ASSET_KINDS = ("solution", "module")


def _open(root: str | None, endpoint: str | None) -> Graph:
    """The graph of the project ``--root`` means (as in every command), or of ``--endpoint``."""
    return Graph.open(root, endpoint=endpoint)


def _format_option(func: Any) -> Any:
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                        show_default=True, help="Output format.")(func)


def _days(frame: Any) -> Any:
    """``frame`` with its datetime64 columns (the ``_date`` companions) as ``YYYY-MM-DD`` text."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "M":
            frame[column] = frame[column].dt.strftime("%Y-%m-%d").astype("string")
    return frame


def _records_json(frame: Any) -> str:
    """JSON records of ``frame``: missing values null, dates ``YYYY-MM-DD``."""
    import json

    records = json.loads(_days(frame).to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=2)


def _emit(frame: Any, fmt: str, header: str | None = None) -> None:
    """Print a DataFrame as an aligned table (with a header line), CSV or JSON records."""
    if fmt == "csv":
        click.echo(_days(frame).to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(_records_json(frame))
    else:
        if header:
            click.echo(header)
        if len(frame):
            shown = frame.astype(object).where(frame.notna(), "")
            click.echo(shown.to_string(index=False, max_colwidth=60))


@main.group()
def network() -> None:
    """Adoption network analysis: paths, cascades, reach, brokers, communities, exports, plots."""


@network.command("stats")
@root_option
@endpoint_option
@_format_option
def stats_command(root: str | None, endpoint: str | None, fmt: str) -> None:
    """Size of the adoption network: nodes, adoptions, origins, adopters, components, dates, statuses."""
    g = adoption_digraph(_open(root, endpoint))
    _emit(analysis.network_stats(g).frame(), fmt)


@network.command("paths")
@click.option("--from", "source", required=True, help="Origin: label, AGS, slug or IRI.")
@click.option("--to", "target", required=True, help="Adopter: label, AGS, slug or IRI.")
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 20), help="Longest path considered.")
@root_option
@endpoint_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def paths_command(source: str, target: str, max_hops: int, root: str | None, endpoint: str | None, fmt: str) -> None:
    """Time-respecting adoption paths from one public body to another (exit 1 if there is none).

    Each hop shows asset, mode, status, start date and sources; a path with undated hops says so
    (their order in time is unknown). CSV/JSON give one row per hop with a ``path`` number.
    """
    graph = _open(root, endpoint)
    _source, _target, found = paths_between(graph, source, target, cutoff=max_hops)
    if fmt != "text":
        import pandas as pd

        frames = [p.frame().assign(path=n, undated_path=p.undated) for n, p in enumerate(found, 1)]
        frame = pd.concat(frames, ignore_index=True)
        _emit(frame[["path", *[c for c in frame.columns if c != "path"]]], fmt)
        return
    for number, path in enumerate(found, 1):
        flag = " (contains undated hops)" if path.undated else ""
        click.echo(f"Path {number}: {len(path.hops)} hop(s){flag}")
        for hop in path.hops:
            click.echo(f"  {hop.describe()}")
            click.echo(f"      adoption: {hop.adoption}")
            for source_iri in hop.sources:
                click.echo(f"      source: {graph.label(source_iri)} <{source_iri}>")


# ``mpsc-graph paths`` is the same command, kept short because it is the question asked most.
main.add_command(paths_command, name="paths")


def _resolve_asset(graph: Graph, name: str) -> Any:
    """The solution or module ``name`` denotes; if it names a public body instead, say so and point to ``reach``."""
    try:
        return graph.resolve(name, ASSET_KINDS)
    except UnknownName as error:
        try:
            body = graph.resolve(name, PUBLIC_BODY_KINDS)
        except MpscError:
            raise error from None
        raise UnknownName(f"{error}\n'{name}' is {body.label} <{body.iri}>, a {body.kind}, not a solution or module: "
                          f"what it passed on is its reach (mpsc-graph network reach \"{body.label}\")") from None


@network.command("cascade")
@click.argument("solution")
@root_option
@endpoint_option
@_format_option
def cascade_command(solution: str, root: str | None, endpoint: str | None, fmt: str) -> None:
    """Diffusion cascade of SOLUTION (label, slug or IRI of a solution or module).

    A solution includes adoptions of its modules. Shows depth, breadth, adopters per year and
    status, and each adoption with its depth and the time since the cascade's first start: days
    only where both dates are known to the day, calendar years for every dated adoption.
    """
    graph = _open(root, endpoint)
    entity = _resolve_asset(graph, solution)
    result = analysis.cascade(adoption_digraph(graph), entity.iri, entity.label)
    if result.empty:
        click.echo(result.message)
        sys.exit(1)
    if fmt == "json":
        import json

        summary = result.summary() | {"steps": json.loads(_records_json(result.frame()))}
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    if fmt == "table":
        years = ", ".join(f"{y}: {n}" for y, n in result.per_year.items())
        statuses = ", ".join(f"{s}: {n}" for s, n in result.by_status.items())
        first = (f"{result.first_start} (dated to the {result.first_precision}; days are counted only between "
                 "dates known to the day)" if result.first_start else "none dated")
        header = (f"{result.message}\n  root(s): {', '.join(f'{label} <{iri}>' for iri, label in result.roots)}\n"
                  f"  per year: {years}\n  by status: {statuses}\n  first start: {first}\n")
        columns = ["depth", "adopter_label", "origin_label", "asset_label", "kind", "mode", "status", "start",
                   "days_from_first", "years_from_first", "adopter"]
        _emit(result.frame()[columns], fmt, header)
    else:
        _emit(result.frame(), fmt)


@network.command("reach")
@click.argument("origin")
@root_option
@endpoint_option
@_format_option
def reach_command(origin: str, root: str | None, endpoint: str | None, fmt: str) -> None:
    """Reach of ORIGIN (label, key, slug or IRI): direct adopters and everyone reached through them."""
    graph = _open(root, endpoint)
    entity = graph.resolve(origin, PUBLIC_BODY_KINDS)
    result = analysis.reach(adoption_digraph(graph), entity.iri, entity.label)
    if not result.reached:
        click.echo(result.message)
        sys.exit(1)
    columns = ["hops", "label", "direct", "time_respecting", "via_undated", "assets", "node"]
    _emit(result.frame()[columns] if fmt == "table" else result.frame(), fmt, result.message)


@network.command("brokers")
@click.option("--top", default=15, show_default=True, type=click.IntRange(0), help="Rows to show (0 = all).")
@click.option("--k", "samples", default=None, type=click.IntRange(1), help="Approximate betweenness with K sources.")
@root_option
@endpoint_option
@_format_option
def brokers_command(top: int, samples: int | None, root: str | None, endpoint: str | None, fmt: str) -> None:
    """Brokers and hubs: betweenness, adoptions passed on and received; then operators' reach."""
    graph = _open(root, endpoint)
    rows = analysis.brokers(adoption_digraph(graph), k=samples)
    frame = analysis.brokers_frame(rows[:top] if top else rows)
    operators = analysis.operators_frame(analysis.operators_reach(operator_graph(graph)))
    if fmt == "json":
        click.echo('{"brokers": ' + _records_json(frame) + ', "operators": ' + _records_json(operators) + "}")
        return
    _emit(frame, fmt, "Brokers and hubs (betweenness on the adoption network, adoptions out/in):")
    if fmt == "table":
        click.echo("")
        _emit(operators[["label", "roles", "assets", "adopters", "clients", "operator"]], fmt,
              "Operators and maintainers (adopters of the assets they run, clients named in roles):")


@network.command("communities")
@click.option("--method", type=click.Choice(["louvain", "greedy"]), default="louvain", show_default=True)
@click.option("--seed", default=42, show_default=True, help="Seed of the Louvain method (results repeat).")
@root_option
@endpoint_option
@_format_option
def communities_command(method: str, seed: int, root: str | None, endpoint: str | None, fmt: str) -> None:
    """Communities of the adoption network, labelled by dominant solution and top members."""
    rows = analysis.communities(adoption_digraph(_open(root, endpoint)), method=method, seed=seed)
    if not rows:
        click.echo("no adoptions: the network is empty")
        sys.exit(1)
    frame = analysis.communities_frame(rows)
    _emit(frame[["number", "size", "adoptions", "label"]] if fmt == "table" else frame, fmt)


@network.command("regional")
@root_option
@endpoint_option
@_format_option
def regional_command(root: str | None, endpoint: str | None, fmt: str) -> None:
    """Adoptions within vs across federal states, and by MPSC vs other adopters, per solution."""
    result = analysis.regional(adoption_digraph(_open(root, endpoint)))
    s = result.summary()
    header = (f"within a state: {s['within_state']}, across states: {s['across_states']}, "
              f"state unknown: {s['state_unknown']}\nadopters in a model project (MPSC): {s['mpsc_adopters']}, "
              f"others: {s['other_adopters']}\n")
    _emit(result.frame(), fmt, header)


@network.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="graphml", show_default=True)
@click.option("--graph", "kind", type=click.Choice(GRAPH_KINDS), default="adoption", show_default=True)
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="File to write (default stdout).")
@root_option
@endpoint_option
def export_command(fmt: str, kind: str, output: str | None, root: str | None, endpoint: str | None) -> None:
    """Export a graph as GraphML, GEXF (Gephi) or node-link JSON, with labels and typed attributes."""
    g = build_graph(_open(root, endpoint), kind)
    write_output(graph_bytes(g, fmt), output)
    if output:
        click.echo(f"wrote {output}: {kind} graph, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges", err=True)


@network.group("plot")
def plot() -> None:
    """Pictures (PNG) of a cascade, the whole network or the adoptions over time."""


def _save(figure: Any, output: str) -> None:
    from ..plots import png_bytes

    write_output(png_bytes(figure), output)
    click.echo(f"wrote {output}", err=True)


def _drawable_adoptions(root: str | None, endpoint: str | None) -> Any:
    """The adoption digraph to plot; exit 1 with a message when it has no edge."""
    g = adoption_digraph(_open(root, endpoint))
    if g.number_of_edges() == 0:
        click.echo("no adoptions: nothing to draw")
        sys.exit(1)
    return g


_output_option = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                              help="PNG file to write.")


@plot.command("cascade")
@click.argument("solution")
@_output_option
@root_option
@endpoint_option
def plot_cascade(solution: str, output: str, root: str | None, endpoint: str | None) -> None:
    """The cascade of SOLUTION as a tree, adopters coloured by status (exit 1 if never adopted)."""
    from ..plots import plot_cascade as draw

    graph = _open(root, endpoint)
    entity = _resolve_asset(graph, solution)
    result = analysis.cascade(adoption_digraph(graph), entity.iri, entity.label)
    if result.empty:
        click.echo(result.message)
        sys.exit(1)
    _save(draw(result), output)


@plot.command("network")
@_output_option
@click.option("--color-by", type=click.Choice(["role", "state", "community"]), default="role", show_default=True)
@root_option
@endpoint_option
def plot_network(output: str, color_by: str, root: str | None, endpoint: str | None) -> None:
    """The whole adoption network, nodes coloured by role (origin/adopter/both), state or community."""
    from ..plots import plot_network as draw

    g = _drawable_adoptions(root, endpoint)
    _save(draw(g, color_by=color_by), output)


@plot.command("timeline")
@_output_option
@click.option("--by", type=click.Choice(["solution", "status", "mode"]), default="solution", show_default=True)
@root_option
@endpoint_option
def plot_timeline(output: str, by: str, root: str | None, endpoint: str | None) -> None:
    """Adoptions per start year, stacked by solution, status or mode (undated ones in their own bar)."""
    from ..plots import plot_timeline as draw

    g = _drawable_adoptions(root, endpoint)
    _save(draw(g, by=by), output)
