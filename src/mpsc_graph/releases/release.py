"""``mpsc-graph release VERSION``: a versioned export with its changes and feeds.

``DIR/VERSION/`` holds the export of that version (dumps, VoID, DCAT-AP.de record with
``dcat:version``, ``dct:issued`` and versioned distribution IRIs; the ontology stamped with
``owl:versionIRI``), the changes since the previous release as ``CHANGES.md``, ``changes.ttl`` and
``changes.json`` (with the feed events), and ``feeds/`` as of this release. Everything is written
into a temporary folder in ``DIR`` and renamed into place at the end.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from ..dataset import load_dataset
from ..errors import InputError
from ..export import export, inputs_modified
from ..export.settings import Publication
from ..namespaces import BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI, OWL
from ..project import Project
from .diff import Diff, diff_datasets
from .events import Event, events_of
from .feeds import write_feeds
from .report import to_json, to_markdown, to_turtle

VERSION_PATTERN = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
CHANGES_JSON = "changes.json"
VERSION_STAMPS = (f"<{OWL}versionIRI>", f"<{OWL}versionInfo>")


def semantic_version(text: str) -> tuple[int, int, int]:
    match = VERSION_PATTERN.match(text)
    if match is None:
        raise InputError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def releases_in(root: Path) -> list[str]:
    """The release folders of ``root`` (names that are semantic versions), lowest first."""
    if not root.is_dir():
        return []
    names = [p.name for p in root.iterdir() if p.is_dir() and VERSION_PATTERN.match(p.name)
             and (p / CHANGES_JSON).is_file()]
    return sorted(names, key=semantic_version)


def previous_release(root: Path, version: str) -> str | None:
    """The highest release in ``root`` below ``version``."""
    below = [name for name in releases_in(root) if semantic_version(name) < semantic_version(version)]
    return below[-1] if below else None


def stamp_ontology(store: Store, version: str) -> None:
    """Give the ontology of this release its own ``owl:versionIRI`` and ``owl:versionInfo``."""
    ontology, graph = NamedNode(ONTOLOGY_IRI), NamedNode(ONTOLOGY_GRAPH)
    for predicate in ("versionIRI", "versionInfo"):
        for quad in list(store.quads_for_pattern(ontology, NamedNode(OWL + predicate), None, graph)):
            store.remove(quad)
    store.add(Quad(ontology, NamedNode(OWL + "versionIRI"), NamedNode(f"{ONTOLOGY_IRI}/{version}"), graph))
    store.add(Quad(ontology, NamedNode(OWL + "versionInfo"), Literal(version), graph))


def without_version_stamps(diff: Diff) -> Diff:
    """The diff without the ontology's version stamp, which every release changes by design."""
    kept = []
    for entity in diff.entities:
        if entity.subject == f"<{ONTOLOGY_IRI}>" and entity.status == "changed":
            entity.facts = [c for c in entity.facts if c.predicate not in VERSION_STAMPS]
            if not (entity.facts or entity.labels or entity.provenance):
                continue
        kept.append(entity)
    return replace(diff, entities=kept)


@dataclass(frozen=True)
class ReleaseReport:
    folder: Path
    version: str
    previous: str | None
    issued: date
    changes: int
    events: int
    feeds: int


def _read_events(folder: Path) -> list[Event]:
    data = json.loads((folder / CHANGES_JSON).read_text(encoding="utf-8"))
    return list(data.get("events", []))


def release_issued(folder: Path) -> date:
    return date.fromisoformat(json.loads((folder / CHANGES_JSON).read_text(encoding="utf-8"))["issued"])


def all_events(root: Path, up_to: str | None = None) -> list[Event]:
    """The events every release in ``root`` (up to ``up_to``) wrote, each dated by its release."""
    names = releases_in(root)
    if up_to is not None:
        names = [n for n in names if semantic_version(n) <= semantic_version(up_to)]
    return [event for name in names for event in _read_events(root / name)]


def make_release(project: Project, version: str, root: Path, *, issued: date | None = None,
                 since: str | None = None, publication: Publication | None = None) -> ReleaseReport:
    """Write the release ``version`` into ``root/version`` (refusing to replace an existing one)."""
    semantic_version(version)
    root = root.resolve()
    target = root / version
    if target.exists():
        raise InputError("this release exists already; releases are never rewritten", path=target)
    previous = since if since is not None else previous_release(root, version)
    if previous is not None and not (root / previous / "mpsc-graph.nq.gz").is_file():
        raise InputError("no release there to compare with (no mpsc-graph.nq.gz)", path=root / previous)
    issued = issued or inputs_modified(project)
    base = publication or Publication()
    publication = replace(base, version=version, issued=issued,
                          download_base=f"{BASE}releases/{version}/")
    store = load_dataset(project)
    stamp_ontology(store, version)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.releasing-", dir=root))
    try:
        folder = staging / version
        export(project, folder, publication=publication, store=store)
        if previous is None:
            diff = Diff("(none)", version, [])
            previous_issued = None
        else:
            diff = without_version_stamps(diff_datasets(str(root / previous), str(folder), workdir=staging))
            diff = replace(diff, old=previous, new=version)
            previous_issued = release_issued(root / previous)
        events = events_of(diff, store, version, issued, previous_issued)
        title = f"Changes in {version}" + (f" since {previous}" if previous else " (first release)")
        (folder / "CHANGES.md").write_text(to_markdown(diff, title=title), encoding="utf-8")
        (folder / "changes.ttl").write_text(to_turtle(diff, f"{BASE}release/{version}/changes"), encoding="utf-8")
        body = json.loads(to_json(diff))
        body.update({"version": version, "previous": previous, "issued": issued.isoformat(), "events": events})
        (folder / CHANGES_JSON).write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        earlier = [e for name in releases_in(root) if semantic_version(name) < semantic_version(version)
                   for e in _read_events(root / name)]
        feeds = write_feeds(earlier + events, folder / "feeds", issued.isoformat())
        folder.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReleaseReport(target, version, previous, issued, len(diff.entities), len(events), len(feeds))


def write_release_feeds(root: Path, out: Path, followed: Iterable[str] = ()) -> list[str]:
    """The feeds as of the newest release in ``root``, written into ``out`` (``export --site --releases``);
    ``followed``: feed paths written even without entries (see :func:`.feeds.write_feeds`)."""
    names = releases_in(root)
    if not names:
        raise InputError("no releases here (folders named MAJOR.MINOR.PATCH with changes.json)", path=root)
    return write_feeds(all_events(root), out, release_issued(root / names[-1]).isoformat(), followed)
