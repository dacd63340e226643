"""Harvesting publiccode.yml catalogues: ``import publiccode`` plus staging and comparison with the
curated data, reviewed before anything reaches ``data/``.

Why staged: a usedBy list is what a maintainer once wrote, not a checked fact. Each harvested source
becomes one TriG file (its own named graph) under the staging folder, and a report says per item
what is new, what agrees with the curated adoptions and what disagrees (a ``ConflictingClaim``
candidate, never an overwrite), each with its origin file and a stable id: a hash of the source URL
and the item's key fields, so the same inputs give the same ids and the same bytes. A curator then
accepts items by id (``harvest --accept``); they are appended to ``data/contrib-harvested.ttl`` with
their sources, validated first, through the same path as ``add``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from .api import Graph
from .atomic import replace_dir
from .contribute import append_validated
from .dataset import load_dataset
from .errors import InputError
from .importers.publiccode import (
    Imported,
    fetch_settings,
    import_document,
    project_organisations,
    project_repositories,
    read_input,
)
from .importers.publiccode_schema import PubliccodeInvalid
from .namespaces import GRAPH, ID, MPSC
from .project import Project
from .resolve import Gazetteer
from .safeyaml import load_yaml
from .validation import Report

HARVESTED = "contrib-harvested"
_NAMES = ("publiccode.yml", "publiccode.yaml")
_SCHEMA_URL = URIRef("http://schema.org/url")
_CODE_REPOSITORY = URIRef("http://schema.org/codeRepository")
_DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


class HarvestRefused(InputError):
    """An input of the harvest that is refused outright (a path out of its folder, a missing file)."""


@dataclass(frozen=True)
class Item:
    """One harvested statement with its verdict against the curated data."""

    id: str
    verdict: str  # new, agrees, disagrees
    kind: str  # adoption, claim
    origin_file: str
    source_url: str
    adopter: str
    adopter_label: str
    asset: str
    origin: str
    curated: str  # the curated adoption it agrees or disagrees with
    turtle: str  # what --accept appends


# --------------------------------------------------------------------------- reading the list


def locations(list_file: Path) -> list[str]:
    """The locations of a list file (one per line; ``#`` comments), each directory expanded.

    A directory contributes its ``publiccode.yml``/``.yaml`` files and any ``*.yml``/``*.yaml``
    below it, sorted; a path in it that leads out of it (a symlink) is refused.
    """
    from .safeyaml import read_text

    out: list[str] = []
    base = list_file.parent
    for number, raw in enumerate(read_text(list_file).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("http://", "https://")):
            out.append(line)
            continue
        path = Path(line) if Path(line).is_absolute() else base / line
        if path.is_dir():
            out += _files_in(path)
        elif path.is_file():
            out.append(str(path))
        else:
            raise HarvestRefused(f"no such file or directory: {line}", path=list_file, line=number)
    return out


def _files_in(folder: Path) -> list[str]:
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yml", ".yaml") and path.name not in _NAMES:
            continue
        real = path.resolve()
        if not real.is_relative_to(root):
            raise HarvestRefused(f"leads out of the folder {folder} (to {real}); refused", path=path)
        if real.is_file():
            found.append(str(path))
    return found


# --------------------------------------------------------------------------- harvesting


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _ntriples(graph: rdflib.Graph, subjects: Iterable[URIRef]) -> str:
    """The triples of ``subjects`` as sorted N-Triples lines (byte-stable Turtle)."""
    wanted = set(subjects)
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph if s in wanted)
    return "\n".join(lines) + "\n"


def harvest(list_file: Path, project: Project, out: Path, *, accessed: dt.date | None = None,
            timeout: float = 30.0, retries: int = 3, max_wait: float = 120.0) -> dict[str, Any]:
    """Harvest every location of ``list_file`` into ``out`` (replaced as a whole); returns the report.

    Refused input (YAML the bounded loader refuses: anchors, depth, size, binary, not YAML at
    all; a path out of its folder; a redirect to another scheme) stops the harvest with nothing
    written. A file that breaks the publiccode.yml standard is listed as broken and skipped.
    """
    data_dir = project.data_dir.resolve()
    if out.resolve().is_relative_to(data_dir):
        raise HarvestRefused("the staging folder must not be under data/; review first, then --accept", path=out)
    store = load_dataset(project)
    graph = Graph(project, store=store)
    gazetteer = Gazetteer.for_project(project)
    organisations, repositories = project_organisations(project), project_repositories(project)
    from .http_client import HttpClient

    sources: list[tuple[str, Imported]] = []
    broken: list[dict[str, str]] = []
    with HttpClient(fetch_settings(timeout, retries, max_wait)) as client:
        for location in locations(list_file):
            text, origin, _fetched = read_input(location, client=client)
            load_yaml(text, origin)  # hostile YAML (anchors, depth) stops the harvest here; the schema is below
            try:
                imported = import_document(text, origin, gazetteer=gazetteer, organisations=organisations,
                                           accessed=accessed, repositories=repositories)
            except PubliccodeInvalid as exc:
                broken.append({"origin_file": origin, "error": str(exc)})
                continue
            sources.append((origin, imported))
    items = [item for origin, imported in sources for item in _items(origin, imported, graph, repositories)]
    report = {
        "sources": [{"origin_file": origin, "solution": imported.solution,
                     "trig": _trig_name(origin),
                     "unresolved": [u.name for u in imported.gaps]} for origin, imported in sources],
        "broken": broken,
        "items": [asdict(i) for i in items],
    }
    _write(out, sources, report)
    return report


def _trig_name(origin: str) -> str:
    stem = Path(origin.rstrip("/")).stem or "publiccode"
    return f"{_hash(origin)}-{''.join(c if c.isalnum() or c in '-_' else '-' for c in stem)}.trig"


def _source_of(imported: Imported) -> tuple[URIRef, str]:
    for source in imported.graph.subjects(RDF.type, URIRef(MPSC + "Source")):
        url = imported.graph.value(source, _SCHEMA_URL)
        return URIRef(str(source)), str(url) if url is not None else ""
    raise InputError("the import made no source node", path=imported.origin)


def _items(origin: str, imported: Imported, graph: Graph, repositories: Any) -> Iterator[Item]:
    g = imported.graph
    source, url = _source_of(imported)
    solution = URIRef(imported.solution)
    repository = g.value(solution, _CODE_REPOSITORY)
    curated_asset = (repositories(str(repository)) if repository is not None else None) or imported.solution
    source_text = _ntriples(g, [source])
    for adoption in sorted(URIRef(str(a)) for a in g.subjects(RDF.type, URIRef(MPSC + "Adoption"))):
        adopter = str(g.value(adoption, URIRef(MPSC + "adopter")))
        origin_body = g.value(adoption, URIRef(MPSC + "origin"))
        harvested_origin = str(origin_body) if origin_body is not None else ""
        item_id = _hash(url, "adoption", adopter, curated_asset, harvested_origin)
        curated = [(r["adoption"].value, r["origin"].value if r["origin"] is not None else "")  # type: ignore[union-attr]
                   for r in graph.query("adoptions_of_adopter_and_asset", adopter=adopter, asset=curated_asset)]
        label = graph.label(adopter)
        common = {"id": item_id, "origin_file": origin, "source_url": url, "adopter": adopter,
                  "adopter_label": label, "asset": curated_asset, "origin": harvested_origin}
        if not curated:
            block = _ntriples(g, [adoption]).replace(f"<{imported.solution}>", f"<{curated_asset}>")
            if not harvested_origin:
                block += (f"{adoption.n3()} <{MPSC}originUnknownReason> "
                          f"{Literal('Die publiccode.yml nennt keine abgebende Stelle.', lang='de').n3()} .\n")
            yield Item(**common, verdict="new", kind="adoption", curated="", turtle=block + source_text)
        elif any(not harvested_origin or o == harvested_origin for _a, o in curated):
            match = next(a for a, o in curated if not harvested_origin or o == harvested_origin)
            yield Item(**common, verdict="agrees", kind="adoption", curated=match, turtle="")
        else:
            adoption_iri = curated[0][0]
            claim = URIRef(f"{ID}claim/harvest-{item_id}")
            claim_graph = rdflib.Graph()
            claim_graph.add((claim, RDF.type, URIRef(MPSC + "ConflictingClaim")))
            claim_graph.add((claim, RDFS.label, Literal(f"{label}: andere Herkunft laut publiccode.yml "
                                                         "(abweichende Angabe)", lang="de")))
            claim_graph.add((claim, URIRef(MPSC + "conflictsWith"), URIRef(adoption_iri)))
            claim_graph.add((claim, URIRef(MPSC + "claimedOrigin"), URIRef(harvested_origin)))
            claim_graph.add((claim, _DCT_SOURCE, source))
            yield Item(**common, verdict="disagrees", kind="claim", curated=adoption_iri,
                       turtle=_ntriples(claim_graph, [claim]) + source_text)


def _write(out: Path, sources: list[tuple[str, Imported]], report: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for origin, imported in sources:
            lines = sorted(line for line in imported.graph.serialize(format="nt").splitlines() if line.strip())
            body = "\n".join("    " + line for line in lines)
            (staging / _trig_name(origin)).write_text(f"<{GRAPH}harvest/{_hash(origin)}> {{\n{body}\n}}\n",
                                                      encoding="utf-8")
        (staging / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                             encoding="utf-8")
        (staging / "report.md").write_text(to_markdown(report), encoding="utf-8")
        replace_dir(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def to_markdown(report: dict[str, Any]) -> str:
    """The report for a reviewer: new, agreeing and disagreeing items with ids and origin files."""
    lines = ["# Harvest report", ""]
    titles = {"new": "New (not yet in the data)", "agrees": "Agrees with the curated data",
              "disagrees": "Disagrees with the curated data (ConflictingClaim candidates)"}
    for verdict, title in titles.items():
        group = [i for i in report["items"] if i["verdict"] == verdict]
        lines += [f"## {title}: {len(group)}", ""]
        for i in group:
            against = f"; curated: <{i['curated']}>" if i["curated"] else ""
            source = f" from <{i['origin']}>" if i["origin"] else ""
            lines.append(f"- `{i['id']}` {i['adopter_label']} <{i['adopter']}> uses <{i['asset']}>{source}{against} "
                         f"(from {i['origin_file']})")
        lines.append("")
    unresolved = [(s["origin_file"], n) for s in report["sources"] for n in s["unresolved"]]
    lines += [f"## Unresolved usedBy names: {len(unresolved)}", ""]
    lines += [f"- {name} (from {origin})" for origin, name in unresolved] + [""]
    lines += [f"## Broken files: {len(report['broken'])}", ""]
    lines += [f"- {b['origin_file']}: {b['error']}" for b in report["broken"]] + [""]
    lines.append("Accept items with: mpsc-graph harvest --accept ID... --from DIR")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- accepting


def accept(ids: Iterable[str], staged: Path, project: Project, *, lang: str = "de") -> tuple[list[str], Report]:
    """Append the reviewed items ``ids`` of the staged harvest to ``data/contrib-harvested.ttl``."""
    report_file = staged / "report.json"
    try:
        report = json.loads(report_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HarvestRefused(f"no harvest report here ({exc})", path=report_file) from None
    by_id = {i["id"]: i for i in report.get("items", [])}
    wanted = list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise HarvestRefused(f"no such item: {', '.join(unknown)}", path=report_file)
    target = project.data_dir / f"{HARVESTED}.ttl"
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    store = load_dataset(project)
    blocks, subjects = [], []
    for item_id in wanted:
        item = by_id[item_id]
        if not item["turtle"]:
            raise HarvestRefused(f"item {item_id} agrees with <{item['curated']}>; nothing to accept",
                                 path=report_file)
        if f"# harvest item {item_id} " in existing:
            raise HarvestRefused(f"item {item_id} is already accepted", path=target)
        text = item["turtle"]
        lines = [line for line in text.splitlines()
                 if not _defines_existing_source(line, store)]
        blocks.append(f"# harvest item {item_id} from {item['source_url'] or item['origin_file']}\n"
                      + "\n".join(lines) + "\n")
        subjects += sorted({line.split(" ", 1)[0].strip("<>") for line in lines})
    result = append_validated(store, project, target, "\n".join(blocks), tuple(subjects), lang=lang)
    return wanted, result


def _defines_existing_source(line: str, store: Any) -> bool:
    """A source node's triple that the dataset already has (a second item from the same file)."""
    from pyoxigraph import NamedNode

    subject = line.split(" ", 1)[0].strip("<>")
    if "/id/source/" not in subject:
        return False
    return next(iter(store.quads_for_pattern(NamedNode(subject), None, None, None)), None) is not None


def default_out(project: Project) -> Path:
    return project.root / ".cache" / "harvest"
