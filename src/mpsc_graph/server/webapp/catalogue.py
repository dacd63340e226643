"""The solution catalogue: every solution and module, narrowed by facets whose state lives in the URL.

Rows come from ``page_catalogue_assets``, facet values from ``page_catalogue_facets`` (thematic field,
state of origin, adoption status, route of an offer open to new members, licence family, standard).
Each facet counts, for each of its values, the assets that would remain if that value were chosen
with the other facets as they are, so a count is what a click on it gives.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..errors import BadRequestError
from ..site import page, run_named, view
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


async def catalogue_rows(request: Request, lang: str) -> tuple[list[Asset], dict[str, dict[str, str]]]:
    """Every asset with its facet values, and each facet's value → label in ``lang``."""
    assets, facets = await asyncio.gather(run_named(request, "page_catalogue_assets", MAX_ASSETS),
                                          run_named(request, "page_catalogue_facets", MAX_FACET_ROWS))
    out: dict[str, Asset] = {}
    for row in assets.rows:
        r = {n: _text(t) for n, t in zip(assets.variables, row, strict=True)}
        label = (r["labelEn"] if lang == "en" else r["labelDe"]) or r["labelDe"] or r["labelEn"] or r["asset"]
        out[r["asset"]] = Asset(r["asset"], r["kind"], label, r["solution"], r["originatorLabel"],
                                int(r["adoptions"] or 0))
    labels: dict[str, dict[str, str]] = {f: {} for f in FACETS}
    for row in facets.rows:
        r = {n: _text(t) for n, t in zip(facets.variables, row, strict=True)}
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


async def solution_catalogue(request: Request) -> Response:
    """``/solutions``: the catalogue with facets, sort order, kind and text filter and pages in the URL."""
    v = await view(request)
    params = request.query_params
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
    assets, labels = await catalogue_rows(request, v.lang)
    hits = [a for a in assets if _matches(a, chosen, text, kind)]
    hits.sort(key=(lambda a: (-a.adoptions, a.label.casefold())) if sort == "adoptions"
              else (lambda a: a.label.casefold()))
    index = 0 if v.lang == "de" else 1
    facet_counts = []
    for name in FACETS:
        remaining = [a for a in assets if _matches(a, chosen, text, kind, skip=name)]
        counts = {value: sum(value in a.facets.get(name, set()) for a in remaining) for value in labels[name]}
        values = sorted(((labels[name][value], value, n) for value, n in counts.items() if n),
                        key=lambda t: t[0].casefold())
        facet_counts.append((name, FACET_WORDS[name][index], values))
    state = {**chosen, **({"q": text} if text else {}), **({"kind": kind} if kind else {}),
             **({"sort": sort} if sort != "label" else {}), **({"lang": "en"} if v.lang == "en" else {})}

    def link(**changes: Any) -> str:
        merged = {**state, **{k: str(c) for k, c in changes.items()}}
        merged = {k: c for k, c in merged.items() if c}
        if "page" not in changes:
            merged.pop("page", None)
        return "/solutions?" + urlencode(merged)

    pages = max(1, -(-len(hits) // PAGE_SIZE))
    number = min(number, pages)
    labels_of = {name: labels[name] for name in FACETS}
    return page(request, "webapp/catalogue.html", v=v, w=words(v.lang), hits=hits[(number - 1) * PAGE_SIZE:
                number * PAGE_SIZE], total=len(hits), every=len(assets), facets=facet_counts, chosen=chosen,
                text=text, kind=kind, sort=sort, link=link, number=number, pages=pages, labels=labels_of,
                facet_words=FACET_WORDS, index=index)
