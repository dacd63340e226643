"""The benchmark driver (``make bench``): generate, build, validate, query; Markdown table and JSON.

Every figure comes from a worker process of its own (peak RSS per step); times are medians of
``--runs`` runs, except pySHACL (one run, killed after ``--pyshacl-timeout`` seconds) and the
serving benchmark (one process, each query ``--repeat`` times, p50/p95).

    python -m benchmarks.run --sizes 100k,1M --runs 3
    python -m benchmarks.run --sizes 10M --runs 1 --pyshacl-sizes none
    python -m benchmarks.run --sizes 10M --steps queries --queries labels,entity_index --keep-store --tag part1
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO

BUILD_TASKS = ("ref-memory", "ours-memory", "ref-disk", "ours-disk")


def size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1_000}k" if n % 1000 == 0 else str(n)


def worker(module: str, *args: object, timeout: float | None = None) -> dict[str, Any]:
    """Run one benchmark worker; its last stdout line is its JSON result."""
    command = [sys.executable, "-m", f"benchmarks.{module}", *map(str, args)]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, str]:
    def sh(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    import pyoxigraph
    import pyshacl
    import rdflib

    return {"nproc": sh("nproc"), "free -h": sh("free", "-h"),
            "cpu": sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo"),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__, "pyshacl": pyshacl.__version__,
            "rdflib": rdflib.__version__, "platform": platform.platform()}


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def bench_size(n: int, args: argparse.Namespace, out: dict[str, Any], save: Any) -> None:
    work = Path(args.work) / label(n)
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"synthetic-{label(n)}.ttl"
    if not data.exists():
        log(f"generate {label(n)}")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(n), "--seed",
                        str(args.seed), "-o", str(data), "--quiet"], check=True)
        out.setdefault("generate", {})[label(n)] = {"seconds": time.perf_counter() - started}
    result: dict[str, Any] = {"triples": n, "file_mb": round(data.stat().st_size / 2**20, 1)}
    out["sizes"][label(n)] = result
    if "build" in args.steps:
        runs: dict[str, list[dict[str, Any]]] = {t: [] for t in BUILD_TASKS}
        for r in range(args.runs):
            for task in BUILD_TASKS:
                log(f"{label(n)} build {task} run {r + 1}")
                runs[task].append(worker("bench_build", task, data, work))
        result["build"] = {t: {"seconds": median_of(v, "seconds"), "rss_mb": median_of(v, "rss_mb"),
                               "quads": v[-1].get("quads"), "runs": v} for t, v in runs.items()}
        save()
    if "validate" in args.steps:
        tasks = ["fast"] + (["fast-2workers"] if args.workers else [])
        runs = {t: [] for t in tasks}
        for r in range(args.runs):
            for task in tasks:
                log(f"{label(n)} validate {task} run {r + 1}")
                runs[task].append(worker("bench_validate", task, data, work))
        validate = {t: {"seconds": median_of(v, "seconds"), "rss_mb": median_of(v, "rss_mb"), "runs": v}
                    for t, v in runs.items()}
        if n in args.pyshacl_sizes:
            log(f"{label(n)} validate pyshacl (timeout {args.pyshacl_timeout} s)")
            (work / "keys-pyshacl.json").unlink(missing_ok=True)
            ref = worker("bench_validate", "pyshacl", data, work, timeout=args.pyshacl_timeout)
            validate["pyshacl"] = {"seconds": ref.get("seconds"), "rss_mb": ref.get("rss_mb"), "runs": [ref]}
            if "seconds" in ref:
                fast_keys = json.loads((work / "keys-fast.json").read_text(encoding="utf-8"))
                ref_keys = json.loads((work / "keys-pyshacl.json").read_text(encoding="utf-8"))
                validate["identical"] = fast_keys == ref_keys
                validate["only_fast"] = len({tuple(k) for k in fast_keys} - {tuple(k) for k in ref_keys})
                validate["only_pyshacl"] = len({tuple(k) for k in ref_keys} - {tuple(k) for k in fast_keys})
        result["validate"] = validate
        save()
    serving = {"serve", "queries", "analyses"} & args.steps
    if serving and n == max(args.sizes):
        if store_is_current(work, data):
            log(f"{label(n)} reusing the on-disk store {work / 'store'} (built from the same inputs)")
        else:
            log(f"{label(n)} build the on-disk store for serving")
            result["serve_build"] = worker("bench_build", "keep-disk", data, work)
        if {"serve", "queries"} & args.steps:
            log(f"{label(n)} named queries ({args.repeat} runs each)")
            result["serve"] = serve_queries(work, data, args)
            save()
        if {"serve", "analyses"} & args.steps:
            log(f"{label(n)} network analyses")
            result["analyses"] = worker("bench_queries", "analyses", work / "store", data, work, 1,
                                        timeout=args.serve_timeout)
        if not args.keep_store:
            shutil.rmtree(work / "store", ignore_errors=True)


def store_is_current(work: Path, data: Path) -> bool:
    """True when ``work/store`` was built from exactly the synthetic project's present inputs."""
    from benchmarks.common import project_for
    from mpsc_graph.dataset import is_current
    from mpsc_graph.project import Project

    return (work / "store").is_dir() and is_current(Project.at(project_for(data, work)), work / "store")


