"""Exact answers of the named queries behind the pages, VoID and linked-data documents (real data)."""

from __future__ import annotations

from pyoxigraph import Store

from mpsc_graph.api import Graph

ID = "https://w3id.org/mpsc-graph/id/"
MPSC = "https://w3id.org/mpsc-graph/ontology#"
HALLE = ID + "municipality/15002000"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _distinct(store: Store) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in store}


def test_entity_description_of_halle(graph: Graph) -> None:
    table = graph.query("entity_description", entity=HALLE)
    pairs = {(r["property"], r["value"]) for r in table}  # terms: the two language-tagged labels differ
    plain = {(r["property"], r["value"]) for r in table.records()}
    assert (MPSC + "ags", "15002000") in plain
    assert (MPSC + "state", ID + "state/15") in plain
    assert (RDF_TYPE, MPSC + "Municipality") in plain
    assert len(table) == len(pairs)  # each statement once, whatever the number of graphs


def test_entity_statements_carry_graph_and_source_title(graph: Graph) -> None:
    rows = graph.query("entity_statements", entity=HALLE).records()
    ags = [r for r in rows if r["property"] == MPSC + "ags"]
    assert {r["graph"] for r in ags} == {"https://w3id.org/mpsc-graph/graph/municipalities"}
    assert all(r["sourceTitle"] for r in ags) and {r["source"] for r in ags} >= {ID + "source/dwd-warncells"}


def test_entity_adoptions_of_halle_both_ways(graph: Graph) -> None:
    rows = graph.query("entity_adoptions", entity=HALLE).records()
    as_origin = {(r["adopter"], r["asset"]) for r in rows if r["direction"] == "origin"}
    assert (ID + "municipality/05774032", ID + "module/hal-plan-core") in as_origin  # Paderborn
    assert (ID + "municipality/15003000", ID + "solution/hal-plan") in as_origin  # Magdeburg
    paderborn = graph.query("entity_adoptions", entity=ID + "municipality/05774032").records()
    assert any(r["direction"] == "adopter" and r["origin"] == HALLE for r in paderborn)
    solution = graph.query("entity_adoptions", entity=ID + "solution/hal-plan").records()
    assert {r["adopter"] for r in solution if r["direction"] == "asset"} >= {ID + "municipality/05774032"}


def test_incoming_links_of_hal_plan(graph: Graph) -> None:
    rows = graph.query("incoming_links", entity=ID + "solution/hal-plan").records()
    assert (ID + "adoption/magdeburg-hal-plan", MPSC + "adoptedAsset") in {(r["subject"], r["property"]) for r in rows}


def test_labels_cover_both_languages(graph: Graph) -> None:
    rows = [r for r in graph.query("labels") if r["resource"].value == HALLE]
    assert {(r["label"].value, r["label"].language) for r in rows} == {("Halle (Saale)", "de"), ("Halle (Saale)", "en")}


def test_void_statistics_match_an_independent_count(graph: Graph, store: Store) -> None:
    triples = _distinct(store)
    stats = graph.query("void_statistics").records()[0]
    assert stats["triples"] == len(triples)
    assert stats["distinctSubjects"] == len({t[0] for t in triples})
    assert stats["properties"] == len({t[1] for t in triples})
    assert stats["classes"] == len({t[2] for t in triples if t[1].value == RDF_TYPE})
    entities = {r["space"]: r["entities"] for r in graph.query("void_entities").records()}
    subjects = {t[0] for t in triples if type(t[0]).__name__ == "NamedNode"}
    assert entities[ID] == len({s for s in subjects if s.value.startswith(ID)})
    classes = {r["class"]: r["entities"] for r in graph.query("void_class_partitions").records()}
    assert classes[MPSC + "Municipality"] == len({t[0] for t in triples if t[1].value == RDF_TYPE
                                                  and t[2].value == MPSC + "Municipality"})
    properties = {r["property"]: r["triples"] for r in graph.query("void_property_partitions").records()}
    assert properties[LABEL] == len([t for t in triples if t[1].value == LABEL])


def test_ontology_terms_hold_the_classes(graph: Graph) -> None:
    rows = graph.query("ontology_terms", ontology="https://w3id.org/mpsc-graph/ontology").records()
    assert {"subject": MPSC + "Adoption", "property": RDF_TYPE, "value": "http://www.w3.org/2002/07/owl#Class",
            "_ontology": "https://w3id.org/mpsc-graph/ontology"} in rows
