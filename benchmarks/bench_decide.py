"""Decision-support benchmark worker: readiness of every solution and module, and recommendations for one
and for every directory municipality, on the on-disk store of ``generate.py --directory`` data.

Each task runs in its own process (its peak RSS is that task's) and prints one JSON line. Usage:
``python -m benchmarks.bench_decide TASK DATA WORK [REPEAT]`` with TASK one of ``build`` (the on-disk
store, kept in WORK/store), ``readiness`` (every criterion over every solution and module),
``criterion:NAME`` (one criterion over every solution and module, to profile it alone),
``recommend-one`` (REPEAT cold answers as the command computes them: indexes read, then one answer; and
warm answers for 200 municipalities with the indexes read once), ``recommend-all`` (every
municipality of the directory, the best ten each) and ``recommend`` (both in one process: the indexes
and readiness read once, then 200 single answers and every municipality). Figures go to benchmarks/RESULTS.md; targets:
one municipality p95 <= 1 s at 1M and <= 5 s at 10M, readiness of all solutions <= 10 s at 1M, all
municipalities <= 2 min at 1M, peak RSS < 4 GiB at 10M. They report, they do not pass or fail.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks.common import emit, project_for, timed

AS_OF = date(2026, 12, 8)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _cpu_seconds() -> float:
    """User and system CPU seconds of this process so far (the machine may be shared)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _emit(**fields: object) -> None:
    """The result line, with the CPU seconds of the whole process (the machine may be shared)."""
    emit(**fields, cpu_seconds=_cpu_seconds())


def main(task: str, data: Path, work: Path, repeat: int = 5) -> None:
    from mpsc_graph.api import Graph
    from mpsc_graph.dataset import build_store
    from mpsc_graph.project import Project
    from mpsc_graph.readiness import criteria, evaluate, readiness_all
    from mpsc_graph.recommend import Recommender

    root = project_for(data, work)
    store = work / "store"
    if task == "build":
        seconds, report = timed(lambda: build_store(Project.at(root), store))
        _emit(task=task, seconds=round(seconds, 2), quads=report.quads)
        return
    graph = Graph.open(root, store_dir=store)
    if task == "readiness":
        seconds, rows = timed(lambda: readiness_all(graph, as_of=AS_OF))
        _emit(
            task=task,
            seconds=round(seconds, 2),
            assets=len({r["asset"] for r in rows}),
            rows=len(rows),
        )
    elif task.startswith("criterion:"):
        name = task.split(":", 1)[1]
        chosen = next(c for c in criteria(graph.project.queries_dir) if c.name == name)
        seconds, rows = timed(lambda: evaluate(graph, chosen, AS_OF))
        outcomes = {o: sum(1 for r in rows if r["outcome"] == o) for o in ("met", "not met", "unknown")}
        _emit(task=task, seconds=round(seconds, 2), rows=len(rows), **outcomes)
    elif task == "recommend-one":
        sample = sorted(Recommender(graph, as_of=AS_OF).profiles)
        chosen = random.Random(1).sample(sample, 200)
        cold = []
        for municipality in chosen[:repeat]:
            started = time.perf_counter()
            Recommender(graph, as_of=AS_OF).recommend(municipality, limit=10)
            cold.append(time.perf_counter() - started)
        warm_recommender = Recommender(graph, as_of=AS_OF)
        warm_recommender.recommend(chosen[0], limit=10)
        warm = []
        for municipality in chosen:
            started = time.perf_counter()
            warm_recommender.recommend(municipality, limit=10)
            warm.append(time.perf_counter() - started)
        _emit(
            task=task,
            cold_p50=round(statistics.median(cold), 3),
            cold_p95=round(_percentile(cold, 0.95), 3),
            cold_runs=len(cold),
            warm_p50=round(statistics.median(warm), 4),
            warm_p95=round(_percentile(warm, 0.95), 4),
            warm_runs=len(warm),
        )
    elif task in ("recommend", "recommend-without-readiness"):  # prepare once, then one and all municipalities
        started = time.perf_counter()
        recommender = Recommender(graph, as_of=AS_OF)
        if task == "recommend-without-readiness":  # the readiness criteria are timed by the readiness task
            recommender.__dict__["readiness_met"] = {}
        municipalities = sorted(recommender.profiles)
        recommender.recommend(municipalities[0], limit=10)
        prepared = time.perf_counter() - started
        chosen = random.Random(1).sample(municipalities, 200)
        warm = []
        for municipality in chosen:
            one = time.perf_counter()
            recommender.recommend(municipality, limit=10)
            warm.append(time.perf_counter() - one)
        all_started = time.perf_counter()
        empty = sum(1 for m in municipalities if not recommender.recommend(m, limit=10).recommendations)
        _emit(
            task=task,
            prepare_seconds=round(prepared, 2),
            one_p50=round(statistics.median(warm), 4),
            one_p95=round(_percentile(warm, 0.95), 4),
            cold_one_p95_estimate=round(prepared + _percentile(warm, 0.95), 2),
            all_seconds=round(time.perf_counter() - all_started, 2),
            municipalities=len(municipalities),
            without_recommendation=empty,
        )
    elif task == "recommend-all":
        started = time.perf_counter()
        recommender = Recommender(graph, as_of=AS_OF)
        municipalities = sorted(recommender.profiles)
        recommender.recommend(municipalities[0], limit=10)
        prepared = time.perf_counter() - started
        empty = 0
        for municipality in municipalities:
            if not recommender.recommend(municipality, limit=10).recommendations:
                empty += 1
        _emit(
            task=task,
            seconds=round(time.perf_counter() - started, 2),
            prepare_seconds=round(prepared, 2),
            municipalities=len(municipalities),
            without_recommendation=empty,
        )
    else:
        raise SystemExit(f"unknown task {task!r}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), *(int(a) for a in sys.argv[4:5]))