def serve_queries(work: Path, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Each named query in a worker of its own (stopped after ``--query-timeout`` s); RSS is the peak."""
    from mpsc_graph.queries import catalogue

    queries: dict[str, Any] = {}
    peaks, opens = [], []
    for name in sorted(catalogue(REPO / "queries")):
        if args.queries and name not in args.queries:
            continue
        log(f"  query {name}")
        one = worker("bench_queries", f"one:{name}", work / "store", data, work, args.repeat,
                     timeout=args.query_timeout)
        if "timeout" in one:
            queries[name] = {"error": f"did not finish within {args.query_timeout:.0f} s"}
            continue
        if "error" in one:
            queries[name] = {"error": one["error"]}
            continue
        queries.update({q: {**m, "rss_mb": one["rss_mb"]} for q, m in one["queries"].items()})
        peaks.append(one["rss_mb"])
        opens.append(one["open_seconds"])
    return {"queries": queries, "rss_mb": max(peaks, default=None), "open_seconds": max(opens, default=None)}


def fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def markdown(out: dict[str, Any]) -> str:
    lines = [f"Benchmarks {out['started']} (seed {out['seed']}, {out['runs']} run(s) each, medians)", ""]
    lines += ["## Build (parse + load + index)", "",
              "| size | task | seconds | peak RSS MB | ratio (pyoxigraph bulk_load / ours) |", "|---|---|---|---|---|"]
    for name, r in out["sizes"].items():
        b = r.get("build")
        if not b:
            continue
        for task in BUILD_TASKS:
            ratio = ""
            if task.startswith("ours"):
                ref = b[task.replace("ours", "ref")]["seconds"]
                ours = b[task]["seconds"]
                ratio = fmt(ref / ours) + "×" if ref and ours else "–"
            lines.append(f"| {name} | {task} | {fmt(b[task]['seconds'])} | {fmt(b[task]['rss_mb'], 0)} | {ratio} |")
    lines += ["", "## Validation (end to end: files → report)", "",
              "| size | engine | seconds | peak RSS MB | findings | speed-up vs pySHACL | identical keys |",
              "|---|---|---|---|---|---|---|"]
    for name, r in out["sizes"].items():
        v = r.get("validate")
        if not v:
            continue
        ref = v.get("pyshacl", {})
        for engine in ("fast", "fast-2workers", "pyshacl"):
            if engine not in v:
                continue
            e = v[engine]
            last = e["runs"][-1]
            if engine == "pyshacl" and e["seconds"] is None:
                why = f"did not finish within {last['timeout']:.0f} s" if "timeout" in last else last.get("error", "?")
                lines.append(f"| {name} | pyshacl | {why} | – | – | – | – |")
                continue
            speed = fmt(ref["seconds"] / e["seconds"], 1) + "×" if ref.get("seconds") and engine != "pyshacl" else ""
            if engine != "pyshacl" and ref and ref.get("seconds") is None:
                speed = f"> {fmt(last_timeout(ref) / e['seconds'], 0)}×"
            same = {True: "yes", False: "NO"}.get(v.get("identical"), "–") if engine != "pyshacl" else ""
            lines.append(f"| {name} | {engine} | {fmt(e['seconds'])} | {fmt(e['rss_mb'], 0)} | "
                         f"{last.get('findings', '–')} ({last.get('violations', 0)} V, {last.get('warnings', 0)} W) | "
                         f"{speed} | {same} |")
    for name, r in out["sizes"].items():
        s = r.get("serve") or {}
        lines += analyses_markdown(name, r.get("analyses")) if "queries" not in s else []
        if "queries" not in s:
            continue
        lines += ["", f"## Serving {name} from the on-disk store (read-only; peak RSS {fmt(s['rss_mb'], 0)} MB, "
                  f"open {fmt(s['open_seconds'], 3)} s)", "",
                  "| named query | p50 s | p95 s | rows | peak RSS MB |", "|---|---|---|---|---|"]
        for q, m in s["queries"].items():
            if "p50" in m:
                lines.append(f"| {q} | {fmt(m['p50'], 4)} | {fmt(m['p95'], 4)} | {m['rows']} | "
                             f"{fmt(m.get('rss_mb'), 0)} |")
            else:
                lines.append(f"| {q} | {m.get('skipped') or m.get('error')} | | | |")
        lines += analyses_markdown(name, r.get("analyses"))
    return "\n".join(lines) + "\n"


def analyses_markdown(name: str, a_run: dict[str, Any] | None) -> list[str]:
    """The network analyses table of one size (nothing when they did not run)."""
    if not a_run:
        return []
    if "analyses" not in a_run:
        why = f"did not finish within {a_run['timeout']:.0f} s" if "timeout" in a_run else a_run.get("error", "?")
        return ["", f"Network analyses at {name}: {why}"]
    lines = ["", f"Network analyses at {name} (peak RSS {fmt(a_run.get('rss_mb'), 0)} MB):", "",
             "| analysis | seconds | result |", "|---|---|---|"]
    for a, m in a_run["analyses"].items():
        rest = ", ".join(f"{k} {v}" for k, v in m.items() if k != "seconds")
        lines.append(f"| {a} | {fmt(m['seconds'], 3)} | {rest} |")
    return lines


def last_timeout(ref: dict[str, Any]) -> float:
    return ref["runs"][-1].get("timeout") or 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M", help="Comma-separated sizes, e.g. 100k,1M,10M.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per figure (median).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", default="build,validate,serve",
                        help="Comma-separated: build, validate, serve (= queries + analyses), queries, analyses.")
    parser.add_argument("--queries", default="", help="Comma-separated named queries to serve (default: all).")
    parser.add_argument("--keep-store", action="store_true",
                        help="Keep the served on-disk store (a later run with the same inputs reuses it).")
    parser.add_argument("--tag", default="", help="Suffix of the output files (split runs do not overwrite).")
    parser.add_argument("--pyshacl-sizes", default="100k,1M", help="Sizes at which pySHACL runs ('none': never).")
    parser.add_argument("--pyshacl-timeout", type=float, default=600.0)
    parser.add_argument("--workers", action="store_true", help="Also measure the fast engine with 2 forked workers.")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per named query when serving.")
    parser.add_argument("--serve-timeout", type=float, default=3600.0, help="Limit for the analyses worker.")
    parser.add_argument("--query-timeout", type=float, default=600.0, help="Limit per named query (all its runs).")
    parser.add_argument("--work", default=str(REPO / ".cache" / "bench"), help="Data and stores (large).")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "out"))
    args = parser.parse_args(argv)
    args.sizes = [size(s) for s in args.sizes.split(",")]
    args.pyshacl_sizes = set() if args.pyshacl_sizes == "none" else {size(s) for s in args.pyshacl_sizes.split(",")}
    args.steps = set(args.steps.split(","))
    args.queries = {q for q in args.queries.split(",") if q}
    out: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "seed": args.seed,
                           "runs": args.runs, "command": " ".join(sys.argv), "machine": machine(), "sizes": {}}
    outdir = Path(args.out)
    outdir.mkdir(parents=True, exist_ok=True)
    stamp = "-".join(label(n) for n in args.sizes) + (f"-{args.tag}" if args.tag else "")

    def save() -> None:
        (outdir / f"results-{stamp}.json").write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
        (outdir / f"results-{stamp}.md").write_text(markdown(out), encoding="utf-8")

    for n in args.sizes:
        bench_size(n, args, out, save)
        save()
    print(markdown(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
