"""The one loader: ontology and data files into a pyoxigraph store, one named graph per file.

Everything else (validation, queries, network analysis, the server, exports) reads the store this
module builds. On-disk builds go to a temporary directory beside the target and are moved into
place only when complete, so a failed build never leaves a half-written store behind.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store

from .atomic import clear_stale, replace_dir
from .errors import InputError
from .namespaces import ONTOLOGY_GRAPH, graph_iri
from .progress import LoadProgress
from .project import Project
from .queries import get_query
from .sparql import run_query
from .tables import table_ntriples

BUILD_INFO = "mpsc-build.json"
#: infix of the directory a build fills beside the store, before the pid of its process
BUILDING = ".building-"


@dataclass(frozen=True)
class GraphSource:
    """One named graph and the files it is built from."""

    graph: str
    files: tuple[Path, ...]


def graph_sources(project: Project) -> list[GraphSource]:
    """The ontology graph (all ``ontology/*.ttl``) and one graph per data file."""
    sources = [GraphSource(ONTOLOGY_GRAPH, tuple(project.ontology_files()))]
    sources += [GraphSource(graph_iri(path.stem), (path,)) for path in project.data_files()]
    return sources


#: Input size above which builds and loads show their progress on stderr (about 3 s of loading).
PROGRESS_BYTES = 20 * 2**20
#: Named query counting one graph's triples for the build report, in the engine (a Python loop over the
#: quads took 8 s of a 1M-triple build, see benchmarks/RESULTS.md).
COUNT_QUERY = "graph_triple_count"


def _load_file(store: Store, path: Path, graph: str, *, bulk: bool = False) -> None:
    """Load one file into ``graph``; ``bulk`` uses Oxigraph's bulk loader (on-disk builds: 3-10x faster)."""
    target = NamedNode(graph)
    if path.suffix == ".csv":
        (store.bulk_load if bulk else store.load)(table_ntriples(path), format=RdfFormat.N_TRIPLES, to_graph=target)
        return
    try:
        if bulk:
            store.bulk_load(path=str(path), format=RdfFormat.TURTLE, to_graph=target)
        else:
            store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=target)
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise unreadable_turtle(exc, path) from exc


def unreadable_turtle(exc: SyntaxError | UnicodeDecodeError, path: Path) -> InputError:
    """The user-facing error for a Turtle file pyoxigraph cannot parse: file, line and the parser's words."""
    if isinstance(exc, UnicodeDecodeError):
        return InputError(f"not UTF-8 text ({exc.reason})", path=path)
    line = exc.args[1][1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
    message = str(exc.args[0]) if exc.args else str(exc)
    return InputError(f"malformed Turtle: {message}", path=path, line=line)


def load_into(store: Store, sources: Iterable[GraphSource], *, bulk: bool = False, progress: bool = False) -> None:
    """Load every source file into its named graph of ``store``; ``progress`` shows each file's
    loading on stderr as it goes (:class:`~mpsc_graph.progress.LoadProgress`)."""
    files = [(path, source.graph) for source in sources for path in source.files]
    started = time.perf_counter()
    for number, (path, graph) in enumerate(files, 1):
        if not progress or path.suffix == ".csv":
            _load_file(store, path, graph, bulk=bulk)
            continue
        with LoadProgress(path, f"[{number}/{len(files)}] {path.name}") as shown:
            _load_file(store, path, graph, bulk=bulk)
            shown.finish(total=time.perf_counter() - started)


def load_dataset(project: Project) -> Store:
    """The whole dataset in an in-memory store (tests, validation, one-off commands)."""
    store = Store()
    sources = graph_sources(project)
    load_into(store, sources, progress=_input_bytes(sources) > PROGRESS_BYTES)
    return store


def _input_bytes(sources: list[GraphSource]) -> int:
    return sum(path.stat().st_size for source in sources for path in source.files)


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote: where, how many quads per graph, from which inputs."""

    store_dir: Path
    quads_per_graph: dict[str, int]
    fingerprint: str
    seconds: float

    @property
    def quads(self) -> int:
        return sum(self.quads_per_graph.values())


def count_quads(store: Store, sources: list[GraphSource], count_query: str) -> dict[str, int]:
    """Quads per graph of a store that holds exactly ``sources``, without a pass over the largest graph.

    The store's length is a key count inside the engine (1.3-2.5 s at 10M quads, depending on
    compaction, where a COUNT grouped by graph takes 4.0 s); every other graph is counted by ``count_query`` (one graph,
    ``?_graph``), and the largest input, usually nearly all of the data, is the rest.
    """
    sizes: dict[str, int] = {}
    for source in sources:
        sizes[source.graph] = sizes.get(source.graph, 0) + sum(path.stat().st_size for path in source.files)
    largest = max(sizes, key=lambda graph: sizes[graph])
    counts: dict[str, int] = {}
    for graph in sizes:
        if graph == largest:
            continue
        solutions = run_query(store, count_query, params={"_graph": NamedNode(graph)})
        assert isinstance(solutions, QuerySolutions)
        counts[graph] = sum(int(row["triples"].value) for row in solutions)
    counts[largest] = len(store) - sum(counts.values())
    return {graph: counts[graph] for graph in sizes}


def _fill_store(directory: Path, project: Project) -> tuple[dict[str, int], str]:
    """Bulk-load the project into a new on-disk store at ``directory``; the quads per graph and the
    inputs' fingerprint.

    The compaction (``optimize``: 16-26 s at 10M quads, the largest step after the load) keeps one
    CPU busy; the per-graph counts and the inputs' hash run meanwhile in a thread (both release the
    GIL), which takes them off the build's critical path (2-3 s at 10M, measured in
    benchmarks/RESULTS.md).
    """
    sources = graph_sources(project)
    count_query = get_query(project.queries_dir, COUNT_QUERY).text
    store = Store(str(directory))
    progress = _input_bytes(sources) > PROGRESS_BYTES
    load_into(store, sources, bulk=True, progress=progress)
    began = time.perf_counter()
    if progress:
        print("  optimizing, counting and hashing the inputs ...", end="", file=sys.stderr, flush=True)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="build-side") as side:
        counting = side.submit(count_quads, store, sources, count_query)
        hashing = side.submit(project.fingerprint)
        store.flush()
        store.optimize()
        counts, fingerprint = counting.result(), hashing.result()
    if progress:
        print(f" {time.perf_counter() - began:.1f} s; {sum(counts.values()):,} quads", file=sys.stderr, flush=True)
    return counts, fingerprint


def build_store(project: Project, store_dir: Path) -> BuildReport:
    """Build the on-disk store at ``store_dir`` atomically (temporary directory, then rename).

    A build killed at any point leaves the previous store usable or restorable: before it starts,
    the next build (and :func:`open_store`) puts back a store displaced by a build that died between
    its two renames and removes the temporary directories of builds that no longer run.
    """
    started = time.perf_counter()
    store_dir = store_dir.resolve()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(store_dir, (BUILDING,))
    temporary = store_dir.parent / f".{store_dir.name}{BUILDING}{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    try:
        counts, fingerprint = _fill_store(temporary, project)
        gc.collect()
        (temporary / BUILD_INFO).write_text(
            json.dumps({"fingerprint": fingerprint, "quads_per_graph": counts}, indent=2) + "\n",
            encoding="utf-8",
        )
        replace_dir(temporary, store_dir)
    except BaseException as exc:
        # Close the store before removing its directory (an open store writes into it again when it
        # is closed): the finished frames in the traceback still hold it, so clear them and collect.
        for error in (exc, exc.__cause__, exc.__context__):
            if error is not None:
                traceback.clear_frames(error.__traceback__)
        gc.collect()
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return BuildReport(store_dir, counts, fingerprint, time.perf_counter() - started)


def open_store(store_dir: Path, *, read_only: bool = True) -> Store:
    """Open an existing on-disk Oxigraph store (ours or any other made by Oxigraph 0.5).

    A store that a killed build left displaced beside ``store_dir`` is put back first.
    """
    if not store_dir.is_dir():
        with contextlib.suppress(OSError):  # a folder we may not write to: report the missing store below
            clear_stale(store_dir.resolve(), (BUILDING,))
    if not store_dir.is_dir():
        raise InputError("no store here; build one with 'mpsc-graph build --store DIR'", path=store_dir)
    try:
        return Store.read_only(str(store_dir)) if read_only else Store(str(store_dir))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path=store_dir) from exc


def is_current(project: Project, store_dir: Path) -> bool:
    """True when ``store_dir`` was built from exactly the project's present inputs."""
    info = store_dir / BUILD_INFO
    if not info.is_file():
        return False
    try:
        return json.loads(info.read_text(encoding="utf-8")).get("fingerprint") == project.fingerprint()
    except (OSError, ValueError):
        return False
