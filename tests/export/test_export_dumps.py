"""Dumps: every file re-parses (rdflib and pyoxigraph) to the store's content; JSON-LD expands
offline with pyld to the same triples; the export is atomic."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from pyoxigraph import NamedNode, RdfFormat, Store, parse
from rdflib.compare import isomorphic

import mpsc_graph.export as export_module
from mpsc_graph.cli import main
from mpsc_graph.convert import dataset as rdflib_dataset
from mpsc_graph.errors import InputError
from mpsc_graph.export import ExportError, export
from mpsc_graph.namespaces import ONTOLOGY_GRAPH
from mpsc_graph.project import Project


def _text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


@pytest.fixture(scope="module")
def union(store: Store) -> rdflib.Graph:
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store.quads_for_pattern(None, None, None, None))
    return rdflib.Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize(("name", "fmt", "oxi"), [
    ("mpsc-graph.nt.gz", "nt", RdfFormat.N_TRIPLES),
    ("mpsc-graph.ttl", "turtle", RdfFormat.TURTLE),
    ("mpsc-graph.jsonld", "json-ld", RdfFormat.JSON_LD),
])
def test_triple_dumps_round_trip(out: Path, union: rdflib.Graph, name: str, fmt: str, oxi: RdfFormat) -> None:
    text = _text(out / name)
    parsed = rdflib.Graph().parse(data=text, format=fmt)
    assert len(parsed) == len(union) > 4000
    assert isomorphic(parsed, union)
    oxigraph = {(t.subject, t.predicate, t.object) for t in parse(text.encode("utf-8"), format=oxi)}
    assert len(oxigraph) == len(union)
    reparsed = rdflib.Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in oxigraph), format="nt")
    assert isomorphic(reparsed, union)


def test_nt_dump_has_no_duplicate_lines(out: Path, union: rdflib.Graph) -> None:
    lines = [line for line in _text(out / "mpsc-graph.nt.gz").splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) == len(union)


@pytest.mark.parametrize(("name", "fmt", "oxi"), [
    ("mpsc-graph.nq.gz", "nquads", RdfFormat.N_QUADS),
    ("mpsc-graph.trig", "trig", RdfFormat.TRIG),
])
def test_quad_dumps_keep_named_graphs(out: Path, store: Store, name: str, fmt: str, oxi: RdfFormat) -> None:
    text = _text(out / name)
    expected = rdflib_dataset(store)
    parsed = rdflib.Dataset()
    parsed.parse(data=text, format=fmt)
    expected_graphs = {str(g.identifier): g for g in expected.graphs() if len(g)}
    parsed_graphs = {str(g.identifier): g for g in parsed.graphs() if len(g)}
    assert set(parsed_graphs) == set(expected_graphs) == {g.value for g in store.named_graphs()}
    for iri, graph in expected_graphs.items():
        assert isomorphic(parsed_graphs[iri], graph), iri
    reloaded = Store()
    reloaded.load(text.encode("utf-8"), format=oxi)
    assert set(reloaded) == set(store)


def test_ontology_and_shapes_files(out: Path, store: Store, project: Project) -> None:
    ontology = rdflib.Graph().parse(out / "ontology.ttl", format="turtle")
    expected = rdflib.Graph()
    for q in store.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_GRAPH)):
        expected.parse(data=f"{q.subject} {q.predicate} {q.object} .\n", format="nt")
    assert isomorphic(ontology, expected)
    shapes = rdflib.Graph().parse(out / "shapes.ttl", format="turtle")
    source = rdflib.Graph()
    for path in project.shape_files():
        source.parse(path, format="turtle")
    assert len(shapes) > 100
    assert isomorphic(shapes, source)


def _refuse_remote(url: str, options: dict | None = None) -> dict:
    raise AssertionError(f"pyld tried to fetch {url}: the export must be readable offline")


def test_jsonld_context_inline_and_offline_expansion(out: Path, union: rdflib.Graph) -> None:
    document = json.loads((out / "mpsc-graph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict), "the context must be embedded, not a URL"
    beside = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    assert beside["@context"] == document["@context"]
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _refuse_remote})
    expanded = rdflib.Graph().parse(data=nquads, format="nquads")
    assert len(expanded) == len(union)
    assert isomorphic(expanded, union)


def test_export_is_atomic_when_a_step_fails(project: Project, store: Store, out: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "dist"
    shutil.copytree(out, target)  # a complete earlier export
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def broken(ctx: export_module.ExportContext) -> None:
        (ctx.out / "void.ttl").write_text("half written", encoding="utf-8")
        raise OSError("disk full (simulated)")

    steps = list(export_module.STEPS)
    steps[steps.index(export_module.step_void)] = broken
    monkeypatch.setattr(export_module, "STEPS", steps)
    with pytest.raises(ExportError, match="simulated"):
        export(project, target, store=store)
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"], "no temporary directory may be left behind"


def test_cli_export_default_out_is_dist(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    for name in ("mpsc-graph.nt.gz", "mpsc-graph.ttl", "mpsc-graph.jsonld", "context.jsonld", "mpsc-graph.nq.gz",
                 "mpsc-graph.trig", "ontology.ttl", "shapes.ttl", "void.ttl", "catalog.ttl", "docs/ontology.html",
                 "links-political-geocoding.nt"):
        assert (tmp_path / "dist" / name).is_file(), name
    assert not (tmp_path / "dist" / "doc").exists(), "the site is written only with --site"


def test_export_refuses_to_replace_other_directories(project: Project, store: Store, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("not an export", encoding="utf-8")
    with pytest.raises(InputError, match="not an earlier export"):
        export(project, precious, store=store)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "not an export"
    with pytest.raises(InputError, match="project root"):
        export(project, project.root, store=store)
    result = CliRunner().invoke(main, ["export", "--root", str(project.root), "--out", str(precious)])
    assert result.exit_code == 2 and "not an earlier export" in result.output


def test_dumps_are_deterministic(project: Project, store: Store, out: Path, tmp_path: Path) -> None:
    again = export(project, tmp_path / "again", store=store).out
    for name in ("mpsc-graph.nt.gz", "mpsc-graph.nq.gz", "mpsc-graph.ttl", "mpsc-graph.trig", "void.ttl"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
