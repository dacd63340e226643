"""The web application's pages as files of the static site, rendered by the server's own page functions.

Every page type of the web application is a function of its rows, a view and its parameters
(:mod:`mpsc_graph.server.webapp.pagedata`); here each is called with :class:`StoreData`, whose rows
come from the exported store, and a :class:`SiteView`, whose links go to the site's files. A page at
the path ``/x`` is written as ``x.html`` (German) and ``x.en.html`` (English); ``/`` is ``index``.
Lists (catalogue, adoptions) are written unfiltered, a page of rows per file (``/x/page/2``), with the
full rows as CSV and JSON beside them; filtering, sorting and the filtered download are done in the
browser by ``static/webapp/site-lists.js``, an enhancement the lists work without.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pyoxigraph import NamedNode

from .. import reuse
from ..api import Graph
from ..namespaces import ID, ONTOLOGY_IRI
from ..queries import NamedQuery
from ..readiness import criteria
from ..recommend import Answer, Recommender
from ..resolve import Entity
from ..results import Table
from ..server.entity_page import Labels, PageView
from ..server.site import HERE as SERVER_DIR
from ..server.webapp import adoptions, catalogue, figures, start
from ..server.webapp.map import (
    MAX_AREAS,
    MAX_FLOWS,
    Filters,
    Flow,
    areas_of,
    choices_of,
    flows_of,
    map_context,
    map_json,
)
from ..server.webapp.municipality import municipality_html
from ..server.webapp.pagedata import render
from ..server.webapp.profiles import profile_page
from ..server.webapp.recommendations import recommendations_html
from ..sparql import Term

LANGS = ("de", "en")
#: the named queries a page asks about one entity that the site runs once for all (see :class:`CachedGraph`)
PER_ENTITY = {
    "municipality_profile": "municipality",
    "page_municipality_relations": "body",
    "page_municipality_groups": "body",
}
#: the most municipalities the site writes profiles of (the directory has about 10,800)
MAX_MUNICIPALITIES = 100_000


def page_file(path: str, lang: str) -> str:
    """The file (relative to the site's root) of the page ``path`` in ``lang``: ``/x`` is ``x.html`` or
    ``x.en.html``, ``/`` is ``index``."""
    stem = path.strip("/") or "index"
    return stem + (".en" if lang == "en" else "") + ".html"


class SiteView(PageView):
    """A page of the static site at ``path``: links to the site's pages carry the language as a suffix
    (``/x.en``), since files have no query string; a list's ``page`` is a path (``/x/page/2``) and its
    download the full file (``/x.csv``); other list parameters stay in the query string, where the
    lists' script reads them."""

    def __init__(self, lang: str, labels: Labels, path: str, feed_root: str | None = None) -> None:
        super().__init__(lang, labels, ID, ONTOLOGY_IRI, live=False, feed_root=feed_root)
        self.path = path

    def at(self, path: str) -> str:
        if self.lang != "en":
            return path
        path, hashed, fragment = path.partition("#")
        return ("/index.en" if path == "/" else path + ".en") + hashed + fragment

    def switch(self, lang: str) -> str:
        return ("/index" if self.path == "/" else self.path) + "." + lang

    def map_data(self, name: str, iri: str) -> str:
        return f"/map/data/{name}/{iri[len(ID) :]}.json"

    def url(self, path: str, params: dict[str, str]) -> str:
        rest = {k: c for k, c in params.items() if k not in ("lang", "page", "format")}
        if "format" in params:
            return f"{path}{'.en' if self.lang == 'en' else ''}.{params['format']}"
        number = int(params.get("page", "1"))
        target = self.at(path if number <= 1 else f"{path}/page/{number}")
        return target + ("?" + urlencode(rest) if rest else "")


class CachedGraph:
    """A :class:`~mpsc_graph.api.Graph` whose query answers are kept: both languages of a page, and
    pages that ask the same (a module's brief asks its solution's questions again), run each query once.

    A readiness criterion asked about one asset runs once for all of them (its rows are one per asset,
    as ``readiness_all`` reads them) and answers each asset from its rows: some 13 queries instead of
    13 per solution and module.
    """

    def __init__(self, graph: Graph, per_entity: Mapping[str, str] | None = None) -> None:
        self.graph = graph
        self.project = graph.project
        #: named query → its IRI parameter: asked about one entity, the query runs once for all of them
        self.per_entity = dict(per_entity or {})
        self._every: dict[str, tuple[tuple[str, ...], dict[str, list[tuple[Term | None, ...]]], int | None]] = {}
        self._answers: dict[tuple[str, tuple[tuple[str, str], ...]], Table] = {}
        self._named: dict[str, NamedQuery] = {}
        self._criteria = {c.query.text for c in criteria(graph.project.queries_dir)}
        self._by_asset: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, list[tuple[Term | None, ...]]]] = {}

    def select(self, text: str, params: dict[str, Term] | None = None) -> Table:
        params = params or {}
        asset = params.get("asset")
        if text in self._criteria and isinstance(asset, NamedNode):
            rest = {k: t for k, t in params.items() if k != "asset"}
            table = self.select(text, rest)
            key = (text, tuple(sorted((k, str(t)) for k, t in rest.items())))
            if key not in self._by_asset:
                column = table.columns.index("asset")
                grouped: dict[str, list[tuple[Term | None, ...]]] = defaultdict(list)
                for row in table.rows:
                    term = row[column]
                    if isinstance(term, NamedNode):
                        grouped[term.value].append(row)
                self._by_asset[key] = grouped
            return Table(table.columns, tuple(self._by_asset[key].get(asset.value, ())))
        key = (text, tuple(sorted((k, str(t)) for k, t in params.items())))
        if key not in self._answers:
            self._answers[key] = self.graph.select(text, params)
        return self._answers[key]

    def query(self, name: str, **params: str | Term) -> Table:
        named = self._named.get(name) or self._named.setdefault(name, self.graph.named_query(name))
        param = self.per_entity.get(name)
        entity = params.get(param) if param is not None else None
        if param is not None and list(params) == [param] and isinstance(entity, NamedNode):
            return self._one_of_every(named, param, entity.value)
        return self.select(named.text, named.bind(dict(params)))

    def _one_of_every(self, named: NamedQuery, param: str, iri: str) -> Table:
        """The rows about ``iri`` of a query run once for every entity: its parameter left unbound (the
        ``?_param`` column then names each row's entity) and its LIMIT, which bounds one entity's rows,
        applied to each entity's rows instead of to all."""
        if named.name not in self._every:
            found = _LIMIT.search(named.text)
            text = named.text[: found.start()] if found else named.text
            table = self.graph.select(text)
            column = table.columns.index("_" + param)
            grouped: dict[str, list[tuple[Term | None, ...]]] = defaultdict(list)
            for row in table.rows:
                term = row[column]
                if isinstance(term, NamedNode):
                    grouped[term.value].append(row)
            self._every[named.name] = (table.columns, grouped, int(found.group(1)) if found else None)
        columns, grouped, limit = self._every[named.name]
        return Table(columns, tuple(grouped.get(iri, ())[:limit]))

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity:
        return self.graph.resolve(name, kinds)

    def label(self, iri: str) -> str:
        return self.graph.label(iri)


