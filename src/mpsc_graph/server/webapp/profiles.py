"""The solution (and module) profile: the reuse brief as a page, summary first, sources numbered once.

The page answers in this order: what it is, who made it, since when; how to reuse it (offers, costs,
financing, contact points); who operates and maintains it; who uses it (a table with status and
period); its modules, standards, licence and repositories; then the numbered sources. Its facts are
the ``reuse`` command's brief (:func:`mpsc_graph.reuse.build_brief`), built from the same named
queries through the worker pool, so the page and the command give one answer to each question.
Proper names stay as the data spells them; every other word is German or English, never both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response

from ... import reuse
from ...resolve import Entity
from ..config import config_of
from ..entity_page import PageView
from ..errors import NotFoundError
from ..site import view
from .pagedata import PageData, RequestData, html_response, render
from .poolgraph import PAGE_ROWS
from .words import MODE_WORDS, STATUS_WORDS, words

#: the page's groups of the brief's sections, in reading order
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("summary", ("what", "made")),
    ("how_to_reuse", ("offers", "costs", "financing", "contact")),
    ("responsibility", ("operates", "maintains")),
    ("readiness", ("readiness",)),
)
TAIL = ("standards", "licence", "repositories")


@dataclass
class AdopterRow:
    adopter: str
    adopter_label: str
    origin: str
    origin_label: str
    adopted: str
    adopted_label: str
    mode: str
    status: str
    period: str
    numbers: list[int]


def _year(value: Any) -> str:
    return "" if value is None else str(value)


def _adopter_rows(brief: reuse.Brief, records: list[dict[str, Any]], lang: str) -> list[AdopterRow]:
    index = reuse.LANGS.index(lang)
    rows = []
    for r in records:
        start, end = _year(r.get("start")), _year(r.get("end"))
        period = f"{start or '?'} – {end}" if end else (f"{words(lang)['since']} {start}" if start else "")
        numbers = sorted({brief.number(s) for s in str(r.get("sources") or "").split()
                          if any(ref.iri == s for ref in brief.references)})
        mode, status = str(r.get("mode") or ""), str(r.get("status") or "unknown")
        rows.append(AdopterRow(
            str(r["adopter"]), str(r.get("adopterLabel") or r["adopter"]), str(r.get("origin") or ""),
            str(r.get("originLabel") or r.get("origin") or ""), str(r.get("adopted") or ""),
            str(r.get("adoptedLabel") or ""), MODE_WORDS.get(mode, (mode, mode))[index],
            STATUS_WORDS.get(status, (status, status))[index], period, numbers))
    return rows


async def solution_profile(request: Request) -> Response:
    """``/solution/{key}`` and ``/module/{key}``: the profile of a solution or module."""
    kind = request.url.path.strip("/").split("/", 1)[0]
    config = config_of(request)
    html = await profile_page(RequestData(request), await view(request), kind, request.path_params["key"],
                              config.id_base)
    return html_response(html)


async def profile_page(data: PageData, v: PageView, kind: str, key: str, id_base: str) -> str:
    """The profile of the solution or module ``{id_base}{kind}/{key}`` as HTML (NotFoundError if none)."""
    iri = f"{id_base}{kind}/{key}"
    found = await data.rows("reuse_asset", 10, asset=NamedNode(iri))
    if not found.rows:
        raise NotFoundError(f"there is no {kind} <{iri}>")
    entity = Entity(iri, v.label(NamedNode(iri)), kind, key)
    brief = await data.brief(entity, v.lang)
    adoptions = await data.rows("adoptions_of_asset", PAGE_ROWS, asset=NamedNode(iri))
    records = [{c: reuse_value(t) for c, t in zip(adoptions.columns, row, strict=True)} for row in adoptions.rows]
    modules = []
    if kind == "solution":
        reply = await data.rows("page_solution_modules", 500, asset=NamedNode(iri))
        for row in reply.rows:
            r = dict(zip(reply.columns, row, strict=True))
            de, en, module, count = r.get("labelDe"), r.get("labelEn"), r["module"], r["adoptions"]
            assert module is not None and count is not None  # bound in every row of the query
            label = (en if v.lang == "en" and en else de or en or module).value
            modules.append({"iri": module.value, "key": module.value.rsplit("/", 1)[-1],
                            "label": label, "adoptions": int(count.value)})
    sections = {s.key: s for s in brief.sections}
    return render("webapp/solution.html", v=v, w=words(v.lang), brief=brief, sections=sections,
                  groups=GROUPS, tail=TAIL, ranges=ranges,
                  marks=lambda item: ranges(sorted({brief.number(s) for s in item.sources})),
                  adopters=_adopter_rows(brief, records, v.lang), modules=modules,
                  doc=f"/doc/{kind}/{key}", module_of=_local(brief.solution, id_base))


def ranges(numbers: list[int]) -> list[tuple[str, int]]:
    """Reference marks for sorted ``numbers``: runs of three or more as ``1–9``, each with the number it links to."""
    marks: list[tuple[str, int]] = []
    run: list[int] = []
    for n in [*numbers, -1]:
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if len(run) >= 3:
            marks.append((f"{run[0]}–{run[-1]}", run[0]))
        else:
            marks += [(str(m), m) for m in run]
        run = [n]
    return marks


def reuse_value(term: Any) -> Any:
    """A term as the brief's records have it (plain strings; dates and years as their text)."""
    return None if term is None else term.value


def _local(iri: str | None, id_base: str) -> str | None:
    return "/" + iri[len(id_base):] if iri and iri.startswith(id_base) else None
