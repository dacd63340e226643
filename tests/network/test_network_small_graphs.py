"""Edge cases on hand-made graphs: cycles, undated hops, ties, partial dates, disconnected and empty graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from mpsc_graph import analysis
from mpsc_graph.network import Hop, adoption_graph_from_hops, find_paths, time_respecting_reach


def hop(origin: str, adopter: str, start: str | None = None, *, asset: str = "s", status: str | None = None,
        name: str | None = None) -> Hop:
    return Hop(name or f"{origin}-{adopter}-{asset}-{start}", origin, origin.upper(), adopter, adopter.upper(), asset,
               asset.upper(), asset, asset.upper(), "code-reuse", status, start, None, ())


def graph(*hops: Hop) -> nx.MultiDiGraph:
    return adoption_graph_from_hops(hops)


def chains(paths: list) -> list[list[str]]:
    return [[h.adopter for h in p.hops] for p in paths]


def test_a_hop_back_in_time_breaks_the_path() -> None:
    g = graph(hop("a", "b", "2021"), hop("b", "c", "2020"))
    assert find_paths(g, "a", "c") == []
    assert "c" not in time_respecting_reach(g, "a")
    assert analysis.reach(g, "a").time_respecting == 1 and analysis.reach(g, "a").transitive == 2


def test_ties_on_the_same_date_are_allowed() -> None:
    g = graph(hop("a", "b", "2021-05-01"), hop("b", "c", "2021-05-01"))
    (path,) = find_paths(g, "a", "c")
    assert path.time_respecting and not path.undated


def test_partial_dates_compare_at_their_shared_precision() -> None:
    # "2021" cannot be ordered against 2021-03-01: not a violation; 2020-12 before 2021 is fine
    g = graph(hop("a", "b", "2021-03-01"), hop("b", "c", "2021"), hop("c", "d", "2021-02"))
    (path,) = find_paths(g, "a", "d")
    assert [h.start for h in path.hops] == ["2021-03-01", "2021", "2021-02"]
    assert time_respecting_reach(g, "a")["d"].constraint == "2021-02"


def test_undated_hops_are_reported_never_ordered() -> None:
    g = graph(hop("a", "b", "2022"), hop("b", "c"), hop("c", "d", "2023"))
    (path,) = find_paths(g, "a", "d")
    assert path.undated and path.time_respecting
    arrival = time_respecting_reach(g, "a")["d"]
    assert arrival.undated and arrival.hops == 3
    # the undated hop carries the 2022 constraint on: a 2021 hop after it is still refused
    g2 = graph(hop("a", "b", "2022"), hop("b", "c"), hop("c", "d", "2021"))
    assert find_paths(g2, "a", "d") == [] and "d" not in time_respecting_reach(g2, "a")


def test_cycles_terminate_and_paths_stay_simple() -> None:
    g = graph(hop("a", "b", "2020"), hop("b", "c", "2021"), hop("c", "a", "2022"), hop("c", "d", "2023"))
    assert chains(find_paths(g, "a", "d")) == [["b", "c", "d"]]
    assert sorted(time_respecting_reach(g, "a")) == ["b", "c", "d"]
    result = analysis.cascade(g, "s")
    assert result.roots == (("a", "A"),)  # a cycle has no source: the earliest adoption's origin
    assert result.depth == 3 and result.per_level == {0: 1, 1: 1, 2: 1, 3: 1}


def test_parallel_adoptions_give_parallel_paths_shortest_first() -> None:
    g = graph(hop("a", "b", "2020", asset="x"), hop("a", "b", "2021", asset="y"), hop("b", "c", "2020-06"),
              hop("a", "c", "2024"))
    paths = find_paths(g, "a", "c")
    assert chains(paths) == [["c"], ["b", "c"]]  # the 2021 → 2020-06 chain is not time-respecting
    assert [h.asset for h in paths[1].hops] == ["x", "s"]


def test_disconnected_and_unknown_nodes() -> None:
    g = graph(hop("a", "b", "2020"), hop("x", "y", "2020"))
    assert find_paths(g, "a", "y") == [] and find_paths(g, "a", "nowhere") == []
    assert time_respecting_reach(g, "nowhere") == {}
    assert analysis.network_stats(g).components == 2
    assert analysis.reach(g, "nowhere", "Nowhere").message == "no adoptions from Nowhere <nowhere>"
    assert {c.size for c in analysis.communities(g)} == {2}


def test_empty_graph_gives_clear_empty_answers() -> None:
    g = nx.MultiDiGraph()
    stats = analysis.network_stats(g)
    assert (stats.nodes, stats.adoptions, stats.components, stats.largest_component) == (0, 0, 0, 0)
    assert analysis.cascade(g, "s", "S").message == "no adoptions of S <s>"
    assert analysis.brokers(g) == [] and analysis.communities(g) == []
    regional = analysis.regional(g)
    assert (regional.within_state, regional.across_states, regional.state_unknown) == (0, 0, 0)
    assert analysis.adoptions_per_year(g) == {}


def test_cascade_depth_breadth_and_days_on_a_tree() -> None:
    g = graph(hop("r", "a", "2020-01-01", status="production"), hop("r", "b", "2020-03-01", status="trial"),
              hop("a", "c", "2021", status="ended"), hop("a", "d"), hop("x", "y", "2020", asset="other"))
    result = analysis.cascade(g, "s")
    assert (result.depth, result.breadth, result.per_level) == (2, 2, {1: 2, 2: 2})
    assert result.per_year == {"2020": 2, "2021": 1, "undated": 1}
    assert result.by_status == {"trial": 1, "production": 1, "ended": 1, "unknown": 1}
    assert (result.first_start, result.first_precision) == ("2020-01-01", "day")
    days = {s.adopter: s.days_from_first for s in result.steps}
    assert days == {"a": 0, "b": 60, "c": None, "d": None}  # c's "2021" is no day: no count of days
    assert {s.adopter: s.years_from_first for s in result.steps} == {"a": 0, "b": 0, "c": 1, "d": None}


def test_a_year_before_a_day_in_it_makes_the_first_start_a_year() -> None:
    # "2020" may be any day of 2020, so it may precede 2020-03-01: the first start is the year, no days counted
    g = graph(hop("r", "a", "2020-03-01"), hop("r", "b", "2020"), hop("r", "c", "2020-05-01"))
    result = analysis.cascade(g, "s")
    assert (result.first_start, result.first_precision) == ("2020", "year")
    assert [s.days_from_first for s in result.steps] == [None, None, None]
    # a year after the first day cannot precede it: days between days are counted, the year gets none
    later = analysis.cascade(graph(hop("r", "a", "2019-12-30"), hop("r", "b", "2020"), hop("r", "c", "2020-01-02")),
                             "s")
    assert later.first_start == "2019-12-30"
    assert {s.adopter: s.days_from_first for s in later.steps} == {"a": 0, "b": None, "c": 3}
    assert {s.adopter: s.years_from_first for s in later.steps} == {"a": 0, "b": 1, "c": 1}


def test_brokers_rank_the_middle_of_a_chain_first() -> None:
    g = graph(hop("a", "b"), hop("b", "c"), hop("a", "d"))
    rows = analysis.brokers(g)
    assert rows[0].node == "b" and rows[0].betweenness > 0
    assert {r.node: (r.adoptions_out, r.adoptions_in) for r in rows}["a"] == (2, 0)


def test_unknown_community_method_is_a_user_error() -> None:
    from mpsc_graph.errors import InputError

    with pytest.raises(InputError, match="unknown community method"):
        analysis.communities(graph(hop("a", "b")), method="magic")


def test_a_fully_dated_chain_is_preferred_over_a_more_permissive_undated_one() -> None:
    g = graph(hop("a", "b"), hop("b", "c", "2019"), hop("a", "d", "2020"), hop("d", "c", "2021"),
              hop("b", "e", "2018"))
    arrivals = time_respecting_reach(g, "a")
    assert not arrivals["c"].undated and arrivals["c"].path == ("a-d-s-2020", "d-c-s-2021")
    assert arrivals["e"].undated and arrivals["e"].path == ("a-b-s-None", "b-e-s-2018")


def test_pruned_path_search_equals_filtering_every_simple_path() -> None:
    """On random graphs with random partial dates, the pruned search finds exactly the brute-force answer."""
    import random

    from mpsc_graph.network import Path, edge_hop

    rng = random.Random(4)
    checked = refused = 0
    for _ in range(30):
        nodes = [f"n{i}" for i in range(7)]
        hops = []
        for i in range(rng.randint(8, 18)):
            u, v = rng.sample(nodes, 2)
            start = rng.choice([None, "2020", "2021", "2020-06", "2021-03-15", "2022"])
            hops.append(hop(u, v, start, name=f"e{i}"))
        g = graph(*hops)
        for target in nodes[1:]:
            if "n0" not in g or target not in g:
                continue
            brute = [Path(tuple(edge_hop(g, u, v, k) for u, v, k in p))
                     for p in nx.all_simple_edge_paths(g, "n0", target, cutoff=4)]
            expected = sorted([h.adoption for h in p.hops] for p in brute if p.time_respecting)
            assert sorted([h.adoption for h in p.hops] for p in find_paths(g, "n0", target, cutoff=4)) == expected
            checked += len(expected)
            refused += len(brute) - len(expected)
    assert checked > 50 and refused > 10  # the comparison covered both kept and refused paths
