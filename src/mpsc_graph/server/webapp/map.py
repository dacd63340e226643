"""The map of adoptions: every flow origin → adopter as an arc over Germany, coloured and dashed by status.

``/map`` is a page that works without JavaScript: a filter form (a solution or module, a year range;
plain GET parameters, so a map can be shared), a map the server draws as SVG (outline, arcs, places
sized by their number of adoptions), the legend in words and line styles, and the table of every
flow as its text alternative. ``/map/data.json`` answers the same filters with the flows and places
as JSON; the page's script (``static/webapp/map.js``) draws the map from it with the vendored
d3-geo, and so do the small maps on the profiles.

The flows come from the ``map_flows`` named query with the solution (a module's solution, for a module)
bound as a parameter, or from ``map_flows_of_place`` with the place bound; the module and the year range
are applied to its rows here (a year is part of a date literal, and a named query's parameters may
appear only in triple patterns). The unfiltered flows are read once per server.

Points are the directory's centre points; a district, association or state is drawn at the mean of
its municipalities' centre points (``map_area_centres``, marked as such). A flow whose origin or
adopter has no point (an organisation) stays in the table and the JSON, and the page says how many
are not drawn.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..entity_page import PageView
from ..errors import BadRequestError
from ..site import page, run_named, view
from .adoptions import _year_param as year_param
from .map_geometry import OUTLINE_URL, Point, Projection, arc_path, germany_outline, outline_path, parse_point
from .words import STATUS_WORDS, words

#: the most flows the map reads (the query's own LIMIT is the same)
MAX_FLOWS = 5_000
#: the most districts, associations and states the static site reads points for in one query
MAX_AREAS = 20_000
#: the most districts, associations and states a request looks up a point for
MAX_AREA_LOOKUPS = 200
#: statuses in the legend's order; each has its own colour and line style (map.css)
STATUSES = ("production", "trial", "planned", "ended", "unknown")
WIDTH, HEIGHT = 560.0, 720.0
#: a choice of the form: (IRI, label, IRI of its solution), a solution being its own
Choice = tuple[str, str, str]

MAP_WORDS = {
    "de": {
        "map": "Karte der Nachnutzungen",
        "solution_or_module": "Lösung oder Modul",
        "all_assets": "alle",
        "show": "Anzeigen",
        "legend": "Legende: Status der Nachnutzung",
        "flows": "{n} Nachnutzungen",
        "one_flow": "1 Nachnutzung",
        "drawn": "{n} davon auf der Karte",
        "not_drawn": "{n} ohne Ort für Ursprung oder Nachnutzer (eine Organisation) nur in der Tabelle",
        "map_label": "Karte Deutschlands mit {n} Bögen vom Ursprung zum Nachnutzer; die Tabelle darunter nennt "
        "jede Nachnutzung",
        "table": "Nachnutzungen auf der Karte als Tabelle",
        "year": "Jahr",
        "size": "Kreisgröße: Zahl der Nachnutzungen eines Ortes (als Ursprung oder Nachnutzer)",
        "direction": "Ein Bogen biegt vom Ursprung aus gesehen nach rechts ab und endet mit einem Pfeil beim "
        "Nachnutzer.",
        "outline": "Umriss: Natural Earth (gemeinfrei); Punkte: Mittelpunkte aus dem Gemeindeverzeichnis.",
        "area": "Gestrichelter Kreis: ein Kreis, Verband oder Land, gezeichnet am Mittel der Mittelpunkte seiner "
        "Gemeinden.",
        "no_year": "Nachnutzungen ohne bekanntes Beginnjahr fehlen, sobald ein Jahr gesetzt ist.",
        "truncated": "Die Karte zeigt die ersten {n} Nachnutzungen.",
        "as_json": "Als JSON",
    },
    "en": {
        "map": "Map of adoptions",
        "solution_or_module": "Solution or module",
        "all_assets": "all",
        "show": "Show",
        "legend": "Legend: status of the adoption",
        "flows": "{n} adoptions",
        "one_flow": "1 adoption",
        "drawn": "{n} of them on the map",
        "not_drawn": "{n} without a place for origin or adopter (an organisation) in the table only",
        "map_label": "Map of Germany with {n} arcs from origin to adopter; the table below lists every adoption",
        "table": "Adoptions on the map as a table",
        "year": "Year",
        "size": "Circle size: number of adoptions of a place (as origin or adopter)",
        "direction": "An arc bends to the right as seen from the origin and ends with an arrow at the adopter.",
        "outline": "Outline: Natural Earth (public domain); points: centre points from the municipal directory.",
        "area": "Dashed circle: a district, association or state, drawn at the mean of its municipalities' "
        "centre points.",
        "no_year": "Adoptions without a known start year drop out once a year is set.",
        "truncated": "The map shows the first {n} adoptions.",
        "as_json": "As JSON",
    },
}


@dataclass(frozen=True)
class Flow:
    """One adoption as the map draws and lists it."""

    adoption: str
    asset: str
    asset_label: str
    solution: str
    solution_label: str
    origin: str
    origin_label: str
    origin_point: Point | None
    adopter: str
    adopter_label: str
    adopter_point: Point | None
    status: str
    start: str
    end: str
    #: the origin's / adopter's point is the mean of its municipalities' centre points (an area)
    origin_area: bool = False
    adopter_area: bool = False

    @property
    def year(self) -> int | None:
        return int(self.start[:4]) if self.start[:4].isdigit() else None

    @property
    def drawn(self) -> bool:
        return self.origin_point is not None and self.adopter_point is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "adoption": self.adoption,
            "asset": self.asset,
            "asset_label": self.asset_label,
            "solution": self.solution,
            "solution_label": self.solution_label,
            "origin": self.origin,
            "origin_label": self.origin_label,
            "origin_point": self.origin_point,
            "adopter": self.adopter,
            "adopter_label": self.adopter_label,
            "adopter_point": self.adopter_point,
            "status": self.status,
            "start": self.start,
            "end": self.end,
            "year": self.year,
            "origin_area": self.origin_area,
            "adopter_area": self.adopter_area,
        }


@dataclass(frozen=True)
class Place:
    """A municipality on the map with the number of drawn adoptions it takes part in."""

    iri: str
    label: str
    point: Point
    adoptions: int
    #: drawn at the mean of its municipalities' centre points (a district, association or state)
    area: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label,
            "point": self.point,
            "adoptions": self.adoptions,
            "area": self.area,
        }


@dataclass(frozen=True)
class Filters:
    """The map's filters from the query string: a solution or a module (an IRI), a year range, and a place
    (an IRI: the adoptions it takes part in, for the small map on its profile)."""

    asset: str
    start: int | None
    end: int | None
    place: str = ""

    def params(self) -> dict[str, str]:
        found = {"asset": self.asset, "from": str(self.start or ""), "to": str(self.end or ""), "place": self.place}
        return {k: v for k, v in found.items() if v}


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def filters_of(request: Request) -> Filters:
    return Filters(
        request.query_params.get("asset", "").strip(),
        year_param(request.query_params, "from"),
        year_param(request.query_params, "to"),
        request.query_params.get("place", "").strip(),
    )


async def area_points(request: Request, wanted: set[str]) -> dict[str, Point]:
    """The points of those of ``wanted`` that are districts, associations or states (``map_area_centres``
    with the area bound, one at a time, each answer kept for the server's life; at most
    ``MAX_AREA_LOOKUPS`` new ones per request, the rest stay unplaced until the next)."""
    known: dict[str, Point | None] | None = getattr(request.app.state, "map_areas", None)
    if known is None:
        known = request.app.state.map_areas = {}
    for iri in sorted(wanted - known.keys())[:MAX_AREA_LOOKUPS]:
        reply = await run_named(request, "map_area_centres", 1, area=iri)
        known[iri] = areas_of(reply.rows).get(iri)
    return {iri: point for iri in wanted if (point := known.get(iri)) is not None}


def areas_of(rows: Sequence[Sequence[Any]]) -> dict[str, Point]:
    """The point of each area from the rows of ``map_area_centres``."""
    return {
        str(area.value): (round(float(lon.value), 6), round(float(lat.value), 6))
        for area, lon, lat, *_ in rows
        if area is not None and lon is not None and lat is not None
    }


def flows_of(variables: list[str], rows: list[Any], areas: dict[str, Point]) -> list[Flow]:
    """Flows from the rows of ``map_flows`` or ``map_flows_of_place``: an origin or adopter without a centre
    point of its own gets its area's point (``areas``, from ``map_area_centres``) where it is an area."""
    flows = []
    for row in rows:
        r = {name.lstrip("_"): _text(term) for name, term in zip(variables, row, strict=True)}
        origin_point, adopter_point = parse_point(r["originCentre"]), parse_point(r["adopterCentre"])
        flows.append(
            Flow(
                r["adoption"],
                r["asset"],
                r["assetLabel"] or r["asset"],
                r["solution"],
                r["solutionLabel"] or r["solution"],
                r["origin"],
                r["originLabel"] or r["origin"],
                origin_point or areas.get(r["origin"]),
                r["adopter"],
                r["adopterLabel"] or r["adopter"],
                adopter_point or areas.get(r["adopter"]),
                r["status"] or "unknown",
                r["start"],
                r["end"],
                origin_point is None and r["origin"] in areas,
                adopter_point is None and r["adopter"] in areas,
            )
        )
    return flows


