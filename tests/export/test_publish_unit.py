"""publish against scripted HTTP answers: replace semantics, verification by GET, differences
(exit 1), authentication (Basic or Digest by challenge), size limits, retries with backoff, and
connection refused (exit 2) — the failure modes a real store shows only with effort."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from export.engines import free_port
from mpsc_graph.cli import main
from mpsc_graph.export.publish import Credentials, PublishError, PublishReport, Target, publish
from mpsc_graph.http_client import AccessDenied, HttpSettings, HttpStatusError, NotHttpUrl, TimedOut
from mpsc_graph.project import Project

GRAPH_A = "https://w3id.org/mpsc-graph/graph/a"
GRAPH_B = "https://w3id.org/mpsc-graph/graph/b"


@pytest.fixture
def small() -> Store:
    store = Store()
    for graph, count in ((GRAPH_A, 3), (GRAPH_B, 2)):
        for i in range(count):
            store.add(Quad(NamedNode(f"https://w3id.org/mpsc-graph/id/thing/{i}"),
                           NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                           NamedNode(f"https://example.org/{graph[-1]}{i}"), NamedNode(graph)))
    return store


class FakeStore:
    """A minimal Graph Store: PUT replaces, GET returns N-Triples; failures scripted per call."""

    def __init__(self, script: Callable[[httpx.Request, int], httpx.Response | None] | None = None) -> None:
        self.graphs: dict[str, bytes] = {}
        self.calls: list[httpx.Request] = []
        self.script = script

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.script is not None:
            scripted = self.script(request, len(self.calls))
            if scripted is not None:
                return scripted
        graph = request.url.params.get("graph", "")
        if request.method == "PUT":
            created = graph not in self.graphs
            self.graphs[graph] = request.read()
            return httpx.Response(201 if created else 204)
        if request.method == "GET":
            if graph not in self.graphs:
                return httpx.Response(404)
            return httpx.Response(200, content=self.graphs[graph], headers={"Content-Type": "application/n-triples"})
        return httpx.Response(405)


def _run(store: Store, fake: FakeStore, project: Project, credentials: Credentials | None = None,
         **http: float) -> tuple[PublishReport, list[float]]:
    sleeps: list[float] = []
    target = Target("http://store.test/gsp", credentials=credentials, http=HttpSettings(**http))  # type: ignore[arg-type]
    report = publish(store, target, project.queries_dir, sleep=sleeps.append, transport=httpx.MockTransport(fake))
    return report, sleeps


def test_put_every_graph_and_verify_by_get(small: Store, project: Project) -> None:
    fake = FakeStore()
    report, _ = _run(small, fake, project)
    assert [(g.graph, g.local, g.remote) for g in report.graphs] == [(GRAPH_A, 3, 3), (GRAPH_B, 2, 2)]
    assert not report.differences
    puts = [c for c in fake.calls if c.method == "PUT"]
    assert [c.url.params["graph"] for c in puts] == [GRAPH_A, GRAPH_B]
    assert puts[0].headers["content-type"].startswith("text/turtle")
    body = fake.graphs[GRAPH_A]
    assert len(list(parse(body, format=RdfFormat.TURTLE))) == 3
    again, _ = _run(small, fake, project)  # re-publish replaces: the same counts, no duplicates
    assert [(g.local, g.remote) for g in again.graphs] == [(3, 3), (2, 2)]


def test_difference_is_reported_and_exit_1(small: Store, project: Project) -> None:
    def lossy(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.method == "GET" and request.url.params["graph"] == GRAPH_B:
            return httpx.Response(200, content=b"", headers={"Content-Type": "application/n-triples"})
        return None

    report, _ = _run(small, FakeStore(lossy), project)
    assert [(d.graph, d.local, d.remote) for d in report.differences] == [(GRAPH_B, 2, 0)]
    assert "DIFFERS: remote has 0" in report.to_text()


def test_transient_failures_are_retried_with_backoff(small: Store, project: Project) -> None:
    def flaky(request: httpx.Request, n: int) -> httpx.Response | None:
        if n <= 2:
            return httpx.Response(503, text="busy")
        return None

    report, sleeps = _run(small, FakeStore(flaky), project, retries=3, backoff=0.5)
    assert not report.differences
    assert sleeps == [0.5, 1.0]


def test_retries_are_bounded(small: Store, project: Project) -> None:
    fake = FakeStore(lambda request, n: httpx.Response(503, text="down for maintenance"))
    with pytest.raises(HttpStatusError, match=r"HTTP 503.*\(3 attempts\).*down for maintenance"):
        _run(small, fake, project, retries=2, backoff=0.1)
    assert len(fake.calls) == 3


@pytest.mark.parametrize(("status", "kind", "message"), [
    (401, AccessDenied, "authentication refused: check --user and the variable named by --password-env"),
    (413, HttpStatusError, "raise the store's request size limit"),
])
def test_clear_errors_without_retry(small: Store, project: Project, status: int, kind: type[Exception],
                                    message: str) -> None:
    fake = FakeStore(lambda request, n: httpx.Response(status, text="nope"))
    expected = rf"PUT graph <{GRAPH_A}> at http://store.test/gsp: HTTP {status}.*{message}"
    with pytest.raises(kind, match=expected) as raised:
        _run(small, fake, project)
    assert raised.value.exit_code == 2
    assert len(fake.calls) == 1


def test_timeouts_reported(small: Store, project: Project) -> None:
    def slow(request: httpx.Request, n: int) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(TimedOut, match="timed out after 5 s"):
        _run(small, FakeStore(slow), project, timeout=5.0, retries=1)


def _digest_server(user: str, password: str) -> Callable[[httpx.Request, int], httpx.Response | None]:
    realm, nonce = "store", "abc123"

    def check(request: httpx.Request, _n: int) -> httpx.Response | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Digest "):
            return httpx.Response(401, headers={"WWW-Authenticate": f'Digest realm="{realm}", nonce="{nonce}", '
                                                                     'qop="auth", algorithm=MD5'})
        fields = dict(part.strip().split("=", 1) for part in header[7:].split(","))
        fields = {k: v.strip('"') for k, v in fields.items()}
        ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{request.method}:{fields['uri']}".encode()).hexdigest()
        expected = hashlib.md5(
            f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}".encode()).hexdigest()
        return None if fields["response"] == expected else httpx.Response(401, headers={
            "WWW-Authenticate": f'Digest realm="{realm}", nonce="{nonce}", qop="auth"'})

    return check


def test_digest_auth_chosen_from_the_challenge(small: Store, project: Project) -> None:
    fake = FakeStore(_digest_server("dba", "secret"))
    report, _ = _run(small, fake, project, credentials=Credentials("dba", "secret"))
    assert not report.differences
    with pytest.raises(AccessDenied):
        _run(small, FakeStore(_digest_server("dba", "secret")), project, credentials=Credentials("dba", "wrong"))


def test_basic_auth_chosen_from_the_challenge(small: Store, project: Project) -> None:
    def basic(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.headers.get("authorization") != httpx.BasicAuth("u", "p")._auth_header:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="store"'})
        return None

    report, _ = _run(small, FakeStore(basic), project, credentials=Credentials("u", "p"))
    assert not report.differences


def test_cli_connection_refused_exit_2(project: Project) -> None:
    port = free_port()  # nothing listens here
    result = CliRunner().invoke(main, ["publish", "--root", str(project.root), "--graph-store",
                                       f"http://127.0.0.1:{port}/store", "--retries", "1", "--timeout", "2"])
    assert result.exit_code == 2
    assert "cannot connect" in result.output and "(2 attempts)" in result.output
    assert f"http://127.0.0.1:{port}/store" in result.output and "Traceback" not in result.output


def test_cli_argument_errors_exit_2(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.delenv("MPSC_TEST_UNSET", raising=False)
    result = runner.invoke(main, ["publish", "--root", str(project.root), "--graph-store", "http://127.0.0.1:9/x",
                                  "--user", "dba", "--password-env", "MPSC_TEST_UNSET"])
    assert result.exit_code == 2 and "MPSC_TEST_UNSET" in result.output
    result = runner.invoke(main, ["publish", "--root", str(project.root), "--graph-store", "http://127.0.0.1:9/x",
                                  "--prune"])
    assert result.exit_code == 2 and "--prune needs" in result.output


def test_drop_graph_update_uses_a_validated_term() -> None:
    from mpsc_graph.export.publish import DROP_GRAPH

    assert DROP_GRAPH.format(graph=NamedNode(GRAPH_A)) == f"DROP SILENT GRAPH <{GRAPH_A}>"
    with pytest.raises(ValueError):
        NamedNode("https://w3id.org/mpsc-graph/graph/x> } ; DROP ALL ; #")




def test_not_an_http_url_is_a_clear_error(small: Store, project: Project) -> None:
    with pytest.raises(NotHttpUrl, match="localhost:7878/store: not an http"):
        publish(small, Target("localhost:7878/store"), project.queries_dir, sleep=lambda _s: None)


def test_an_unreadable_graph_from_the_store_is_a_clear_error(small: Store, project: Project) -> None:
    def garbled(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.method == "GET":
            return httpx.Response(200, content=b"<a> <b> oops", headers={"Content-Type": "application/n-triples"})
        return None

    with pytest.raises(PublishError, match=rf"GET graph <{GRAPH_A}> at http://store.test/gsp: .*unreadable"):
        _run(small, FakeStore(garbled), project)


def test_connection_reset_is_retried(small: Store, project: Project) -> None:
    def reset(request: httpx.Request, n: int) -> httpx.Response | None:
        if n == 1:
            raise httpx.ReadError("connection reset by peer", request=request)
        return None

    report, sleeps = _run(small, FakeStore(reset), project, backoff=0.25)
    assert not report.differences and sleeps == [0.25]


def test_cli_exit_1_when_a_graph_differs(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import mpsc_graph.http_client as http_module

    def lossy(request: httpx.Request, _n: int) -> httpx.Response | None:
        if request.method == "GET" and request.url.params["graph"].endswith("/graph/ontology"):
            return httpx.Response(200, content=b"", headers={"Content-Type": "application/n-triples"})
        return None

    fake = FakeStore(lossy)
    real_client = httpx.Client
    monkeypatch.setattr(http_module.httpx, "Client",
                        lambda **kwargs: real_client(**{**kwargs, "transport": httpx.MockTransport(fake)}))
    result = CliRunner().invoke(main, ["publish", "--root", str(project.root), "--graph-store", "http://store.test/gsp"])
    assert result.exit_code == 1, result.output
    assert "graph/ontology" in result.output and "DIFFERS: remote has 0" in result.output
    assert "1 graph(s) differ" in result.output
