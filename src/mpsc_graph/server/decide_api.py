"""Decision support as a web API: reuse readiness and recommendations, answered as the commands answer.

- ``GET /api/readiness``: the criteria of ``queries/readiness/`` (titles, why, reference, threshold, outcomes).
- ``GET /api/readiness?asset=IRI[&asOf=DATE]``: the readiness of one solution or module, as
  ``mpsc-graph readiness --format json`` gives it.
- ``GET /api/readiness/{criterion}[?asset=IRI][&asOf=DATE]``: one criterion's rows, for every solution
  and module or one, through the same response pipeline as every named query (JSON records or CSV by
  ``Accept``; ``limit`` and ``offset``).
- ``GET /api/recommend/{ags}[?asOf=DATE]``: recommendations for the municipality with that
  Amtlicher Gemeindeschlüssel, as ``mpsc-graph recommend --format json`` gives them.

Every query runs in a worker. The facts a recommendation compares (production uses, profiles, readiness
of every asset) are read once per store and as-of date and kept until the store is swapped, because
reading them takes far longer than one answer. ``asOf`` defaults to the served project's modification
date, as ``export`` computes it.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from pyoxigraph import Literal, NamedNode
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import InputError
from ..project import Project
from ..queries import Param
from ..readiness import Criterion, assess, criteria
from ..recommend import Recommender
from ..resolve import Entity
from ..results import Table
from ..sparql import Term
from .api import _count
from .config import API_DEFAULT_LIMIT, API_MAX_LIMIT, API_MAX_OFFSET
from .errors import BadRequestError, NotFoundError
from .messages import Job
from .responses import respond, rows
from .site import labels, language, run_named

#: rows one internal query may return (the directory has about 11,000 municipalities; uses may be many more)
INTERNAL_ROWS = 5_000_000
#: seconds a thread waits for one query's rows (the worker's own timeout ends it first)
WAIT_SECONDS = 600.0
_ASSET = Param(
    "asset",
    "iri",
    "a solution or module",
    required=False,
    example="https://w3id.org/mpsc-graph/id/solution/smart-village-app",
)
_AS_OF = Param("asOf", "date", "the day dates are compared with", required=False)
_AGS = re.compile(r"\d{8}")


class ServerGraph:
    """The library's graph interface (``query``, ``select``, ``label``, ``resolve``, ``project``) on the
    worker pool, for the decision modules run in a thread; each call hands a query to the event loop."""

    def __init__(self, request: Request, loop: asyncio.AbstractEventLoop, names: dict[str, dict[str, str]]) -> None:
        self.request = request
        self.loop = loop
        self.names = names
        queries_dir = request.app.state.config.queries_dir
        self.project = Project.at(queries_dir.parent)

    def _wait(self, coroutine: Any) -> Table:
        reply = asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(WAIT_SECONDS)
        return Table(tuple(reply.variables), tuple(tuple(row) for row in reply.rows))

    def query(self, name: str, **params: str | Term) -> Table:
        return self._wait(run_named(self.request, name, INTERNAL_ROWS, **params))  # type: ignore[arg-type]

    def select(self, text: str, params: dict[str, Term] | None = None) -> Table:
        return self._wait(rows(self.request, text, params, INTERNAL_ROWS))

    def label(self, iri: str) -> str:
        found = self.names.get(iri, {})
        return found.get("de") or found.get("") or found.get("en") or iri.rstrip("/").rsplit("/", 1)[-1]

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity:
        """Only IRIs are given here; the asset's existence is checked by the caller."""
        return Entity(name, self.label(name), next(k for k in kinds if f"/{k}/" in name), name.rsplit("/", 1)[-1])


def _criteria(request: Request) -> dict[str, Criterion]:
    state = request.app.state
    if getattr(state, "readiness_criteria", None) is None:
        folder = state.config.queries_dir
        found = criteria(folder) if folder is not None and (folder / "readiness").is_dir() else []
        state.readiness_criteria = {c.name: c for c in found}
    known: dict[str, Criterion] = state.readiness_criteria
    if not known:
        raise NotFoundError(
            "this server has no readiness criteria: it has no queries/readiness/ directory (start it with --root DIR)"
        )
    return known


def criteria_listed(request: Request) -> list[dict[str, Any]]:
    """The criteria as operations of the ``/api`` list (none when the server has no criteria)."""
    try:
        known = _criteria(request)
    except NotFoundError:
        return []
    return [
        {
            "name": f"readiness/{c.name}",
            "summary": c.query.summary,
            "path": f"/api/readiness/{c.name}",
            "params": [
                {"name": p.name, "type": p.type, "required": False} for p in (_ASSET, _AS_OF) if p is _ASSET or c.dated
            ],
        }
        for c in known.values()
    ]


def _as_of(request: Request) -> date | None:
    raw = request.query_params.get("asOf")
    if raw is None:
        return None
    try:
        term = _AS_OF.to_term(raw)
    except InputError as exc:
        raise BadRequestError(str(exc)) from None
    return date.fromisoformat(term.value)


