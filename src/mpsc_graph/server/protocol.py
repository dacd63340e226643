"""The SPARQL 1.1 Protocol at ``/sparql``: query by GET and POST, update only when allowed.

Request parsing follows the protocol's rules (one ``query``; form or ``application/sparql-query``
bodies; UTF-8 only; dataset parameters from URL and form) and is a plain function of the request's
parts (:func:`parse_operation`). The query itself runs in a worker process through the one query
function, and its results stream back. A bare GET answers with the Service Description; an update
is refused unless the server runs in update mode.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Literal as Kind
from urllib.parse import parse_qsl

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Scope

from ..sparql import inspect_query
from .config import config_of
from .conneg import FORMAT_IRIS, HTML, RDF_ALIASES, RDF_TYPES, RESULT_TYPES, negotiate
from .errors import (
    BadRequestError,
    ForbiddenError,
    MethodNotAllowedError,
    NotAcceptableError,
    PayloadTooLargeError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from .messages import Job
from .responses import rdf_response, respond

log = logging.getLogger("mpsc_graph.server")

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
#: set on a result cut off at --max-rows when that is known before the headers are sent
TRUNCATED = "X-Truncated"


@dataclass(frozen=True)
class Operation:
    """What a protocol request asks for: a query, an update, or the service description (a bare GET)."""

    kind: Kind["query", "update", "describe"]
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _decode_pairs(raw: bytes, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("ascii", errors="strict"), keep_blank_values=True, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError:
        raise BadRequestError(f"the {what} is not valid UTF-8 (percent-encoded UTF-8 is required)") from None


def _media_and_charset(header: str) -> tuple[str, str | None]:
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


async def read_body(chunks: AsyncIterator[bytes], declared_length: str | None, limit: int) -> bytes:
    """The request body, refused with 413 once it exceeds ``limit`` bytes (before reading it, when declared)."""
    too_large = PayloadTooLargeError(f"request body larger than the limit of {limit} bytes (--max-body)")
    if declared_length and declared_length.isdigit() and int(declared_length) > limit:
        raise too_large
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"charset {charset} is not supported: send UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError("the request body is not valid UTF-8") from None


def form_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The fields of an ``application/x-www-form-urlencoded`` body, percent-encoded UTF-8 only.

    The one reading of a form: ``/sparql`` and the web application's forms (``/contribute``) use it.
    """
    media, charset = _media_and_charset(content_type)
    if media != "application/x-www-form-urlencoded":
        raise UnsupportedMediaTypeError(f"unsupported media type '{media or '(none)'}': "
                                        "POST application/x-www-form-urlencoded")
    if charset not in (None, "utf-8", "utf8"):
        raise BadRequestError(f"charset {charset} is not supported: send UTF-8")
    return _decode_pairs(body, "form body")


def parse_operation(method: str, query_string: bytes, content_type: str, body: bytes,
                    allow_update: bool) -> Operation:
    """The operation of a protocol request; raises an :mod:`.errors` type for what the protocol refuses."""
    url_pairs = _decode_pairs(query_string, "query string")
    body_pairs: list[tuple[str, str]] = []
    raw_text: str | None = None
    raw_kind = ""
    if method == "POST":
        media, charset = _media_and_charset(content_type)
        if media == "application/x-www-form-urlencoded":
            body_pairs = form_fields(content_type, body)
        elif media in ("application/sparql-query", "application/sparql-update"):
            raw_text = _utf8(body, charset)
            raw_kind = "query" if media == "application/sparql-query" else "update"
        else:
            raise UnsupportedMediaTypeError(
                f"unsupported media type '{media or '(none)'}': POST application/x-www-form-urlencoded, "
                "application/sparql-query or application/sparql-update")
    elif method not in ("GET", "HEAD"):  # HEAD is answered as GET; the server sends no body
        raise MethodNotAllowedError(f"method {method} not allowed: use GET or POST")

    def values(name: str, *, body_too: bool = True) -> list[str]:
        found = [v for k, v in url_pairs if k == name]
        return found + ([v for k, v in body_pairs if k == name] if body_too else [])

    queries = values("query")
    updates = values("update")
    if raw_kind == "query":
        queries.append(raw_text or "")
    if raw_kind == "update":
        updates.append(raw_text or "")
    if queries and updates:
        raise BadRequestError("a request carries either a query or an update, not both")
    if len(queries) > 1:
        raise BadRequestError(f"{len(queries)} 'query' parameters: send exactly one")
    if len(updates) > 1:
        raise BadRequestError(f"{len(updates)} 'update' parameters: send exactly one")
    if updates:
        if method != "POST":
            refusal = BadRequestError if allow_update else ForbiddenError
            raise refusal(f"SPARQL Update is never accepted by {method}")
        return Operation("update", updates[0], tuple(values("using-graph-uri")), tuple(values("using-named-graph-uri")))
    if not queries:
        if method == "POST":
            raise BadRequestError("no 'query' parameter in the request")
        return Operation("describe")
    return Operation("query", queries[0], _graph_iris("default-graph-uri", values),
                     _graph_iris("named-graph-uri", values))


