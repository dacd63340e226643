"""Shared helpers of the benchmark workers: timing, peak memory, the synthetic project, JSON output.

Every measurement runs in its own worker process (``python -m benchmarks.<module> TASK ...``), so
its peak RSS (``ru_maxrss``) is the peak of that step alone; the worker prints one JSON line.
"""

from __future__ import annotations

import glob
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def thread_cpu_seconds() -> dict[str, float]:
    """CPU seconds (user + system) of each thread of this process, keyed ``name:tid`` (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    result = {}
    for task in glob.glob("/proc/self/task/*"):
        try:
            with open(f"{task}/comm", encoding="ascii") as comm, open(f"{task}/stat", encoding="ascii") as stat:
                name, fields = comm.read().strip(), stat.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        result[f"{name}:{task.rsplit('/', 1)[1]}"] = (int(fields[11]) + int(fields[12])) / tick
    return result


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def emit(**fields: Any) -> None:
    """The worker's one result line (the driver reads the last line of stdout)."""
    fields.setdefault("rss_mb", round(peak_rss_mb(), 1))
    print(json.dumps(fields), flush=True)


def project_for(data: Path, work: Path) -> Path:
    """The synthetic project root for ``data`` under ``work`` (ontology, shapes, queries copied)."""
    from benchmarks.generate import synthetic_project

    return synthetic_project(work / "project", data, REPO)
