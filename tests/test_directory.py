"""The municipality directory (data/directory.csv, graph/directory) on the real data.

What it must be: the Destatis extract derived without loss or invention (checked against the file
and the DWD key list, both read from the shared reference material), one district for every
municipality that is not kreisfrei, every fact stated once beside the curated tables, reference
data that adds no warning, and the names users type still resolving (Halle (Saale) → Paderborn
prints; Osnabrueck stays ambiguous).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.directory import derive_table
from mpsc_graph.errors import AmbiguousName
from mpsc_graph.fastvalidate import ShapesGraph, sh, validate_fast
from mpsc_graph.namespaces import GRAPH, MPSC
from mpsc_graph.project import Project
from mpsc_graph.resolve import PUBLIC_BODY_KINDS
from mpsc_graph.sparql import run_query
from support import Ran

DIRECTORY_GRAPH = GRAPH + "directory"
EXTRACT = Path("reference") / "destatis-gv-auszug-2020q4.csv"
#: Municipalities merged 2021-2023 (the official file's README lists them): in the 2020 directory,
#: gone from the DWD list of about 2023, whose successors are in the DWD list only.
MERGED_AWAY = {"07132074", "07132084", "12073505", "16065023", "16065082", "16065084"}
SUCCESSORS = {"07132502", "16065089"}


def _rows(project: Project) -> list[dict[str, str]]:
    with (project.data_dir / "directory.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _select(store: Store, text: str) -> list[dict[str, str]]:
    solutions = run_query(store, text)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the table against its sources


def test_the_shipped_table_is_the_derivation_of_the_official_extract(project: Project, shared: Path) -> None:
    shipped = (project.data_dir / "directory.csv").read_text(encoding="utf-8")
    assert derive_table(shared / EXTRACT) == shipped, "regenerate: python -m mpsc_graph.directory EXTRACT OUT.csv"


def test_what_the_directory_holds(project: Project) -> None:
    rows = _rows(project)
    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in ("municipality", "district", "association")}
    assert counts == {"municipality": 10794, "district": 294, "association": 1171}
    by_key = {r["key"]: r for r in rows}
    paderborn = by_key["05774032"]
    assert (paderborn["name_de"], paderborn["official_name"], paderborn["district"]) == (
        "Paderborn", "Paderborn, Stadt", "05774")
    assert (paderborn["population"], paderborn["population_date"], paderborn["area_km2"]) == (
        "151633", "2019-12-31", "179.59")
    assert paderborn["centre"] == "POINT(8.757301 51.719601)" and paderborn["urbanisation"] == "dense"
    assert by_key["15002000"]["population"] == "238762"  # Halle (Saale), 31.12.2019
    assert by_key["05774"]["name_de"] == "Kreis Paderborn"
    assert by_key["03459"]["name_de"] == "Landkreis Osnabrück"
    for official in ("Region Hannover", "Städteregion Aachen", "Eifelkreis Bitburg-Prüm",
                     "Regionalverband Saarbrücken"):
        assert any(r["name_de"] == official and r["kind"] == "district" for r in rows), official
    amt = by_key["010595974"]
    assert (amt["name_de"], amt["association_kind"]) == ("Amt Süderbrarup", "amt")
    assert by_key["01059083"]["association"] == "010595974"
    # verbandsfrei (textkennzeichen 50) and Thuringia's erfüllende Gemeinde (58) are no Gemeindeverband
    assert by_key["05774032"]["association"] == ""
    assert not any(r["kind"] == "association" and r["key"] == "160625053" for r in rows)


def test_keys_agree_with_the_dwd_list_except_the_reported_mergers(project: Project, shared: Path) -> None:
    with (shared / "reference" / "dwd-warncells.csv").open(encoding="utf-8") as handle:
        cells = {row[0] for row in csv.reader(handle, delimiter=";") if row and row[0].isdigit()}
    with (shared / EXTRACT).open(encoding="utf-8-sig", newline="") as handle:
        unincorporated = {r["land"] + r["rb"] + r["kreis"] + r["gemeinde"] for r in csv.DictReader(handle)
                          if r["satzart"] == "60" and r["textkennzeichen"] in ("65", "66")}
    rows = _rows(project)
    ours = {r["key"] for r in rows if r["kind"] == "municipality"}
    dwd = {c[1:] for c in cells if c.startswith("8") and len(c) == 9} - unincorporated
    assert ours - dwd == MERGED_AWAY
    assert dwd - ours == SUCCESSORS
    districts = {r["key"] for r in rows if r["kind"] == "district"}
    assert {k for k in districts if f"1{k}000" not in cells} == set()


#: Curated names that the rule below does not derive from the directory's, with the source that gives them.
NAME_EXCEPTIONS = {
    "15087130": ("Lutherstadt Eisleben", "dwd-warncells: the DWD warn-cell list names the town 'Lutherstadt Eisleben'"),
}


def _same_name(curated: str, official: str) -> bool:
    """The rule: equal after a space after an abbreviating dot ("b.München" = "b. München"), or the
    German part of a bilingual official name ("Cottbus" of "Cottbus/Chóśebuz")."""
    spaced = re.sub(r"\.(?=\w)", ". ", official)
    return curated in (official, spaced) or official.startswith(curated + "/")


def test_curated_names_follow_the_directory_by_a_stated_rule(project: Project) -> None:
    names = {r["key"]: r["name_de"] for r in _rows(project)}
    differing = {}
    for table, key_column in (("municipalities", "ags"), ("districts", "key")):
        with (project.data_dir / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = row[key_column]
                if key in names and not _same_name(row["name_de"], names[key]):
                    differing[key] = row["name_de"]
                    assert "dwd-warncells" in row["sources"] or key not in NAME_EXCEPTIONS
    assert differing == {key: name for key, (name, _source) in NAME_EXCEPTIONS.items()}


# --------------------------------------------------------------------------- the graph


def test_every_municipality_that_is_not_kreisfrei_has_exactly_one_district(store: Store) -> None:
    rows = _select(store, """
        SELECT ?m (COUNT(DISTINCT ?d) AS ?districts) (SAMPLE(?free) AS ?kreisfrei) WHERE {
          ?m a mpsc:Municipality . OPTIONAL { ?m mpsc:district ?d } OPTIONAL { ?m mpsc:kreisfrei ?free }
        } GROUP BY ?m""")
    assert len(rows) >= 10794
    wrong = [r for r in rows if (r.get("kreisfrei") == "true") != (r["districts"] == "0") or int(r["districts"]) > 1]
    assert wrong == []
    assert sum(1 for r in rows if r.get("kreisfrei") == "true") == 107


def test_each_fact_is_stated_once(store: Store) -> None:
    """No triple of the directory graph is stated again in another graph, and for a body the curated
    tables describe, the directory states none of the facts they state (label, type, key, state, district)."""
    repeated = _select(store, f"""
        SELECT ?s ?p ?o ?g WHERE {{ GRAPH <{DIRECTORY_GRAPH}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }}
          FILTER(?g != <{DIRECTORY_GRAPH}>) }} LIMIT 5""")
    assert repeated == []
    second_value = _select(store, f"""
        SELECT ?s ?p WHERE {{
          VALUES ?p {{ rdf:type rdfs:label mpsc:ags mpsc:districtKey mpsc:state mpsc:district }}
          GRAPH <{DIRECTORY_GRAPH}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?other }} FILTER(?g != <{DIRECTORY_GRAPH}>)
        }} LIMIT 5""")
    assert second_value == []
    # the directory still adds what the curated row leaves open: Paderborn's population, area, official name
    paderborn = "https://w3id.org/mpsc-graph/id/municipality/05774032"
    facts = _select(store, f"SELECT ?p WHERE {{ GRAPH <{DIRECTORY_GRAPH}> {{ <{paderborn}> ?p ?o }} }}")
    assert {MPSC + "population", MPSC + "officialName", MPSC + "areaKm2"} <= {f["p"] for f in facts}


def test_one_german_label_per_body(store: Store) -> None:
    rows = _select(store, """
        SELECT ?b WHERE { ?b a ?c ; rdfs:label ?x , ?y .
          FILTER(?c IN (mpsc:Municipality, mpsc:District, mpsc:MunicipalAssociation))
          FILTER(LANG(?x) = "de" && LANG(?y) = "de" && ?x != ?y) } LIMIT 5""")
    assert rows == []


# --------------------------------------------------------------------------- taking part in reuse


def _target_selects(project: Project) -> list[str]:
    # the participation condition lives in the recommended shapes (other files use SPARQL targets for other rules)
    shapes = ShapesGraph([path for path in project.shape_files() if path.name == "mpsc-shapes-recommended.ttl"])
    return [shapes.value(target, sh("select")).value  # type: ignore[union-attr]
            for (_subject, predicate), targets in shapes.index.items() if predicate == sh("target")
            for target in targets]


def test_the_shapes_participation_condition_gives_the_participants(project: Project, store: Store,
                                                                   graph: Graph) -> None:
    selects = _target_selects(project)
    assert len(selects) == 2  # the Wikidata warnings of municipalities and districts
    targeted = {row["this"] for text in selects for row in _select(store, text.replace("$this", "?this"))}
    participants = {row["body"] for row in graph.query("participants").records()
                    if row["kind"] in (MPSC + "Municipality", MPSC + "District")}
    assert targeted == participants
    assert "https://w3id.org/mpsc-graph/id/municipality/15002000" in participants  # Halle (Saale)
    assert "https://w3id.org/mpsc-graph/id/district/13071" in participants  # joint model project since 2021
    assert "https://w3id.org/mpsc-graph/id/municipal-association/010595974" in {
        row["body"] for row in graph.query("participants").records()}  # Amt Süderbrarup
    assert len(participants) < 200


def test_bodies_only_in_the_directory_add_no_warning(project: Project, store: Store, graph: Graph) -> None:
    participants = {row["body"] for row in graph.query("participants").records()}
    report, _ = validate_fast(store, project)
    places = {row["b"] for row in _select(store, """SELECT ?b WHERE { ?b a ?c
        FILTER(?c IN (mpsc:Municipality, mpsc:District, mpsc:MunicipalAssociation)) }""")}
    outside = [f for f in report.findings
               if f.severity == "Warning" and f.focus in places and f.focus not in participants]
    assert outside == []
    assert report.violations == 0


def test_stats_reports_participating_of_those_in_the_directory(project: Project) -> None:
    result = CliRunner().invoke(main, ["stats", "--root", str(project.root)])
    assert "Municipality: " in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("Municipality: "))
    assert re.fullmatch(r"\s+Municipality: \d+ participating / 10794 in the directory", line)


# --------------------------------------------------------------------------- names


def test_paths_from_halle_to_paderborn_still_print(project: Project, loaded_cli: Callable[..., Ran]) -> None:
    result = loaded_cli("paths", "--root", str(project.root), "--from", "Halle (Saale)", "--to", "Paderborn")
    assert result.returncode == 0, result.stderr
    assert "Halle (Saale) → Paderborn" in result.stdout


def test_osnabrueck_stays_ambiguous_with_kind_and_state(graph: Graph) -> None:
    """As ``paths`` looks it up: among public bodies."""
    with pytest.raises(AmbiguousName) as caught:
        graph.resolve("Osnabrueck", PUBLIC_BODY_KINDS)
    assert [iri for iri, _label in caught.value.candidates] == [
        "https://w3id.org/mpsc-graph/id/district/03459", "https://w3id.org/mpsc-graph/id/municipality/03404000"]
    assert "Landkreis Osnabrück (district 03459, Niedersachsen)" in str(caught.value)
    assert "Osnabrück (municipality 03404000, Niedersachsen)" in str(caught.value)
    # a same-name tie names the district that tells the towns apart
    with pytest.raises(AmbiguousName) as halle:
        graph.resolve("Halle", PUBLIC_BODY_KINDS)
    assert "Halle (municipality 03255016, Landkreis Holzminden, Niedersachsen)" in str(halle.value)


def test_every_german_municipality_resolves_by_key(graph: Graph) -> None:
    assert graph.resolve("01059083").label == "Süderbrarup"
    assert graph.resolve("Amt Süderbrarup").iri.endswith("/municipal-association/010595974")
    assert graph.resolve("Aalen").iri.endswith("/municipality/08136088")

