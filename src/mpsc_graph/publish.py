"""``mpsc-graph publish``: put every named graph into any SPARQL 1.1 Graph Store, then verify.

Each graph is sent with ``PUT <graph-store>?graph=<iri>`` (Graph Store HTTP Protocol, indirect
graph identification), so publishing again replaces a graph instead of adding duplicates. The
body is N-Triples labelled ``text/turtle``: N-Triples is a subset of Turtle and every store that
speaks the protocol accepts Turtle. Afterwards each graph's triple count is read back, through
the named query ``graph_triple_count`` at ``--endpoint`` when given (via the same remote code path
as every other query), otherwise by a Graph Store ``GET``; any difference is reported (exit 1).

Remote failures are reported as what they are (authentication refused, payload too large,
timeout, connection refused) with exit code 2; transient ones (timeouts, refused connections,
5xx answers) are retried a bounded number of times with exponential backoff.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse, serialize

from . import __version__
from .errors import MpscError, QueryFailed
from .namespaces import GRAPH
from .queries import get_query
from .remote import remote_select

USER_AGENT = f"mpsc-graph/{__version__} (+https://w3id.org/mpsc-graph)"
#: SPARQL Update used by --prune; the graph IRI is inserted as a term serialised by pyoxigraph
#: (``NamedNode`` validates the IRI and writes ``<...>``), never as raw text.
DROP_GRAPH = "DROP SILENT GRAPH {graph}"
RETRY_STATUS = {500, 502, 503, 504}
T = TypeVar("T")


class PublishError(MpscError):
    """The remote store could not be reached or refused the request (exit code 2)."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


@dataclass(frozen=True)
class Target:
    """Where to publish: Graph Store URL, optional query and update endpoints, credentials, limits."""

    graph_store: str
    endpoint: str | None = None
    update: str | None = None
    credentials: Credentials | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5


@dataclass
class GraphResult:
    graph: str
    local: int
    remote: int | None = None

    @property
    def ok(self) -> bool:
        return self.remote == self.local


@dataclass
class PublishReport:
    graphs: list[GraphResult] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    verified_by: str = ""

    @property
    def differences(self) -> list[GraphResult]:
        return [g for g in self.graphs if not g.ok]

    def to_text(self) -> str:
        lines = [f"published {len(self.graphs)} graph(s), verified by {self.verified_by}"]
        for g in self.graphs:
            state = "ok" if g.ok else f"DIFFERS: remote has {g.remote}"
            lines.append(f"  {g.graph}: {g.local} triples, {state}")
        lines += [f"  dropped {iri}" for iri in self.pruned]
        if self.differences:
            lines.append(f"{len(self.differences)} graph(s) differ")
        return "\n".join(lines)


class ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the server's ``WWW-Authenticate`` challenge asks for.

    The first request goes without credentials; after a 401 the matching scheme is chosen once
    and used for every later request of the client.
    """

    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials
        self.chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.chosen is not None:
            yield from self.chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if scheme == "digest":
            self.chosen = httpx.DigestAuth(self.credentials.user, self.credentials.password)
        else:
            self.chosen = httpx.BasicAuth(self.credentials.user, self.credentials.password)
        yield from self.chosen.auth_flow(request)


def _explain(response: httpx.Response, what: str) -> PublishError:
    status = response.status_code
    if status in (401, 403):
        reason = "authentication refused (check --user and the password variable)"
    elif status == 413:
        reason = "payload too large (raise the store's request size limit)"
    elif status == 415:
        reason = "the store does not accept Turtle uploads here"
    else:
        reason = f"HTTP {status}"
    body = response.text.strip().replace("\n", " ")[:300]
    return PublishError(f"{what}: {reason}" + (f"; the server said: {body}" if body else ""))


class Remote:
    """An HTTP client for one store with bounded retries and clear error messages."""

    def __init__(self, target: Target, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.target = target
        self.sleep = sleep
        auth = ChallengeAuth(target.credentials) if target.credentials else None
        self.client = httpx.Client(auth=auth, timeout=target.timeout, headers={"User-Agent": USER_AGENT},
                                   transport=transport)

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, what: str, **kwargs: object) -> httpx.Response:
        """Send a request; retry transient failures; raise PublishError for everything else."""
        attempts = self.target.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise PublishError(f"{what}: '{url}' is not an http(s) URL ({exc})") from exc
            except httpx.TimeoutException as exc:
                if last:
                    raise PublishError(f"{what}: timed out after {self.target.timeout:g} s "
                                       f"({attempts} attempt(s))") from exc
            except httpx.ConnectError as exc:
                if last:
                    raise PublishError(f"{what}: cannot connect to {url} ({exc}; {attempts} attempt(s))") from exc
            except httpx.TransportError as exc:  # connection reset, protocol error: transient as well
                if last:
                    raise PublishError(f"{what}: the connection to {url} failed "
                                       f"({exc}; {attempts} attempt(s))") from exc
            except httpx.HTTPError as exc:
                raise PublishError(f"{what}: {exc}") from exc
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUS or last:
                    raise _explain(response, what)
            self.sleep(self.target.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def local_graphs(store: Store) -> dict[str, list[Triple]]:
    """Each named graph of the store with its distinct triples (sorted, so uploads are stable)."""
    graphs: dict[str, list[Triple]] = {}
    for graph in sorted(store.named_graphs(), key=str):
        if isinstance(graph, NamedNode):
            quads = store.quads_for_pattern(None, None, None, graph)
            triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
            graphs[graph.value] = sorted(triples, key=str)
    return graphs


def _retrying(target: Target, sleep: Callable[[float], None], call: Callable[[], T]) -> T:
    for attempt in range(target.retries + 1):
        try:
            return call()
        except QueryFailed:
            if attempt == target.retries:
                raise
            sleep(target.backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def publish(
    store: Store,
    target: Target,
    queries_dir: Path,
    *,
    prune: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> PublishReport:
    """Publish every named graph of ``store`` to ``target`` and verify the copies."""
    queries = queries_dir
    if prune and not (target.update and target.endpoint):
        raise PublishError("--prune needs --endpoint (to list the remote graphs) and --update (to drop them)")
    remote = Remote(target, sleep=sleep, transport=transport)
    report = PublishReport(verified_by="SPARQL query at " + target.endpoint if target.endpoint else "Graph Store GET")
    try:
        graphs = local_graphs(store)
        for iri, triples in graphs.items():
            body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
            remote.request("PUT", target.graph_store, f"PUT graph <{iri}>", params={"graph": iri}, content=body,
                           headers={"Content-Type": "text/turtle; charset=utf-8"})
            report.graphs.append(GraphResult(iri, len(triples)))
        if prune:
            report.pruned = _prune(remote, target, set(graphs), queries, sleep)
        count = get_query(queries, "graph_triple_count")
        for result in report.graphs:
            if target.endpoint:
                table = _retrying(target, sleep, lambda g=result.graph, e=target.endpoint: remote_select(
                    e, count.text, count.bind({"graph": g}), timeout=int(target.timeout)))
                # pick the row of this graph: an engine that ignored the VALUES binding returns them all
                counts = {row["_graph"]: int(row["triples"]) for row in table.records()}
                result.remote = counts.get(result.graph, 0)
            else:
                result.remote = _count_by_get(remote, target, result.graph)
    finally:
        remote.close()
    return report


def _count_by_get(remote: Remote, target: Target, iri: str) -> int:
    response = remote.request("GET", target.graph_store, f"GET graph <{iri}>", params={"graph": iri},
                              headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    media = response.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
    fmt = RdfFormat.N_TRIPLES if media in ("application/n-triples", "text/plain") else RdfFormat.TURTLE
    try:
        return len({(t.subject, t.predicate, t.object) for t in parse(response.content, format=fmt)})
    except SyntaxError as exc:
        raise PublishError(f"GET graph <{iri}>: the store returned unreadable {media}: {exc}") from exc


def _prune(remote: Remote, target: Target, local: set[str], queries: Path, sleep: Callable[[float], None]) -> list[str]:
    listing = get_query(queries, "dataset_graphs")
    endpoint = target.endpoint or ""
    table = _retrying(target, sleep, lambda: remote_select(endpoint, listing.text, timeout=int(target.timeout)))
    stale = sorted(iri for iri in table.column("graph") if iri.startswith(GRAPH) and iri not in local)
    for iri in stale:
        update = DROP_GRAPH.format(graph=NamedNode(iri))
        remote.request("POST", target.update or "", f"DROP GRAPH <{iri}>", data={"update": update})
    return stale
