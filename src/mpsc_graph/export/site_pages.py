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
import re
import shutil
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pyoxigraph import NamedNode

from .. import reuse
from ..api import Graph
from ..namespaces import ID, ONTOLOGY_IRI
from ..queries import NamedQuery
from ..readiness import criteria
from ..resolve import Entity
from ..results import Table
from ..server.entity_page import Labels, PageView
from ..server.site import HERE as SERVER_DIR
from ..server.webapp import adoptions, catalogue
from ..server.webapp.profiles import profile_page
from ..sparql import Term

LANGS = ("de", "en")


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

    def __init__(self, lang: str, labels: Labels, path: str) -> None:
        super().__init__(lang, labels, ID, ONTOLOGY_IRI, live=False)
        self.path = path

    def at(self, path: str) -> str:
        if self.lang != "en":
            return path
        return "/index.en" if path == "/" else path + ".en"

    def switch(self, lang: str) -> str:
        return ("/index" if self.path == "/" else self.path) + "." + lang

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


async def _list_pages(out: Path, data: StoreData, labels: Labels, path: str, count: int, size: int, render: Any) -> int:
    """Write every page of an unfiltered list in both languages; the number of files written."""
    pages = max(1, -(-count // size))
    for lang in LANGS:
        for number in range(1, pages + 1):
            at = path if number == 1 else f"{path}/page/{number}"
            html = await render(data, SiteView(lang, labels, at), {"page": str(number)} if number > 1 else {})
            _write(out, page_file(at, lang), html)
    return 2 * pages


async def write_pages(graph: Graph, out: Path, labels: Labels) -> int:
    """Write the web application's pages (both languages) and the lists' downloads; the number of pages."""
    data = StoreData(graph)
    written = 0
    for lang in LANGS:
        assets, _ = await catalogue.catalogue_rows(data, lang)
        hits = catalogue.select(assets, catalogue.CatalogueState.of({}))
        suffix = ".en" if lang == "en" else ""
        _write(out, f"solutions{suffix}.csv", catalogue.as_csv(hits))
        _write(out, f"solutions{suffix}.json", catalogue.as_json(hits))
    written += await _list_pages(
        out, data, labels, "/solutions", len(assets), catalogue.PAGE_SIZE, catalogue.catalogue_page
    )
    every = await adoptions.all_adoptions(data)
    for suffix in ("", ".en"):
        _write(out, f"adoptions{suffix}.csv", adoptions.as_csv(every))
        _write(out, f"adoptions{suffix}.json", adoptions.as_json(every))
    written += await _list_pages(
        out, data, labels, "/adoptions", len(every), adoptions.PAGE_SIZE, adoptions.adoptions_page
    )
    for asset in assets:
        key = asset.iri.rsplit("/", 1)[-1]
        for lang in LANGS:
            html = await profile_page(data, SiteView(lang, labels, asset.path), asset.kind, key, ID)
            _write(out, page_file(asset.path, lang), html)
            written += 1
    return written


def copy_static(out: Path) -> None:
    """The server's style sheets and scripts, which the pages link as ``/static/…``."""
    shutil.copytree(SERVER_DIR / "static", out / "static", dirs_exist_ok=True)


def write_site_pages(graph: Graph, out: Path, labels: Labels) -> int:
    """The web application's pages of the static site and what they link (see the module's docstring)."""
    copy_static(out)
    return asyncio.run(write_pages(graph, out, labels))