async def read_flows(request: Request, query: str = "map_flows", **bound: str) -> list[Flow]:
    """The flows of ``query`` (``map_flows`` or ``map_flows_of_place``) with ``bound`` as its parameters."""
    reply = await run_named(request, query, MAX_FLOWS, **bound)
    columns = {name: n for n, name in enumerate(reply.variables)}
    unplaced = {
        _text(row[columns[place]])
        for row in reply.rows
        for place, centre in (("origin", "originCentre"), ("adopter", "adopterCentre"))
        if row[columns[centre]] is None
    }
    flows = flows_of(reply.variables, reply.rows, await area_points(request, unplaced))
    return sorted(flows, key=lambda f: (f.start, f.adoption))


async def every_flow(request: Request) -> list[Flow]:
    """The unfiltered flows, read once per server (the store it serves does not change under it; a new
    store drops them with the other store facts): the map's first view and the form's choices."""
    state = request.app.state
    if getattr(state, "map_flows", None) is None:
        lock = state.__dict__.setdefault("_map_lock", asyncio.Lock())
        async with lock:
            if getattr(state, "map_flows", None) is None:
                state.map_flows = await read_flows(request)
    found: list[Flow] = state.map_flows
    return found


async def asset_choices(request: Request) -> list[Choice]:
    """(IRI, label, solution IRI) of every adopted solution and module: the form's choices and the test of
    whether a chosen IRI is a solution (its modules count) or a module."""
    return choices_of(await every_flow(request))


