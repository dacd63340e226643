"""``diff``: one fixture per rule (blank nodes, order, labels, graph moves, added and removed entities)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.releases.diff import diff_datasets
from mpsc_graph.releases.report import to_markdown, to_turtle

PREFIXES = """@prefix mpsc: <https://w3id.org/mpsc-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix a: <https://w3id.org/mpsc-graph/id/adoption/> .
@prefix g: <https://w3id.org/mpsc-graph/graph/> .
"""

OLD = PREFIXES + """
g:one {
  a:x a mpsc:Adoption ; rdfs:label "X"@de ; mpsc:adoptionStatus mpsc:trial ;
      mpsc:cost [ mpsc:amount 10 ; mpsc:period [ rdfs:label "year" ] ] .
  a:gone a mpsc:Adoption ; rdfs:label "Gone" .
  a:moved a mpsc:Adoption ; mpsc:adoptionStatus mpsc:production .
}
"""

# the same facts, other blank-node labels, other order
REORDERED = PREFIXES + """
g:one {
  a:moved mpsc:adoptionStatus mpsc:production ; a mpsc:Adoption .
  _:z2 rdfs:label "year" .
  _:z1 mpsc:period _:z2 ; mpsc:amount 10 .
  a:gone rdfs:label "Gone" ; a mpsc:Adoption .
  a:x mpsc:cost _:z1 ; mpsc:adoptionStatus mpsc:trial ; rdfs:label "X"@de ; a mpsc:Adoption .
}
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_blank_node_labels_and_statement_order_make_no_difference(tmp_path: Path) -> None:
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", REORDERED))
    assert result.entities == []


def test_a_change_inside_a_blank_node_is_a_change_of_the_entity_pointing_to_it(tmp_path: Path) -> None:
    new = OLD.replace('rdfs:label "year"', 'rdfs:label "month"')
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", new))
    assert [(e.subject, e.status) for e in result.entities] == [
        ("<https://w3id.org/mpsc-graph/id/adoption/x>", "changed")]
    (cost,) = result.entities[0].facts
    assert cost.predicate.endswith("#cost>") and len(cost.removed) == len(cost.added) == 1
    assert cost.removed != cost.added


def test_a_label_only_change_is_reported_apart_from_facts(tmp_path: Path) -> None:
    new = OLD.replace('rdfs:label "X"@de', 'rdfs:label "Ex"@de')
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", new))
    (entity,) = result.entities
    assert entity.facts == [] and entity.provenance == []
    assert [(c.removed, c.added) for c in entity.labels] == [(['"X"@de'], ['"Ex"@de'])]
    assert "## Changed labels only" in to_markdown(result) and "## Changed facts" not in to_markdown(result)


def test_a_status_change_names_the_old_and_new_value(tmp_path: Path) -> None:
    new = OLD.replace("mpsc:adoptionStatus mpsc:trial", "mpsc:adoptionStatus mpsc:production")
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", new))
    (entity,) = result.entities
    (status,) = entity.facts
    assert status.removed == ["<https://w3id.org/mpsc-graph/ontology#trial>"]
    assert status.added == ["<https://w3id.org/mpsc-graph/ontology#production>"]
    assert entity.labels == []


def test_a_statement_moved_to_another_graph_is_a_provenance_change_only(tmp_path: Path) -> None:
    new = OLD.replace("  a:moved a mpsc:Adoption ; mpsc:adoptionStatus mpsc:production .\n}",
                      "}\ng:two { a:moved a mpsc:Adoption ; mpsc:adoptionStatus mpsc:production . }")
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", new))
    (entity,) = result.entities
    assert entity.facts == [] and entity.labels == []
    assert {(m.old_graphs[0], m.new_graphs[0]) for m in entity.provenance} == {
        ("<https://w3id.org/mpsc-graph/graph/one>", "<https://w3id.org/mpsc-graph/graph/two>")}
    assert "Provenance changes" in to_markdown(result)


def test_added_and_removed_entities_with_their_kind(tmp_path: Path) -> None:
    new = OLD.replace('  a:gone a mpsc:Adoption ; rdfs:label "Gone" .\n',
                      '  a:new a mpsc:Adoption ; rdfs:label "New" .\n')
    result = diff_datasets(write(tmp_path, "old.trig", OLD), write(tmp_path, "new.trig", new))
    assert [(e.subject.rsplit("/", 1)[-1], e.kind, e.status) for e in result.entities] == [
        ("gone>", "Adoption", "removed"), ("new>", "Adoption", "added")]
    assert "chg:EntityAdded" in to_turtle(result)


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    old, same = write(tmp_path, "old.trig", OLD), write(tmp_path, "same.trig", REORDERED)
    new = write(tmp_path, "new.trig", OLD.replace('"Gone"', '"Went"'))
    runner = CliRunner()
    assert runner.invoke(main, ["diff", old, same]).exit_code == 0
    changed = runner.invoke(main, ["diff", old, new, "--format", "json"])
    assert changed.exit_code == 1
    assert json.loads(changed.output)["summary"] == {"Adoption": {"added": 0, "removed": 0, "changed": 0,
                                                                  "labels_only": 1, "provenance_only": 0}}
    missing = runner.invoke(main, ["diff", old, str(tmp_path / "nothing.nq")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    broken = runner.invoke(main, ["diff", old, write(tmp_path, "bad.trig", "g:x { oops")])
    assert broken.exit_code == 2 and "bad.trig" in broken.output
