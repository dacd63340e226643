"""Exact answers of the network analyses on the real data.

Known answers are read off the curated files (named next to each figure) and hard-coded here;
they concern the stable HAL-Plan and OSCA cases.
"""

from __future__ import annotations

import networkx as nx
import pytest

from mpsc_graph import analysis
from mpsc_graph.api import Graph
from mpsc_graph.errors import AmbiguousName, NoPath
from mpsc_graph.network import (
    bipartite_graph,
    collaboration_graph,
    find_paths,
    operator_graph,
    paths_between,
    time_respecting_reach,
)

ID = "https://w3id.org/mpsc-graph/id/"
HALLE, PADERBORN = f"{ID}municipality/15002000", f"{ID}municipality/05774032"
SOLINGEN, DORTMUND, SCHWERTE = f"{ID}municipality/05122000", f"{ID}municipality/05913000", f"{ID}municipality/05978028"
OSCA = f"{ID}solution/osca"
# data/osca.ttl: the eight partner cities that adopted OSCA from Solingen
OSCA_ADOPTERS = ["Dortmund", "Kalletal", "Kassel", "Lemgo", "Mönchengladbach", "Oberhausen", "Remscheid", "Wolfsburg"]


def test_halle_to_paderborn_is_one_undated_hop_of_the_core_module(graph: Graph) -> None:
    # data/hal-plan.ttl: adoption:paderborn-hal-plan-core (code-reuse, production, no start date)
    source, target, paths = paths_between(graph, "Halle (Saale)", "Paderborn")
    assert (source, target) == (HALLE, PADERBORN)
    assert len(paths) == 1
    (hop,) = paths[0].hops
    assert (hop.adoption, hop.asset_label, hop.solution_label) == (
        f"{ID}adoption/paderborn-hal-plan-core", "HAL-Plan Core-Modul", "HAL-Plan")
    assert (hop.mode, hop.status, hop.start) == ("code-reuse", "production", None)
    assert paths[0].undated and paths[0].time_respecting
    assert f"{ID}source/scd-nachnutzen-2026" in hop.sources


def test_solingen_to_schwerte_is_a_two_solution_path_through_dortmund(adoption: nx.MultiDiGraph) -> None:
    # data/osca.ttl: dortmund-osca starts "2020"; data/dortmund-schwerte.ttl: the platform adoption is undated
    paths = find_paths(adoption, SOLINGEN, SCHWERTE)
    assert len(paths) == 1
    path = paths[0]
    assert [(h.origin_label, h.adopter_label, h.solution_label, h.start) for h in path.hops] == [
        ("Solingen", "Dortmund", "Open SmartCity App (OSCA)", "2020"),
        ("Dortmund", "Schwerte", "Urbane Datenplattformen Dortmund und Schwerte", None),
    ]
    assert path.solutions == (OSCA, f"{ID}solution/urbane-datenplattform-dortmund-schwerte")
    assert path.undated  # the second hop is undated: reported as such, not ordered
    frame = path.frame()
    assert list(frame["step"]) == [1, 2] and list(frame["adopter_label"]) == ["Dortmund", "Schwerte"]


def test_no_path_back_from_paderborn_names_the_reason(graph: Graph) -> None:
    with pytest.raises(NoPath, match=r"no adoption path from Paderborn .* to Halle \(Saale\)"):
        paths_between(graph, "Paderborn", "Halle (Saale)")


def test_osca_cascade_depth_breadth_years_and_statuses(adoption: nx.MultiDiGraph) -> None:
    # data/osca.ttl: 8 adoptions from Solingen; Wolfsburg and Remscheid 2020-12-22, Dortmund and
    # Mönchengladbach "2020", four undated; Lemgo and Kalletal in production, the rest unknown
    result = analysis.cascade(adoption, OSCA)
    assert result.roots == ((SOLINGEN, "Solingen"),)
    assert [label for _, label in result.adopters] == OSCA_ADOPTERS
    assert (result.depth, result.breadth) == (1, 8)
    assert result.per_year == {"2020": 4, "undated": 4}
    assert result.by_status == {"trial": 0, "production": 2, "ended": 0, "unknown": 6}
    frame = result.frame().set_index("adopter_label")
    assert frame.loc["Remscheid", "days_from_first"] == 356  # 2020-01-01 (year "2020") → 2020-12-22
    assert frame.loc["Dortmund", "start_precision"] == "year"
    assert frame["days_from_first"].isna().sum() == 4


def test_hal_plan_cascade_includes_the_core_module(adoption: nx.MultiDiGraph) -> None:
    # data/hal-plan.ttl: 11 ended trials in 2025, Magdeburg (shared operation) and Paderborn (Core module)
    result = analysis.cascade(adoption, f"{ID}solution/hal-plan")
    assert (result.depth, result.breadth, len(result.steps)) == (1, 13, 13)
    assert result.by_status["ended"] == 11 and result.by_status["production"] == 2
    assert result.per_year == {"2025": 11, "undated": 2}
    module = analysis.cascade(adoption, f"{ID}module/hal-plan-core")
    assert [s.adopter_label for s in module.steps] == ["Paderborn"]