def choices_of(flows: list[Flow]) -> list[Choice]:
    """(IRI, label, solution IRI) of each solution and module of ``flows``: a solution, then its modules."""
    named = {f.solution: f.solution_label for f in flows}
    found = {(s, label, s) for s, label in named.items()} | {(f.asset, f.asset_label, f.solution) for f in flows}
    return sorted(found, key=lambda c: (named[c[2]].casefold(), c[2], c[0] != c[2], c[1].casefold()))


async def chosen_flows(request: Request, filters: Filters) -> list[Flow]:
    """The flows that pass the filters: the place, else the solution (a module's solution, for a module)
    bound in the query; the module, and the year range on the start year, applied to its rows (flows
    without a start year drop out when a year is set). A solution is tried first, as the small map of its
    profile asks: one bound query; only a module needs the list of choices to find its solution."""
    if filters.place:
        flows = await read_flows(request, "map_flows_of_place", place=filters.place)
    elif filters.asset:
        flows = await read_flows(request, solution=filters.asset)
        if not flows:
            solution_of = {iri: solution for iri, _, solution in await asset_choices(request)}
            if filters.asset not in solution_of:
                raise BadRequestError(
                    f"'asset' must be the IRI of an adopted solution or module, not '{filters.asset}'"
                )
            flows = await read_flows(request, solution=solution_of[filters.asset])
    else:
        flows = await every_flow(request)
    return [
        f
        for f in flows
        if (not filters.asset or filters.asset in (f.asset, f.solution))
        and (filters.start is None or (f.year is not None and f.year >= filters.start))
        and (filters.end is None or (f.year is not None and f.year <= filters.end))
    ]


