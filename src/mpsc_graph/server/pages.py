"""Pages for people: the landing page, the offline query page and the label search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .linked_data import void_statistics
from .site import page, queries, run_named, view
from .workers import Reply


async def landing(request: Request) -> Response:
    """What the dataset is, how big, and where to go from here."""
    v = await view(request)
    stats = await void_statistics(request)
    numbers = stats["numbers"] if isinstance(stats, dict) else {}
    classes = stats["classes"][:12] if isinstance(stats, dict) else []
    return page(request, "index.html", v=v, numbers=numbers, classes=classes, queries=queries(request))


async def query_page(request: Request) -> Response:
    """A plain query form that works offline; the named queries are ready-made examples."""
    v = await view(request)
    examples = {name: q for name, q in queries(request).items()}
    initial = request.query_params.get("query") or ""
    chosen = request.query_params.get("example")
    if chosen in examples:
        initial = examples[chosen].text
    texts = {name: q.text for name, q in examples.items()}
    return page(request, "query.html", v=v, examples=examples, initial=initial, examples_texts=texts)


async def search(request: Request) -> Response:
    """Label search for people who do not write SPARQL (named query ``label_search``)."""
    v = await view(request)
    text = (request.query_params.get("q") or "").strip()
    hits: list[dict] = []
    if text:
        reply = await run_named(request, "label_search", text=text)
        if not isinstance(reply, Reply):
            return reply
        seen: dict[str, dict] = {}
        for _, entity, label, cls in reply.rows:
            hit = seen.setdefault(entity.value, {"iri": entity.value, "label": label.value, "classes": []})
            if cls is not None and cls not in hit["classes"]:
                hit["classes"].append(cls)
        hits = list(seen.values())
    return page(request, "search.html", v=v, text=text, hits=hits)
