"""The directory table's declared mapping: kinds of rows, and curated rows that win."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyoxigraph import NamedNode

from mpsc_graph.dataset import load_dataset
from mpsc_graph.errors import InputError
from mpsc_graph.project import Project

HEADER = ("kind,key,name_de,official_name,state,district,association,association_kind,kreisfrei,population,"
          "population_date,area_km2,centre,urbanisation,sources\n")
ROWS = (
    "district,15087,Landkreis Mansfeld-Südharz,Mansfeld-Südharz,15,,,,,,,,,,destatis-gv-2020q4\n"
    "association,150875555,Verbandsgemeinde Beispiel,Beispiel,15,,,verbandsgemeinde,,,,,,,destatis-gv-2020q4\n"
    "municipality,15087130,Eisleben,\"Eisleben, Lutherstadt\",15,15087,150875555,,,23373,2019-12-31,143.83,"
    "POINT(11.55 51.53),thin,destatis-gv-2020q4\n"
)
CURATED = ("ags,name_de,name_en,state,district,wikidata,sources\n"
           "15087130,Lutherstadt Eisleben,Lutherstadt Eisleben,15,,,dwd-warncells\n")
ID = "https://w3id.org/mpsc-graph/id/"
MPSC = "https://w3id.org/mpsc-graph/ontology#"


def _objects(store, subject: str, predicate: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(q.object) for q in store.quads_for_pattern(NamedNode(subject), NamedNode(predicate), None, None)}


def test_kinds_and_curated_rows_that_win(make_project: Callable[..., Project]) -> None:
    store = load_dataset(make_project(directory__csv=HEADER + ROWS, municipalities__csv=CURATED))
    town = ID + "municipality/15087130"
    labels = _objects(store, town, "http://www.w3.org/2000/01/rdf-schema#label")
    assert labels == {'"Lutherstadt Eisleben"@de', '"Lutherstadt Eisleben"@en'}  # the curated name, once
    assert _objects(store, town, MPSC + "officialName") == {'"Eisleben, Lutherstadt"'}
    assert _objects(store, town, MPSC + "district") == {f"<{ID}district/15087>"}  # the curated row has none
    assert _objects(store, town, MPSC + "population") == {'"23373"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    assert _objects(store, town, MPSC + "municipalAssociation") == {f"<{ID}municipal-association/150875555>"}
    assert _objects(store, town + "#centre", "http://www.opengis.net/ont/geosparql#asWKT") == {
        '"POINT(11.55 51.53)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>'}
    assert _objects(store, ID + "municipal-association/150875555", MPSC + "associationKey") == {'"150875555"'}
    assert _objects(store, ID + "district/15087", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == {
        f"<{MPSC}District>"}


def test_an_unknown_kind_names_file_and_line(make_project: Callable[..., Project]) -> None:
    project = make_project(directory__csv=HEADER + ROWS + "town,15087999,X,X,15,,,,,,,,,,destatis-gv-2020q4\n")
    with pytest.raises(InputError) as caught:
        load_dataset(project)
    assert "directory.csv" in str(caught.value) and ":5" in str(caught.value) and "town" in str(caught.value)
