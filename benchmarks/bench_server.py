"""Server benchmark (not a test): this server against ``oxigraph serve-read-only`` on the same store.

Why: the endpoint adds safety (worker processes, hard timeouts, SERVICE refusal) on top of the same
engine; this measures what that costs. Both servers serve one synthetic 100k-triple store
(``benchmarks/generate.py``) and are driven by the same bounded asyncio/httpx client loop over a
fixed query mix (40% lookup, 30% 3-way join, 20% aggregate, 10% CONSTRUCT). A soak run then sends
10,000 requests at 32 concurrent clients with ``--timeout 2``, 0.2% runaway and 2% malformed
queries, and records unexpected answers, p99 and the RSS growth of the server's processes; the
same soak without the runaways against Oxigraph shows how much of the tail is the client's own.

Both servers run side by side and are driven in alternating rounds (median over the rounds), so
that load from other processes on a shared machine falls on both alike.

Run: ``.venv/bin/python benchmarks/bench_server.py [--triples 100000] [--rounds 5] [--workers N] [--pin]
[--out benchmarks/RESULTS-server.md]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
import psutil
from pyoxigraph import NamedNode, RdfFormat, Store

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "src"))

from generate import generate  # noqa: E402

from mpsc_graph.server.config import DEFAULT_WORKERS  # noqa: E402
from mpsc_graph.server.running import free_port, stop_process  # noqa: E402
from mpsc_graph.server.workers import steady_workers  # noqa: E402

PREFIX = "PREFIX mpsc: <https://w3id.org/mpsc-graph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MALFORMED = "SELECT ?x WHERE { ?x ?y "
MIX = [("lookup", 40), ("join", 30), ("aggregate", 20), ("construct", 10)]
LOAD_BEFORE = psutil.getloadavg()[0]
#: With --pin, the servers (and every process they start) run on these CPUs and the client on the rest.
SERVER_CPUS: set[int] = set()


def _server_affinity() -> None:
    if SERVER_CPUS:
        os.sched_setaffinity(0, SERVER_CPUS)


def build_store(triples: int, folder: Path) -> tuple[Path, list[str]]:
    """Generate the synthetic graph and load it as one named graph; return the store and origin IRIs."""
    text = io.StringIO()
    written = generate(triples, 7, text, ntriples=True)
    store_dir = folder / "store"
    store = Store(str(store_dir))
    store.load(text.getvalue().encode(), format=RdfFormat.N_TRIPLES,
               to_graph=NamedNode("https://w3id.org/mpsc-graph/graph/synthetic"))
    store.flush()
    origins = sorted({r["o"].value for r in store.query(
        "SELECT DISTINCT ?o WHERE { ?a <https://w3id.org/mpsc-graph/ontology#origin> ?o }",
        use_default_graph_as_union=True)})
    del store
    print(f"store: {written} triples, {len(origins)} adoption origins", file=sys.stderr)
    return store_dir, origins


def query_for(kind: str, iri: str) -> str:
    if kind == "lookup":
        return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    if kind == "join":
        return (PREFIX + f"SELECT ?adopter ?label ?asset WHERE {{ ?a mpsc:origin <{iri}> ; mpsc:adopter ?adopter ; "
                "mpsc:adoptedAsset ?asset . ?adopter rdfs:label ?label }")
    if kind == "aggregate":
        return PREFIX + "SELECT ?status (COUNT(?a) AS ?n) WHERE { ?a mpsc:adoptionStatus ?status } GROUP BY ?status"
    return (PREFIX + f"CONSTRUCT {{ <{iri}> ?p ?o . ?a ?q ?r }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
            f"{{ ?a mpsc:origin <{iri}> ; ?q ?r }} }}")


def plan(n: int, origins: list[str], seed: int, runaway: float = 0.0, malformed: float = 0.0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < runaway:
            out.append(("runaway", RUNAWAY))
        elif roll < runaway + malformed:
            out.append(("malformed", MALFORMED))
        else:
            kind = rng.choice(kinds)
            out.append((kind, query_for(kind, rng.choice(origins))))
    return out


async def drive(endpoint: str, requests: list[tuple[str, str]], concurrency: int) -> dict:
    """Send every request with at most ``concurrency`` in flight; latencies and statuses per class."""
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[str] = []
    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def worker() -> None:
            while not queue.empty():
                kind, text = queue.get_nowait()
                accept = "text/turtle" if kind == "construct" else "application/sparql-results+json"
                started = time.perf_counter()
                try:
                    response = await client.post(endpoint, content=text.encode(), headers={
                        "Content-Type": "application/sparql-query", "Accept": accept})
                    await response.aread()
                    statuses[kind][response.status_code] += 1
                except httpx.HTTPError as exc:
                    errors.append(f"{kind}: {exc!r}")
                    statuses[kind][0] += 1
                latencies[kind].append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "statuses": statuses, "errors": errors, "elapsed": elapsed,
            "count": len(requests)}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def wait_ready(base: str, process: subprocess.Popen, path: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + path, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become ready")


def start_ours(store_dir: Path, timeout: float, workers: int | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from mpsc_graph.cli import main; main()", "serve",
                                "--root", str(REPO), "--store", str(store_dir), "--port", str(port),
                                "--timeout", str(timeout), "--log-level", "warning",
                                *(["--workers", str(workers)] if workers else [])], preexec_fn=_server_affinity,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, process, "/sparql")
    return process, base


def start_oxigraph(store_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    binary = Path(sys.executable).parent / "oxigraph"
    process = subprocess.Popen([str(binary), "serve-read-only", "--location", str(store_dir), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"], preexec_fn=_server_affinity,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, process, "/query")
    return process, base


def tree_rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total / 1e6


def summary(result: dict) -> dict:
    every = [x for values in result["latencies"].values() for x in values]
    rows = {"overall": (result["count"] / result["elapsed"], pct(every, 0.5), pct(every, 0.99))}
    for kind, values in result["latencies"].items():
        share = len(values) / result["count"]
        rows[kind] = (share * result["count"] / result["elapsed"], pct(values, 0.5), pct(values, 0.99))
    return rows


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a server process and its workers (killed workers are not counted)."""
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def measure(process: subprocess.Popen, endpoint: str, requests: list[tuple[str, str]]) -> dict:
    """One driven run, with the server's CPU seconds spent on it."""
    before = tree_cpu_seconds(process.pid)
    result = asyncio.run(drive(endpoint, requests, 8))
    result["server_cpu"] = tree_cpu_seconds(process.pid) - before
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--class-requests", type=int, default=1_000,
                        help="Requests of each class alone, for its own requests/s.")
    parser.add_argument("--rounds", type=int, default=5,
                        help="Alternating rounds per server; the figures are medians over the rounds.")
    parser.add_argument("--workers", type=int, default=None, help="--workers of mpsc-graph serve (default: its own).")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=False,
                        help="Servers on the last CPU, the client on the others, so that the client's CPU never "
                             "competes with the server's (default: the scheduler places them, as in production).")
    parser.add_argument("--soak", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS-server.md")
    args = parser.parse_args(argv)
    cpus = sorted(os.sched_getaffinity(0))
    if args.pin and len(cpus) >= 2:
        SERVER_CPUS.update(cpus[-1:])
        os.sched_setaffinity(0, set(cpus[:-1]))
    args.placement = (f"servers pinned to CPU {cpus[-1]}, client to CPU {','.join(map(str, cpus[:-1]))}"
                      if SERVER_CPUS else "not pinned (the scheduler places client and servers)")
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        store_dir, origins = build_store(args.triples, Path(tmp))
        mix = plan(args.requests, origins, seed=1)
        chooser = random.Random(3)
        classes = {kind: [(kind, query_for(kind, chooser.choice(origins))) for _ in range(args.class_requests)]
                   for kind, _ in MIX}
        servers = {"oxigraph": (*start_oxigraph(store_dir), "/query"),
                   "mpsc-graph": (*start_ours(store_dir, 30, args.workers), "/sparql")}
        runs: dict[str, list[dict]] = {name: [] for name in servers}
        try:
            for _process, base, path in servers.values():
                asyncio.run(drive(base + path, mix[:200], 8))  # warm-up
            for round_number in range(args.rounds):
                # both servers are up all the time (an idle one costs nothing); the order alternates per
                # round, so drifting machine load falls on both alike
                order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
                for name in order:
                    process, base, path = servers[name]
                    run = {"mixed": measure(process, base + path, mix)}
                    for kind, only in classes.items():  # each class alone, for its own requests/s
                        run[kind] = measure(process, base + path, only)
                    runs[name].append(run)
        finally:
            for process, _, _ in servers.values():
                stop_process(process)
        SERVER_CPUS.clear()  # the soak runs unpinned: the server may use every CPU, as in production
        os.sched_setaffinity(0, set(cpus))
        soak_plan = plan(args.soak, origins, seed=2, runaway=0.002, malformed=0.02)
        process, base = start_ours(store_dir, 2, args.workers)
        try:
            asyncio.run(drive(base + "/sparql", mix[:200], 8))
            rss_start = tree_rss_mb(process.pid)
            soak = asyncio.run(drive(base + "/sparql", soak_plan, 32))
            rss_end = tree_rss_mb(process.pid)
        finally:
            stop_process(process)
        # the same soak against Oxigraph, without the runaways (its --timeout-s answers late and leaves them
        # running, so they would take the CPU for the rest of the run): the client's own share of the tail
        process, base = start_oxigraph(store_dir)
        try:
            asyncio.run(drive(base + "/query", mix[:200], 8))
            reference = asyncio.run(drive(base + "/query", [item for item in soak_plan if item[0] != "runaway"], 32))
        finally:
            stop_process(process)
    report = render(args, runs, soak, rss_start, rss_end, reference)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


def rate(run: dict) -> float:
    return run["count"] / run["elapsed"]


def normal_latencies(result: dict, expected: dict[str, set[int]]) -> list[float]:
    """The latencies of a driven run's normal queries (every class but those with an ``expected`` error)."""
    return [x for kind, values in result["latencies"].items() if kind not in expected for x in values]


def render(args: argparse.Namespace, runs: dict[str, list[dict]], soak: dict, rss_start: float,
           rss_end: float, reference: dict) -> str:
    workers = (f"--workers {args.workers}" if args.workers else
               f"default --workers {DEFAULT_WORKERS}: at most {DEFAULT_WORKERS} queries at once, "
               f"{steady_workers(DEFAULT_WORKERS, 1 if args.pin else None)} worker processes kept "
               "running (one per CPU the server may use)")
    command = (f"`.venv/bin/python benchmarks/bench_server.py --triples {args.triples} --rounds {args.rounds}"
               + (f" --workers {args.workers}" if args.workers else "") + (" --pin" if args.pin else "") + "`")
    lines = [
        "# Server benchmark (benchmarks/bench_server.py)", "",
        f"Command: {command} on {psutil.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"nice {os.nice(0)}; load average before the run {LOAD_BEFORE:.1f} (other processes share the machine; "
        "figures vary with it, which is why the servers alternate).",
        f"Synthetic store: {args.triples} triples (benchmarks/generate.py, seed 7), one named graph. "
        f"Client: asyncio + httpx on the same machine, {args.requests} requests, 8 concurrent, "
        "POST application/sparql-query; mix 40% lookup, 30% 3-way join, 20% aggregate, 10% CONSTRUCT.",
        f"mpsc-graph serve (uvloop, httptools), --timeout 30, {workers}; "
        "oxigraph serve-read-only --union-default-graph (0.5.13). Both servers run side by side; "
        f"{args.rounds} rounds, each driving one server and then the other (order alternating). "
        f"CPU placement: {args.placement}.", "",
        f"req/s: median over the rounds (overall: the mixed run; a class: a run of {args.class_requests} requests of "
        "that class alone, random origins). p50/p99: over the mixed runs of all rounds. Server CPU: user + system "
        "seconds of the server's processes per request, mixed runs. Ratio: median req/s of mpsc-graph / median of "
        "Oxigraph; in brackets the ratios of the single rounds.", "",
        "| class | mpsc-graph req/s | p50 ms | p99 ms | oxigraph req/s | p50 ms | p99 ms | ratio (rounds) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ["overall", "lookup", "join", "aggregate", "construct"]:
        key = "mixed" if kind == "overall" else kind
        cells = []
        for name in ("mpsc-graph", "oxigraph"):
            rates = [rate(run[key]) for run in runs[name]]
            every = [x for run in runs[name] for k, values in run["mixed"]["latencies"].items()
                     if kind == "overall" or k == kind for x in values]
            cells.append((statistics.median(rates), pct(every, 0.5), pct(every, 0.99), rates))
        (a, a50, a99, a_rates), (b, b50, b99, b_rates) = cells
        rounds = ", ".join(f"{x / y:.2f}" for x, y in zip(a_rates, b_rates, strict=True))
        lines.append(f"| {kind} | {a:.0f} | {a50:.1f} | {a99:.1f} | {b:.0f} | {b50:.1f} | {b99:.1f} | "
                     f"**{a / b:.2f}** ({rounds}) |")
    cpu = {name: statistics.median(run["mixed"]["server_cpu"] / run["mixed"]["count"] * 1000 for run in runs[name])
           for name in runs}
    lines += ["", f"Server CPU per request (mixed, median): mpsc-graph {cpu['mpsc-graph']:.2f} ms, "
                  f"oxigraph {cpu['oxigraph']:.2f} ms."]
    bad = {name: {k: dict(v) for run in runs[name] for k, v in run["mixed"]["statuses"].items() if set(v) != {200}}
           for name in runs}
    lines += ["", f"Non-200 answers in the comparison runs: mpsc-graph {bad['mpsc-graph'] or 'none'}, "
                  f"oxigraph {bad['oxigraph'] or 'none'}."]
    expected = {"runaway": {503}, "malformed": {400}}
    unexpected = 0
    for kind, counts in soak["statuses"].items():
        for status, count in counts.items():
            if status not in expected.get(kind, {200}):
                unexpected += count
    normal, normal_reference = (normal_latencies(result, expected) for result in (soak, reference))
    lines += [
        "", "## Soak", "",
        f"{args.soak} requests, 32 concurrent, `mpsc-graph serve --timeout 2`, not pinned, 0.2% runaway "
        f"(3-way cross join), 2% malformed; {soak['elapsed']:.1f} s ({args.soak / soak['elapsed']:.0f} req/s).", "",
        f"- statuses per class: {({k: dict(v) for k, v in soak['statuses'].items()})}",
        f"- unexpected answers (anything but 200, 400 for malformed, 503 for runaway): {unexpected}",
        f"- client errors: {len(soak['errors'])}"
        + (f" (first: {'; '.join(soak['errors'][:3])})" if soak["errors"] else ""),
        f"- p50 / p99 of the normal queries: {pct(normal, 0.5):.1f} ms / {pct(normal, 0.99):.1f} ms",
        f"- summed RSS of the server process and its workers: {rss_start:.0f} MB → {rss_end:.0f} MB "
        f"({rss_end - rss_start:+.0f} MB)",
        f"- the same soak without the runaway queries against `oxigraph serve-read-only --union-default-graph`, "
        f"for the client's own share of the tail: {reference['elapsed']:.1f} s "
        f"({reference['count'] / reference['elapsed']:.0f} req/s), p50 / p99 of the normal queries "
        f"{pct(normal_reference, 0.5):.1f} ms / {pct(normal_reference, 0.99):.1f} ms, client errors "
        f"{len(reference['errors'])}", "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
