"""Build benchmark workers: our loader vs pyoxigraph's own bulk loader on the same files.

Tasks: ``ours-memory`` (``load_dataset``), ``ours-disk`` (``build_store``, atomic, with counts and
optimize), ``ref-memory`` and ``ref-disk`` (``Store.bulk_load`` of the same ontology and data files
into the same named graphs, nothing else). Usage: ``python -m benchmarks.bench_build TASK DATA WORK``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from benchmarks.common import emit, project_for, timed


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
    elif task in ("ref-memory", "ref-disk"):
        def load() -> Store:
            store = Store() if task == "ref-memory" else Store(str(target))
            for source in graph_sources(project):
                for path in source.files:
                    store.bulk_load(path=str(path), format=RdfFormat.TURTLE, to_graph=NamedNode(source.graph))
            return store
        seconds, store = timed(load)
        emit(task=task, seconds=seconds, quads=len(store))
    else:
        raise SystemExit(f"unknown task {task}")
    shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
