"""The figures page: adoptions per year, state and status, offers per route, and the top origins, adopters
and operators, each as a bar chart drawn on the server (SVG, no script) with its numbers as a table.

Every figure is one named query (``queries/page_figure_*.rq``) returning the same columns: ``key``,
``labelDe``, ``labelEn`` and ``count``; the page links each chart to its query, so a reader can check
or rerun what a bar shows. An empty key is the rows the data does not place (no start year, no state).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ..entity_page import PageView
from ..site import view
from .links import page_href
from .pagedata import PageData, RequestData, html_response, render
from .words import FIGURE_WORDS, words

#: the figures in page order: (name, named query); each query orders its own rows
FIGURES: tuple[tuple[str, str], ...] = (
    ("per_year", "page_figure_adoptions_per_year"),
    ("per_state", "page_figure_adoptions_per_state"),
    ("per_status", "page_figure_adoptions_per_status"),
    ("per_route", "page_figure_offers_per_route"),
    ("top_origins", "page_figure_top_origins"),
    ("top_adopters", "page_figure_top_adopters"),
    ("top_operators", "page_figure_top_operators"),
)
#: the most bars one figure draws (the queries' own LIMITs are at most this)
MAX_BARS = 500
#: chart geometry in SVG user units
LABEL_WIDTH, BAR_WIDTH, COUNT_WIDTH, ROW_HEIGHT = 230, 300, 50, 24
LABEL_CHARS = 32


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    href: str | None  # the page of what the bar counts, when it has one

    @property
    def short(self) -> str:
        """The label as the chart prints it (the table beside it has the whole label)."""
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class Figure:
    name: str
    query: str
    title: str
    explanation: str
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)

    @property
    def height(self) -> int:
        return ROW_HEIGHT * max(1, len(self.bars)) + 4

    def width_of(self, bar: Bar) -> float:
        """The bar's length: the largest count fills the bar area."""
        top = max((b.count for b in self.bars), default=0)
        return round(BAR_WIDTH * bar.count / top, 1) if top else 0.0


async def figure(data: PageData, name: str, query: str, v: PageView) -> Figure:
    """One figure from its named query, labels in ``lang``; the unplaced rows (empty key) come last."""
    reply = await data.rows(query, MAX_BARS)
    lang = v.lang
    w = words(lang)
    index = 0 if lang == "de" else 1
    bars, unplaced = [], []
    for row in reply.rows:
        r = {n: ("" if t is None else str(t.value)) for n, t in zip(reply.columns, row, strict=True)}
        key = r["key"]
        label = (r["labelEn"] if lang == "en" else r["labelDe"]) or r["labelDe"] or key
        if not key:
            unplaced.append(Bar("", w["figure_unplaced"], int(r["count"]), None))
            continue
        href = page_href(v, key) if key.startswith(("http://", "https://")) else None
        bars.append(Bar(key, label, int(r["count"]), href))
    if name == "per_year":
        bars = _every_year(bars)
    title, explanation = FIGURE_WORDS[name][index]
    return Figure(name, query, title, explanation, tuple(bars + unplaced))


def _every_year(bars: list[Bar]) -> list[Bar]:
    """The years from the first to the last, a year without adoptions as a bar of 0 (a gap is a figure too)."""
    counted = {int(b.key): b for b in bars if b.key.isdigit()}
    if not counted:
        return bars
    return [counted.get(year) or Bar(str(year), str(year), 0, None)
            for year in range(min(counted), max(counted) + 1)]


async def figures_html(data: PageData, v: PageView) -> str:
    """Every figure, each a chart with its table and the query that computes it, as HTML."""
    # one after the other: the worker pool refuses a second long query while one runs, and on a busy
    # machine even these short ones can count as long
    found = [await figure(data, name, query, v) for name, query in FIGURES]
    return render("webapp/figures.html", v=v, w=words(v.lang), figures=found, label_width=LABEL_WIDTH,
                  bar_width=BAR_WIDTH, count_width=COUNT_WIDTH, row_height=ROW_HEIGHT)


async def figures_page(request: Request) -> Response:
    """``/figures``: every figure, each a chart with its table and the query that computes it."""
    return html_response(await figures_html(RequestData(request), await view(request)))
