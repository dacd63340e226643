"""The solution catalogue: every solution and module, narrowed by facets whose state lives in the URL.

Rows come from ``page_catalogue_assets``, facet values from ``page_catalogue_facets`` (thematic field,
state of origin, adoption status, route of an offer open to new members, licence family, standard).
Each facet counts, for each of its values, the assets that would remain if that value were chosen
with the other facets as they are, so a count is what a click on it gives.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..entity_page import PageView
from ..errors import BadRequestError
from ..site import view
from .pagedata import PageData, RequestData, html_response, render
from .words import words

PAGE_SIZE = 25
MAX_ASSETS = 20_000
MAX_FACET_ROWS = 50_000
FACETS = ("field", "state", "status", "route", "licence", "standard")
FACET_WORDS = {
    "field": ("Handlungsfeld", "Thematic field"), "state": ("Land der Herkunft", "State of origin"),
    "status": ("Status einer Nachnutzung", "Adoption status"),
    "route": ("Weg eines offenen Angebots", "Route of an open offer"), "licence": ("Lizenz", "Licence"),
    "standard": ("Standard", "Standard"),
}
SORTS = ("label", "adoptions")


@dataclass
class Asset:
    iri: str
    kind: str
    label: str
    solution: str
    originator: str
    adoptions: int
    facets: dict[str, set[str]] = field(default_factory=dict)
    fields: str = ""  # the labels of its thematic fields, for the table

    @property
    def path(self) -> str:
        return f"/{self.kind}/{self.iri.rsplit('/', 1)[-1]}"


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


async def catalogue_rows(data: PageData, lang: str) -> tuple[list[Asset], dict[str, dict[str, str]]]:
    """Every asset with its facet values, and each facet's value → label in ``lang``."""
    assets, facets = await asyncio.gather(data.rows("page_catalogue_assets", MAX_ASSETS),
                                          data.rows("page_catalogue_facets", MAX_FACET_ROWS))
    out: dict[str, Asset] = {}
    for row in assets.rows:
        r = {n: _text(t) for n, t in zip(assets.columns, row, strict=True)}
        label = (r["labelEn"] if lang == "en" else r["labelDe"]) or r["labelDe"] or r["labelEn"] or r["asset"]
        out[r["asset"]] = Asset(r["asset"], r["kind"], label, r["solution"], r["originatorLabel"],
                                int(r["adoptions"] or 0))
    labels: dict[str, dict[str, str]] = {f: {} for f in FACETS}
    for row in facets.rows:
        r = {n: _text(t) for n, t in zip(facets.columns, row, strict=True)}
        if r["asset"] in out and r["facet"] in labels:
            out[r["asset"]].facets.setdefault(r["facet"], set()).add(r["value"])
            labels[r["facet"]][r["value"]] = (r["valueEn"] if lang == "en" else r["valueDe"]) or r["valueDe"] \
                or r["value"].rsplit("/", 1)[-1]
    for asset in out.values():
        asset.fields = ", ".join(sorted(labels["field"][value] for value in asset.facets.get("field", ())))
    return list(out.values()), labels


def _matches(asset: Asset, chosen: dict[str, str], text: str, kind: str, skip: str = "") -> bool:
    if kind and asset.kind != kind:
        return False
    if text and text.casefold() not in asset.label.casefold():
        return False
    return all(value in asset.facets.get(name, set()) for name, value in chosen.items() if name != skip)


@dataclass(frozen=True)
class CatalogueState:
    """What the query string asks of the catalogue (checked: a bad value is a 400 naming it)."""

    chosen: dict[str, str]
    text: str
    kind: str
    sort: str
    number: int

    @classmethod
    def of(cls, params: Mapping[str, str]) -> CatalogueState:
        chosen = {f: params[f] for f in FACETS if params.get(f)}
        text, kind = params.get("q", "").strip(), params.get("kind", "")
        if kind not in ("", "solution", "module"):
            raise BadRequestError(f"kind must be solution or module, not '{kind}'")
        sort = params.get("sort", "label")
        if sort not in SORTS:
            raise BadRequestError(f"sort must be one of {', '.join(SORTS)}, not '{sort}'")
        try:
            number = max(1, int(params.get("page", "1")))
        except ValueError:
            raise BadRequestError("page must be a whole number") from None
        return cls(chosen, text, kind, sort, number)


