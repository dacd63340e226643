"""The dataset's description (VoID) and the ontology, readable in a browser.

``/.well-known/void`` stays RDF for RDF clients (Turtle by default, by ``Accept`` or a suffix such as
``.ttl``); a browser, which names ``text/html`` in its ``Accept`` header, gets this page with the same
statistics as a table and links to each RDF form. The ontology page is pyLODE's document; it gets the
site's header, so a reader can go back to the rest of the site.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..conneg import SUFFIXES
from ..site import View, page, templates
from .words import words

#: the header's own look inside pyLODE's page (whose style sheet knows nothing of it)
HEADER_STYLE = (
    "<style>.site-header header{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;"
    "padding:.6rem 1.2rem;background:#0b3d5c;font-family:system-ui,sans-serif}"
    ".site-header a{color:#fff;text-decoration:none}.site-header .brand{font-weight:700}"
    ".site-header nav{display:flex;gap:1rem;flex-wrap:wrap}.site-header .lang{color:#cde}</style>"
)


def asks_for_html(accept: str | None) -> bool:
    """Whether the client names HTML (browsers do); ``*/*`` alone, as programs send, keeps the RDF default."""
    return "text/html" in (accept or "").lower()


def with_site_header(document: str, v: View) -> str:
    """pyLODE's HTML ``document`` with the site's header (navigation, language switch) at the top of its body."""
    header = templates.get_template("nav.html").render(v=v)
    block = f'{HEADER_STYLE}<div class="site-header">{header}</div>'
    at = document.find("<body")
    if at < 0:
        return block + document
    end = document.index(">", at) + 1
    return document[:end] + block + document[end:]


def void_page(request: Request, v: View, stats: dict[str, Any], dataset: str) -> Response:
    """The VoID description as a page: its numbers, class and property partitions, and its RDF forms."""
    forms = [(suffix, media) for suffix, media in SUFFIXES.items() if suffix != ".html"]
    return page(
        request,
        "webapp/void.html",
        v=v,
        w=words(v.lang),
        numbers=stats["numbers"],
        classes=stats["classes"],
        properties=stats["properties"],
        forms=forms,
        dataset=dataset,
    )
