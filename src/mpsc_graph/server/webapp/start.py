"""The start page: a search box, the ways in by question (what can we reuse, who uses what, map,
figures, a municipality's profile) and the size of the dataset in one line, counted by the
``page_dataset_size`` named query."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..entity_page import PageView
from ..errors import HttpError
from ..site import view
from .pagedata import PageData, RequestData, html_response, render
from .words import count_words, words

#: the size line's parts: (column of page_dataset_size, word for one, word for several)
SIZE_PARTS = (
    ("solutions", "one_solution_short", "n_solutions_short"),
    ("modules", "one_module", "n_modules"),
    ("adoptions", "one_adoption_short", "n_adoptions_short"),
    ("projects", "one_project", "n_projects"),
    ("bodies", "one_body", "n_bodies"),
    ("municipalities", "one_municipality", "n_municipalities"),
)
#: municipality profiles the start page offers as examples: (AGS, name as the data spells it)
EXAMPLES = (("15002000", "Halle (Saale)"), ("05774032", "Paderborn"), ("12069020", "Bad Belzig"))


async def size_line(data: PageData, lang: str) -> str:
    """The dataset's size in words, e.g. ``82 Lösungen, 12 Module, …``; empty when the count failed."""
    try:
        reply = await data.rows("page_dataset_size", 1)
    except HttpError:  # the page still shows the ways in when the count timed out
        return ""
    if not reply.rows:
        return ""
    counts = {name: int(term.value) for name, term in zip(reply.columns, reply.rows[0], strict=True) if term}
    parts = [count_words(lang, counts[column], one, many) for column, one, many in SIZE_PARTS if column in counts]
    return words(lang)["size_line"].format(parts=", ".join(parts))


async def start_html(data: PageData, v: PageView) -> str:
    """The start page as HTML."""
    return render("webapp/start.html", v=v, w=words(v.lang), size=await size_line(data, v.lang), examples=EXAMPLES)


async def start_page(request: Request) -> Response:
    """``/``: what the dataset answers and where to go for each question."""
    return html_response(await start_html(RequestData(request), await view(request)))