def _served_as_of(request: Request) -> date:
    """The served project's modification date, as ``export`` computes it (read once)."""
    from ..export import inputs_modified

    state = request.app.state
    if getattr(state, "readiness_as_of", None) is None:
        state.readiness_as_of = inputs_modified(Project.at(state.config.queries_dir.parent))
    day: date = state.readiness_as_of
    return day


async def readiness(request: Request) -> Response:
    """The criteria, or the readiness of one solution or module (``?asset=IRI``)."""
    known = _criteria(request)
    iri = request.query_params.get("asset")
    if iri is None:
        return JSONResponse(
            [
                {
                    "name": c.name,
                    "path": f"/api/readiness/{c.name}",
                    "title_de": c.title_de,
                    "title_en": c.title_en,
                    "why": c.why,
                    "reference": c.reference,
                    "threshold": c.threshold,
                    "threshold_de": c.threshold_de,
                    "outcomes": list(c.outcomes),
                    "dated": c.dated,
                }
                for c in known.values()
            ]
        )
    try:
        asset = _ASSET.to_term(iri)
    except InputError as exc:
        raise BadRequestError(str(exc)) from None
    found = await run_named(request, "reuse_asset", 10, asset=asset)  # type: ignore[arg-type]
    if not found.rows or not re.search(r"/(solution|module)/", iri):
        raise NotFoundError(f"there is no solution or module <{iri}>")
    day = _as_of(request) or _served_as_of(request)
    names = (await labels(request)).names
    graph = ServerGraph(request, asyncio.get_running_loop(), names)
    result = await asyncio.to_thread(assess, graph, iri, as_of=day)  # type: ignore[arg-type]
    return Response(result.to_json(), media_type="application/json")


async def readiness_criterion(request: Request) -> Response:
    """One criterion's rows (every solution and module, or ``?asset=IRI``), paged like every named query."""
    known = _criteria(request)
    name = request.path_params["criterion"]
    criterion = known.get(name)
    if criterion is None:
        raise NotFoundError(f"there is no readiness criterion '{name}'; the criteria are: {', '.join(known)}")
    for key in request.query_params:
        if key not in ("asset", "asOf", "limit", "offset"):
            raise BadRequestError(f"unknown parameter '{key}' (parameters: asset, asOf, limit, offset)")
    try:
        limit = _count(request, "limit", API_DEFAULT_LIMIT, API_MAX_LIMIT)
        offset = _count(request, "offset", 0, API_MAX_OFFSET)
        params: dict[str, Term] = {}
        if "asset" in request.query_params:
            params["asset"] = _ASSET.to_term(request.query_params["asset"])
    except InputError as exc:
        raise BadRequestError(str(exc)) from None
    day = _as_of(request)
    if criterion.dated:
        day = day or _served_as_of(request)
        params["_asOf"] = Literal(day.isoformat(), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    job = Job(
        "api", criterion.query.text, params=params, accept=request.headers.get("accept"), limit=limit, offset=offset
    )
    following = {"Link": f'<{request.url.include_query_params(limit=limit, offset=offset + limit)}>; rel="next"'}
    return await respond(request, job, headers={"Vary": "Accept"}, truncated=following if limit else None)


async def _recommender(request: Request, day: date) -> Recommender:
    """The recommender of the served store for ``day``, its facts read once (in a thread, queries in workers)."""
    state = request.app.state
    lock = state.__dict__.setdefault("_recommenders_lock", asyncio.Lock())
    async with lock:
        kept: dict[date, Recommender] = getattr(state, "recommenders", None) or {}
        if day not in kept:
            names = (await labels(request)).names
            graph = ServerGraph(request, asyncio.get_running_loop(), names)

            def prepare() -> Recommender:
                recommender = Recommender(graph, as_of=day)  # type: ignore[arg-type]
                for facts in (
                    "profiles",
                    "index",
                    "readiness_met",
                    "offers",
                    "directory",
                ):  # read now, not in an answer
                    getattr(recommender, facts)
                return recommender

            kept = {**dict(list(kept.items())[-1:]), day: await asyncio.to_thread(prepare)}  # two dates at most
            state.recommenders = kept
        return kept[day]


async def recommend(request: Request) -> Response:
    """Recommendations for the municipality with the AGS ``{ags}`` (8 digits)."""
    _criteria(request)
    ags = request.path_params["ags"]
    if not _AGS.fullmatch(ags):
        raise BadRequestError(f"an AGS has 8 digits, got '{ags[:20]}'")
    day = _as_of(request) or _served_as_of(request)
    recommender = await _recommender(request, day)
    by_ags = {str(p.get("ags")): iri for iri, p in recommender.profiles.items() if p.get("ags")}
    municipality = by_ags.get(ags)
    if municipality is None:
        raise NotFoundError(f"no municipality of the directory has the AGS {ags}")
    answer = await asyncio.to_thread(recommender.recommend, municipality)
    return Response(answer.to_json(language(request)), media_type="application/json")
