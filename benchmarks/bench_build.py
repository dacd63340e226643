"""Build benchmark workers: our loader vs pyoxigraph's own bulk loader on the same files.

Tasks: ``ours-memory`` (``load_dataset``), ``ours-disk`` (``build_store``, atomic, with counts and
optimize), ``ref-memory`` and ``ref-disk`` (``Store.bulk_load`` of the same ontology and data files
into the same named graphs, nothing else). Usage: ``python -m benchmarks.bench_build TASK DATA WORK``.

``settle-disk`` is an experiment, not a build: the reference's bulk load, then no ``optimize()`` but
a wait until RocksDB's own background compaction has finished (the CPU time of the process's
``rocksdb:*`` threads unchanged for ``SETTLE_QUIET`` seconds); its ``seconds`` exclude that quiet
window, ``load_seconds`` is the bulk load alone. It measures whether letting the engine compact on
its own is quicker than ``optimize()`` (benchmarks/RESULTS.md: it is not).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from benchmarks.common import emit, project_for, thread_cpu_seconds, timed

#: Seconds without any CPU time in the RocksDB threads after which ``settle-disk`` deems compaction done.
SETTLE_QUIET = 2.0


def rocksdb_cpu_seconds() -> float:
    """CPU time (user + system) of this process's RocksDB background threads (``rocksdb:low``/``high``)."""
    return sum(seconds for name, seconds in thread_cpu_seconds().items() if name.startswith("rocksdb"))


def wait_for_compaction(quiet: float = SETTLE_QUIET, limit: float = 600.0) -> None:
    """Return once the RocksDB threads have used no CPU for ``quiet`` seconds (or after ``limit``)."""
    started = last_change = time.perf_counter()
    previous = rocksdb_cpu_seconds()
    while time.perf_counter() - last_change < quiet and time.perf_counter() - started < limit:
        time.sleep(0.1)
        current = rocksdb_cpu_seconds()
        if current != previous:
            previous, last_change = current, time.perf_counter()


def main(task: str, data: Path, work: Path) -> None:
    from pyoxigraph import NamedNode, RdfFormat, Store

    from mpsc_graph.dataset import build_store, graph_sources, load_dataset
    from mpsc_graph.project import Project

    project = Project.at(project_for(data, work))
    target = work / f"store-{task}"
    shutil.rmtree(target, ignore_errors=True)
    if task == "ours-memory":
        seconds, store = timed(lambda: load_dataset(project))
        emit(task=task, seconds=seconds, quads=len(store))
    elif task in ("ours-disk", "keep-disk"):
        target = work / "store" if task == "keep-disk" else target
        seconds, report = timed(lambda: build_store(project, target))
        emit(task=task, seconds=seconds, quads=report.quads)
        if task == "keep-disk":
            return
    elif task in ("ref-memory", "ref-disk", "settle-disk"):
        def load() -> Store:
            store = Store() if task == "ref-memory" else Store(str(target))
            for source in graph_sources(project):
                for path in source.files:
                    store.bulk_load(path=str(path), format=RdfFormat.TURTLE, to_graph=NamedNode(source.graph))
            return store
        seconds, store = timed(load)
        if task == "settle-disk":
            settled, _ = timed(wait_for_compaction)
            emit(task=task, seconds=seconds + settled - SETTLE_QUIET, load_seconds=seconds, quads=len(store))
        else:
            emit(task=task, seconds=seconds, quads=len(store))
    else:
        raise SystemExit(f"unknown task {task}")
    shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
