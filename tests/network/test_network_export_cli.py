"""Exports re-read with networkx and compared; the ``network`` commands in-process on the real data, and once
through the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from mpsc_graph.api import Graph
from mpsc_graph.network import EXPORT_FORMATS, GRAPH_KINDS, build_graph, exportable, graph_bytes, read_graph
from support import Ran

ID = "https://w3id.org/mpsc-graph/id/"
Run = Callable[..., Ran]


@pytest.fixture
def run(loaded_cli: Run) -> Run:
    """``mpsc-graph ARGS`` in-process, over the real dataset the session loaded once."""
    return loaded_cli


@pytest.mark.parametrize("kind", GRAPH_KINDS)
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_round_trip_keeps_nodes_edges_labels_and_types(graph: Graph, kind: str, fmt: str,
                                                              tmp_path: Path) -> None:
    original = exportable(build_graph(graph, kind))
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(graph_bytes(original, fmt))
    back = read_graph(str(path), fmt)
    assert set(back.nodes) == set(original.nodes)
    assert back.number_of_edges() == original.number_of_edges()
    assert back.is_directed() == original.is_directed()
    for node, data in original.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
        assert back.nodes[node].get("mpsc") == data.get("mpsc")  # booleans stay booleans
    if kind == "adoption":
        key = f"{ID}adoption/dortmund-osca"
        edges = {d["adoption"]: d for _, _, d in back.edges(data=True)}
        assert edges[key]["start"] == "2020" and edges[key]["asset_label"] == "Open SmartCity App (OSCA)"
        # data/osca.ttl: "2020" is a year; the export adds it as an integer and names the precision
        assert (edges[key]["start_year"], edges[key]["start_precision"]) == (2020, "year")
        assert isinstance(edges[key]["start_year"], int) and "start_year" not in edges[f"{ID}adoption/kassel-osca"]
        wolfsburg = edges[f"{ID}adoption/wolfsburg-osca"]
        assert (wolfsburg["start"], wolfsburg["start_year"], wolfsburg["start_precision"]) == (
            "2020-12-22", 2020, "day")
    if kind in ("bipartite", "collaboration"):
        u, v, data = next(iter(original.edges(data=True)))
        assert back.edges[u, v]["weight"] == data["weight"] and isinstance(back.edges[u, v]["weight"], int | float)


def test_exportable_drops_none_and_flattens_tuples() -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", label="A", state=None, tags=("x", "y"))
    g.add_edge("a", "b", key="k", start=None, status="trial")
    clean = exportable(g)
    assert clean.nodes["a"] == {"label": "A", "tags": "x y"} and clean.nodes["b"] == {"label": "b"}
    assert clean.edges["a", "b", "k"] == {"status": "trial"}
    assert b"<graphml" in graph_bytes(g, "graphml") and b"<gexf" in graph_bytes(g, "gexf")


def test_cli_export_writes_the_file_atomically(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "adoption.gexf"
    result = run("network", "export", "--format", "gexf", "--graph", "adoption", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["adoption.gexf"]  # no temporary file left behind
    back = nx.read_gexf(target)
    assert back.nodes[f"{ID}municipality/05122000"]["label"] == "Solingen"


def test_cli_export_json_to_stdout(run: Run) -> None:
    result = run("network", "export", "--format", "json", "--graph", "operators")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert any(n["id"] == f"{ID}organisation/regio-it" and n["node_type"] == "operator" for n in data["nodes"])


def test_cli_cascade_reach_and_paths_alias(run: Run) -> None:
    cascade = run("network", "cascade", "Open SmartCity App (OSCA)")
    assert cascade.returncode == 0, cascade.stderr
    assert cascade.stdout.startswith("Open SmartCity App (OSCA): 9 adoption(s) (9 transfer(s), 0 joint work) by 9 "
                                     "adopter(s) from Solingen; depth 1, breadth 9")
    as_json = json.loads(run("network", "cascade", "osca", "--format", "json").stdout)
    assert (as_json["depth"], as_json["breadth"], len(as_json["steps"])) == (1, 9, 9)
    assert (as_json["first_start"], as_json["first_precision"]) == ("2020", "year")
    # missing values are JSON null (never "<NA>" or "NaT"), dates YYYY-MM-DD; data/osca.ttl: Wolfsburg 2020-12-22
    wolfsburg = next(s for s in as_json["steps"] if s["adopter_label"] == "Wolfsburg")
    assert (wolfsburg["start"], wolfsburg["start_date"], wolfsburg["start_precision"]) == (
        "2020-12-22", "2020-12-22", "day")
    assert wolfsburg["end"] is None and wolfsburg["end_date"] is None and wolfsburg["days_from_first"] is None
    assert "first start: 2020 (dated to the year;" in cascade.stdout
    reach = run("network", "reach", "Solingen", "--format", "csv")
    assert reach.returncode == 0 and reach.stdout.splitlines()[0].startswith("node,label,direct,hops")
    alias = run("paths", "--from", "Solingen", "--to", "Schwerte")
    same = run("network", "paths", "--from", "Solingen", "--to", "Schwerte")
    assert alias.returncode == same.returncode == 0 and alias.stdout == same.stdout
    assert alias.stdout.splitlines()[0] == "Path 1: 2 hop(s) (contains undated hops)"


def test_cli_empty_answers_exit_1_and_bad_names_exit_2(run: Run) -> None:
    nobody = run("network", "cascade", "mensch-solingen-app")
    assert nobody.returncode == 1 and nobody.stdout.startswith("no adoptions of „Mensch, Solingen!“-App")
    schwerte = run("network", "reach", "Schwerte")
    assert schwerte.returncode == 1 and "no adoptions from Schwerte" in schwerte.stdout
    ambiguous = run("network", "reach", "Osnabrueck")
    assert ambiguous.returncode == 2 and "'Osnabrueck' is ambiguous" in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr
    unknown = run("network", "cascade", "Atlantis")
    assert unknown.returncode == 2 and "no entity named 'Atlantis'" in unknown.stderr


def test_cli_stats_brokers_communities_regional(run: Run) -> None:
    stats = run("network", "stats", "--format", "json")
    measures = {r["measure"]: r["value"] for r in json.loads(stats.stdout)}
    assert measures["adoptions"] >= 90 and measures["dated"] + measures["undated"] == measures["adoptions"]
    brokers = json.loads(run("network", "brokers", "--format", "json").stdout)
    assert any(o["label"] == "regio iT" and o["adopters"] == 9 for o in brokers["operators"])
    communities = run("network", "communities")
    assert communities.returncode == 0 and "HAL-Plan: Halle (Saale)" in communities.stdout
    regional = run("network", "regional")
    assert regional.returncode == 0 and regional.stdout.startswith("within a state: ")


@pytest.mark.parametrize(("args", "name"), [
    (("cascade", "osca"), "cascade.png"),
    (("network",), "network.png"),
    (("timeline", "--by", "status"), "timeline.png"),
])
def test_cli_plots_write_png(run: Run, args: tuple[str, ...], name: str, tmp_path: Path) -> None:
    target = tmp_path / name
    result = run("network", "plot", *args, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000


def test_cli_typos_get_a_suggestion_and_a_body_given_to_cascade_points_to_reach(run: Run) -> None:
    typo = run("network", "reach", "Paderbron")
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    assert ("did you mean Kreis Paderborn (district 05774, Nordrhein-Westfalen) or "
            "Paderborn (municipality 05774032, Kreis Paderborn, Nordrhein-Westfalen)?") in typo.stderr
    unbracketed = run("network", "reach", "Halle Saale")
    assert unbracketed.returncode == 2 and "did you mean Halle (Saale) (municipality 15002000, Sachsen-Anhalt)?" in (
        unbracketed.stderr)
    # (plain "Halle" names five German municipalities: no single body to point to)
    body = run("network", "cascade", "Halle (Saale)")
    assert body.returncode == 2 and "no entity named 'Halle (Saale)' among module, solution" in body.stderr
    assert f"'Halle (Saale)' is Halle (Saale) <{ID}municipality/15002000>, a municipality" in body.stderr
    assert 'mpsc-graph network reach "Halle (Saale)"' in body.stderr
    nothing_close = run("network", "reach", "Atlantis")
    assert nothing_close.returncode == 2 and "did you mean" not in nothing_close.stderr


def test_cli_network_finds_the_bundled_project_from_any_directory(run: Run, tmp_path: Path) -> None:
    # like Graph.open(): without --root, a directory that is no project falls back to the bundled one
    binary = str(Path(sys.executable).with_name("mpsc-graph"))
    elsewhere = subprocess.run([binary, "network", "reach", "Solingen", "--format", "csv"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=300, check=False)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.stdout == run("network", "reach", "Solingen", "--format", "csv").stdout
    # an explicit --root that is no project is still an error naming the directory
    wrong = run("network", "stats", "--root", str(tmp_path), cwd=tmp_path)
    assert wrong.returncode == 2 and str(tmp_path) in wrong.stderr and "not a project root" in wrong.stderr