def places_of(flows: list[Flow]) -> list[Place]:
    """Every origin and adopter of a drawn flow, with the number of drawn flows it takes part in."""
    counts: Counter[str] = Counter()
    about: dict[str, tuple[str, Point, bool]] = {}
    for f in flows:
        if f.origin_point is None or f.adopter_point is None:
            continue
        for iri, label, point, area in (
            (f.origin, f.origin_label, f.origin_point, f.origin_area),
            (f.adopter, f.adopter_label, f.adopter_point, f.adopter_area),
        ):
            counts[iri] += 1
            about[iri] = (label, point, area)
    return sorted(
        (Place(iri, *about[iri][:2], n, about[iri][2]) for iri, n in counts.items()),
        key=lambda p: (-p.adoptions, p.label),
    )


def radius(adoptions: int) -> float:
    """A circle's radius: its area grows with the number of adoptions."""
    return round(2.5 + 2.2 * adoptions**0.5, 1)


def drawing(flows: list[Flow], places: list[Place]) -> dict[str, Any]:
    """The server's SVG map: outline path, arcs (status, path, title) and circles, largest first."""
    outline = germany_outline()
    project = Projection(outline, WIDTH, HEIGHT)
    arcs = [
        (
            f.status,
            arc_path(project(f.origin_point), project(f.adopter_point)),
            f"{f.origin_label} → {f.adopter_label}: {f.asset_label}",
        )
        for f in flows
        if f.origin_point is not None and f.adopter_point is not None
    ]
    circles = [(*project(p.point), radius(p.adoptions), f"{p.label}: {p.adoptions}", p.area) for p in places]
    return {
        "width": int(WIDTH),
        "height": int(HEIGHT),
        "outline": outline_path(project, outline),
        "arcs": arcs,
        "circles": circles,
    }


def map_json(flows: list[Flow], filters: Filters) -> dict[str, Any]:
    """The body of ``/map/data.json``: the flows, their places, how many are drawn."""
    return {
        "filters": filters.params(),
        "flows": [f.as_json() for f in flows],
        "places": [p.as_json() for p in places_of(flows)],
        "drawn": sum(f.drawn for f in flows),
        "truncated": len(flows) >= MAX_FLOWS,
        "outline": OUTLINE_URL,
    }


def map_context(v: PageView, flows: list[Flow], choices: list[Choice], filters: Filters) -> dict[str, Any]:
    """What ``webapp/map.html`` shows: the form's choices, the server's drawing, the legend, the flows."""
    places = places_of(flows)
    index = 0 if v.lang == "de" else 1
    counts = Counter(f.status for f in flows if f.drawn)
    params = filters.params()
    return {
        "v": v,
        "w": {**words(v.lang), **MAP_WORDS[v.lang]},
        "flows": flows,
        "drawn": sum(f.drawn for f in flows),
        "places": places,
        "svg": drawing(flows, places),
        "legend": [(s, STATUS_WORDS.get(s, (s, s))[index], counts[s]) for s in STATUSES],
        "choices": choices,
        "filters": filters,
        "statuses": STATUS_WORDS,
        "index": index,
        "max_flows": MAX_FLOWS,
        "data_url": "/map/data.json" + ("?" + urlencode(params) if params else ""),
        "outline_url": OUTLINE_URL,
        "reset": v.at("/map"),
    }


async def map_data(request: Request) -> Response:
    """``/map/data.json``: the filtered flows and their places as JSON (the map's and small maps' data)."""
    filters = filters_of(request)
    return JSONResponse(map_json(await chosen_flows(request, filters), filters))


async def map_page(request: Request) -> Response:
    """``/map``: the filter form, the server-drawn map with its legend, and the table of flows."""
    filters = filters_of(request)
    v = await view(request)
    choices = await asset_choices(request)
    flows = await chosen_flows(request, filters)
    return page(request, "webapp/map.html", **map_context(v, flows, choices, filters))
