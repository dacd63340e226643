"""Named queries: headers are well-formed, parameters bind both ways, and each query has a known answer.

Known answers come from the curated files in ``data/`` (the file is named next to each figure).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pyoxigraph import NamedNode, Store

from mpsc_graph.api import Graph
from mpsc_graph.errors import InputError
from mpsc_graph.project import Project
from mpsc_graph.queries import catalogue
from mpsc_graph.results import Table, values_block
from mpsc_graph.sparql import bind_values_in_where, run_query
from support import REPO

QUERIES = catalogue(REPO / "queries")
ID = "https://w3id.org/mpsc-graph/id/"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_file_is_well_formed(name: str, store: Store) -> None:
    query = QUERIES[name]
    assert query.summary
    projection = query.text.split("WHERE", 1)[0]
    for param in query.params:
        assert f"?_{param.name}" in projection, f"parameter {param.name} must be in the SELECT projection"
    if "SELECT" in query.text:
        assert "ORDER BY" in query.text, "every SELECT has an ORDER BY"
    run_query(store, query.text)  # parses and runs without parameters


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.params))
def test_parameters_bind_the_same_by_substitution_and_by_values(name: str, graph: Graph, store: Store) -> None:
    """Locally parameters are pyoxigraph substitutions; remotely a VALUES block. Same rows either way."""
    query = QUERIES[name]
    missing = [p.name for p in query.params if not p.example]
    assert not missing, f"declare '#+     example: ...' for parameter(s) {missing} in {name}.rq"
    bindings = query.bind({p.name: p.example for p in query.params})
    by_substitution = graph.select(query.text, bindings)
    block = values_block(sorted(bindings.items()))
    by_values = Table.from_solutions(run_query(store, bind_values_in_where(query.text, block)))  # type: ignore[arg-type]
    trailing = Table.from_solutions(run_query(store, query.text + block))  # type: ignore[arg-type]
    assert len(by_substitution) > 0
    assert by_substitution.rows == by_values.rows == trailing.rows


def test_wrongly_typed_parameter_names_the_parameter_and_type(graph: Graph) -> None:
    with pytest.raises(InputError, match="parameter 'year' expects a year YYYY, got 'soon'"):
        graph.query("model_projects", year="soon")
    with pytest.raises(InputError, match="needs parameter"):
        graph.query("members")


def test_rounds_have_13_32_and_28_projects(graph: Graph) -> None:  # data/model-projects.csv
    years = Counter(str(r["_year"]) for r in graph.query("model_projects").records())
    assert years == {"2019": 13, "2020": 32, "2021": 28}
    assert len(graph.query("model_projects", year="2021")) == 28


def test_projects_by_round_and_state(graph: Graph) -> None:  # data/model-projects.csv
    rows = {
        (str(r["year"]), r["stateLabel"]): r["projects"]
        for r in graph.query("model_projects_by_round_and_state").records()
    }
    assert rows[("2020", "Nordrhein-Westfalen")] == 9
    assert rows[("2019", "Sachsen")] == 2  # Zwönitz; Brandis/Partheland
    assert rows[("2021", None)] == 1  # Verband Region Rhein-Neckar spans three states and has no key
    assert sum(n for (year, _), n in rows.items() if year == "2019") == 13  # every 2019 project lies in one state


def test_members_of_suedwestfalen(graph: Graph) -> None:  # data/model-projects.csv
    rows = graph.query("members", group=f"{ID}project/mpsc19-suedwestfalen").records()
    assert [(r["memberLabel"], r["key"]) for r in rows] == [
        ("Arnsberg", "05958004"),
        ("Bad Berleburg", "05970004"),
        ("Menden (Sauerland)", "05962040"),
        ("Olpe", "05966024"),
        ("Soest", "05974040"),
    ]


def test_class_counts_match_the_csv_tables(graph: Graph, project: Project) -> None:
    counts = {r["class"].rsplit("#", 1)[1]: r["count"] for r in graph.query("class_counts").records()}
    rows = lambda name: sum(1 for _ in (project.data_dir / name).open(encoding="utf-8")) - 1  # noqa: E731
    assert counts["ModelProject"] == rows("model-projects.csv") == 73
    assert counts["State"] == 16
    # every curated municipality and district is in the official directory, which lists all of Germany's
    with (project.data_dir / "directory.csv").open(encoding="utf-8") as handle:
        directory = [line.split(",", 2)[:2] for line in handle]
    assert counts["Municipality"] == sum(1 for kind, _key in directory if kind == "municipality") == 10794
    assert counts["District"] == sum(1 for kind, _key in directory if kind == "district") == 294
    assert counts["MunicipalAssociation"] == 1171
    assert rows("municipalities.csv") == 122  # the curated ones, Euskirchen and Dallgow-Döberitz included


def test_entity_index_lists_german_label_first(graph: Graph) -> None:
    rows = [r for r in graph.query("entity_index").records() if r["entity"] == f"{ID}municipality/09162000"]
    assert [r["label"] for r in rows] == ["München", "Munich"]


def test_source_statements_of_the_dwd_list(graph: Graph) -> None:  # every AGS-bearing row cites it
    rows = graph.query("source_statements", source=f"{ID}source/dwd-warncells").records()
    nodes = {r["node"] for r in rows}
    assert f"{ID}municipality/15002000" in nodes and f"{ID}state/05" in nodes
    assert {r["property"] for r in rows if r["node"] == f"{ID}state/05"} == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/mpsc-graph/ontology#stateKey",
        "https://w3id.org/mpsc-graph/ontology#isoCode",
    }


def test_every_adoption_edge_has_a_source(graph: Graph) -> None:
    rows = graph.query("adoption_edges").records()
    assert rows and all(r["sources"] for r in rows)
    assert all(re.match(r"^https://w3id\.org/mpsc-graph/id/source/", s) for r in rows for s in r["sources"].split())


def test_lookup_by_key_slug_and_iri(graph: Graph) -> None:
    assert graph.resolve("15002000").label == "Halle (Saale)"
    assert graph.resolve("municipality/15002000").iri == f"{ID}municipality/15002000"
    assert graph.resolve(f"{ID}municipality/15002000").kind == "municipality"
    assert graph.resolve("halle (saale)", ("municipality",)).key == "15002000"


def test_unknown_named_query_lists_the_known_ones(graph: Graph) -> None:
    with pytest.raises(InputError, match=r"no query named 'nope'.*members"):
        graph.query("nope")


def test_store_has_no_unsourced_domain_nodes(store: Store) -> None:
    sourced = {q.subject for q in store.quads_for_pattern(None, NamedNode("http://purl.org/dc/terms/source"), None)}
    typed = {
        q.subject
        for q in store.quads_for_pattern(None, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)
        if q.subject.value.startswith(ID) and "/concept/" not in q.subject.value and "/source/" not in q.subject.value
    }
    assert typed - sourced == set()


def test_triples_per_graph_counts_every_file(graph: Graph, store: Store, project: Project) -> None:
    rows = {r["graph"]: r["triples"] for r in graph.query("triples_per_graph").records()}
    expected = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert rows == expected
    assert rows["https://w3id.org/mpsc-graph/graph/states"] == 16 * 6  # type, two labels, key, ISO code, source
