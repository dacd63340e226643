"""Server benchmark (not a test): this server against ``oxigraph serve-read-only`` on the same store.

Why: the endpoint adds safety (worker processes, hard timeouts, SERVICE refusal) on top of the same
engine; this measures what that costs. Both servers serve one synthetic 100k-triple store
(``benchmarks/generate.py``) and are driven by the same bounded asyncio/httpx client loop over a
fixed query mix (40% lookup, 30% 3-way join, 20% aggregate, 10% CONSTRUCT). A soak run then sends
10,000 requests at 32 concurrent clients with ``--timeout 2``, 0.2% runaway and 2% malformed
queries, twice on one server: once as it is and once with hostile queries mixed in (nesting just
under and far over the guard's bounds, a 10,000-clause UNION chain, a sorted cross product that
needs more than ``--max-memory``), in alternating blocks so that load from other processes falls on
both alike. It records unexpected answers, the p99 of the normal queries with and without the
hostile mix, the summed RSS and open descriptors of the server's processes, and their CPU seconds.

Both servers run side by side and are driven in alternating rounds (median over the rounds), so
that load from other processes on a shared machine falls on both alike.

Run: ``.venv/bin/python benchmarks/bench_server.py [--triples 100000] [--rounds 5] [--workers N] [--pin]
[--soak 10000] [--soak-only] [--out benchmarks/RESULTS-server.md]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
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
#: hostile queries of the soak: (class, share of the soak's requests, query, the answers it may get)
HOSTILE = [
    # 63 levels of {} and () together, one under the guard's depth bound: reaches the engine and is answered
    ("nested-under", 0.002, "SELECT * WHERE { ?s <p:p> " + "( " * 62 + "1" + " )" * 62 + " }", {200}),
    # 65 levels: refused by the guard before any worker sees it
    ("nested-over", 0.002, "SELECT * WHERE { ?s <p:p> " + "( " * 64 + "1" + " )" * 64 + " }", {400}),
    # the 5 KB query of 2,500 nested groups that once crashed a worker's parser (SIGSEGV)
    ("nested-bomb", 0.001, "SELECT * WHERE " + "{" * 2500 + "?s ?p ?o" + "}" * 2500, {400}),
    # a flat chain of 10,000 UNION clauses (170 KB; crashes the parser as deep nesting does)
    ("union-chain", 0.001, "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 10_000) + " }", {400}),
    # 127 operators in one FILTER, one under the guard's operator bound
    ("operators-under", 0.002, "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * 127) + ") } LIMIT 10", {200}),
    # a sorted cross product: grows by hundreds of MB a second until --max-memory stops its worker (507), or
    # --timeout does first (503) when the machine is so busy that the worker gets little CPU
    ("memory", 0.002, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1", {507, 503}),
]
#: the answers each class of the soak may get; anything else is unexpected
EXPECTED = {"runaway": {503}, "malformed": {400}, **{name: answers for name, _, _, answers in HOSTILE}}
SOAK_TIMEOUT = 2
SOAK_MAX_MEMORY_MB = 320
SOAK_BLOCKS = 5
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


def with_hostile(requests: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """The same requests in the same order with the hostile queries inserted at random places."""
    rng = random.Random(seed)
    out = list(requests)
    for name, share, text, _ in HOSTILE:
        for _ in range(round(share * len(requests))):
            out.insert(rng.randrange(len(out) + 1), (name, text))
    return out


def start_ours(store_dir: Path, timeout: float, workers: int | None = None,
               max_memory_mb: int | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", "from mpsc_graph.cli import main; main()", "serve",
                                "--root", str(REPO), "--store", str(store_dir), "--port", str(port),
                                "--timeout", str(timeout), "--log-level", "warning",
                                *(["--max-memory", str(max_memory_mb)] if max_memory_mb else []),
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


def tree_cpu_total(pid: int) -> float:
    """User + system CPU seconds of a server's processes, with those of the children they reaped (ended workers)."""
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