def test_cascade_of_a_solution_nobody_adopted_says_so(adoption: nx.MultiDiGraph) -> None:
    result = analysis.cascade(adoption, f"{ID}solution/mensch-solingen-app", "„Mensch, Solingen!“-App")
    assert result.empty and result.depth == 0
    assert result.message == f"no adoptions of „Mensch, Solingen!“-App <{ID}solution/mensch-solingen-app>"


def test_reach_of_solingen_direct_and_through_dortmund(adoption: nx.MultiDiGraph, graph: Graph) -> None:
    result = analysis.reach(adoption, SOLINGEN)
    direct = sorted(r.label for r in result.reached if r.direct)
    assert direct == OSCA_ADOPTERS and result.direct == 8
    schwerte = next(r for r in result.reached if r.node == SCHWERTE)
    assert (schwerte.hops, schwerte.time_respecting, schwerte.via_undated) == (2, True, True)
    # the transitive count agrees with the SPARQL property path of queries/adopted_from.rq
    assert result.transitive == len(graph.query("adopted_from", origin=SOLINGEN))


def test_reach_of_an_adopter_only_body_is_empty_with_a_message(adoption: nx.MultiDiGraph) -> None:
    result = analysis.reach(adoption, SCHWERTE)
    assert result.reached == () and result.message == f"no adoptions from Schwerte <{SCHWERTE}>"


def test_time_respecting_reach_keeps_the_dated_constraint(adoption: nx.MultiDiGraph) -> None:
    arrivals = time_respecting_reach(adoption, SOLINGEN)
    assert arrivals[DORTMUND].constraint == "2020" and not arrivals[DORTMUND].undated
    assert arrivals[SCHWERTE].path == (f"{ID}adoption/dortmund-osca",
                                       f"{ID}adoption/schwerte-urbane-datenplattform-dortmund-schwerte")


def test_regio_it_operates_osca_for_its_eight_adopters(graph: Graph) -> None:
    # data/osca.ttl: regio iT is operator (seed article) and maintainer (since 2024) of OSCA
    rows = {r.label: r for r in analysis.operators_reach(operator_graph(graph))}
    regio = rows["regio iT"]
    assert regio.roles == "maintainer operator"
    assert regio.assets == "Open SmartCity App (OSCA)"
    assert regio.adopters == 8 and regio.served.split("; ") == OSCA_ADOPTERS


def test_brokers_put_bodies_that_adopted_and_passed_on_first(adoption: nx.MultiDiGraph) -> None:
    rows = analysis.brokers(adoption)
    dortmund = next(b for b in rows if b.node == DORTMUND)
    assert (dortmund.adoptions_in, dortmund.adoptions_out) >= (1, 1) and dortmund.betweenness > 0
    halle = next(b for b in rows if b.node == HALLE)
    assert halle.betweenness == 0 and halle.adoptions_out >= 13
    assert rows[0].betweenness == max(b.betweenness for b in rows)


def test_communities_are_labelled_by_their_dominant_solution(adoption: nx.MultiDiGraph) -> None:
    found = analysis.communities(adoption)
    assert sum(c.size for c in found) == adoption.number_of_nodes()
    halle = next(c for c in found if any(n == HALLE for n, _ in c.members))
    assert halle.dominant_solution_label == "HAL-Plan" and halle.top_members.startswith("Halle (Saale)")
    again = analysis.communities(adoption)
    assert [c.label for c in again] == [c.label for c in found]  # seeded: repeatable


def test_regional_view_counts_every_adoption_once(adoption: nx.MultiDiGraph) -> None:
    result = analysis.regional(adoption)
    assert result.within_state + result.across_states + result.state_unknown == adoption.number_of_edges()
    osca = next(r for r in result.by_solution if r["solution"] == OSCA)
    # Solingen (NW) → six NRW partners, Kassel (HE) and Wolfsburg (NI) across states
    assert (osca["within_state"], osca["across_states"]) == (6, 2)
    # data/model-projects.csv: of the eight OSCA adopters only Remscheid is not a model project member
    assert (osca["mpsc_adopters"], osca["other_adopters"]) == (7, 1)


def test_other_graphs_have_the_expected_shape(graph: Graph) -> None:
    bipartite = bipartite_graph(graph)
    assert bipartite.nodes[OSCA]["bipartite"] == 1 and bipartite.nodes[DORTMUND]["bipartite"] == 0
    assert bipartite.has_edge(PADERBORN, f"{ID}module/hal-plan-core")
    collaboration = collaboration_graph(graph)
    # data/osca.ttl: Solingen and Remscheid are both in the OSCA development partnership
    edge = collaboration.edges[SOLINGEN, f"{ID}municipality/05120000"]
    assert f"{ID}community/osca-entwicklungspartnerschaft" in edge["groups"].split()
    assert collaboration.has_edge(SOLINGEN, f"{ID}organisation/regio-it")


def test_names_resolve_like_everywhere_else(graph: Graph) -> None:
    assert graph.resolve("osca", ("solution", "module")).iri == OSCA
    with pytest.raises(AmbiguousName):
        graph.resolve("Osnabrueck", ("municipality", "district"))
