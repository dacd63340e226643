"""Web-page speed: ``python -m benchmarks.bench_webapp --triples N``, against a real ``mpsc-graph serve``.

The data is ``generate.py --directory`` (the real municipality directory with a synthetic reuse world
around it), built into an on-disk store once per size and kept in ``--work``. The server runs on a free
loopback port with its default settings. After the first page (which loads the label cache, as any
first visitor would) each page type is requested one at a time, as one reader clicking through:

- ``catalogue``: ``/solutions`` and facet links found on it (each facet state is a URL);
- ``solution``: solution profiles, chosen at random from the catalogue's links;
- ``municipality``: municipality profiles without their recommendations, random directory AGS
  (only when the server has ``/municipality/…``);
- ``adoptions``: ``/adoptions`` and filter links found on it;
- ``map``: the map's data (``--map-path``, only when the server answers it).

The report gives p50, p95 and the largest time per page type against the targets (p95 ≤ 300 ms at
1M, ≤ 2 s at 10M; the map's data ≤ 1 s at 1M), the first request of each type apart (cold), the
server's start-up and first page, and the server's resident memory and CPU seconds (its process and
its query workers together; a worker killed at the query timeout takes its CPU seconds with it, so
with timeouts that figure is too low). Benchmarks report against targets; they do not pass or fail.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ID = "https://w3id.org/mpsc-graph/id/"
MPSC = "https://w3id.org/mpsc-graph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TARGET_MS = {1_000_000: 300.0, 10_000_000: 2000.0}
MAP_TARGET_MS = {1_000_000: 1000.0}
HREF = re.compile(r'href="([^"]+)"')


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def prepare(triples: int, work: Path) -> tuple[Path, Path, Path, dict[str, float]]:
    """The synthetic project and its built store under ``work`` (generated and built once per size)."""
    from benchmarks.generate import synthetic_project

    work.mkdir(parents=True, exist_ok=True)
    data = work / f"directory-{triples}.nt"
    figures: dict[str, float] = {}
    if not data.is_file():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(REPO / "benchmarks" / "generate.py"),
                "--directory",
                "--triples",
                str(triples),
                "--seed",
                "1",
                "--format",
                "nt",
                "-o",
                str(data),
                "--quiet",
            ],
            check=True,
        )
        figures["generate_seconds"] = round(time.perf_counter() - started, 1)
    root = synthetic_project(work / "project", data, REPO)
    store = work / "store"
    if not (store / "mpsc-build.json").is_file():
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mpsc_graph", "build", "--root", str(root), "--store", str(store)],
            env=env,
            check=True,
        )
        figures["build_seconds"] = round(time.perf_counter() - started, 1)
    return data, root, store, figures


@contextlib.contextmanager
def serving(root: Path, store: Path, log: Path, timeout: float) -> Iterator[tuple[psutil.Process, str]]:
    """``mpsc-graph serve`` on a free loopback port; stopped by its PID at the end."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    with log.open("ab") as output:
        command = [
            sys.executable,
            "-m",
            "mpsc_graph",
            "serve",
            "--root",
            str(root),
            "--store",
            str(store),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ]
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        yield psutil.Process(process.pid), f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(base: str, process: psutil.Process, seconds: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
            raise RuntimeError("the server exited; see its log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.2)
    raise RuntimeError("the server did not become ready")


def tree(process: psutil.Process) -> list[psutil.Process]:
    return [process, *process.children(recursive=True)]


def tree_rss_mib(process: psutil.Process) -> float:
    total = 0
    for member in tree(process):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += member.memory_info().rss
    return total / 2**20


def tree_cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for member in tree(process):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = member.cpu_times()
            total += times.user + times.system
    return total


def links(page: str, prefix: str) -> list[str]:
    """The distinct links of ``page`` that start with ``prefix``, in page order."""
    found = [unescape(href) for href in HREF.findall(page) if unescape(href).startswith(prefix)]
    return list(dict.fromkeys(found))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_get(client: httpx.Client, url: str) -> tuple[float, int]:
    """Milliseconds and status of one GET; status 0 when the client gave up waiting, -1 when the server
    closed the connection without an answer."""
    started = time.perf_counter()
    try:
        status = client.get(url).status_code
    except httpx.TimeoutException:
        status = 0
    except httpx.TransportError:
        status = -1
    return (time.perf_counter() - started) * 1000, status


def solution_paths(data: Path, limit: int = 5_000) -> list[str]:
    """``/solution/KEY`` of the first ``limit`` solutions typed in the data file (N-Triples)."""
    marker = f"<{ID}solution/"
    found: list[str] = []
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(marker) and f" <{RDF_TYPE}> <{MPSC}Solution>" in line:
                found.append("/solution/" + line[len(marker) : line.index(">")])
                if len(found) >= limit:
                    break
    return found


def discovered(client: httpx.Client, path: str, samples: int, rng: random.Random) -> list[str]:
    """``path`` and up to ``samples - 1`` of the filter links its page offers (no paging, sorting or
    downloads); only ``path`` when it does not answer."""
    try:
        answer = client.get(path)
    except httpx.HTTPError as error:
        print(f"{path}: {error!r}", file=sys.stderr)
        return [path]
    if answer.status_code != 200:
        print(f"{path} answered {answer.status_code}: {answer.text[:200]}", file=sys.stderr)
        return [path]
    found = [u for u in links(answer.text, path + "?") if not re.search(r"(page|sort|format|lang)=", u)]
    return [path, *rng.sample(found, min(len(found), samples - 1))]


def plan(
    client: httpx.Client, data: Path, samples: int, map_path: str | None, rng: random.Random
) -> dict[str, list[str]]:
    """The URLs of each page type: filters as the pages offer them, entities chosen at random."""
    solutions = solution_paths(data)
    urls = {
        "catalogue": discovered(client, "/solutions", samples, rng),
        "solution": rng.sample(solutions, min(len(solutions), samples)),
        "adoptions": discovered(client, "/adoptions", samples, rng),
    }
    with (REPO / "data" / "directory.csv").open(encoding="utf-8", newline="") as handle:
        keys = [row["key"] for row in csv.DictReader(handle) if len(row["key"]) == 8]
    municipalities = [f"/municipality/{key}" for key in rng.sample(keys, samples)]
    if timed_get(client, municipalities[0])[1] != 404:
        urls["municipality"] = municipalities
    if map_path and timed_get(client, map_path)[1] != 404:
        urls["map"] = [map_path]
    return urls


def measure(
    client: httpx.Client, server: psutil.Process, urls: list[str], rounds: int, budget: float
) -> dict[str, object]:
    """The first request apart (cold), then ``rounds`` passes over ``urls``, stopping early after ``budget``
    seconds (at least three requests); with the server's CPU milliseconds per request (process and workers)."""
    cold_ms, first = timed_get(client, urls[0])
    times: list[float] = []
    statuses: dict[int, int] = {first: 1}
    cpu_before = tree_cpu_seconds(server)
    started = time.perf_counter()
    for url in [u for _ in range(rounds) for u in urls]:
        if len(times) >= 3 and time.perf_counter() - started > budget:
            break
        ms, status = timed_get(client, url)
        times.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "requests": len(times),
        "urls": len(urls),
        "cold_ms": round(cold_ms),
        "p50_ms": round(percentile(times, 0.5)),
        "p95_ms": round(percentile(times, 0.95)),
        "max_ms": round(max(times)),
        "server_cpu_ms_per_request": round((tree_cpu_seconds(server) - cpu_before) * 1000 / len(times)),
        "statuses": statuses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=10, help="Distinct URLs per page type.")
    parser.add_argument("--rounds", type=int, default=2, help="Times each URL is requested after the cold one.")
    parser.add_argument(
        "--map-path", default="/map/data.json", help="The route of the map's data (skipped when absent)."
    )
    parser.add_argument("--budget", type=float, default=90, help="Seconds of measuring per page type, at most.")
    parser.add_argument("--timeout", type=float, default=60, help="The server's --timeout (seconds per query).")
    parser.add_argument("--work", type=Path, default=None, help="Where data and store are kept (default /tmp/...).")
    args = parser.parse_args()
    work = args.work or Path(f"/tmp/mpsc-bench-webapp-{args.triples}")
    data, root, store, figures = prepare(args.triples, work)
    rng = random.Random(1)
    load_start = os.getloadavg()[0]
    with serving(root, store, work / "server.log", args.timeout) as (process, base):
        figures["startup_seconds"] = round(wait_ready(base, process), 1)
        with httpx.Client(base_url=base, timeout=4 * args.timeout + 60) as client:
            first_ms, figures["first_page_status"] = timed_get(client, "/")
            figures["first_page_ms"] = round(first_ms)
            urls = plan(client, data, args.samples, args.map_path, rng)
            print({kind: len(chosen) for kind, chosen in urls.items()}, file=sys.stderr)
            cpu_before = tree_cpu_seconds(process)
            started = time.perf_counter()
            pages = {kind: measure(client, process, chosen, args.rounds, args.budget) for kind, chosen in urls.items()}
            figures["measured_seconds"] = round(time.perf_counter() - started, 1)
            figures["server_cpu_seconds"] = round(tree_cpu_seconds(process) - cpu_before, 1)
            figures["server_rss_mib"] = round(tree_rss_mib(process))
    target = TARGET_MS.get(args.triples)
    for kind, result in pages.items():
        goal = MAP_TARGET_MS.get(args.triples) if kind == "map" else target
        if goal is not None:
            result["target_ms"] = goal
            result["within_target"] = float(str(result["p95_ms"])) <= goal
    print(
        json.dumps(
            {
                "triples": args.triples,
                **figures,
                "load_before": round(load_start, 2),
                "load_after": round(os.getloadavg()[0], 2),
                "pages": pages,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