def tree_descriptors(pid: int) -> int:
    """Open file descriptors of a server process and its workers together."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.num_fds()
    return total


class Sampler:
    """Samples the summed RSS and descriptors of a server's processes and the load average twice a second."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.rss: list[float] = []
        self.fds: list[int] = []
        self.load: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            with contextlib.suppress(psutil.Error):
                self.rss.append(tree_rss_mb(self.pid))
                self.fds.append(tree_descriptors(self.pid))
                self.load.append(psutil.getloadavg()[0])

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def soak_run(store_dir: Path, plain: list[tuple[str, str]], hostile: list[tuple[str, str]],
             workers: int | None) -> dict:
    """Both soaks on one server, in alternating blocks; figures of each, of the server's processes and the CPU.

    CPU seconds: user + system of the client (this process) and of the server's processes, ended
    workers included (their parents reap them); the server's are read just before it stops.
    """
    process, base = start_ours(store_dir, SOAK_TIMEOUT, workers, SOAK_MAX_MEMORY_MB)
    plans = {"plain": plain, "hostile": hostile}
    results: dict[str, list[dict]] = {"plain": [], "hostile": []}
    try:
        asyncio.run(drive(base + "/sparql", plain[:200], 8))
        start = {"rss": tree_rss_mb(process.pid), "fds": tree_descriptors(process.pid)}
        client_before, server_before = resource.getrusage(resource.RUSAGE_SELF), tree_cpu_total(process.pid)
        with Sampler(process.pid) as sampler:
            for block in range(SOAK_BLOCKS):
                order = ["plain", "hostile"] if block % 2 == 0 else ["hostile", "plain"]
                for name in order:
                    size = -(-len(plans[name]) // SOAK_BLOCKS)
                    part = plans[name][block * size:(block + 1) * size]
                    results[name].append(asyncio.run(drive(base + "/sparql", part, 32)))
        end = {"rss": tree_rss_mb(process.pid), "fds": tree_descriptors(process.pid)}
        client_after, server_after = resource.getrusage(resource.RUSAGE_SELF), tree_cpu_total(process.pid)
    finally:
        stop_process(process)
    cpu = {"server": server_after - server_before,
           "client": client_after.ru_utime + client_after.ru_stime - client_before.ru_utime - client_before.ru_stime}
    return {"soaks": {name: merged(parts) for name, parts in results.items()}, "start": start, "end": end,
            "rss_max": max(sampler.rss, default=end["rss"]), "fds_max": max(sampler.fds, default=end["fds"]),
            "load": sampler.load, "cpu": cpu}


def merged(parts: list[dict]) -> dict:
    """One driven run's figures from its blocks."""
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for part in parts:
        for kind, values in part["latencies"].items():
            latencies[kind].extend(values)
        for kind, counts in part["statuses"].items():
            for status, count in counts.items():
                statuses[kind][status] += count
    return {"latencies": latencies, "statuses": statuses, "errors": [e for part in parts for e in part["errors"]],
            "elapsed": sum(part["elapsed"] for part in parts), "count": sum(part["count"] for part in parts)}


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
    parser.add_argument("--soak", type=int, default=10_000,
                        help="Requests of each soak (as it is, and with the hostile queries mixed in).")
    parser.add_argument("--soak-only", action="store_true", help="Skip the comparison with Oxigraph.")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS-server.md")
    args = parser.parse_args(argv)
    cpus = sorted(os.sched_getaffinity(0))
    if args.pin and len(cpus) >= 2 and not args.soak_only:
        SERVER_CPUS.update(cpus[-1:])
        os.sched_setaffinity(0, set(cpus[:-1]))
    args.placement = (f"servers pinned to CPU {cpus[-1]}, client to CPU {','.join(map(str, cpus[:-1]))}"
                      if SERVER_CPUS else "not pinned (the scheduler places client and servers)")
    runs: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        store_dir, origins = build_store(args.triples, Path(tmp))
        if not args.soak_only:
            runs = compare(args, store_dir, origins)
        SERVER_CPUS.clear()  # the soak runs unpinned: the server may use every CPU, as in production
        os.sched_setaffinity(0, set(cpus))
        plain = plan(args.soak, origins, seed=2, runaway=0.002, malformed=0.02)
        soak = soak_run(store_dir, plain, with_hostile(plain, seed=4), args.workers)
    report = render(args, runs, soak)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


def compare(args: argparse.Namespace, store_dir: Path, origins: list[str]) -> dict[str, list[dict]]:
    """Both servers side by side, driven in alternating rounds: the mixed run and each class alone."""
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
    return runs


def rate(run: dict) -> float:
    return run["count"] / run["elapsed"]


def normal_latencies(result: dict, expected: dict[str, set[int]]) -> list[float]:
    """The latencies of a driven run's normal queries (every class but those with an ``expected`` error)."""
    return [x for kind, values in result["latencies"].items() if kind not in expected for x in values]


def unexpected_answers(result: dict) -> int:
    """Answers of a driven run outside what :data:`EXPECTED` allows its class (200 for the normal queries)."""
    return sum(count for kind, counts in result["statuses"].items() for status, count in counts.items()
               if status not in EXPECTED.get(kind, {200}))


def render(args: argparse.Namespace, runs: dict[str, list[dict]], soak: dict) -> str:
    workers = (f"--workers {args.workers}" if args.workers else
               f"default --workers {DEFAULT_WORKERS}: at most {DEFAULT_WORKERS} queries at once, "
               f"{steady_workers(DEFAULT_WORKERS, 1 if args.pin else None)} worker processes kept "
               "running (one per CPU the server may use)")
    command = (f"`.venv/bin/python benchmarks/bench_server.py --triples {args.triples} --rounds {args.rounds}"
               + (f" --workers {args.workers}" if args.workers else "") + (" --pin" if args.pin else "")
               + f" --soak {args.soak}" + (" --soak-only" if args.soak_only else "") + "`")
    lines = [
        "# Server benchmark (benchmarks/bench_server.py)", "",
        f"Command: {command} on {psutil.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"nice {os.nice(0)}; load average before the run {LOAD_BEFORE:.1f} (other processes share the machine; "
        "figures vary with it, which is why the servers alternate).",
        f"Synthetic store: {args.triples} triples (benchmarks/generate.py, seed 7), one named graph.", "",
    ]
    if runs:
        lines += render_comparison(args, runs, workers)
    lines += render_soak(args, soak, workers)
    return "\n".join(lines)


def render_comparison(args: argparse.Namespace, runs: dict[str, list[dict]], workers: str) -> list[str]:
    lines = [
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
                  f"oxigraph {bad['oxigraph'] or 'none'}.", ""]
    return lines


def render_soak(args: argparse.Namespace, soak: dict, workers: str) -> list[str]:
    plain, hostile = soak["soaks"]["plain"], soak["soaks"]["hostile"]
    normal = {name: normal_latencies(result, EXPECTED) for name, result in soak["soaks"].items()}
    p99 = {name: pct(values, 0.99) for name, values in normal.items()}
    load = soak["load"]
    shares = ", ".join(f"{name} {share:.1%}" for name, share, _, _ in HOSTILE)
    bound = (args.workers or DEFAULT_WORKERS) * SOAK_MAX_MEMORY_MB
    lines = [
        "## Soak", "",
        f"`mpsc-graph serve --timeout {SOAK_TIMEOUT} --max-memory {SOAK_MAX_MEMORY_MB}`, {workers}, not pinned; "
        f"32 concurrent clients. Two soaks of the same {args.soak} requests (0.2% runaway 3-way cross join, 2% "
        f"malformed, the rest the normal mix), the second with hostile queries inserted ({shares}); "
        f"both on one server in {SOAK_BLOCKS} alternating blocks each.", "",
        "| soak | requests | seconds | req/s | unexpected answers | client errors | p50 ms (normal) "
        "| p99 ms (normal) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, key, result in (("as it is", "plain", plain), ("with hostile queries", "hostile", hostile)):
        lines.append(f"| {name} | {result['count']} | {result['elapsed']:.1f} | "
                     f"{result['count'] / result['elapsed']:.0f} | "
                     f"{unexpected_answers(result)} | {len(result['errors'])} | {pct(normal[key], 0.5):.1f} | "
                     f"{p99[key]:.1f} |")
    statuses = {k: dict(v) for k, v in hostile["statuses"].items() if k in EXPECTED}
    others = {name: {k: {status: n for status, n in v.items() if status != 200} for k, v in result["statuses"].items()
                     if k not in EXPECTED and set(v) != {200}} for name, result in soak["soaks"].items()}
    lines += [
        "",
        f"- answers other than 200 to normal queries (0: the client gave up), as it is: {others['plain'] or 'none'}; "
        f"with hostile queries: {others['hostile'] or 'none'}",
        f"- p99 of the normal queries with the hostile mix / without: {p99['hostile'] / p99['plain']:.2f}",
        f"- answers of the runaway, malformed and hostile classes: {statuses}",
        f"- first client errors: {'; '.join((plain['errors'] + hostile['errors'])[:3]) or 'none'}",
        f"- summed RSS of the server and its workers: {soak['start']['rss']:.0f} MB at the start, "
        f"{soak['rss_max']:.0f} MB at most (sampled twice a second), {soak['end']['rss']:.0f} MB at the end; "
        f"bound: {args.workers or DEFAULT_WORKERS} workers × {SOAK_MAX_MEMORY_MB} MB of RLIMIT_DATA plus the "
        f"HTTP process and the store's file mappings ({bound} MB + those)",
        f"- open descriptors of the server and its workers: {soak['start']['fds']} at the start, "
        f"{soak['fds_max']} at most, {soak['end']['fds']} at the end",
        f"- CPU seconds (user + system): server and workers {soak['cpu']['server']:.0f} s, client "
        f"{soak['cpu']['client']:.0f} s; load average during the soaks {min(load, default=0):.1f}–"
        f"{max(load, default=0):.1f} (mean {statistics.fmean(load) if load else 0:.1f})", "",
    ]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
