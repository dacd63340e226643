"""Publishing the real data into real triplestores on loopback, then asking them every named query.

(a) Oxigraph server (``oxigraph serve --union-default-graph``, PyPI ``oxigraph``);
(b) Virtuoso Open Source from Debian (``virtuoso-t``, fresh database, dba/dba, Digest auth on
    ``/sparql-graph-crud-auth``). Both get every named graph by Graph Store PUT; the answers of
    every named query (parameter-free ones, and parametrised ones with a representative value)
    must equal the local store's, compared as sets of normalised value tuples (see compare.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Store

from export.compare import as_set, select_with_dataset
from export.engines import Engine, oxigraph_binary, start_oxigraph, start_virtuoso, virtuoso_binary
from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.namespaces import GRAPH, ID, XSD
from mpsc_graph.project import Project
from mpsc_graph.queries import NamedQuery, catalogue
from mpsc_graph.sparql import Term
from support import REPO

pytestmark = pytest.mark.integration

QUERIES = sorted(catalogue(REPO / "queries"))
STALE = GRAPH + "retired-test-graph"
FOREIGN = "https://example.org/graph/not-ours"
#: Queries whose answer counts every triple of the default graph. Virtuoso's union default graph
#: also holds its own system graphs (virtrdf#, ldp#, the service description), so on Virtuoso
#: these run with the dataset given by the protocol: exactly our named graphs.
WHOLE_STORE_QUERIES = {
    "void_statistics", "void_class_partitions", "void_property_partitions", "labels", "triples_per_graph",
}
#: Known Virtuoso 7.2 (Debian) defects, each reproduced by hand against the same data; strict, so a
#: fix (in Virtuoso or in how remote.py binds parameters) turns them into failures to clean up.
VIRTUOSO_DEFECTS = {
    "adopted_from": "Virtuoso refuses a transitive property path whose start is bound by VALUES rather than a "
                    "constant: 'Query contains a transitive derived table but neither end of it is bound'",
    "page_adoptions": "Virtuoso refuses to sort more than 10,000 rows under a larger LIMIT (Error SR353, "
                      "'Sorted TOP clause specifies more then 20000 rows to sort')",
    "page_catalogue_assets": "Virtuoso refuses to sort more than 10,000 rows under a larger LIMIT (Error SR353)",
    "page_catalogue_facets": "Virtuoso refuses to sort more than 10,000 rows under a larger LIMIT (Error SR353)",
    "municipality_profile": "Virtuoso turns a geo:wktLiteral into its own virtrdf:Geometry type and rewrites "
                            "the coordinates, so the centre point differs from the one loaded",
    "map_area_centres": "Virtuoso refuses to sort more than 10,000 rows under a larger LIMIT (Error SR353)",
    "page_adopter_points": "Virtuoso refuses to sort more than 10,000 rows under a larger LIMIT (Error SR353)",
    "map_flows": "the origin's and adopter's centre points come back as Virtuoso's rewritten geometry, as for "
                 "municipality_profile, so those rows differ from the ones loaded",
    "map_flows_of_place": "the centre points come back as Virtuoso's rewritten geometry, as for municipality_profile",
    "page_figure_adoptions_per_state": "Virtuoso splits one group when its key comes from different branches of "
                                       "COALESCE/IF (Brandenburg counted as 27 and 1 instead of 28); not yet "
                                       "reduced to a minimal query",
    "production_uses": "Virtuoso's answer lacks adoptions that the local engine returns (seen for Frankfurt (Oder), "
                       "Eisenhüttenstadt and Paderborn); not yet reduced to a minimal query",
}


_CHOSEN: dict[str, dict[str, Term]] = {}


def representative(graph: Graph, named: NamedQuery) -> dict[str, Term]:
    """For each parameter the candidate value with the largest local answer (deterministic; at most
    ~150 evenly spread candidates are tried, and the choice is shared by both engines)."""
    if named.name in _CHOSEN:
        return _CHOSEN[named.name]
    values: dict[str, Term] = {}
    index = graph.query("entity_index").records()
    for param in named.params:
        if param.type == "year":
            candidates: list[Term] = [Literal(y, datatype=NamedNode(XSD + "gYear")) for y in ("2019", "2020", "2021")]
        elif param.type == "iri":
            iris = sorted({r["entity"] for r in index
                           if not param.kinds or r["entity"][len(ID):].split("/", 1)[0] in param.kinds})
            iris += sorted(g.value for g in graph.store.named_graphs())
            iris += ["https://w3id.org/mpsc-graph/ontology"]
            candidates = [NamedNode(i) for i in iris]
        else:
            pytest.fail(f"no representative value for {named.name}.{param.name} ({param.type}); add one here")
        step = max(1, len(candidates) // 150)
        candidates = candidates[::step]
        best, size = candidates[0], -1
        for candidate in candidates:
            rows = len(graph.select(named.text, {**values, "_" + param.name: candidate}))
            if rows > size:
                best, size = candidate, rows
        values["_" + param.name] = best
    _CHOSEN[named.name] = values
    return values


@pytest.fixture(scope="module")
def local(project: Project, store: Store) -> Graph:
    return Graph(project, store=store)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph==0.5.13; make install does it)")
    engine = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield engine
    engine.stop()


@pytest.fixture(scope="module")
def oxigraph_published(oxigraph: Engine, project: Project) -> Engine:
    result = CliRunner().invoke(main, ["publish", "--root", str(project.root), "--graph-store",
                                       oxigraph.base + "/store", "--endpoint", oxigraph.base + "/query"])
    assert result.exit_code == 0, result.output
    return oxigraph


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if virtuoso_binary() is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run installs it)")
    engine = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()


@pytest.fixture(scope="module")
def virtuoso_published(virtuoso: Engine, project: Project, monkeypatch_module: pytest.MonkeyPatch) -> Engine:
    monkeypatch_module.setenv("MPSC_TEST_VIRTUOSO_PASSWORD", "dba")
    result = CliRunner().invoke(main, [
        "publish", "--root", str(project.root), "--graph-store", virtuoso.base + "/sparql-graph-crud-auth",
        "--endpoint", virtuoso.base + "/sparql", "--user", "dba", "--password-env", "MPSC_TEST_VIRTUOSO_PASSWORD"])
    assert result.exit_code == 0, result.output
    return virtuoso


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def _compare(local: Graph, endpoint: str, name: str, *, dataset: list[str] | None = None) -> None:
    named = local.named_query(name)
    params = representative(local, named) if named.params else {}
    expected = local.select(named.text, params)
    remote = Graph(local.project, endpoint=endpoint)
    if dataset is None:
        answer = remote.select(named.text, params)
    else:
        from mpsc_graph.results import values_block

        text = named.text + (values_block(sorted(params.items())) if params else "")
        answer = select_with_dataset(endpoint, text, dataset)
    assert answer.columns == expected.columns
    # Sets, not bags: a triple stated in two graphs may appear once or twice in a union default
    # graph depending on the engine (Virtuoso and Oxigraph both repeat rows of non-DISTINCT queries).
    assert as_set(answer) == as_set(expected), name


# --- (a) Oxigraph server -------------------------------------------------------------------------

def test_oxigraph_publish_reports_every_graph(oxigraph_published: Engine, store: Store) -> None:
    count = Graph.open(REPO, endpoint=oxigraph_published.base + "/query").query("dataset_graphs")
    assert {r["graph"] for r in count.records()} == {g.value for g in store.named_graphs()}


@pytest.mark.parametrize("name", QUERIES)
def test_oxigraph_named_query_matches_local(oxigraph_published: Engine, local: Graph, name: str) -> None:
    _compare(local, oxigraph_published.base + "/query", name)


def test_oxigraph_republish_replaces_and_prunes(oxigraph_published: Engine, project: Project, store: Store) -> None:
    base = oxigraph_published.base
    for graph in (STALE, FOREIGN):
        put = httpx.put(base + "/store", params={"graph": graph}, headers={"Content-Type": "text/turtle"},
                        content=b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .")
        assert put.status_code in (200, 201, 204)
    result = CliRunner().invoke(main, ["publish", "--root", str(project.root), "--graph-store", base + "/store",
                                       "--endpoint", base + "/query", "--update", base + "/update", "--prune"])
    assert result.exit_code == 0, result.output
    assert f"dropped {STALE}" in result.output
    remote = Graph.open(REPO, endpoint=base + "/query")
    graphs = {r["graph"] for r in remote.query("dataset_graphs").records()}
    assert graphs == {g.value for g in store.named_graphs()}, "stale graph dropped, ours replaced"
    ask = httpx.get(base + "/store", params={"graph": FOREIGN})
    assert ask.status_code == 200 and "example.org" in ask.text, "graphs outside our namespace are left alone"
    expected = len({(q.subject, q.predicate, q.object) for q in store})
    total = httpx.post(base + "/query", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                                       "WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <"
                                                       + FOREIGN + ">) } }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert int(total.json()["results"]["bindings"][0]["n"]["value"]) == expected, "no duplicates after re-publish"


def test_oxigraph_verify_by_graph_store_get(oxigraph_published: Engine, project: Project) -> None:
    result = CliRunner().invoke(main, ["publish", "--root", str(project.root), "--graph-store",
                                       oxigraph_published.base + "/store"])
    assert result.exit_code == 0, result.output
    assert "verified by Graph Store GET" in result.output


def test_query_and_network_commands_against_the_server(oxigraph_published: Engine, project: Project) -> None:
    runner = CliRunner()
    for args in (["query", "class_counts", "--format", "csv"],
                 ["query", "adopted_from", "--param", "origin=Halle (Saale)", "--format", "csv"],
                 ["paths", "--from", "Halle (Saale)", "--to", "Burg"],
                 ["network", "stats"],
                 ["network", "reach", "Halle (Saale)"]):
        here = runner.invoke(main, [*args, "--root", str(project.root)])
        there = runner.invoke(main, [*args, "--root", str(project.root),
                                     "--endpoint", oxigraph_published.base + "/query"])
        assert here.exit_code == there.exit_code == 0, (here.output, there.output)
        assert len(here.output.splitlines()) > 1
        assert sorted(there.output.splitlines()) == sorted(here.output.splitlines()), args


# --- (b) Virtuoso Open Source ------------------------------------------------------------------

def _virtuoso_cases() -> list[object]:
    cases: list[object] = []
    for name in QUERIES:
        reason = VIRTUOSO_DEFECTS.get(name)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        cases.append(pytest.param(name, marks=marks, id=name))
    return cases


@pytest.mark.parametrize("name", _virtuoso_cases())
def test_virtuoso_named_query_matches_local(virtuoso_published: Engine, local: Graph, store: Store, name: str) -> None:
    dataset = sorted(g.value for g in store.named_graphs()) if name in WHOLE_STORE_QUERIES else None
    _compare(local, virtuoso_published.base + "/sparql", name, dataset=dataset)


def test_virtuoso_prune_with_digest_update(virtuoso_published: Engine, project: Project, store: Store,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    base = virtuoso_published.base
    put = httpx.put(base + "/sparql-graph-crud-auth", params={"graph": STALE}, auth=httpx.DigestAuth("dba", "dba"),
                    headers={"Content-Type": "text/turtle"},
                    content=b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .")
    assert put.status_code in (200, 201, 204)
    monkeypatch.setenv("MPSC_TEST_VIRTUOSO_PASSWORD", "dba")
    result = CliRunner().invoke(main, [
        "publish", "--root", str(project.root), "--graph-store", base + "/sparql-graph-crud-auth",
        "--endpoint", base + "/sparql", "--update", base + "/sparql-auth", "--prune",
        "--user", "dba", "--password-env", "MPSC_TEST_VIRTUOSO_PASSWORD"])
    assert result.exit_code == 0, result.output
    assert f"dropped {STALE}" in result.output
    graphs = {r["graph"] for r in Graph.open(REPO, endpoint=base + "/sparql").query("dataset_graphs").records()}
    assert graphs == {g.value for g in store.named_graphs()}


def test_virtuoso_wrong_password_is_a_clear_error(virtuoso_published: Engine, project: Project,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPSC_TEST_VIRTUOSO_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, [
        "publish", "--root", str(project.root), "--graph-store", virtuoso_published.base + "/sparql-graph-crud-auth",
        "--user", "dba", "--password-env", "MPSC_TEST_VIRTUOSO_PASSWORD"])
    assert result.exit_code == 2
    assert "authentication refused" in result.output


def test_engines_stopped_by_pid_leave_no_port_open(tmp_path: Path) -> None:
    engine = start_oxigraph(tmp_path)
    port = int(engine.base.rsplit(":", 1)[1])
    engine.stop()
    assert engine.process.returncode is not None
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=2)
