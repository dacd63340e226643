"""Map data benchmark: ``/map/data.json`` answered by a real ``mpsc-graph serve`` on loopback, on the on-disk
store of ``generate.py --directory`` data (real municipalities with their centre points, synthetic adoptions).

Usage: ``python -m benchmarks.bench_map DATA WORK [REPEAT]``. The store is built into WORK/store unless it
is there already. Timed requests: the first unfiltered one (cold: the server also reads the area points
and the form's choices once), then REPEAT each of unfiltered, the most adopted solution, and the busiest
place. Prints one JSON line; the target is p95 <= 1 s at 1M triples. It reports, it does not pass or fail.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import emit, project_for, timed


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(data: Path, work: Path, repeat: int = 10) -> None:
    import httpx

    from mpsc_graph.dataset import build_store
    from mpsc_graph.project import Project
    from mpsc_graph.server import running

    root = project_for(data, work)
    store = work / "store"
    build_seconds = None
    if not store.is_dir():
        build_seconds, _ = timed(lambda: build_store(Project.at(root), store))
    with (
        running(
            root, store_dir=store, extra_args=["--timeout", "120", "--workers", "2"], log_file=work / "server.log"
        ) as base,
        httpx.Client(base_url=base, timeout=180) as client,
    ):
        cold, first = timed(lambda: client.get("/map/data.json"))
        first.raise_for_status()
        flows = first.json()["flows"]
        solution = Counter(f["solution"] for f in flows).most_common(1)[0][0]
        place = Counter(f["adopter"] for f in flows).most_common(1)[0][0]
        figures: dict[str, object] = {
            "cold_unfiltered_s": round(cold, 3),
            "unfiltered_rows": len(flows),
            "truncated": first.json()["truncated"],
        }
        for name, query in (
            ("unfiltered", ""),
            ("solution", "asset=" + quote(solution)),
            ("place", "place=" + quote(place)),
        ):
            seconds, rows = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                answer = client.get("/map/data.json?" + query)
                seconds.append(time.perf_counter() - started)
                answer.raise_for_status()
                rows = len(answer.json()["flows"])
            figures[f"{name}_p50_s"] = round(statistics.median(seconds), 3)
            figures[f"{name}_p95_s"] = round(_percentile(seconds, 0.95), 3)
            figures[f"{name}_rows"] = rows
    emit(task="map-data", build_s=build_seconds and round(build_seconds, 1), **figures)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 10)