def select(assets: list[Asset], state: CatalogueState) -> list[Asset]:
    """The assets the state's facets, kind and text leave, in its sort order."""
    hits = [a for a in assets if _matches(a, state.chosen, state.text, state.kind)]
    hits.sort(key=(lambda a: (-a.adoptions, a.label.casefold())) if state.sort == "adoptions"
              else (lambda a: a.label.casefold()))
    return hits


def as_records(assets: list[Asset]) -> list[dict[str, Any]]:
    """The rows of the download: one per asset, its facet values as lists of IRIs."""
    return [{"iri": a.iri, "kind": a.kind, "label": a.label, "path": a.path, "solution": a.solution,
             "originator": a.originator, "adoptions": a.adoptions, "fields": a.fields,
             **{f"facet_{name}": sorted(a.facets.get(name, ())) for name in FACETS}} for a in assets]


def as_csv(assets: list[Asset]) -> str:
    """The download as CSV (several facet values separated by spaces)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    records = as_records(assets)
    names = list(records[0]) if records else ["iri", "kind", "label"]
    writer.writerow(names)
    writer.writerows([" ".join(v) if isinstance(v, list) else v for v in r.values()] for r in records)
    return out.getvalue()


def as_json(assets: list[Asset]) -> str:
    return json.dumps(as_records(assets), ensure_ascii=False, indent=1) + "\n"


async def catalogue_page(data: PageData, v: PageView, params: Mapping[str, str]) -> str:
    """The catalogue in the state ``params`` asks for, as HTML."""
    state = CatalogueState.of(params)
    chosen, text, kind, sort = state.chosen, state.text, state.kind, state.sort
    assets, labels = await catalogue_rows(data, v.lang)
    hits = select(assets, state)
    index = 0 if v.lang == "de" else 1
    facet_counts = []
    for name in FACETS:
        remaining = [a for a in assets if _matches(a, chosen, text, kind, skip=name)]
        counts = {value: sum(value in a.facets.get(name, set()) for a in remaining) for value in labels[name]}
        values = sorted(((labels[name][value], value, n) for value, n in counts.items() if n),
                        key=lambda t: t[0].casefold())
        facet_counts.append((name, FACET_WORDS[name][index], values))
    kept = {**chosen, **({"q": text} if text else {}), **({"kind": kind} if kind else {}),
            **({"sort": sort} if sort != "label" else {}), **({"lang": "en"} if v.lang == "en" else {})}

    def link(**changes: Any) -> str:
        merged = {**kept, **{k: str(c) for k, c in changes.items()}}
        merged = {k: c for k, c in merged.items() if c}
        if "page" not in changes:
            merged.pop("page", None)
        return v.url("/solutions", merged)

    pages = max(1, -(-len(hits) // PAGE_SIZE))
    number = min(state.number, pages)
    labels_of = {name: labels[name] for name in FACETS}
    return render("webapp/catalogue.html", v=v, w=words(v.lang), hits=hits[(number - 1) * PAGE_SIZE:
                  number * PAGE_SIZE], total=len(hits), every=len(assets), facets=facet_counts, chosen=chosen,
                  text=text, kind=kind, sort=sort, link=link, number=number, pages=pages, labels=labels_of,
                  facet_words=FACET_WORDS, index=index)


async def solution_catalogue(request: Request) -> Response:
    """``/solutions``: the catalogue with facets, sort order, kind and text filter and pages in the URL;
    ``format=csv`` or ``format=json`` downloads exactly the assets those filters leave."""
    params = request.query_params
    fmt = params.get("format")
    if fmt:
        if fmt not in ("csv", "json"):
            raise BadRequestError(f"format must be csv or json, not '{fmt}'")
        v = await view(request)
        assets, _ = await catalogue_rows(RequestData(request), v.lang)
        hits = select(assets, CatalogueState.of(params))
        text, media = (as_csv(hits), "text/csv; charset=utf-8") if fmt == "csv" else (as_json(hits), "application/json")
        return Response(text, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="solutions.{fmt}"'})
    return html_response(await catalogue_page(RequestData(request), await view(request), params))
