"""Pages for people: the offline query page and the label search (the start page is the web application's)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .site import page, queries, view
from .webapp.links import page_href
from .webapp.query_examples import example_text
from .webapp.words import count_words, words


async def query_page(request: Request) -> Response:
    """A plain query form that works offline; the named queries are ready-made examples."""
    v = await view(request)
    examples = {name: q for name, q in queries(request).items()}
    initial = request.query_params.get("query") or ""
    chosen = request.query_params.get("example")
    texts = {name: example_text(q) for name, q in examples.items()}
    if chosen in examples:
        initial = texts[chosen]
    return page(request, "query.html", v=v, w=words(v.lang), examples=examples, initial=initial,
                examples_texts=texts)


async def search(request: Request) -> Response:
    """Label search for people who do not write SPARQL, over the labels of the ``labels`` query."""
    v = await view(request)
    text = (request.query_params.get("q") or "").strip()
    hits = [{"iri": iri, "label": label, "classes": v.labels.classes.get(iri, [])}
            for iri, label in v.labels.search(text)] if text else []
    return page(request, "search.html", v=v, text=text, hits=hits,
                found=count_words(v.lang, len(hits), "one_result", "n_results"), page_href=page_href)