def _graph_iris(name: str, values: Callable[[str], list[str]]) -> tuple[str, ...]:
    """The graph IRIs given as ``name``; each must be an absolute IRI (the protocol asks for IRIs, not text)."""
    found = values(name)
    for value in found:
        try:
            NamedNode(value)
        except ValueError as exc:
            raise BadRequestError(f"parameter '{name}' must be an absolute IRI, got '{value}' ({exc})") from None
    return tuple(found)


async def sparql(request: Request) -> Response:
    """``/sparql``: a query, an update or the service description, as the request asks."""
    config = config_of(request)
    body = b""
    if request.method == "POST":
        body = await read_body(request.stream(), request.headers.get("content-length"), config.max_body)
    operation = parse_operation(request.method, request.scope["query_string"],
                                request.headers.get("content-type", ""), body, config.allow_update)
    if operation.kind == "describe":
        return service_description(request)
    if operation.kind == "update":
        return await update(request, operation)
    if config.allow_update and inspect_query(operation.text).is_update:
        raise BadRequestError("this is an update sent as a query: send it as update= (a form field) or as "
                              "application/sparql-update, with the bearer token")
    job = Job("sparql", operation.text, default_graph=operation.default_graphs or None,
              named_graphs=operation.named_graphs or None, accept=request.headers.get("accept"),
              limit=config.max_rows, base_iri=endpoint_url(request.scope))
    return await respond(request, job, headers={"Vary": "Accept"},
                         truncated={TRUNCATED: f"max-rows={config.max_rows}"})


async def update(request: Request, operation: Operation) -> Response:
    """A SPARQL Update: refused (403) on a read-only endpoint, else run by the writer with the bearer token."""
    config = config_of(request)
    if not config.allow_update:
        raise ForbiddenError("SPARQL Update is not allowed: this endpoint is read-only")
    if operation.default_graphs or operation.named_graphs:
        raise BadRequestError("using-graph-uri and using-named-graph-uri are not supported")
    expected = f"Bearer {config.token}"
    given = request.headers.get("authorization", "")
    if not config.token or not hmac.compare_digest(given.encode(), expected.encode()):
        raise UnauthorizedError("an update needs the bearer token (Authorization: Bearer ...)")
    return await respond(request, Job("update", operation.text))


def endpoint_url(scope: Scope) -> str:
    """The URL of the endpoint a request reached (``sd:endpoint``, and the base IRI of its queries)."""
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    server = scope.get("server")
    return endpoint_url_of(scope.get("scheme", "http"), host, tuple(server) if server else None, scope["path"])


@functools.lru_cache(maxsize=64)
def endpoint_url_of(scheme: str, host: bytes | None, server: tuple[str, int] | None, path: str) -> str:
    """The endpoint's URL as Starlette makes it of a request, from the parts of the request it depends on.

    Cached: every query needs it (as the base IRI) and it is the same for nearly all of them.
    """
    scope = {"scheme": scheme, "server": server, "path": path, "headers": [(b"host", host)] if host else []}
    return str(URL(scope=scope).replace(query="", fragment="")).rstrip("?")


def service_description(request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in a negotiated RDF syntax."""
    accept = request.headers.get("accept")
    offers = (*RDF_TYPES, HTML)
    media = negotiate(accept, offers, RDF_ALIASES)
    vary = {"Vary": "Accept"}  # the answer depends on Accept: a cache must not give the Turtle to a browser
    if media == HTML:
        return RedirectResponse(request.url_for("query_page").path, 303, headers=vary)
    if media is None:
        raise NotAcceptableError("the service description is available as " + ", ".join(RDF_TYPES))
    config = config_of(request)
    service = BlankNode()
    dataset = BlankNode()
    default_graph = BlankNode()
    triples = [
        Triple(service, RDF_TYPE, NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), NamedNode(endpoint_url(request.scope))),
        Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "UnionDefaultGraph")),
        Triple(service, NamedNode(SD + "defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, NamedNode(SD + "Dataset")),
        Triple(dataset, NamedNode(SD + "defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, NamedNode(SD + "Graph")),
        Triple(service, NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal("mpsc-graph SPARQL endpoint: the default graph is the union of all named graphs; "
                       "SERVICE is refused unless allowed; queries time out after "
                       f"{config.timeout:g} s", language="en")),
    ]
    if config.allow_update:
        triples.append(Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Update")))
    for media_type in (*RESULT_TYPES, *RDF_TYPES):
        triples.append(Triple(service, NamedNode(SD + "resultFormat"), NamedNode(FORMATS + FORMAT_IRIS[media_type])))
    return rdf_response(triples, media, vary)
