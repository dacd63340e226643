"""``mpsc-graph export``: dumps, VoID, DCAT-AP.de record, ontology docs and an optional static site.

The export is written into a temporary directory beside the target and moved into place only
when every step succeeded; an interrupted or failed export leaves the previous one intact.
Steps run in a fixed order (the DCAT record last, because it carries the checksums of the files
written before it).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pyoxigraph import Store

from ..api import Graph
from ..atomic import clear_stale as clear_stale_beside
from ..atomic import new_dir, replace_dir
from ..dataset import load_dataset
from ..errors import InputError, MpscError
from ..project import Project
from .dcat import build_catalog
from .docs import write_ontology_docs
from .dumps import DUMPS, ONTOLOGY, DumpFile, write_dumps
from .gate import ViolationsFound, require_conforming
from .settings import Publication
from .site import write_site
from .void import LINKS_FILE, build_void, geocoding_links, write_geocoding_links

MARKER = ".mpsc-export"
#: infix of the temporary directory an export is written into, before the pid of its process
EXPORTING = ".exporting-"
LINKS = DumpFile(LINKS_FILE, "Verknüpfungen mit der politischen Geokodierung von DCAT-AP.de (N-Triples)",
                 "Links to the DCAT-AP.de political geocoding (N-Triples)", "application/n-triples", "RDF_N_TRIPLES",
                 in_void=False)


@dataclass
class ExportContext:
    """What the steps share: the inputs, the directory being written and what was written so far."""

    project: Project
    store: Store
    out: Path
    publication: Publication
    site: bool
    releases: Path | None = None  # ``--releases DIR``: write the feeds of its newest release into feeds/
    files: list[DumpFile] = field(default_factory=list)
    entities: int = 0
    links: int = 0
    #: the top-level files and folders of the site's pages (not listed one by one in the report)
    site_entries: set[str] = field(default_factory=set)

    @property
    def graph(self) -> Graph:
        return Graph(self.project, store=self.store)


def step_dumps(ctx: ExportContext) -> None:
    ctx.files.extend(write_dumps(ctx.store, ctx.project, ctx.out))


def step_void(ctx: ExportContext) -> None:
    graph = ctx.graph
    links = geocoding_links(graph)
    write_geocoding_links(links, ctx.out / LINKS_FILE)
    ctx.files.append(LINKS)
    ctx.links = len(links)
    (ctx.out / "void.ttl").write_text(build_void(graph, ctx.publication, links).serialize(format="turtle"),
                                      encoding="utf-8")


def step_docs(ctx: ExportContext) -> None:
    write_ontology_docs(ctx.out / ONTOLOGY.name, ctx.out / "docs" / "ontology.html")


def step_site(ctx: ExportContext) -> None:
    if ctx.site:
        before = {p.name for p in ctx.out.iterdir()}
        ctx.entities = write_site(ctx.graph, ctx.out, feeds=ctx.releases is not None)
        ctx.site_entries = {p.name for p in ctx.out.iterdir() if p.suffix != ".conf"} - before


def step_feeds(ctx: ExportContext) -> None:
    if ctx.releases is not None:
        from ..releases.feeds import followed_feeds
        from ..releases.release import write_release_feeds

        write_release_feeds(ctx.releases, ctx.out / "feeds", followed_feeds(ctx.store) if ctx.site else ())


def step_catalog(ctx: ExportContext) -> None:
    states = [row["key"] for row in ctx.graph.query("political_geocoding_keys").records() if row["level"] == "state"]
    issued = ctx.publication.issued or inputs_modified(ctx.project)
    catalog = build_catalog(ctx.out, ctx.files, ctx.publication, states, issued=issued)
    (ctx.out / "catalog.ttl").write_text(catalog.serialize(format="turtle"), encoding="utf-8")


def inputs_modified(project: Project) -> date:
    """The date the catalogue gives as ``dct:modified``: when the inputs last changed, not today.

    An export of unchanged inputs must be byte-identical (its checksums are published), so the
    date comes from the inputs: ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds
    convention, e.g. the commit time in CI), otherwise the newest modification time of the
    ontology, shape and data files, as a UTC date.
    """
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is not None:
        if not fixed.strip().isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH must be seconds since 1970 (an integer), not {fixed!r}")
        return datetime.fromtimestamp(int(fixed), tz=UTC).date()
    newest = max((path.stat().st_mtime for path in project.input_files()), default=0.0)
    return datetime.fromtimestamp(newest, tz=UTC).date()


#: The export, step by step; tests replace one to check that a failure keeps the previous export.
STEPS: list[Callable[[ExportContext], None]] = [step_dumps, step_void, step_docs, step_site, step_feeds,
                                                 step_catalog]


@dataclass(frozen=True)
class ExportReport:
    out: Path
    files: tuple[str, ...]
    entities: int
    links: int
    seconds: float


def export(
    project: Project,
    out: Path,
    *,
    site: bool = False,
    publication: Publication | None = None,
    store: Store | None = None,
    releases: Path | None = None,
) -> ExportReport:
    """Write the whole export to ``out`` atomically and report what it holds.

    Refuses (:class:`ViolationsFound`, exit code 1) when the dataset has a SHACL violation, and
    turns a file-system failure (no space, no permission, a file where a folder must be) into an
    :class:`ExportError` naming the path (exit code 2). In every failure the previous export stays
    as it was and no temporary directory is left behind.
    """
    started = time.perf_counter()
    out = out.resolve()
    _check_target(project, out)
    store = store or load_dataset(project)
    require_conforming(store, project, "export")
    ctx = ExportContext(project, store, out, publication or Publication(), site, releases)
    with _io_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(out)
        temporary = new_dir(out.parent, f".{out.name}{EXPORTING}{os.getpid()}-")  # readable as any new folder
    ctx.out = temporary
    try:
        with _io_errors(out):
            for step in STEPS:
                step(ctx)
            (temporary / MARKER).write_text(
                "written by mpsc-graph export; the next export replaces this directory\n", encoding="utf-8")
            replace_dir(temporary, out)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    files = tuple(sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
                         and p.relative_to(out).parts[0] not in ctx.site_entries))
    return ExportReport(out, files, ctx.entities, ctx.links, time.perf_counter() - started)


class ExportError(MpscError):
    """The export could not be written (exit code 2); the previous export is unchanged."""


@contextmanager
def _io_errors(out: Path) -> Iterator[None]:
    """Report an OSError (disk full, permission, a file in the way) as the path it concerns, not a traceback."""
    try:
        yield
    except OSError as exc:
        culprit = exc.filename if exc.filename is not None else out
        reason = exc.strerror or str(exc)
        if isinstance(exc, (FileExistsError, NotADirectoryError)) and Path(culprit).is_file():
            reason = "a file is in the way where a folder must be"
        raise ExportError(f"could not write the export to {out}: {reason} ({culprit}); "
                          "the previous export, if any, is unchanged") from exc


def clear_stale(out: Path) -> list[Path]:
    """Remove what an export into ``out`` that was killed left beside it (see :func:`atomic.clear_stale`)."""
    return clear_stale_beside(out, (EXPORTING,))


def _check_target(project: Project, out: Path) -> None:
    """Refuse to replace anything but an earlier export (the whole directory is swapped)."""
    root = project.root.resolve()
    if out == root or out in root.parents or out == Path(out.anchor):
        raise InputError("the export directory must not be the project root or one of its parents", path=out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise InputError(f"refusing to replace a directory that is not an earlier export (no {MARKER} in it); "
                         "choose an empty or new --out", path=out)


__all__ = ["DUMPS", "STEPS", "ExportContext", "ExportError", "ExportReport", "Publication", "ViolationsFound",
           "clear_stale", "export"]
