"""Transfers and joint work: one definition (queries/adoption_kinds.rq) for stats, networks, paths and cascades."""

from __future__ import annotations

from mpsc_graph import analysis
from mpsc_graph.api import Graph
from mpsc_graph.coverage import coverage
from mpsc_graph.network import adoption_digraph, find_paths, paths_between
from support import TEST_DATA

ID = "https://w3id.org/mpsc-graph/id/"


def test_each_rule_of_the_definition_on_a_fixture(make_project) -> None:  # type: ignore[no-untyped-def]
    graph = Graph.open(make_project(TEST_DATA / "adoption-kinds" / "kinds.ttl").root)
    kinds = {r["adoption"].removeprefix(f"{ID}adoption/"): (r["kind"], r["group"])
             for r in graph.query("adoption_kinds").records()}
    assert kinds == {
        "inside-project": ("joint-work", f"{ID}project/joint"),
        "alliance-to-member": ("joint-work", f"{ID}alliance/five"),
        "inside-alliance": ("joint-work", f"{ID}alliance/five"),
        "inside-community": ("transfer", None),
        "unrelated": ("transfer", None),
        "member-to-alliance": ("transfer", None),
        "association-to-member": ("joint-work", f"{ID}municipal-association/010595974"),
        "inside-association": ("joint-work", f"{ID}municipal-association/010595974"),
    }


def test_stats_and_network_count_the_same_kinds(graph: Graph) -> None:
    report = coverage(graph)
    stats = analysis.network_stats(adoption_digraph(graph))
    assert (stats.transfers, stats.joint_work) == (report.kinds["transfer"], report.kinds["joint-work"])
    assert stats.transfers + stats.joint_work == report.adoption_total == stats.adoptions
    assert report.kinds["joint-work"] > 0 and report.kinds["transfer"] > 0


def test_halle_to_paderborn_is_a_transfer(graph: Graph) -> None:
    _, _, paths = paths_between(graph, "Halle (Saale)", "Paderborn")
    hop = paths[0].hops[0]
    assert (hop.adoption, hop.kind, hop.within) == (f"{ID}adoption/paderborn-hal-plan-core", "transfer", None)
    assert "joint work" not in hop.describe()


def test_paths_and_cascades_keep_joint_work_and_mark_it(graph: Graph) -> None:
    g = adoption_digraph(graph)
    # Connected Urban Twins: Hamburg, Leipzig and München are one model project (data/model-projects.csv)
    paths = find_paths(g, f"{ID}municipality/02000000", f"{ID}municipality/14713000")
    joint = [h for p in paths for h in p.hops if h.joint_work]
    assert {h.adoption for h in joint} >= {f"{ID}adoption/leipzig-dipas", f"{ID}adoption/leipzig-connected-urban-twins"}
    assert all(h.within == f"{ID}project/mpsc20-cut" and "joint work within mpsc20-cut" in h.describe() for h in joint)
    # the alliance "5 für Südwestfalen" passing its platform to its own members is joint work
    result = analysis.cascade(g, f"{ID}solution/offene-regionale-datenplattform-suedwestfalen")
    assert {s.kind for s in result.steps} == {"joint-work"}
    assert f"({len(result.steps)} transfer(s)" not in result.message and "0 transfer(s)" in result.message
