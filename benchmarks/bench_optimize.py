"""Does the build's final compaction (``Store.optimize``) pay? Query times with and without it.

Why: the on-disk build spends most of what it adds to Oxigraph's bulk loader in ``optimize()``;
this measures what queries gain from it on the same data. It bulk-loads the project's files into
a second store without the compaction and times named queries (without parameters) on both, the
two stores alternating, medians of three.

Usage: ``python benchmarks/bench_optimize.py PROJECT OPTIMIZED_STORE SCRATCH_DIR QUERY...``, e.g.
``python benchmarks/bench_optimize.py .cache/bench/10M/project .cache/bench/10M/store /tmp/noopt
class_counts operators official_keys`` (SCRATCH_DIR is created and removed).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

from pyoxigraph import Store

from mpsc_graph.dataset import graph_sources, load_into
from mpsc_graph.project import Project
from mpsc_graph.queries import get_query
from mpsc_graph.sparql import run_query


def main(project_dir: Path, optimized: Path, scratch: Path, names: list[str]) -> None:
    project = Project.at(project_dir)
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        started = time.perf_counter()
        plain = Store(str(scratch))
        load_into(plain, graph_sources(project), bulk=True)
        plain.flush()
        del plain
        print(f"bulk load without optimize: {time.perf_counter() - started:.1f} s", flush=True)
        stores = {"optimized": Store.read_only(str(optimized)), "not optimized": Store.read_only(str(scratch))}
        print("| named query | rows | with optimize() s | without s |\n|---|---|---|---|")
        for name in names:
            text = get_query(project.queries_dir, name).text
            times: dict[str, list[float]] = {label: [] for label in stores}
            rows = 0
            for run in range(3):
                for label in (list(stores) if run % 2 == 0 else list(reversed(stores))):
                    began = time.perf_counter()
                    rows = sum(1 for _ in run_query(stores[label], text))
                    times[label].append(time.perf_counter() - began)
            print(f"| {name} | {rows} | {statistics.median(times['optimized']):.2f} | "
                  f"{statistics.median(times['not optimized']):.2f} |", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
