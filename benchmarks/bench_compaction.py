"""Where the on-disk build's compaction spends its time: RocksDB's threads during ``optimize()``.

Why: after the bulk load, ``build_store`` runs ``Store.optimize()`` (a manual compaction of every
column family), the one step it adds to Oxigraph's bulk loader. This bulk-loads the project's files
into a scratch store, then runs ``optimize()`` in a thread and samples once a second how much CPU
each ``rocksdb:*`` thread used and how many bytes the process wrote, so one sees how many compactions
run at once. Oxigraph sizes RocksDB's background jobs by the CPU count (``increase_parallelism``): on
2 CPUs that is 2 jobs, i.e. one flush and **one** compaction at a time.

Usage: ``python -m benchmarks.bench_compaction PROJECT SCRATCH_DIR [THREADS]`` (SCRATCH_DIR is
created and removed; THREADS, default 1, is how many threads call ``optimize()`` at once), e.g.
``flock /tmp/bench.lock .venv/bin/python -m benchmarks.bench_compaction .cache/bench/10M/project
/tmp/compaction``.
"""

from __future__ import annotations

import resource
import shutil
import sys
import threading
import time
from pathlib import Path

from pyoxigraph import Store

from benchmarks.common import thread_cpu_seconds
from mpsc_graph.dataset import graph_sources, load_into
from mpsc_graph.project import Project


def written_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("write_bytes"))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(project_dir: Path, scratch: Path, threads: int = 1) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        began, cpu = time.perf_counter(), cpu_seconds()
        store = Store(str(scratch))
        load_into(store, graph_sources(Project.at(project_dir)), bulk=True)
        loaded, cpu_loaded = time.perf_counter(), cpu_seconds()
        print(f"bulk load: {loaded - began:.1f} s, {cpu_loaded - cpu:.1f} CPU s", flush=True)
        finished_threads = threading.Semaphore(0)
        done = threading.Event()

        def optimize(target: Store) -> None:
            target.flush()
            target.optimize()
            finished_threads.release()

        workers = [threading.Thread(target=optimize, args=(store,)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        threading.Thread(target=lambda: ([finished_threads.acquire() for _ in workers], done.set())).start()
        previous, written = thread_cpu_seconds(), written_bytes()
        both = 0
        while not done.wait(1.0):
            current, now_written = thread_cpu_seconds(), written_bytes()
            busy = {name: current[name] - previous.get(name, 0.0) for name in current if name.startswith("rocksdb")}
            busy = {name: round(cpu, 2) for name, cpu in busy.items() if cpu > 0.05}
            both += len(busy) > 1
            print(f"  {time.perf_counter() - loaded:5.1f} s  {busy}  wrote {(now_written - written) / 1e6:.0f} MB",
                  flush=True)
            previous, written = current, now_written
        for worker in workers:
            worker.join()
        finished = time.perf_counter()
        label = f"{threads} thread{'s' if threads > 1 else ''}"
        print(f"optimize ({label}): {finished - loaded:.1f} s, {cpu_seconds() - cpu_loaded:.1f} CPU s; "
              f"two compaction threads busy in {both} of the sampled seconds", flush=True)
        del store
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
