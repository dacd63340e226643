"""The loader: one named graph per file, atomic on-disk builds, clear errors for malformed input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

from mpsc_graph.api import Graph
from mpsc_graph.dataset import build_store, is_current, load_dataset, open_store
from mpsc_graph.errors import InputError
from mpsc_graph.namespaces import ONTOLOGY_GRAPH, graph_iri
from mpsc_graph.project import Project
from support import TEST_DATA

BASE = TEST_DATA / "shapes" / "base.ttl"


def test_every_data_file_is_its_own_named_graph(project: Project, store: Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    expected = {graph_iri(p.stem) for p in project.data_files()} | {ONTOLOGY_GRAPH}
    assert graphs == expected


def test_csv_tables_map_to_typed_nodes(store: Store) -> None:
    halle = NamedNode("https://w3id.org/mpsc-graph/id/municipality/15002000")
    ags = [
        q.object.value
        for q in store.quads_for_pattern(halle, NamedNode("https://w3id.org/mpsc-graph/ontology#ags"), None)
    ]
    assert ags == ["15002000"]
    (quad,) = store.quads_for_pattern(halle, NamedNode("https://w3id.org/mpsc-graph/ontology#state"), None)
    assert quad.object.value == "https://w3id.org/mpsc-graph/id/state/15"
    assert quad.graph_name.value == graph_iri("municipalities")


def test_build_is_atomic_and_keeps_the_previous_store_on_failure(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(BASE)
    target = tmp_path / "store"
    report = build_store(project, target)
    assert report.quads > 0 and is_current(project, target)
    before = len(open_store(target))
    (project.data_dir / "broken.ttl").write_text("@prefix ex: <http://ex/> .\nex:a ex:b \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.ttl:3"):
        build_store(project, target)
    assert len(open_store(target)) == before, "the previous store must survive a failed build"
    assert not is_current(project, target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary directory left behind"


def test_build_counts_every_graph_as_the_engine_does(project: Project, tmp_path: Path) -> None:
    # the largest input is counted as the store's length minus the others: check every graph against a count
    report = build_store(project, tmp_path / "store")
    store = open_store(tmp_path / "store")
    expected = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert report.quads_per_graph == expected
    assert report.quads == len(store) and len(expected) > 2


def test_build_counts_the_largest_graph_as_the_rest(make_project: Callable[..., Project], tmp_path: Path) -> None:
    # the largest input is counted as the rest of the store; a small one and an empty one by the query
    prefix = "@prefix ex: <http://example.org/> .\n"
    project = make_project(**{"big__ttl": prefix + "".join(f"ex:s{i} ex:p {i} .\n" for i in range(50)),
                              "small__ttl": prefix + "ex:a ex:p 1 .\n", "empty__ttl": prefix})
    report = build_store(project, tmp_path / "store")
    assert report.quads_per_graph[graph_iri("big")] == 50
    assert report.quads_per_graph[graph_iri("small")] == 1
    assert report.quads_per_graph[graph_iri("empty")] == 0
    assert report.quads == len(open_store(tmp_path / "store"))


def test_malformed_turtle_names_file_and_line(make_project: Callable[..., Project]) -> None:
    project = make_project(**{"bad__ttl": '@prefix ex: <http://ex/> .\nex:a ex:b "open .\n'})
    with pytest.raises(InputError) as info:
        load_dataset(project)
    assert str(info.value).startswith(f"{project.data_dir / 'bad.ttl'}:2: malformed Turtle")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ags,name_de,state,sources,colour\n", r"municipalities\.csv:1: unknown column\(s\) colour"),
        ("ags,name_de,state,sources\n05122000,Solingen,05\n", r"municipalities\.csv:2: expected 4 fields"),
        ("ags,name_de,state,sources\n05122000,,05,x\n", r"municipalities\.csv:2: column 'name_de' must not be empty"),
        (
            "ags,name_de,state,sources\n05 122,Solingen,05,x\n",
            r"municipalities\.csv:2: '05 122' cannot be part of an IRI",
        ),
    ],
)
def test_malformed_csv_names_file_and_line(make_project: Callable[..., Project], text: str, message: str) -> None:
    project = make_project(**{"municipalities__csv": text})
    with pytest.raises(InputError, match=message):
        load_dataset(project)


def test_unknown_csv_table_is_refused(make_project: Callable[..., Project]) -> None:
    project = make_project(**{"people__csv": "name\nx\n"})
    with pytest.raises(InputError, match=r"people\.csv: no mapping is declared"):
        load_dataset(project)


def test_a_directory_without_data_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a project root"):
        Project.at(tmp_path)


def test_the_fingerprint_hashes_every_input_name_and_byte(make_project: Callable[..., Project]) -> None:
    import hashlib

    long_comment = "# " + "x" * (5 * 2**19) + "\n"  # 2.5 MiB: the file is hashed in several pieces
    project = make_project(a__ttl=long_comment + "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n")
    expected = hashlib.sha256()
    for path in project.input_files():
        expected.update(str(path.relative_to(project.root)).encode())
        expected.update(path.read_bytes())
    assert project.fingerprint() == expected.hexdigest()
    before = project.fingerprint()
    (project.data_dir / "a.ttl").write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:d .\n", encoding="utf-8")
    assert project.fingerprint() != before, "one changed byte must change the fingerprint"


def test_a_load_shows_how_far_the_engine_has_read_and_ends_with_a_summary(tmp_path: Path) -> None:
    import io

    from pyoxigraph import RdfFormat

    from mpsc_graph.progress import LoadProgress, read_position

    path = tmp_path / "big.ttl"
    path.write_text("".join(f"<http://ex/s{i}> <http://ex/p> \"{'x' * 40} {i}\" .\n" for i in range(5000)),
                    encoding="utf-8")
    with path.open("rb", buffering=0) as opened:  # the position of the open descriptor, as for the engine
        opened.read(1234)
        assert read_position(path) == 1234
    assert read_position(path) is None  # closed: nothing is being read
    shown = io.StringIO()
    store = Store()
    with LoadProgress(path, "big.ttl", stream=shown, interval=0.001) as progress:
        store.load(path=str(path), format=RdfFormat.TURTLE)
        progress.finish(total=1.0)
    assert len(store) == 5000
    last = shown.getvalue().splitlines()[-1]
    assert last.startswith(f"  big.ttl: {path.stat().st_size / 2**20:.1f} MB in ") and last.endswith("(total 1.0 s)")


def test_a_malformed_file_read_with_progress_gets_the_same_error_as_without(tmp_path: Path) -> None:
    from mpsc_graph.dataset import GraphSource, load_into

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b \n", encoding="utf-8")
    errors = []
    for progress in (False, True):
        with pytest.raises(InputError, match=r"bad\.ttl:\d+: malformed Turtle") as caught:
            load_into(Store(), [GraphSource("http://ex/g", (bad,))], progress=progress)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_each_statement_is_made_in_one_data_file(graph: Graph) -> None:
    """A fact stated in two files is counted twice by any COUNT over the union default graph."""
    assert list(graph.query("repeated_statements").rows) == []


def test_a_statement_in_two_files_is_reported_with_both_graphs(make_project: Callable[..., Project]) -> None:
    fact = ('<https://w3id.org/mpsc-graph/id/source/x> <http://www.w3.org/2000/01/rdf-schema#label> "X"@de .\n')
    project = make_project(**{"one.ttl": fact, "two.ttl": fact})
    rows = Graph(project, store=load_dataset(project)).query("repeated_statements").records()
    assert [(r["s"], r["graphs"]) for r in rows] == [("https://w3id.org/mpsc-graph/id/source/x", 2)]
    assert set(rows[0]["graphList"].split()) == {graph_iri("one"), graph_iri("two")}
