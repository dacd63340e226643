"""Benchmark of ``mpsc-graph diff`` on two synthetic releases: ``python -m benchmarks.bench_diff --triples N``.

The older release is ``generate.py``'s output as N-Quads in one named graph; the newer one is a copy
with known changes, written in reverse order (statement order must not matter): adoptions whose
status changed, adoptions removed, adoptions added, label-only changes and statements moved to
another named graph. The diff runs as ``mpsc-graph diff OLD NEW --format json`` in a child process,
measured by wall time, CPU seconds, the peak RSS of its largest process and the peak RSS of the diff and
its ``sort`` together (sampled); the report says whether exactly the known changes were found.
Benchmarks report against targets (1M ≤ 30 s, 10M ≤ 5 min and ≤ 4 GiB); they do not pass or fail.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MPSC = "https://w3id.org/mpsc-graph/ontology#"
ID = "https://w3id.org/mpsc-graph/id/"
STATUS = f"<{MPSC}adoptionStatus>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
OLD_GRAPH = "<https://w3id.org/mpsc-graph/graph/synthetic>"
NEW_GRAPH = "<https://w3id.org/mpsc-graph/graph/synthetic-moved>"
PRODUCTION = "<https://w3id.org/mpsc-graph/id/concept/adoption-status/production>"
TRIAL = "<https://w3id.org/mpsc-graph/id/concept/adoption-status/trial>"


def generate(triples: int, folder: Path) -> Path:
    target = folder / f"synthetic-{triples}.nt"
    if not target.is_file():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(triples),
                        "--seed", "1", "--format", "nt", "-o", str(target), "--quiet"], check=True)
    return target


def make_pair(source: Path, folder: Path, changes: int) -> tuple[Path, Path, dict[str, tuple[str, tuple[str, ...]]]]:
    """Write OLD and NEW N-Quads files; return the expected changes: subject -> (status, fact predicates)."""
    adoptions: list[str] = []
    labelled: list[str] = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            if predicate == STATUS and rest.startswith(PRODUCTION) and "/adoption/" in subject:
                adoptions.append(subject)
            elif predicate == LABEL and "/solution/" in subject:
                labelled.append(subject)
    step = max(1, len(adoptions) // (4 * changes))
    picked = adoptions[::step]
    status_changed = set(picked[0:changes])
    removed = set(picked[changes:2 * changes])
    moved = set(picked[2 * changes:3 * changes])
    relabelled = set(labelled[:changes])
    expected: dict[str, tuple[str, tuple[str, ...]]] = {}
    expected.update({s: ("changed", (STATUS[1:-1],)) for s in status_changed})
    expected.update({s: ("removed", ()) for s in removed})
    expected.update({s: ("changed", ()) for s in moved | relabelled})
    expected.update({f"<{ID}adoption/bench-new-{number}>": ("added", ()) for number in range(changes)})
    old, new, new_forward = folder / "old.nq", folder / "new.nq", folder / "new-forward.nq"
    if old.is_file() and new.is_file() and new.stat().st_mtime > source.stat().st_mtime:
        return old, new, expected  # written by an earlier run from the same source: the same bytes
    with source.open(encoding="utf-8") as lines, old.open("w", encoding="utf-8") as o, \
            new_forward.open("w", encoding="utf-8") as n:
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            statement = rest.rstrip().removesuffix(".").rstrip()
            o.write(f"{subject} {predicate} {statement} {OLD_GRAPH} .\n")
            if subject in removed:
                continue
            graph = NEW_GRAPH if subject in moved and predicate == STATUS else OLD_GRAPH
            if subject in status_changed and predicate == STATUS:
                statement = TRIAL
            if subject in relabelled and predicate == LABEL:
                statement = statement.replace('"@', ' (umbenannt)"@', 1) if '"@' in statement else statement
            n.write(f"{subject} {predicate} {statement} {graph} .\n")
        for number in range(changes):
            subject = f"<{ID}adoption/bench-new-{number}>"
            n.write(f"{subject} {TYPE} <{MPSC}Adoption> {OLD_GRAPH} .\n")
            n.write(f"{subject} {STATUS} {TRIAL} {OLD_GRAPH} .\n")
    with new.open("wb") as out:  # reversed: the order of statements must make no difference
        subprocess.run(["tac", str(new_forward)], stdout=out, check=True)
    new_forward.unlink()
    return old, new, expected


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (Linux ``/proc``)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(member, 0) for member in tree)


def run_diff(old: Path, new: Path, folder: Path) -> dict[str, object]:
    report = folder / "diff.json"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), TMPDIR=str(folder))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mpsc_graph", "diff", str(old), str(new), "--format", "json",
                                "-o", str(report)], env=env)
    tree_peak = 0
    while process.poll() is None:
        tree_peak = max(tree_peak, tree_rss(process.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"exit": process.returncode, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            # the largest of the diff process and its sort (children's peaks are not summed by the kernel)
            "peak_rss_mib": round(after.ru_maxrss / 1024),
            # the diff process and its sort together, sampled every 0.5 s
            "peak_tree_rss_mib": round(tree_peak / 2**20),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2), "report": report}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=50, help="Entities per kind of change.")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mpsc-bench-diff"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source = generate(args.triples, args.work)
    old, new, expected = make_pair(source, args.work, args.changes)
    result = run_diff(old, new, args.work)
    body = json.loads(Path(str(result.pop("report"))).read_text(encoding="utf-8"))
    found = {"<" + e["entity"] + ">": (e["status"], tuple(sorted(f["property"] for f in e["facts"])))
             for e in body["entities"]}
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    wrong = sorted(s for s in set(expected) & set(found) if expected[s] != found[s])
    lines = sum(1 for _ in old.open(encoding="utf-8"))
    print(json.dumps({"triples": lines, "known_changes": len(expected), "found": len(found),
                      "missing": len(missing), "extra": len(extra), "wrong": len(wrong), **result,
                      "examples": (missing + extra + wrong)[:3]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
