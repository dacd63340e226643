"""The ontology document: header metadata, every term documented in German and English, aligned."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from mpsc_graph.project import Project

MPSC = rdflib.Namespace("https://w3id.org/mpsc-graph/ontology#")
ONTOLOGY = rdflib.URIRef("https://w3id.org/mpsc-graph/ontology")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")


@pytest.fixture(scope="module")
def ontology(project: Project) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in project.ontology_files():
        graph.parse(path)
    return graph


def _languages(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, rdflib.Literal)}


def test_header(ontology: rdflib.Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert _languages(ontology, ONTOLOGY, DCT.title) == {"de", "en"}
    assert _languages(ontology, ONTOLOGY, DCT.description) == {"de", "en"}
    assert ontology.value(ONTOLOGY, DCT.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).startswith(str(ONTOLOGY) + "/")
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "mpsc"


def test_every_term_has_labels_comment_and_is_defined_by(ontology: rdflib.Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(str(MPSC))}
    assert len(terms) >= 59  # 20 classes and 39 properties in 0.1.0
    problems = []
    for term in sorted(terms):
        if _languages(ontology, term, RDFS.label) < {"de", "en"}:
            problems.append(f"{term}: rdfs:label @de and @en")
        if ontology.value(term, RDFS.comment) is None:
            problems.append(f"{term}: rdfs:comment")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY:
            problems.append(f"{term}: rdfs:isDefinedBy")
    assert problems == []


@pytest.mark.parametrize(
    ("term", "superclass"),
    [
        ("Municipality", "http://data.europa.eu/m8g/PublicOrganisation"),
        ("Municipality", "http://schema.org/GovernmentOrganization"),
        ("Alliance", "http://www.w3.org/ns/org#OrganizationalCollaboration"),
        ("ModelProject", "http://schema.org/Project"),
        ("Solution", "http://schema.org/SoftwareApplication"),
        ("Solution", "http://www.w3.org/ns/adms#Asset"),
        ("Module", "http://schema.org/SoftwareSourceCode"),
        ("Adoption", "http://www.w3.org/ns/prov#Activity"),
        ("ThematicField", "http://www.w3.org/2004/02/skos/core#Concept"),
    ],
)
def test_classes_are_aligned(ontology: rdflib.Graph, term: str, superclass: str) -> None:
    assert (MPSC[term], RDFS.subClassOf, rdflib.URIRef(superclass)) in ontology


def test_adoption_modes_and_statuses_are_skos_schemes(ontology: rdflib.Graph) -> None:
    def notations(scheme: str) -> set[str]:
        iri = rdflib.URIRef(f"https://w3id.org/mpsc-graph/id/concept/{scheme}")
        assert (iri, RDF.type, SKOS.ConceptScheme) in ontology
        return {str(ontology.value(c, SKOS.notation)) for c in ontology.subjects(SKOS.inScheme, iri)}

    assert notations("adoption-mode") == {
        "joint-development", "code-reuse", "shared-operation", "fork", "trial", "concept-transfer",
    }
    assert notations("adoption-status") == {"planned", "trial", "production", "ended", "unknown"}
    assert {"operator", "maintainer", "developer", "research-partner", "coordinator"} <= notations("role")
