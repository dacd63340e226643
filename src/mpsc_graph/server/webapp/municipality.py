"""The municipality profile: what a municipality developed, adopted, passed on, operates or has operated
for it, its model project and memberships, where it lies, and the adopters nearest to it.

Every municipality of the graph has one (the official directory's about 10,800 and any curated one):
the directory's facts come from ``municipality_profile``, the relations from
``page_municipality_relations``, the groups from ``page_municipality_groups``, and the nearest adopters
from ``page_adopter_points`` with great-circle distances computed here. Recommendations take longer
(they weigh every production use), so the profile links them on a page of their own and stays fast.
The page leaves a ``mini-map`` element with the centre point in data attributes for a map script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ...recommend import distance_km
from ..config import config_of
from ..entity_page import PageView
from ..errors import NotFoundError
from ..site import View, view
from .links import page_href
from .pagedata import PageData, RequestData, html_response, render
from .words import MODE_WORDS, STATUS_WORDS, words

#: the relations in page order (``relation`` values of page_municipality_relations)
RELATIONS = ("developed", "adopted", "adopted-from", "operated-for", "operates")
#: how many adopters the "nearby" list names
NEARBY = 6
MAX_RELATIONS = 2_000
MAX_POINTS = 20_000
_POINT = re.compile(r"POINT\s*\(\s*([-0-9.eE]+)\s+([-0-9.eE]+)\s*\)")
KEY = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,99}")


@dataclass(frozen=True)
class Relation:
    """One row of a relation table: the asset, the other party, and the adoption's or role's details."""

    asset: str
    asset_label: str
    asset_href: str | None
    counterpart: str
    counterpart_label: str
    counterpart_href: str | None
    mode: str
    status: str
    period: str


@dataclass(frozen=True)
class Nearby:
    body: str
    label: str
    href: str | None
    km: float
    assets: tuple[tuple[str, str | None, str], ...]  # (label, link, status words)


def point(wkt: Any) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT ``POINT``, or None."""
    found = _POINT.search(str(wkt or ""))
    return (float(found.group(1)), float(found.group(2))) if found else None


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _period(start: str, end: str, lang: str) -> str:
    if end:
        return f"{start or '?'} – {end}"
    return f"{words(lang)['since']} {start}" if start else ""


def relations_of(rows: list[dict[str, str]], v: PageView) -> dict[str, list[Relation]]:
    """The relation rows grouped by relation, labels in the page's language, controlled values in words."""
    index = 0 if v.lang == "de" else 1
    grouped: dict[str, list[Relation]] = {name: [] for name in RELATIONS}
    for r in rows:
        if r["relation"] not in grouped:
            continue
        mode, status = r["mode"], r["status"]
        grouped[r["relation"]].append(Relation(
            r["asset"], v.label(r["asset"]) if r["asset"] else "", page_href(v, r["asset"]) if r["asset"] else None,
            r["counterpart"], v.label(r["counterpart"]) if r["counterpart"] else "",
            page_href(v, r["counterpart"]) if r["counterpart"] else None,
            MODE_WORDS.get(mode, (mode, mode))[index] if mode else "",
            STATUS_WORDS.get(status, (status, status))[index] if status else "", _period(r["start"], r["end"], v.lang)))
    return grouped


def nearest_adopters(rows: list[dict[str, str]], municipality: str, centre: tuple[float, float] | None,
                     v: PageView, count: int = NEARBY) -> list[Nearby]:
    """The ``count`` adopters closest to ``centre`` (the municipality itself left out), each with what it adopted."""
    if centre is None:
        return []
    index = 0 if v.lang == "de" else 1
    places: dict[str, tuple[float, float]] = {}
    assets: dict[str, dict[str, tuple[str, str | None, str]]] = {}
    for r in rows:
        at = point(r["centre"])
        if at is None or r["adopter"] == municipality:
            continue
        places[r["adopter"]] = at
        status = STATUS_WORDS.get(r["status"] or "unknown", (r["status"], r["status"]))[index]
        assets.setdefault(r["adopter"], {})[r["asset"]] = (v.label(r["asset"]), page_href(v, r["asset"]), status)
    ranked = sorted(places, key=lambda body: (distance_km(centre, places[body]), body))[:count]
    return [Nearby(body, v.label(body), page_href(v, body), round(distance_km(centre, places[body]), 1),
                   tuple(sorted(assets[body].values()))) for body in ranked]


async def named_rows(data: PageData, name: str, limit: int, **values: NamedNode) -> list[dict[str, str]]:
    reply = await data.rows(name, limit, **values)
    return [{n: _text(t) for n, t in zip(reply.columns, row, strict=True)} for row in reply.rows]


async def by_name(request: Request, key: str, v: View) -> Response:
    """``/municipality/{name}``: the one municipality of that name (303 to its profile), else 404 naming the
    candidates with their keys, so a reader can pick."""
    config = config_of(request)
    prefix = f"{config.id_base}municipality/"
    wanted = key.replace("_", " ").replace("-", " ").casefold()
    hits = [iri for iri, label in v.labels.search(key.replace("_", " "), 500)
            if iri.startswith(prefix) and label.replace("-", " ").casefold() == wanted]
    if len(hits) == 1:
        local = hits[0][len(prefix):]
        return RedirectResponse(f"/municipality/{local}" + ("?lang=en" if v.lang == "en" else ""), 303)
    if hits:
        named = ", ".join(f"{v.label(h)} ({h[len(prefix):]})" for h in sorted(hits)[:20])
        raise NotFoundError(f"several municipalities are called '{key}': {named}; use the key in the address")
    raise NotFoundError(f"there is no municipality '{key}' (use its official key, e.g. /municipality/15002000)")


async def municipality_profile(request: Request) -> Response:
    """``/municipality/{key}``: the profile of the municipality ``{base}id/municipality/{key}``; a name instead
    of the key is looked up among the labels."""
    key = request.path_params["key"]
    v = await view(request)
    if not KEY.fullmatch(key):
        return await by_name(request, key, v)
    config = config_of(request)
    html = await municipality_html(RequestData(request), v, config.id_base, key)
    return await by_name(request, key, v) if html is None else html_response(html)


async def municipality_html(data: PageData, v: PageView, id_base: str, key: str) -> str | None:
    """The profile of the municipality ``{id_base}municipality/{key}`` as HTML; None when the directory
    does not know it."""
    iri = f"{id_base}municipality/{key}"
    node = NamedNode(iri)
    facts = await named_rows(data, "municipality_profile", 5, municipality=node)
    if not facts:
        return None
    # one after the other, as every page of the site: the pool refuses a second long query while one runs
    relation_rows = await named_rows(data, "page_municipality_relations", MAX_RELATIONS, body=node)
    groups = await named_rows(data, "page_municipality_groups", 200, body=node)
    points = await named_rows(data, "page_adopter_points", MAX_POINTS)
    profile = facts[0]
    associations = sorted({f["association"] for f in facts if f["association"]})
    centre = point(profile["centre"])
    relations = relations_of(relation_rows, v)
    return render("webapp/municipality.html", v=v, w=words(v.lang), iri=iri, key=key, profile=profile,
                  label=v.label(iri), associations=associations, centre=centre, relations=relations,
                  related=any(relations.values()) or bool(groups), groups=groups,
                  nearby=nearest_adopters(points, iri, centre, v), population=_number(profile["population"], v.lang),
                  page_href=page_href)


def _number(value: str, lang: str) -> str:
    if not value.isdigit():
        return value
    return f"{int(value):,}".replace(",", "." if lang == "de" else ",")
