"""Any dataset as one sorted file of canonical quad lines, so that two datasets can be compared by
streaming both files side by side instead of holding both in memory.

Each line is ``subject TAB predicate TAB object TAB graph`` with the terms in N-Triples form (tabs inside
literals escaped). Blank nodes get a label computed from their content: the hash of their sorted
outgoing statements, recursively, so that the labels a parser or a serializer chose, and the order
of statements in a file, never make a difference. The lines are sorted by ``sort`` in the C locale on
disk (external sort), which keeps the memory a diff needs independent of the dataset's size; only
blank nodes' statements are held in memory while their labels are computed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from pyoxigraph import BlankNode, Quad, RdfFormat, Store, parse

from ..errors import InputError

DEFAULT_GRAPH = "@default"
_FORMATS = {".nq": RdfFormat.N_QUADS, ".trig": RdfFormat.TRIG, ".nt": RdfFormat.N_TRIPLES,
            ".ttl": RdfFormat.TURTLE}


def _term(term: object) -> str:
    return str(term).replace("\t", "\\t")


class _BlankNodes:
    """Statements whose subject or object is a blank node, kept until every blank node's canonical
    label is known."""

    def __init__(self) -> None:
        self.outgoing: dict[str, list[tuple[str, str, str]]] = {}
        self.pending: list[tuple[str, str, str, str]] = []
        self.labels: dict[str, str] = {}

    def label(self, node: str, visiting: frozenset[str] = frozenset()) -> str:
        if node in self.labels:
            return self.labels[node]
        if node in visiting:  # a cycle through blank nodes: its members are told apart by position only
            return "_:cycle"
        parts = []
        for predicate, obj, graph in self.outgoing.get(node, []):
            value = self.label(obj, visiting | {node}) if obj.startswith("_:") else obj
            parts.append(f"{predicate} {value} {graph}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()[:24]
        self.labels[node] = f"_:b{digest}"
        return self.labels[node]


def canonical_lines(quads: Iterable[Quad]) -> Iterator[str]:
    """The canonical line of every quad (duplicates possible; ``sort -u`` removes them)."""
    blanks = _BlankNodes()
    for quad in quads:
        graph = DEFAULT_GRAPH if quad.graph_name.__class__.__name__ == "DefaultGraph" else _term(quad.graph_name)
        s, p, o = _term(quad.subject), _term(quad.predicate), _term(quad.object)
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            if isinstance(quad.subject, BlankNode):
                blanks.outgoing.setdefault(s, []).append((p, o, graph))
            blanks.pending.append((s, p, o, graph))
            continue
        yield f"{s}\t{p}\t{o}\t{graph}\n"
    for s, p, o, graph in blanks.pending:
        s = blanks.label(s) if s.startswith("_:") else s
        o = blanks.label(o) if o.startswith("_:") else o
        yield f"{s}\t{p}\t{o}\t{graph}\n"


def _open_dump(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))  # a GzipFile is a binary stream, typeshed says BufferedIOBase
    return path.open("rb")


def _dump_format(path: Path) -> RdfFormat:
    suffix = Path(path.stem).suffix if path.suffix == ".gz" else path.suffix
    if suffix not in _FORMATS:
        raise InputError("not a dump diff can read (N-Quads, TriG, N-Triples or Turtle, optionally .gz)", path=path)
    return _FORMATS[suffix]


def dataset_quads(spec: str, workdir: Path) -> Iterator[Quad]:
    """The quads of what ``spec`` names: a dump file, a release folder (its N-Quads dump), an Oxigraph
    store folder, a project folder, or ``git:REV`` (the project at a git revision of the current
    repository)."""
    if spec.startswith("git:"):
        yield from _project_quads(_git_checkout(spec[4:], workdir))
        return
    path = Path(spec)
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    if path.is_file():
        fmt = _dump_format(path)
        with _open_dump(path) as stream:
            try:
                yield from parse(stream, format=fmt)
            except SyntaxError as exc:
                raise InputError(f"not valid {fmt.name}: {exc}", path=path) from exc
        return
    if (path / "mpsc-graph.nq.gz").is_file():
        yield from dataset_quads(str(path / "mpsc-graph.nq.gz"), workdir)
        return
    if (path / "data").is_dir() and (path / "ontology").is_dir():
        yield from _project_quads(path)
        return
    try:
        store = Store.read_only(str(path))
    except OSError as exc:
        raise InputError("neither a dump, a release, a project nor an Oxigraph store", path=path) from exc
    yield from store.quads_for_pattern(None, None, None, None)


def _project_quads(root: Path) -> Iterator[Quad]:
    from ..dataset import load_dataset
    from ..project import Project

    store = load_dataset(Project(root))
    yield from store.quads_for_pattern(None, None, None, None)


def _git_checkout(revision: str, workdir: Path) -> Path:
    """The project in the current folder as it was at ``revision``, unpacked with ``git archive`` into
    ``workdir`` (run in a subfolder of a repository, ``git archive`` takes that subfolder only)."""
    if not revision or revision.startswith("-"):  # never let a revision be read as an option of git
        raise InputError(f"git:{revision} names no revision (e.g. git:HEAD~1, git:v1.0.0, git:main)")
    target = Path(tempfile.mkdtemp(prefix="rev-", dir=workdir))
    archive = target / "project.tar"
    done = subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), revision],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InputError(f"git:{revision}: git archive failed: {done.stderr.strip()}")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
    return target


def sorted_canonical_file(spec: str, workdir: Path, name: str) -> Path:
    """Write ``spec``'s canonical lines to ``workdir/name``, sorted and without duplicates."""
    raw = workdir / f"{name}.unsorted"
    with raw.open("w", encoding="utf-8") as out:
        for line in canonical_lines(dataset_quads(spec, workdir)):
            out.write(line)
    target = workdir / name
    env = dict(os.environ, LC_ALL="C")
    sort = shutil.which("sort")
    if sort is None:  # no coreutils: sort in memory
        lines = sorted(set(raw.read_text(encoding="utf-8").splitlines(keepends=True)))
        target.write_text("".join(lines), encoding="utf-8")
    else:
        subprocess.run([sort, "-u", "-S", "512M", "-T", str(workdir), "-o", str(target), str(raw)],
                       env=env, check=True)
    raw.unlink()
    return target
