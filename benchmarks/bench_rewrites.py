"""Before/after timing of rewritten named queries: the text at a git revision against the working tree.

Runs each query 3 times in this process on an on-disk store opened read-only (as served), with the
parameters of the serving benchmark's busiest nodes, and prints the medians and row counts (rows are
iterated, not converted to Python objects). Usage:
``python -m benchmarks.bench_rewrites STORE_DIR REVISION NAME [NAME ...]`` (wrap it in the benchmark lock).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO


def main(store_dir: Path, revision: str, names: list[str]) -> dict[str, Any]:
    from pyoxigraph import NamedNode

    from mpsc_graph.dataset import open_store
    from mpsc_graph.namespaces import ID, MPSC
    from mpsc_graph.queries import get_query
    from mpsc_graph.sparql import run_query

    store = open_store(store_dir)
    solution = NamedNode(ID + "solution/syn-000000")
    hub = next(store.quads_for_pattern(solution, NamedNode(MPSC + "originator"), None, None)).object
    params = {"adopted_from": {"_origin": hub}, "entity_adoptions": {"_entity": hub},
              "adoptions_of_asset": {"_asset": solution}}
    results: dict[str, Any] = {}
    for name in names:
        after = get_query(REPO / "queries", name).text
        before = subprocess.run(["git", "show", f"{revision}:queries/{name}.rq"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout
        row: dict[str, Any] = {}
        for tag, text in (("before", before), ("after", after)):
            times, rows = [], 0
            for _ in range(3):
                started = time.perf_counter()
                rows = sum(1 for _ in run_query(store, text, params=params.get(name)))  # type: ignore[union-attr]
                times.append(time.perf_counter() - started)
            row[tag] = round(statistics.median(times), 3)
            row[f"{tag}_rows"] = rows
        results[name] = row
        print(name, row, file=sys.stderr, flush=True)
    return results


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:])))