#: a query's final LIMIT
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*$", re.IGNORECASE)


class StoreData:
    """A page's rows from the exported store (:class:`mpsc_graph.server.webapp.pagedata.PageData`)."""

    def __init__(self, graph: Graph, per_entity: Mapping[str, str] | None = None) -> None:
        self.graph = CachedGraph(graph, per_entity)

    async def rows(self, name: str, limit: int, **params: str | NamedNode) -> Table:
        table = self.graph.query(name, **params)
        return Table(table.columns, table.rows[:limit])

    async def brief(self, entity: Entity, lang: str) -> reuse.Brief:
        return reuse.build_brief(self.graph, entity.iri, lang=lang)  # type: ignore[arg-type]


def _write(out: Path, relative: str, text: str) -> None:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


async def _list_pages(out: Path, data: StoreData, labels: Labels, path: str, count: int, size: int, render: Any,
                      feed_root: str | None) -> int:
    """Write every page of an unfiltered list in both languages; the number of files written."""
    pages = max(1, -(-count // size))
    for lang in LANGS:
        for number in range(1, pages + 1):
            at = path if number == 1 else f"{path}/page/{number}"
            v = SiteView(lang, labels, at, feed_root)
            html = await render(data, v, {"page": str(number)} if number > 1 else {})
            _write(out, page_file(at, lang), html)
    return 2 * pages


async def write_pages(graph: Graph, out: Path, labels: Labels, feed_root: str | None = None) -> int:
    """Write the web application's pages (both languages) and the lists' and maps' data; the number of pages.
    ``feed_root``: where the site's Atom feeds are, which the pages then link."""
    data = StoreData(graph, PER_ENTITY)
    written = 0

    async def both(path: str, html_of: Callable[[SiteView], Awaitable[str | None]]) -> None:
        nonlocal written
        for lang in LANGS:
            html = await html_of(SiteView(lang, labels, path, feed_root))
            if html is not None:
                _write(out, page_file(path, lang), html)
                written += 1

    await both("/", partial(start.start_html, data))
    await both("/figures", partial(figures.figures_html, data))
    for lang in LANGS:
        assets, _ = await catalogue.catalogue_rows(data, lang)
        hits = catalogue.select(assets, catalogue.CatalogueState.of({}))
        suffix = ".en" if lang == "en" else ""
        _write(out, f"solutions{suffix}.csv", catalogue.as_csv(hits))
        _write(out, f"solutions{suffix}.json", catalogue.as_json(hits))
    written += await _list_pages(out, data, labels, "/solutions", len(assets), catalogue.PAGE_SIZE,
                                 catalogue.catalogue_page, feed_root)
    every = await adoptions.all_adoptions(data)
    for suffix in ("", ".en"):
        _write(out, f"adoptions{suffix}.csv", adoptions.as_csv(every))
        _write(out, f"adoptions{suffix}.json", adoptions.as_json(every))
    written += await _list_pages(out, data, labels, "/adoptions", len(every), adoptions.PAGE_SIZE,
                                 adoptions.adoptions_page, feed_root)
    for asset in assets:
        key = asset.iri.rsplit("/", 1)[-1]

        async def profile(v: SiteView, kind: str = asset.kind, key: str = key) -> str:
            return await profile_page(data, v, kind, key, ID)

        await both(asset.path, profile)
    flows = await _write_maps(out, data, labels, [a.iri for a in assets], feed_root)
    of_place: dict[str, list[Flow]] = defaultdict(list)
    for flow in flows:
        for place in {flow.origin, flow.adopter}:
            of_place[place].append(flow)
    engine = Recommender(data.graph)  # type: ignore[arg-type]
    for municipality in await _municipalities(data):
        key = municipality[len(ID) + len("municipality/"):]

        async def municipality_page(v: SiteView, key: str = key) -> str | None:
            return await municipality_html(data, v, ID, key)

        answer = engine.recommend(municipality)

        async def recommendations(v: SiteView, iri: str = municipality, key: str = key, answer: Answer = answer) -> str:
            return recommendations_html(answer, v, iri, key)

        await both(f"/municipality/{key}", municipality_page)
        await both(f"/municipality/{key}/recommendations", recommendations)
        small_map = map_json(of_place.get(municipality, []), Filters("", None, None, municipality))
        _write(out, f"map/data/place/municipality/{key}.json", _json(small_map))
    return written


def _json(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False) + "\n"


async def _municipalities(data: StoreData) -> list[str]:
    """Every municipality of the graph (the directory's and the curated ones), as ``municipality_profile``
    lists them."""
    table = await data.rows("municipality_profile", MAX_MUNICIPALITIES)
    column = table.columns.index("_municipality")
    return list(dict.fromkeys(term.value for row in table.rows if isinstance(term := row[column], NamedNode)))


async def _write_maps(out: Path, data: StoreData, labels: Labels, assets: list[str],
                      feed_root: str | None) -> list[Flow]:
    """The map page (unfiltered, both languages), its data, and the data of each solution's and module's
    small map; the flows, for the municipalities' small maps."""
    areas = areas_of((await data.rows("map_area_centres", MAX_AREAS)).rows)
    table = await data.rows("map_flows", MAX_FLOWS)
    flows = flows_of(list(table.columns), list(table.rows), areas)
    unfiltered = Filters("", None, None)
    for lang in LANGS:
        context = map_context(SiteView(lang, labels, "/map", feed_root), flows, choices_of(flows), unfiltered)
        _write(out, page_file("/map", lang), render("webapp/map.html", **context))
    _write(out, "map/data.json", _json(map_json(flows, unfiltered)))
    for iri in assets:  # a solution's flows are its own and its modules' (the server binds ?solution)
        mine = [f for f in flows if iri in (f.asset, f.solution)]
        _write(out, f"map/data/asset/{iri[len(ID) :]}.json", _json(map_json(mine, Filters(iri, None, None))))
    return flows


def copy_static(out: Path, queries: Path) -> None:
    """The server's style sheets and scripts, which the pages link as ``/static/…``, and the named queries,
    which the figures name as ``/queries/{name}.rq``."""
    shutil.copytree(SERVER_DIR / "static", out / "static", dirs_exist_ok=True)
    shutil.copytree(queries, out / "queries", dirs_exist_ok=True)


def write_site_pages(graph: Graph, out: Path, labels: Labels, feed_root: str | None = None) -> int:
    """The web application's pages of the static site and what they link (see the module's docstring)."""
    copy_static(out, graph.project.queries_dir)
    return asyncio.run(write_pages(graph, out, labels, feed_root))
