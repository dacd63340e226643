"""The server's own streaming result writers agree with pyoxigraph's serializers (real data, every term kind)."""

from __future__ import annotations

import csv
import io
import json

from pyoxigraph import BlankNode, QueryResultsFormat, QuerySolutions, Store

from mpsc_graph.server.conneg import RESULT_FORMATS, SPARQL_JSON, TSV
from mpsc_graph.server.streaming import MIN_SOLUTION_BYTES, ChunkSink, Limited, serialize_small, write_solutions

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"


def _ours(store: Store, media: str, limit: int = 10**9) -> tuple[bytes, Limited, int]:
    result = store.query(QUERY, use_default_graph_as_union=True)
    chunks: list[bytes] = []
    sink = ChunkSink(chunks.append, chunk_size=4096)
    rows = Limited(result, limit)
    write_solutions(sink, [v.value for v in result.variables], rows, media)
    sink.drain()
    return b"".join(chunks), rows, len(chunks)


def test_json_equals_pyoxigraph(store: Store) -> None:
    reference = store.query(QUERY, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.JSON)
    ours, rows, chunks = _ours(store, "application/sparql-results+json")
    assert ours == reference
    assert chunks > 10 and not rows.truncated  # written in bounded chunks, nothing cut


def test_csv_quotes_what_rfc_4180_requires(store: Store) -> None:
    # pyoxigraph 0.5.13 leaves an IRI with a comma unquoted (data/ has such a URL); ours must round-trip
    ours, _, _ = _ours(store, "text/csv")
    parsed = list(csv.reader(io.StringIO(ours.decode("utf-8"), newline="")))
    expected = [[t.value if not isinstance(t, BlankNode) else f"_:{t.value}" for t in (r["s"], r["p"], r["o"])]
                for r in store.query(QUERY, use_default_graph_as_union=True)]
    assert parsed[0] == ["s", "p", "o"] and parsed[1:] == expected
    assert any("," in value for row in expected for value in row)


def test_row_limit_cuts_and_reports(store: Store) -> None:
    body, rows, _ = _ours(store, "application/sparql-results+json", limit=10)
    assert len(json.loads(body)["results"]["bindings"]) == 10
    assert rows.truncated and rows.count == 10


class _Recorder:
    """Stands in for a worker's channel: the kinds of message sent, in order."""

    def __init__(self) -> None:
        self.kinds: list[str] = []

    def send(self, message: tuple) -> None:
        self.kinds.append(message[0])


def test_a_graph_that_fits_one_chunk_is_one_message_and_a_larger_one_streams() -> None:
    # pyoxigraph's serializer calls flush() when done; that alone must not turn a small answer into a stream
    from pyoxigraph import Literal, NamedNode, Quad

    from mpsc_graph.server.workers import Job, _run_job

    store = Store()
    for i in range(2000):
        store.add(Quad(NamedNode(f"http://ex/s{i}"), NamedNode("http://ex/p"), Literal("x" * 40), NamedNode("http://g")))
    small, large = _Recorder(), _Recorder()
    _run_job(Job("sparql", "CONSTRUCT WHERE { <http://ex/s1> ?p ?o }", accept="text/turtle"), store, small, ())
    _run_job(Job("sparql", "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle"), store, large, ())
    assert small.kinds == ["complete"]
    assert large.kinds[0] == "start" and large.kinds[-1] == "end" and "chunk" in large.kinds


def _empty_solutions(count: int) -> str:
    """A query with ``count`` solutions that bind nothing: the shortest rows a format can write."""
    return "SELECT ?x WHERE { VALUES ?x { " + "UNDEF " * count + "} }"


def test_a_solution_takes_at_least_the_bytes_the_row_limit_counts_on() -> None:
    # serialize_small keeps the row limit by bytes alone: limit x MIN bytes can hold at most `limit` rows
    store = Store()
    for media, fewest in MIN_SOLUTION_BYTES.items():
        for limit in (1, 2, 10, 1000):
            written = store.query(_empty_solutions(limit + 1)).serialize(format=RESULT_FORMATS[media])
            assert len(written) > limit * fewest, (media, limit, written[:200])


def test_a_small_result_is_pyoxigraphs_own_and_a_larger_one_is_given_up(store: Store) -> None:
    def fresh() -> QuerySolutions:
        return store.query(QUERY, use_default_graph_as_union=True)

    reference = fresh().serialize(format=QueryResultsFormat.JSON)
    rows = len(json.loads(reference)["results"]["bindings"])
    assert serialize_small(fresh(), SPARQL_JSON, 10**9, cap=len(reference)) == reference
    assert serialize_small(fresh(), SPARQL_JSON, 10**9, cap=len(reference) - 1) is None  # over the byte cap
    assert serialize_small(fresh(), SPARQL_JSON, rows - 1, cap=10**9) is None  # more rows than the limit allows
    five = QUERY + " LIMIT 5"
    tsv = store.query(five, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.TSV)
    assert serialize_small(store.query(five, use_default_graph_as_union=True), TSV, 10**4) == tsv
    assert serialize_small(Store().query(_empty_solutions(6)), TSV, 5) is None  # six rows never fit five's bytes


def test_a_result_too_large_to_send_whole_is_run_again_and_streamed_then_streamed_at_once(monkeypatch) -> None:
    from pyoxigraph import Literal, NamedNode, Quad

    from mpsc_graph.server import workers

    store = Store()
    for i in range(300):
        store.add(Quad(NamedNode(f"http://ex/s{i}"), NamedNode("http://ex/p"), Literal("x" * 40), NamedNode("http://g")))
    attempts: list[bytes | None] = []

    def small_cap(solutions: QuerySolutions, media: str, limit: int) -> bytes | None:
        attempts.append(serialize_small(solutions, media, limit, cap=4096))
        return attempts[-1]

    monkeypatch.setattr(workers, "serialize_small", small_cap)
    monkeypatch.setattr(workers, "_LARGE", set())
    job = workers.Job("sparql", "SELECT * WHERE { ?s ?p ?o }", accept=SPARQL_JSON, limit=10**6)
    first, again, small = _Messages(), _Messages(), _Messages()
    workers._run_job(job, store, first, ())
    workers._run_job(job, store, again, ())
    workers._run_job(workers.Job("sparql", "SELECT * WHERE { <http://ex/s1> ?p ?o }", accept=SPARQL_JSON),
                     store, small, ())
    # one attempt gave up on the large result, none was made for it the second time, one served the small one
    assert len(attempts) == 2 and attempts[0] is None and attempts[1] == small.messages[0][2]
    for messages in (first, again):  # nothing of the abandoned attempt is lost: all 300 rows arrive
        assert len(json.loads(messages.body())["results"]["bindings"]) == 300
    assert json.loads(small.body())["results"]["bindings"][0]["o"]["value"] == "x" * 40
    assert [m[0] for m in small.messages] == ["complete"]


class _Messages:
    """Stands in for a worker's channel: every message, and the body they add up to."""

    def __init__(self) -> None:
        self.messages: list[tuple] = []

    def send(self, message: tuple) -> None:
        self.messages.append(message)

    def body(self) -> bytes:
        parts = {"complete": 2, "start": 2, "chunk": 1}
        return b"".join(m[parts[m[0]]] for m in self.messages if m[0] in parts)
