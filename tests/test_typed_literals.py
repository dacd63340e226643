"""Ill-typed literals are violations on every property that carries typed values, not only on some.

Decision: each property whose values in the data are typed literals (dates, numbers) has a shape
with its datatype (``sh:datatype`` or an ``sh:or`` of datatypes), so "abc"^^xsd:integer or a
30 February is reported by ``validate`` wherever it appears. This test keeps that true as data grows.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import rdflib
from pyoxigraph import Store

from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.project import Project
from mpsc_graph.validation import shapes_graph, validate_store

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PLAIN = ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")


def test_every_property_with_typed_values_has_a_datatype_shape(project: Project, store: Store) -> None:
    typed = {row["p"].value for row in store.query(
        "SELECT DISTINCT ?p WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STR(DATATYPE(?o)) NOT IN (?string, ?lang)) }"
        .replace("?string", f'"{PLAIN[0]}"').replace("?lang", f'"{PLAIN[1]}"'), use_default_graph_as_union=True)}
    shapes = shapes_graph(project)
    checked = {str(shapes.value(shape, SH.path)) for shape in shapes.subjects(SH.path, None)
               if (shape, SH.datatype, None) in shapes or (shape, SH["or"], None) in shapes}
    assert typed, "the data has typed literals (dates at least)"
    assert typed - checked == set()


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_ill_typed_numbers_and_dates_are_violations(engine: str, make_project: Callable[..., Project]) -> None:
    project = make_project(figures__ttl="""
@prefix mpsc: <https://w3id.org/mpsc-graph/ontology#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .
ex:bad mpsc:applicationCount "abc"^^xsd:integer ; mpsc:fundingVolumeEUR "1,5"^^xsd:decimal ;
    dct:issued "2021-02-30"^^xsd:date .
ex:good mpsc:applicationCount "42"^^xsd:integer ; mpsc:fundingVolumeEUR "1500000.50"^^xsd:decimal ;
    dct:issued "2024-02-29"^^xsd:date .
""")
    store = load_dataset(project)
    validator = validate_fast if engine == "fast" else validate_store
    report = validator(store, project, lang="en")[0]
    assert {(f.focus.rsplit("/", 1)[-1], f.path, f.value) for f in report.findings} == {
        ("bad", "mpsc:applicationCount", "abc"), ("bad", "mpsc:fundingVolumeEUR", "1,5"),
        ("bad", "dct:issued", "2021-02-30")}
