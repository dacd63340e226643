"""The network's named queries have known answers; ``query_df`` gives typed columns, locally and remotely."""

from __future__ import annotations

import pandas as pd
import pytest

import mpsc_graph
from mpsc_graph.api import Graph
from mpsc_graph.network import adoption_digraph
from support import REPO

ID = "https://w3id.org/mpsc-graph/id/"


def test_network_nodes_kind_state_and_mpsc(graph: Graph) -> None:
    rows = {r["node"]: r for r in graph.query("network_nodes").records()}
    # data/municipalities.csv + data/model-projects.csv: Solingen, NRW, model project 2019
    solingen = rows[f"{ID}municipality/05122000"]
    assert (solingen["label"], solingen["kind"], solingen["stateLabel"], solingen["mpsc"]) == (
        "Solingen", "municipality", "Nordrhein-Westfalen", True)
    # data/osca.ttl: regio iT is a company without a seat in the data: no state, not MPSC
    regio = rows[f"{ID}organisation/regio-it"]
    assert (regio["kind"], regio["state"], regio["mpsc"]) == ("organisation", None, False)
    # data/stadtnavi.ttl: the state of Brandenburg adopts stadtnavi; its state is itself
    assert rows[f"{ID}state/12"]["state"] == f"{ID}state/12" and rows[f"{ID}state/12"]["kind"] == "state"
    # data/osca.ttl: Remscheid is a partner but not a model project (see its rdfs:comment)
    assert rows[f"{ID}municipality/05120000"]["mpsc"] is False
    assert len(rows) == len(graph.query("network_nodes"))  # one row per node


def test_group_memberships_of_the_osca_partnership(graph: Graph) -> None:
    rows = [r for r in graph.query("group_memberships").records()
            if r["group"] == f"{ID}community/osca-entwicklungspartnerschaft"]
    # data/osca.ttl: nine cities and regio iT are named members
    assert len(rows) == 10 and {r["groupKind"] for r in rows} == {"community"}
    assert f"{ID}organisation/regio-it" in {r["member"] for r in rows}
    kinds = {r["groupKind"] for r in graph.query("group_memberships").records()}
    assert kinds == {"alliance", "community", "model-project"}


def test_asset_roles_of_regio_it(graph: Graph) -> None:
    rows = [r for r in graph.query("asset_roles").records() if r["agent"] == f"{ID}organisation/regio-it"]
    # data/osca.ttl: developer, maintainer since 2024-09 (Solingen's funding end), operator;
    # data/reuse-osca.ttl: support
    assert [(r["roleType"], r["start"]) for r in rows] == [("developer", None), ("maintainer", "2024-09"),
                                                           ("operator", None), ("support", None)]
    assert {r["asset"] for r in rows} == {f"{ID}solution/osca"}
    assert rows[2]["sources"] == f"{ID}source/seed-article-2026-06-24"


def test_source_citations_counts_the_nodes_citing_a_source(graph: Graph) -> None:
    rows = {r["source"]: r for r in graph.query("source_citations").records()}
    blog = rows[f"{ID}source/solingen-digital-blog-osca-2020"]
    # data/osca.ttl: cited by the solution, the partnership and four adoptions
    assert blog["citations"] == 6 and blog["publisher"] == "Stadt Solingen (solingen.digital)"
    assert str(blog["accessed"]) == "2026-11-24"


def _check_types(frame: pd.DataFrame) -> None:
    # a date column: the literal as text, the period's first day as datetime64, and its precision
    assert list(frame.columns[frame.columns.get_loc("accessed"):][:3]) == [
        "accessed", "accessed_date", "accessed_precision"]
    assert str(frame["accessed"].dtype) == "string" and str(frame["accessed_date"].dtype) == "datetime64[s]"
    assert str(frame["citations"].dtype) == "Int64"  # xsd:integer → nullable integer
    assert frame["source"].dtype == "string" and frame["source"].str.startswith(ID).all()  # IRIs → strings
    row = frame.set_index("source").loc[f"{ID}source/solingen-digital-blog-osca-2020"]
    assert (row["accessed"], row["accessed_date"], row["accessed_precision"]) == (
        "2026-11-24", pd.Timestamp("2026-11-24"), "day")
    assert row["citations"] == 6
    # data/*.ttl: publication dates are given as days, months or a year; the column type is the same
    assert set(frame["issued_precision"].dropna()) == {"day", "month", "year"}
    assert str(frame["issued"].dtype) == "string" and str(frame["issued_date"].dtype) == "datetime64[s]"
    assert row["issued"] is pd.NA and row["issued_date"] is pd.NaT  # the blog post gives no date


def test_query_df_keeps_each_dates_precision() -> None:
    # data/osca.ttl: Dortmund "2020" (xsd:gYear), Wolfsburg "2020-12-22" (xsd:date), Kassel undated
    frame = mpsc_graph.query_df("adoptions_of_asset", root=str(REPO), asset=f"{ID}solution/osca")
    rows = frame.set_index("adopterLabel")
    assert str(frame["start"].dtype) == "string" and str(frame["start_date"].dtype) == "datetime64[s]"
    assert tuple(rows.loc["Dortmund", ["start", "start_date", "start_precision"]]) == (
        "2020", pd.Timestamp("2020-01-01"), "year")
    assert tuple(rows.loc["Wolfsburg", ["start", "start_date", "start_precision"]]) == (
        "2020-12-22", pd.Timestamp("2020-12-22"), "day")
    assert rows.loc["Kassel", "start"] is pd.NA and rows.loc["Kassel", "start_precision"] is pd.NA
    # no OSCA adoption has an end date: no datatype to go by, so the column is text of pd.NA
    assert str(frame["end"].dtype) == "string" and frame["end"].isna().all()


def test_query_df_local_columns_are_typed() -> None:
    _check_types(mpsc_graph.query_df("source_citations", root=str(REPO)))
    counts = mpsc_graph.query_df("class_counts", root=str(REPO))
    assert str(counts["count"].dtype) == "Int64" and counts["class"].dtype == "string"


def test_query_df_remote_matches_local_types_and_values(endpoint: str) -> None:
    remote = mpsc_graph.query_df("source_citations", root=str(REPO), endpoint=endpoint)
    local = mpsc_graph.query_df("source_citations", root=str(REPO))
    _check_types(remote)
    assert dict(remote.dtypes) == dict(local.dtypes)
    pd.testing.assert_frame_equal(remote, local)


def test_network_builds_the_same_graph_through_an_endpoint(graph: Graph, endpoint: str) -> None:
    remote = adoption_digraph(Graph.open(REPO, endpoint=endpoint))
    local = adoption_digraph(graph)
    assert set(remote.edges(keys=True)) == set(local.edges(keys=True))
    key = (f"{ID}municipality/05122000", f"{ID}municipality/03103000", f"{ID}adoption/wolfsburg-osca")
    assert remote.edges[key] == local.edges[key] and remote.edges[key]["start"] == "2020-12-22"
    assert dict(remote.nodes(data=True)) == dict(local.nodes(data=True))


@pytest.mark.parametrize("name", ["network_nodes", "group_memberships", "asset_roles", "adoption_edges"])
def test_network_queries_answer_the_same_remotely(graph: Graph, endpoint: str, name: str) -> None:
    def normalised(rows: list[dict]) -> list[dict]:  # GROUP_CONCAT order is undefined in SPARQL
        return [{k: " ".join(sorted(v.split())) if k == "sources" and v else v for k, v in r.items()} for r in rows]

    remote = Graph.open(REPO, endpoint=endpoint).query(name)
    assert normalised(remote.records()) == normalised(graph.query(name).records())
