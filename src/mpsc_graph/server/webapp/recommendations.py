"""A municipality's recommendations as a page: what it could reuse, ranked, each with its reasons and sources.

The answer is :class:`mpsc_graph.recommend.Recommender`'s, the same as ``mpsc-graph recommend`` gives.
Its facts (every production use, every municipality's directory row, the readiness criteria) are read
once through the worker pool and kept with the served store's other facts, so each further page only
weighs the uses that can give the municipality a reason. The profile links here rather than waiting
for it, and stays fast.
"""

from __future__ import annotations

import asyncio

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response

from ...recommend import Answer, Recommender
from ..config import config_of
from ..entity_page import PageView
from ..errors import NotFoundError
from ..site import run_named, view
from .links import page_href
from .municipality import KEY
from .pagedata import html_response, render
from .poolgraph import PoolGraph
from .words import words

#: rows the recommender may read of one named query: every municipality of the directory and then some
RECOMMENDER_ROWS = 100_000
#: recommendations the page lists
SHOWN = 20


async def recommender(request: Request) -> Recommender:
    """The served store's recommender, its facts read on first use (one reader at a time)."""
    state = request.app.state
    found: Recommender | None = getattr(state, "recommender", None)
    if found is not None:
        return found
    lock = state.__dict__.setdefault("_recommender_lock", asyncio.Lock())
    async with lock:
        found = getattr(state, "recommender", None)
        if found is None:
            graph = PoolGraph(request, asyncio.get_running_loop(), limit=RECOMMENDER_ROWS)
            if graph.project is None:
                raise NotFoundError(
                    "this server has no project queries (start it with --root DIR): "
                    "recommendations need their weights and criteria"
                )
            made = await asyncio.to_thread(Recommender, graph)  # type: ignore[arg-type]
            await asyncio.to_thread(
                lambda: (made.profiles, made.index, made.assets, made.in_use_by, made.offers, made.readiness_met)
            )
            state.recommender = found = made
    return found


async def recommendations_page(request: Request) -> Response:
    """``/municipality/{key}/recommendations``: the ranked recommendations with reasons and sources."""
    key = request.path_params["key"]
    v = await view(request)
    iri = f"{config_of(request).id_base}municipality/{key}"
    if (
        not KEY.fullmatch(key)
        or not (await run_named(request, "municipality_profile", 5, municipality=NamedNode(iri))).rows
    ):
        raise NotFoundError(f"there is no municipality <{iri}>")
    engine = await recommender(request)
    answer = await asyncio.to_thread(engine.recommend, iri)
    return html_response(recommendations_html(answer, v, iri, key))


def recommendations_html(answer: Answer, v: PageView, iri: str, key: str) -> str:
    """The recommendations ``answer`` for the municipality ``iri`` (its ``key``) as HTML."""
    return render(
        "webapp/recommendations.html",
        v=v,
        w=words(v.lang),
        answer=answer,
        key=key,
        label=v.label(iri),
        shown=answer.recommendations[:SHOWN],
        page_href=page_href,
        head=answer.head(v.lang),
    )
