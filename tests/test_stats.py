"""Coverage report (`mpsc-graph stats`): exact figures on a small fixture project, consistency on the real data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.coverage import coverage
from support import TEST_DATA

COVERAGE = TEST_DATA / "coverage-project"

UNSOURCED = """@prefix organisation: <https://w3id.org/mpsc-graph/id/organisation/> .
@prefix adoption: <https://w3id.org/mpsc-graph/id/adoption/> .
@prefix municipality: <https://w3id.org/mpsc-graph/id/municipality/> .
@prefix solution: <https://w3id.org/mpsc-graph/id/solution/> .
@prefix status: <https://w3id.org/mpsc-graph/id/concept/adoption-status/> .
@prefix mpsc: <https://w3id.org/mpsc-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
organisation:no-source a mpsc:Organisation ; rdfs:label "Ohne Quelle GmbH"@de .
adoption:no-source a mpsc:Adoption ; rdfs:label "Ohne Quelle"@de ; mpsc:adopter municipality:01002000 ;
    mpsc:adoptedAsset solution:test-app ; mpsc:adoptionStatus status:unknown .
"""


@pytest.fixture
def fixture_root(make_project):  # type: ignore[no-untyped-def]
    return make_project(*sorted(COVERAGE.iterdir())).root


def test_exact_figures_of_the_fixture_project(fixture_root) -> None:  # type: ignore[no-untyped-def]
    report = coverage(Graph.open(fixture_root))
    for name, expected in {"Municipality": 6, "District": 2, "Adoption": 5, "Solution": 1, "Organisation": 1,
                           "Role": 1, "Source": 1, "ModelProject": 0}.items():
        assert report.class_count(name) == expected, name
    assert report.adoptions == [
        ("code-reuse", "production", 2),
        ("(none)", "unknown", 1),  # no mode stated: unbound sorts first
        ("code-reuse", "planned", 1),
        ("trial", "trial", 1),
    ]
    assert report.adoption_total == 5
    assert report.unsourced == []
    assert report.wikidata == {"municipality": (6, 3, 3), "district": (2, 0, 2)}
    assert report.kinds == {"transfer": 5, "joint-work": 0}  # no model project, alliance or Gemeindeverband
    goals = {g.name: (g.value, g.detail, g.met) for g in report.goals}
    assert goals == {
        "adoptions": (5, "", False),
        "transfers": (5, "", False),
        "dated at least to the year": (0.0, "0 of 5", False),
        "status unknown": (20.0, "1 of 5", True),  # havelland-test-app
        "on a single source": (100.0, "5 of 5", False),
        "facts without a source": (0, "", True),
        "model projects with a solution node": (0, "0 of 0", True),
    }


def test_stats_command_text_and_json(fixture_root) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["stats", "--root", str(fixture_root)])
    assert result.exit_code == 0, result.output
    assert "       5  Adoption" in result.output
    assert "       2  code-reuse  production" in result.output
    assert "Unsourced domain nodes (query unsourced_nodes): 0" in result.output
    assert "municipality: 6 in the graph, 3 with a Wikidata link, 3 without" in result.output
    assert "district: 2 in the graph, 0 with a Wikidata link, 2 without" in result.output
    assert "       5  transfer\n       0  joint work\n" in result.output
    assert "  Transfer: an adoption whose adopter was not, at the adoption's start, a member" in result.output
    assert "  status unknown                           20%  goal <= 30%    met (1 of 5)" in result.output
    data = json.loads(CliRunner().invoke(main, ["stats", "--root", str(fixture_root), "--format", "json"]).output)
    assert data["adoptions_total"] == 5
    assert data["wikidata"]["municipality"] == {"total": 6, "with": 3, "without": 3}
    assert data["classes"]["Role"] == 1
    assert data["adoption_kinds"]["counts"] == {"transfer": 5, "joint-work": 0}
    assert data["goals"][0] == {"name": "adoptions", "value": 5, "target": 150, "comparison": ">=", "unit": "",
                                "detail": "", "met": False}


def test_unsourced_nodes_are_listed_and_exit_1(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(*sorted(COVERAGE.iterdir()), unsourced__ttl=UNSOURCED).root
    report = coverage(Graph.open(root))
    assert report.unsourced == [
        ("https://w3id.org/mpsc-graph/id/adoption/no-source", "Adoption", "Ohne Quelle"),
        ("https://w3id.org/mpsc-graph/id/organisation/no-source", "Organisation", "Ohne Quelle GmbH"),
    ]
    result = CliRunner().invoke(main, ["stats", "--root", str(root)])
    assert result.exit_code == 1
    assert "Unsourced domain nodes (query unsourced_nodes): 2" in result.output
    assert "Organisation: Ohne Quelle GmbH <https://w3id.org/mpsc-graph/id/organisation/no-source>" in result.output


def test_real_data_figures_are_consistent(graph: Graph) -> None:
    report = coverage(graph)
    assert report.unsourced == []  # every domain node has a source
    assert report.adoption_total == report.class_count("Adoption")
    assert report.adoption_total >= 100  # the data's promise: at least 100 sourced adoption records
    assert report.kinds["transfer"] + report.kinds["joint-work"] == report.adoption_total
    goals = {g.name: g for g in report.goals}
    assert goals["facts without a source"].value == 0 and goals["facts without a source"].met
    assert goals["model projects with a solution node"].target == report.class_count("ModelProject") == 73
    municipalities = report.wikidata["municipality"]
    assert municipalities[0] == report.class_count("Municipality") == municipalities[1] + municipalities[2]
    assert report.wikidata["district"][0] == report.class_count("District")
    official = graph.query("official_keys").records()
    assert len({r["entity"] for r in official}) == municipalities[0] + report.wikidata["district"][0]
