"""The adoption list: every adoption, filtered by the query string, paged, and downloadable as exactly
the filtered rows (``?format=csv`` or ``?format=json`` with the same filters).

The rows come from the ``page_adoptions`` named query and the transfer / joint-work kind from
``adoption_kinds`` (the project's one definition of it); the filters are applied to those rows here, so
a filter state is a plain URL that can be shared and bookmarked.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..entity_page import PageView
from ..errors import BadRequestError
from ..site import view
from .pagedata import PageData, RequestData, html_response, render
from .words import MODE_WORDS, STATUS_WORDS, words

PAGE_SIZE = 50
#: the most adoptions the list reads (the query's own LIMIT is the same)
MAX_ADOPTIONS = 20_000
FILTERS = ("asset", "origin", "adopter", "state", "mode", "status", "kind", "from", "to")
KINDS = {"transfer": ("Übertragung", "Transfer"), "joint-work": ("Gemeinsame Arbeit", "Joint work")}


@dataclass(frozen=True)
class AdoptionRow:
    """One adoption as the list shows and downloads it."""

    adoption: str
    asset: str
    asset_label: str
    solution: str
    solution_label: str
    origin: str
    origin_label: str
    origin_state: str
    adopter: str
    adopter_label: str
    adopter_state: str
    mode: str
    status: str
    kind: str
    start: str
    end: str

    @property
    def year(self) -> int | None:
        return int(self.start[:4]) if self.start[:4].isdigit() else None


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


async def all_adoptions(data: PageData) -> list[AdoptionRow]:
    """Every adoption with its kind (transfer or joint work)."""
    rows, kinds = await asyncio.gather(data.rows("page_adoptions", MAX_ADOPTIONS),
                                       data.rows("adoption_kinds", MAX_ADOPTIONS))
    kind_of = {a.value: k.value for a, k, *_ in kinds.rows if a is not None and k is not None}
    out = []
    for row in rows.rows:
        r = {name: _text(term) for name, term in zip(rows.columns, row, strict=True)}
        out.append(AdoptionRow(
            r["adoption"], r["asset"], r["assetLabel"] or r["asset"], r["solution"], r["solutionLabel"],
            r["origin"], r["originLabel"] or r["origin"], r["originState"], r["adopter"],
            r["adopterLabel"] or r["adopter"], r["adopterState"], r["mode"], r["status"] or "unknown",
            kind_of.get(r["adoption"], ""), r["start"], r["end"]))
    return out


def _year_param(params: Mapping[str, str], name: str) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise BadRequestError(f"'{name}' must be a year such as 2021, not '{value}'")
    return int(value)


def chosen(params: Mapping[str, str]) -> dict[str, str]:
    """The filters set in the query string (empty values dropped)."""
    return {k: params[k].strip() for k in FILTERS if params.get(k, "").strip()}


def apply_filters(rows: list[AdoptionRow], params: Mapping[str, str]) -> list[AdoptionRow]:
    """The rows that pass every filter of the query string. Text filters match labels and IRIs
    case-insensitively (``asset`` also matches the solution a module belongs to); ``state`` matches the
    adopter's or the origin's state; ``from``/``to`` bound the start year (rows without one drop out)."""
    f = chosen(params)
    start, end = _year_param(params, "from"), _year_param(params, "to")

    def has(needle: str, *values: str) -> bool:
        return any(needle.casefold() in v.casefold() for v in values if v)

    out = []
    for r in rows:
        if "asset" in f and not has(f["asset"], r.asset, r.asset_label, r.solution, r.solution_label):
            continue
        if "origin" in f and not has(f["origin"], r.origin, r.origin_label):
            continue
        if "adopter" in f and not has(f["adopter"], r.adopter, r.adopter_label):
            continue
        if "state" in f and f["state"] not in (r.adopter_state, r.origin_state):
            continue
        if any(key in f and f[key] != value for key, value in (("mode", r.mode), ("status", r.status),
                                                                ("kind", r.kind))):
            continue
        if (start is not None or end is not None) and (
                r.year is None or (start is not None and r.year < start) or (end is not None and r.year > end)):
            continue
        out.append(r)
    return out


def as_csv(rows: list[AdoptionRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(AdoptionRow.__dataclass_fields__)
    writer.writerow(names)
    writer.writerows([getattr(r, n) for n in names] for r in rows)
    return out.getvalue()


def as_json(rows: list[AdoptionRow]) -> str:
    return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1) + "\n"


async def adoption_list(request: Request) -> Response:
    """``/adoptions``: the filter form, the filtered rows a page at a time, and their download links."""
    data = RequestData(request)
    fmt = request.query_params.get("format")
    if fmt == "csv":
        rows = apply_filters(await all_adoptions(data), request.query_params)
        return Response(as_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="adoptions.csv"'})
    if fmt == "json":
        rows = apply_filters(await all_adoptions(data), request.query_params)
        return Response(as_json(rows), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="adoptions.json"'})
    if fmt:
        raise BadRequestError(f"format must be csv or json, not '{fmt}'")
    return html_response(await adoptions_page(data, await view(request), request.query_params))


async def adoptions_page(data: PageData, v: PageView, params: Mapping[str, str]) -> str:
    """The adoption list in the filter state ``params`` asks for, a page of it, as HTML."""
    every = await all_adoptions(data)
    rows = apply_filters(every, params)
    f = chosen(params)
    try:
        number = max(1, int(params.get("page", "1")))
    except ValueError:
        raise BadRequestError("page must be a whole number") from None
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(number, pages)
    index = 0 if v.lang == "de" else 1
    lang = {"lang": "en"} if v.lang == "en" else {}

    def link(**changes: Any) -> str:
        return v.url("/adoptions", {**f, **lang, **{k: str(c) for k, c in changes.items() if c}})

    states = sorted({s for r in every for s in (r.adopter_state, r.origin_state) if s})
    options = {
        "mode": [(m, MODE_WORDS.get(m, (m, m))[index]) for m in sorted({r.mode for r in every if r.mode})],
        "status": [(s, STATUS_WORDS.get(s, (s, s))[index]) for s in sorted({r.status for r in every})],
        "kind": [(k, KINDS[k][index]) for k in KINDS],
        "state": [(s, s) for s in states],
    }
    return render("webapp/adoptions.html", v=v, w=words(v.lang), rows=rows[(number - 1) * PAGE_SIZE:
                  number * PAGE_SIZE], total=len(rows), every=len(every), f=f, options=options, number=number,
                  pages=pages, link=link, modes=MODE_WORDS, statuses=STATUS_WORDS, kinds=KINDS, index=index)
