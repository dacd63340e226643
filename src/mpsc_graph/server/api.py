"""Named queries as a web API, grlc style: ``GET /api/{name}?param=value``.

Each ``queries/{name}.rq`` becomes an operation; parameters are bound as typed terms by
:meth:`NamedQuery.bind` (400 naming the parameter and the expected type), the query runs in a
worker through the one query function, and the rows come back as JSON records or CSV by
``Accept`` (also the SPARQL result formats). ``limit`` (default 1,000, at most 10,000) and
``offset`` page through the rows. ``/api/openapi.json`` describes every operation.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import InputError
from ..sparql import Term
from .config import API_DEFAULT_LIMIT, API_MAX_LIMIT, API_MAX_OFFSET
from .errors import BadRequestError
from .messages import Job
from .responses import respond
from .site import named, queries
from .workers import API_TYPES

SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
    "boolean": {"type": "boolean"},
}


def _count(request: Request, name: str, default: int, maximum: int) -> int:
    """A whole-number parameter between 0 and ``maximum`` (400 otherwise, never a server error)."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()):  # str.isdigit() also takes digits int() refuses, such as '²'
        raise InputError(f"parameter '{name}' expects a whole number >= 0, got '{raw[:50]}'")
    if len(raw.lstrip("0")) > len(str(maximum)) or int(raw) > maximum:  # no int() of thousands of digits
        raise InputError(f"parameter '{name}' is at most {maximum}, got {raw[:20]}{'…' if len(raw) > 20 else ''}")
    return int(raw)


async def named_query(request: Request) -> Response:
    """Run one named query with the request's parameters."""
    query = named(request, request.path_params["name"])
    values: dict[str, str | Term] = {}
    for key, value in request.query_params.multi_items():
        if key in ("limit", "offset"):
            continue
        if key in values:
            raise BadRequestError(f"parameter '{key}' given twice")
        values[key] = value
    try:
        limit = _count(request, "limit", API_DEFAULT_LIMIT, API_MAX_LIMIT)
        offset = _count(request, "offset", 0, API_MAX_OFFSET)
        params = query.bind(values)
    except InputError as exc:
        raise BadRequestError(str(exc)) from None
    job = Job("api", query.text, params=params, accept=request.headers.get("accept"), limit=limit, offset=offset)
    following = {"Link": f'<{request.url.include_query_params(limit=limit, offset=offset + limit)}>; rel="next"'}
    return await respond(request, job, headers={"Vary": "Accept"}, truncated=following if limit else None)


async def index(request: Request) -> Response:
    """The list of operations (the same facts as the OpenAPI document, shorter), the readiness criteria apart."""
    from .decide_api import criteria_listed

    return JSONResponse([{"name": name, "summary": q.summary, "path": f"/api/{name}",
                          "params": [{"name": p.name, "type": p.type, "required": p.required} for p in q.params]}
                         for name, q in queries(request).items()] + criteria_listed(request))


async def openapi(request: Request) -> Response:
    """OpenAPI 3.0 description of every named query."""
    return JSONResponse(openapi_document(request))


def openapi_document(request: Request) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every named query (served as JSON, and as the API's documentation page)."""
    paths: dict[str, Any] = {}
    for name, query in queries(request).items():
        parameters = [{"name": p.name, "in": "query", "required": p.required,
                       "description": p.description or p.type, "schema": SCHEMAS.get(p.type, {"type": "string"}),
                       **({"example": p.example} if p.example else {})}
                      for p in query.params]
        parameters += [
            {"name": "limit", "in": "query", "required": False,
             "description": f"rows to return (default {API_DEFAULT_LIMIT}, at most {API_MAX_LIMIT})",
             "schema": {"type": "integer", "minimum": 0, "maximum": API_MAX_LIMIT, "default": API_DEFAULT_LIMIT}},
            {"name": "offset", "in": "query", "required": False, "description": "rows to skip",
             "schema": {"type": "integer", "minimum": 0, "default": 0}},
        ]
        paths[f"/api/{name}"] = {"get": {
            "operationId": name, "summary": query.summary, "tags": list(query.tags), "parameters": parameters,
            "description": f"Runs queries/{name}.rq:\n\n```sparql\n{query.text}\n```",
            "responses": {
                "200": {"description": "the rows", "content": {media: {} for media in API_TYPES}},
                "400": {"description": "a parameter is missing or has the wrong type (the message names it)"},
                "404": {"description": "no such named query (the message lists the names)"},
                "406": {"description": "no acceptable format (the message lists " + ", ".join(API_TYPES) + ")"},
                "503": {"description": "the query timed out"},
            }}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "mpsc-graph named queries", "version": "1",
                 "description": "Every named query of queries/*.rq as an operation; JSON records by default, "
                                "CSV with Accept: text/csv."},
        "servers": [{"url": str(request.base_url).rstrip("/")}],
        "paths": paths,
    }
