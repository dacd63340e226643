"""``mpsc-graph publish``: put every named graph into any SPARQL 1.1 Graph Store, then verify.

Each graph is sent with ``PUT <graph-store>?graph=<iri>`` (Graph Store HTTP Protocol, indirect
graph identification), so publishing again replaces a graph instead of adding duplicates. The
body is N-Triples labelled ``text/turtle``: N-Triples is a subset of Turtle and every store that
speaks the protocol accepts Turtle. Afterwards each graph's triple count is read back, through
the named query ``graph_triple_count`` at ``--endpoint`` when given (via the same remote code path
as every other query), otherwise by a Graph Store ``GET``; any difference is reported (exit 1).

Requests go through the project's one HTTP client (:mod:`mpsc_graph.http_client`): failures are reported as
what they are (access denied, payload too large, timeout, connection refused) with exit code 2;
transient ones (timeouts, refused connections, 429 and 5xx answers) are retried a bounded number of
times, with a doubling pause or the one the store names in ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse, serialize

from ..errors import MpscError
from ..http_client import HttpClient, HttpSettings
from ..namespaces import GRAPH
from ..queries import get_query
from ..remote import remote_select

#: SPARQL Update used by --prune; the graph IRI is inserted as a term serialised by pyoxigraph
#: (``NamedNode`` validates the IRI and writes ``<...>``), never as raw text.
DROP_GRAPH = "DROP SILENT GRAPH {graph}"
#: Advice added to the error of a status, naming what the user can change.
HINTS = {
    401: "authentication refused: check --user and the variable named by --password-env",
    403: "authentication refused: check --user and the variable named by --password-env",
    413: "raise the store's request size limit",
    415: "the store does not accept Turtle uploads here",
}


class PublishError(MpscError):
    """Publishing cannot go on: options that do not fit together, or an unreadable answer (exit code 2).

    Failed requests raise the HTTP client's own errors (:class:`~mpsc_graph.http_client.HttpError`).
    """


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
    http: HttpSettings = field(default_factory=HttpSettings)


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


def local_graphs(store: Store) -> dict[str, list[Triple]]:
    """Each named graph of the store with its distinct triples (sorted, so uploads are stable)."""
    graphs: dict[str, list[Triple]] = {}
    for graph in sorted(store.named_graphs(), key=str):
        if isinstance(graph, NamedNode):
            quads = store.quads_for_pattern(None, None, None, graph)
            triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
            graphs[graph.value] = sorted(triples, key=str)
    return graphs


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
    if prune and not (target.update and target.endpoint):
        raise PublishError("--prune needs --endpoint (to list the remote graphs) and --update (to drop them)")
    auth = ChallengeAuth(target.credentials) if target.credentials else None
    settings = replace(target.http, hints={**HINTS, **target.http.hints})
    report = PublishReport(verified_by="SPARQL query at " + target.endpoint if target.endpoint else "Graph Store GET")
    with HttpClient(settings, auth=auth, sleep=sleep, transport=transport) as client:
        graphs = local_graphs(store)
        for iri, triples in graphs.items():
            body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
            client.request("PUT", target.graph_store, what=f"PUT graph <{iri}>", params={"graph": iri},
                           content=body, headers={"Content-Type": "text/turtle; charset=utf-8"})
            report.graphs.append(GraphResult(iri, len(triples)))
        if prune:
            report.pruned = _prune(client, target, set(graphs), queries_dir)
        count = get_query(queries_dir, "graph_triple_count")
        for result in report.graphs:
            if target.endpoint:
                table = remote_select(target.endpoint, count.text, count.bind({"graph": result.graph}),
                                      client=client)
                # pick the row of this graph: an engine that ignored the VALUES binding returns them all
                counts = {row["_graph"]: int(row["triples"]) for row in table.records()}
                result.remote = counts.get(result.graph, 0)
            else:
                result.remote = _count_by_get(client, target, result.graph)
    return report


def _count_by_get(client: HttpClient, target: Target, iri: str) -> int:
    reply = client.get(target.graph_store, what=f"GET graph <{iri}>", params={"graph": iri},
                       headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    media = reply.media_type or "text/turtle"
    fmt = RdfFormat.N_TRIPLES if media in ("application/n-triples", "text/plain") else RdfFormat.TURTLE
    try:
        return len({(t.subject, t.predicate, t.object) for t in parse(reply.content, format=fmt)})
    except SyntaxError as exc:
        raise PublishError(f"GET graph <{iri}> at {target.graph_store}: the store returned unreadable {media}: "
                           f"{exc}") from exc


def _prune(client: HttpClient, target: Target, local: set[str], queries: Path) -> list[str]:
    listing = get_query(queries, "dataset_graphs")
    table = remote_select(target.endpoint or "", listing.text, client=client)
    stale = sorted(iri for iri in table.column("graph") if iri.startswith(GRAPH) and iri not in local)
    for iri in stale:
        update = DROP_GRAPH.format(graph=NamedNode(iri))
        client.post(target.update or "", what=f"DROP GRAPH <{iri}>", data={"update": update})
    return stale
