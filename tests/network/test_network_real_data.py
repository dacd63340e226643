"""Exact answers of the network analyses on the real data.

Known answers are read off the curated files (named next to each figure) and hard-coded here;
they concern the stable HAL-Plan and OSCA cases.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
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
OSCA_ADOPTERS = ["Dortmund", "Euskirchen", "Kalletal", "Kassel", "Lemgo", "Mönchengladbach", "Oberhausen", "Remscheid",
                 "Wolfsburg"]


def test_halle_to_paderborn_is_one_undated_hop_of_the_core_module(graph: Graph) -> None:
    # data/hal-plan.ttl: adoption:paderborn-hal-plan-core (joint-development, production, no start date)
    source, target, paths = paths_between(graph, "Halle (Saale)", "Paderborn")
    assert (source, target) == (HALLE, PADERBORN)
    assert len(paths) == 1
    (hop,) = paths[0].hops
    assert (hop.adoption, hop.asset_label, hop.solution_label) == (
        f"{ID}adoption/paderborn-hal-plan-core", "HAL-Plan Core-Modul", "HAL-Plan")
    assert (hop.mode, hop.status, hop.start) == ("joint-development", "production", None)
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
    # data/osca.ttl: 9 adoptions from Solingen; Wolfsburg and Remscheid 2020-12-22, Dortmund and
    # Mönchengladbach "2020", Euskirchen 2023-09-07, four undated; Lemgo, Kalletal, Wolfsburg and Oberhausen in
    # production, Mönchengladbach and Euskirchen planned, the rest unknown
    result = analysis.cascade(adoption, OSCA)
    assert result.roots == ((SOLINGEN, "Solingen"),)
    assert [label for _, label in result.adopters] == OSCA_ADOPTERS
    assert (result.depth, result.breadth) == (1, 9)
    assert result.per_year == {"2020": 4, "2023": 1, "undated": 4}
    assert result.by_status == {"trial": 0, "production": 4, "ended": 0, "unknown": 3, "planned": 2}
    assert {s.kind for s in result.steps} == {"transfer"}
    # the first start is Dortmund's year "2020", which may contain days before 2020-12-22: no day counts
    assert (result.first_start, result.first_precision) == ("2020", "year")
    frame = result.frame().set_index("adopter_label")
    assert frame["days_from_first"].isna().all()
    assert frame.loc["Remscheid", "start_precision"] == "day" and frame.loc["Dortmund", "start_precision"] == "year"
    dated = ["Dortmund", "Mönchengladbach", "Remscheid", "Wolfsburg"]
    assert frame.loc[dated, "years_from_first"].tolist() == [0, 0, 0, 0]
    assert frame["years_from_first"].isna().sum() == 4


def test_cascade_frames_have_the_same_dtypes_with_and_without_end_dates(adoption: nx.MultiDiGraph) -> None:
    # data/osca.ttl gives no end date; data/hal-plan.ttl ends eleven trials on 2025-07-31
    osca = analysis.cascade(adoption, OSCA).frame()
    hal = analysis.cascade(adoption, f"{ID}solution/hal-plan").frame()
    assert osca["end"].isna().all() and hal["end"].notna().sum() == 11
    assert dict(osca.dtypes) == dict(hal.dtypes)
    assert str(osca["start"].dtype) == "string" and str(osca["end"].dtype) == "string"
    assert str(osca["start_date"].dtype) == "datetime64[s]" and str(osca["end_date"].dtype) == "datetime64[s]"
    assert str(osca["days_from_first"].dtype) == "Int64" and str(osca["mode"].dtype) == "string"
    first = hal.set_index("adopter_label").loc["Aachen"]
    assert (first["start"], first["start_date"], first["start_precision"]) == ("2025", pd.Timestamp("2025-01-01"),
                                                                               "year")
    assert (first["end"], first["end_date"], first["end_precision"]) == ("2025-07-31", pd.Timestamp("2025-07-31"),
                                                                         "day")
    # one missing-value marker: pd.NA in text and number columns, NaT only in the datetime64 companions
    undated = osca.set_index("adopter_label").loc["Kassel"]
    assert undated["start"] is pd.NA and undated["days_from_first"] is pd.NA and undated["start_date"] is pd.NaT


def test_path_frame_dtypes_do_not_depend_on_which_hops_are_dated(graph: Graph) -> None:
    # data/hal-plan.ttl: Halle → Paderborn is one undated hop; Solingen → Dortmund → Schwerte has one dated hop
    undated = paths_between(graph, "Halle (Saale)", "Paderborn")[2][0].frame()
    mixed = paths_between(graph, "Solingen", "Schwerte")[2][0].frame()
    assert dict(undated.dtypes) == dict(mixed.dtypes)
    assert mixed["start"].tolist()[0] == "2020" and mixed["start_precision"].tolist()[0] == "year"
    assert undated["start"].isna().all() and undated["start_date"].isna().all()


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
    # an empty cascade's frame has the columns and dtypes of any other
    assert dict(result.frame().dtypes) == dict(analysis.cascade(adoption, OSCA).frame().dtypes)


def test_reach_of_solingen_direct_and_through_dortmund(adoption: nx.MultiDiGraph, graph: Graph) -> None:
    result = analysis.reach(adoption, SOLINGEN)
    direct = sorted(r.label for r in result.reached if r.direct)
    assert direct == OSCA_ADOPTERS and result.direct == 9
    schwerte = next(r for r in result.reached if r.node == SCHWERTE)
    assert (schwerte.hops, schwerte.time_respecting, schwerte.via_undated) == (2, True, True)
    # the message says how many of the time-respecting chains rest on undated hops, as the rows do
    undated = sum(1 for r in result.reached if r.time_respecting and r.via_undated)
    assert result.via_undated == undated and result.fully_dated == result.time_respecting - undated
    assert f"{result.time_respecting} of them by time-respecting chains: {result.fully_dated} by fully dated " \
        f"chains, {undated} only by chains with an undated hop" in result.message
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
    assert regio.adopters == 9 and regio.served.split("; ") == OSCA_ADOPTERS


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
    # Solingen (NW) → seven NRW partners, Kassel (HE) and Wolfsburg (NI) across states
    assert (osca["within_state"], osca["across_states"]) == (7, 2)
    # data/model-projects.csv: of the nine OSCA adopters Remscheid and Euskirchen are not model project members
    assert (osca["mpsc_adopters"], osca["other_adopters"]) == (7, 2)


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


def test_network_plot_labels_do_not_overlap(adoption: nx.MultiDiGraph) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mpsc_graph.plots import plot_network

    figure = plot_network(adoption).figure
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    boxes = [t.get_window_extent(canvas.get_renderer()) for t in figure.axes[0].texts]
    assert len(boxes) >= 12  # origins, adopters of several solutions, the best connected
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    assert overlapping == []
