"""Import publiccode.yml files (versions 0, 0.2 to 0.7) as Turtle following docs/data-model.md.

Mapping (every node gets ``dct:source`` to one Source node for the file or URL it came from):

| publiccode.yml | graph |
|---|---|
| ``name`` | ``solution/{slug}`` a ``mpsc:Solution``, ``rdfs:label`` @de @en |
| ``url`` / ``landingURL`` | ``schema:codeRepository`` / ``schema:url`` |
| ``legal/license`` | ``dct:license <http://spdx.org/licenses/ID>`` per licence id; a compound |
|   | expression is also kept whole in ``dct:rights`` |
| ``developmentStatus`` | ``schema:creativeWorkStatus`` (the standard's value) |
| ``softwareType`` | ``dct:type`` (the standard's value) |
| ``softwareVersion`` / ``releaseDate`` | ``schema:softwareVersion`` / ``schema:dateModified`` |
| ``description/{lang}`` | short and long text as ``dct:description`` @lang; awards ``schema:award`` |
| ``isBasedOn`` | ``prov:wasDerivedFrom <original repository URL>``; also ``mpsc:basedOn`` the project's |
|   | solution with that ``schema:codeRepository`` (named query ``solutions_by_repository``) |
| ``applicationSuite`` | ``schema:applicationSuite`` |
| ``organisation`` | ``schema:publisher``: the public body if the name resolves, else ``organisation/{slug}`` |
| ``legal/mainCopyrightOwner`` | ``mpsc:originator`` and the adoptions' ``mpsc:origin``, only when it |
|   | resolves to a public body |
| ``fundedBy`` | a ``mpsc:Role`` of type funder per organisation |
| ``maintenance`` | a ``mpsc:Role`` of type maintainer per contractor, ``mpsc:endDate`` = ``until`` |
|   | (type internal: the publishing organisation; the type is kept in ``rdfs:comment``) |
| ``usedBy`` | one ``mpsc:Adoption`` per resolved name, status unknown, no start date, no mode |

Never imported: ``maintenance/contacts`` and contractors' e-mail addresses (personal data). A
``usedBy`` name that does not resolve to exactly one public body is not turned into an IRI: it is
listed in the import report (and as a comment in the output) for a curator to decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from .. import safeyaml
from ..errors import InputError
from ..http_client import HttpClient, HttpSettings, user_agent
from ..namespaces import DCT, MPSC, PROV, SCHEMA, SPDX_LICENSE, entity_iri
from ..project import Project
from ..resolve import Gazetteer, Resolution, fold
from .publiccode_schema import check, load_yaml

MAX_BYTES = 2_000_000
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+\-]*$")
_SPDX_WORDS = {"AND", "OR", "WITH"}

mpsc = rdflib.Namespace(MPSC)
schema = rdflib.Namespace(SCHEMA)
dct = rdflib.Namespace(DCT)
prov = rdflib.Namespace(PROV)

#: Looks a name up by exact label among the project's organisations: (name, public bodies only) → (IRI, label).
OrganisationLookup = Callable[[str, bool], tuple[str, str] | None]
#: Looks a repository URL up among the project's solutions (``schema:codeRepository``) → solution IRI.
RepositoryLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class UsedBy:
    """One ``usedBy`` name and what became of it."""

    name: str
    outcome: str  # adoption, origin (the origin itself, no adoption), gap (not resolved: reported)
    adopter: str | None = None
    label: str | None = None
    resolution: Resolution | None = None
    how: str = ""

    def describe(self) -> str:
        if self.outcome == "gap":
            assert self.resolution is not None
            return "GAP " + self.resolution.describe()
        note = f" [{self.how}]" if self.how else ""
        verb = "is the origin itself (no adoption)" if self.outcome == "origin" else "→"
        return f"ok  '{self.name}' {verb} {self.label} <{self.adopter}>{note}"


@dataclass
class Imported:
    """The result of importing one publiccode.yml."""

    origin: str
    solution: str
    graph: rdflib.Graph
    used_by: list[UsedBy] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def gaps(self) -> list[UsedBy]:
        return [u for u in self.used_by if u.outcome == "gap"]


def slugify(text: str) -> str:
    """A lowercase ASCII slug ``[a-z0-9-]`` (umlauts transliterated)."""
    slug = fold(text).replace(" ", "-")
    if not slug:
        raise ValueError(f"'{text}' gives an empty slug")
    return slug


def spdx_ids(expression: str) -> list[str]:
    """The licence ids of an SPDX expression (``EUPL-1.2 OR AGPL-3.0-or-later`` → both), without exceptions."""
    tokens = re.findall(r"[()]|[^\s()]+", expression)
    ids: list[str] = []
    previous = ""
    for token in tokens:
        if token in "()" or token.upper() in _SPDX_WORDS:
            previous = token.upper()
            continue
        if previous == "WITH":  # a licence exception, not a licence
            previous = ""
            continue
        token = token.rstrip("+")
        if _SPDX_ID.match(token) and not token.startswith(("LicenseRef-", "DocumentRef-")) and token not in ids:
            ids.append(token)
        previous = token
    return ids


def fetch_settings(timeout: float = 30.0, retries: int = 3, max_wait: float = 120.0) -> HttpSettings:
    """The HTTP client's settings for fetching publiccode.yml files: its usual rules, at most :data:`MAX_BYTES`."""
    return HttpSettings(timeout=timeout, retries=retries, max_wait=max_wait, max_bytes=MAX_BYTES,
                        user_agent=user_agent("publiccode.yml importer"))


def read_input(argument: str, *, settings: HttpSettings | None = None,
               client: HttpClient | None = None) -> tuple[str, str, bool]:
    """The text of a file or URL argument, its origin and whether it was fetched (network only for URLs).

    A URL is fetched with ``client`` if given, else with a client made from ``settings``
    (default :func:`fetch_settings`).
    """
    if re.match(r"^https?://", argument):
        if client is not None:
            return _decode(client.get(argument, what="publiccode.yml").content, argument), argument, True
        with HttpClient(settings or fetch_settings()) as own:
            return _decode(own.get(argument, what="publiccode.yml").content, argument), argument, True
    path = Path(argument)
    if not path.is_file():
        raise InputError("no such file (give a path or an http(s) URL)", path=argument)
    return safeyaml.read_text(path, max_bytes=MAX_BYTES), str(path), False  # bounded as a URL's body is


def _decode(raw: bytes, origin: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=origin) from exc


class _Builder:
    """Adds the triples of one file to a graph."""

    def __init__(self, graph: rdflib.Graph, source: URIRef) -> None:
        self.g = graph
        self.source = source

    def node(self, iri: str, rdf_type: str, label_de: str, label_en: str | None = None) -> URIRef:
        ref = URIRef(iri)
        self.g.add((ref, RDF.type, URIRef(rdf_type)))
        self.g.add((ref, RDFS.label, Literal(label_de, lang="de")))
        self.g.add((ref, RDFS.label, Literal(label_en or label_de, lang="en")))
        self.g.add((ref, dct.source, self.source))
        return ref

    def add(self, subject: URIRef, predicate: str | URIRef, value: Any) -> None:
        if value is not None:
            self.g.add((subject, URIRef(str(predicate)), value))


def import_document(
    text: str,
    origin: str,
    *,
    gazetteer: Gazetteer,
    organisations: OrganisationLookup | None = None,
    accessed: dt.date | None = None,
    source_url: str | None = None,
    repositories: RepositoryLookup | None = None,
) -> Imported:
    """Check one publiccode.yml and build its triples; raises :class:`PubliccodeInvalid` on a broken file."""
    data, lines = load_yaml(text, origin)
    warnings = check(data, origin, lines)
    name: str = data["name"].strip()
    slug = slugify(name)
    graph = new_graph()
    source_iri = entity_iri("source", f"publiccode-yml-{slug}")
    url = source_url or (origin if re.match(r"^https?://", origin) else data["url"])
    b = _Builder(graph, URIRef(source_iri))
    source = b.node(source_iri, MPSC + "Source", f"publiccode.yml von {name}", f"publiccode.yml of {name}")
    graph.remove((source, dct.source, source))
    graph.add((source, schema.url, URIRef(url)))
    graph.add((source, dct.title, Literal(f"publiccode.yml von {name}", lang="de")))
    graph.add((source, dct.title, Literal(f"publiccode.yml of {name}", lang="en")))
    publisher_name = (data.get("organisation") or {}).get("name") or data["legal"].get("repoOwner")
    b.add(source, dct.publisher, Literal(publisher_name) if publisher_name else None)
    graph.add((source, mpsc.accessedOn, Literal((accessed or dt.date.today()).isoformat(), datatype=XSD.date)))

    solution = b.node(entity_iri("solution", slug), MPSC + "Solution", name)
    _describe_solution(b, solution, data, repositories)
    origin_body = _origin(b, solution, data, gazetteer, organisations)
    _publisher(b, solution, data, gazetteer, organisations, slug)
    _roles(b, solution, data, slug, gazetteer, organisations)
    used_by = [_adoption(b, solution, slug, name, entry, origin_body, gazetteer, organisations)
               for entry in data.get("usedBy") or []]
    return Imported(origin, str(solution), graph, used_by, warnings)


def new_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix in ("municipality", "district", "organisation", "solution", "adoption", "role", "source"):
        graph.bind(prefix, entity_iri(prefix, ""))
    graph.bind("status", entity_iri("concept", "adoption-status/"))
    graph.bind("roletype", entity_iri("concept", "role/"))
    for prefix, iri in (("mpsc", MPSC), ("schema", SCHEMA), ("dct", DCT), ("prov", PROV), ("spdx", SPDX_LICENSE)):
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def _describe_solution(b: _Builder, solution: URIRef, data: dict[str, Any],
                       repositories: RepositoryLookup | None = None) -> None:
    b.add(solution, schema.codeRepository, URIRef(data["url"].strip()))
    if data.get("landingURL"):
        b.add(solution, schema.url, URIRef(data["landingURL"].strip()))
    expression = data["legal"]["license"].strip()
    ids = spdx_ids(expression)
    for licence in ids:
        b.add(solution, dct.license, URIRef(SPDX_LICENSE + licence))
    if len(ids) != 1 or expression != ids[0]:
        b.add(solution, dct.rights, Literal(f"SPDX: {expression}"))
    b.add(solution, schema.creativeWorkStatus, Literal(data["developmentStatus"]))
    b.add(solution, dct.type, Literal(data["softwareType"]))
    if data.get("softwareVersion"):
        b.add(solution, schema.softwareVersion, Literal(data["softwareVersion"]))
    if data.get("releaseDate"):
        b.add(solution, schema.dateModified, Literal(str(data["releaseDate"]), datatype=XSD.date))
    if data.get("applicationSuite"):
        b.add(solution, schema.applicationSuite, Literal(data["applicationSuite"]))
    based_on = data.get("isBasedOn") or []
    for repository in [based_on] if isinstance(based_on, str) else based_on:
        b.add(solution, prov.wasDerivedFrom, URIRef(repository.strip()))
        original = repositories(repository.strip()) if repositories is not None else None
        if original is not None and original != str(solution):
            b.add(solution, mpsc.basedOn, URIRef(original))
    for lang, section in data["description"].items():
        tag = lang.lower()
        for key in ("shortDescription", "longDescription"):
            if section.get(key):
                b.add(solution, dct.description, Literal(" ".join(section[key].split()), lang=tag))
        for award in section.get("awards") or []:
            b.add(solution, schema.award, Literal(award.strip(), lang=tag))


def _public_body(
    name: str, gazetteer: Gazetteer, organisations: OrganisationLookup | None
) -> tuple[str, str, str, Resolution]:
    """(IRI, label, how) of the public body a name denotes, or ("", "", reason) with the resolution."""
    resolution = gazetteer.lookup(name)
    if resolution.place is not None:
        how = "; ".join(resolution.notes)
        return resolution.place.iri, resolution.place.name, how, resolution
    if organisations is not None:
        found = organisations(name, True)
        if found is not None:
            return found[0], found[1], "exact label of a public organisation in the project", resolution
    return "", "", "", resolution


def _origin(b: _Builder, solution: URIRef, data: dict[str, Any], gazetteer: Gazetteer,
            organisations: OrganisationLookup | None) -> str | None:
    owner = data["legal"].get("mainCopyrightOwner")
    if not owner:
        return None
    iri, _label, _how, _resolution = _public_body(owner, gazetteer, organisations)
    if iri:
        b.add(solution, mpsc.originator, URIRef(iri))
        return iri
    return None


def _organisation(b: _Builder, name: str, website: str | None, gazetteer: Gazetteer,
                  organisations: OrganisationLookup | None) -> URIRef:
    """A named organisation: the public body it resolves to, else ``organisation/{slug}`` declared here."""
    iri, _label, _how, _resolution = _public_body(name, gazetteer, organisations)
    if iri:
        return URIRef(iri)
    if organisations is not None:
        found = organisations(name, False)
        if found is not None:
            return URIRef(found[0])
    org = b.node(entity_iri("organisation", slugify(name)), MPSC + "Organisation", name.strip())
    if website and re.match(r"^https?://", website):
        b.add(org, schema.url, URIRef(website.strip()))
    return org


def _publisher(b: _Builder, solution: URIRef, data: dict[str, Any], gazetteer: Gazetteer,
               organisations: OrganisationLookup | None, slug: str) -> None:
    section = data.get("organisation")
    if not section:
        return
    uri = section["uri"].strip()
    name = section.get("name") or uri
    org = _organisation(b, name, uri, gazetteer, organisations)
    b.add(org, dct.identifier, Literal(uri))
    b.add(solution, schema.publisher, org)


def _roles(b: _Builder, solution: URIRef, data: dict[str, Any], slug: str, gazetteer: Gazetteer,
           organisations: OrganisationLookup | None) -> None:
    maintenance = data["maintenance"]
    kind = maintenance["type"]
    agents: list[tuple[URIRef, str, dt.date | None]] = []
    for contractor in maintenance.get("contractors") or []:
        org = _organisation(b, contractor["name"], contractor.get("website"), gazetteer, organisations)
        until = contractor["until"]
        until = until if isinstance(until, dt.date) else dt.date.fromisoformat(until)
        agents.append((org, contractor["name"].strip(), until))
    if kind == "internal" and data.get("organisation"):
        publisher = next(iter(b.g.objects(solution, schema.publisher)), None)
        if isinstance(publisher, URIRef):
            agents.append((publisher, str(data["organisation"].get("name") or data["organisation"]["uri"]), None))
    for agent, agent_name, until in agents:
        role = _role(b, agent, agent_name, "maintainer", solution, slug,
                     f"{agent_name}: Wartung von {data['name']} ({kind})",
                     f"{agent_name}: maintenance of {data['name']} ({kind})")
        if until is not None:
            b.add(role, mpsc.endDate, Literal(until.isoformat(), datatype=XSD.date))
        b.add(role, RDFS.comment, Literal(f"publiccode.yml maintenance/type: {kind}", lang="en"))
    if kind == "none":
        note = "publiccode.yml: not actively maintained (maintenance/type: none)"
        b.add(solution, RDFS.comment, Literal(note, lang="en"))
    for funder in data.get("fundedBy") or []:
        org = _organisation(b, funder["name"], funder.get("uri"), gazetteer, organisations)
        _role(b, org, funder["name"], "funder", solution, slug, f"{funder['name']}: Förderung von {data['name']}",
              f"{funder['name']}: funding of {data['name']}")


def _role(b: _Builder, agent: URIRef, agent_name: str, role_type: str, solution: URIRef, slug: str,
          label_de: str, label_en: str) -> URIRef:
    """A role node ``role/{agent}-{type}-{solution}``: who holds which role in the imported solution."""
    role = b.node(entity_iri("role", f"{slugify(agent_name)}-{role_type}-{slug}"), MPSC + "Role", label_de, label_en)
    b.add(role, mpsc.agent, agent)
    b.add(role, mpsc.roleType, URIRef(entity_iri("concept", f"role/{role_type}")))
    b.add(role, mpsc.roleIn, solution)
    return role


def _adoption(b: _Builder, solution: URIRef, slug: str, solution_name: str, name: str, origin: str | None,
              gazetteer: Gazetteer, organisations: OrganisationLookup | None) -> UsedBy:
    iri, label, how, resolution = _public_body(name, gazetteer, organisations)
    if not iri:
        return UsedBy(name, "gap", resolution=resolution)
    if iri == origin:
        return UsedBy(name, "origin", iri, label, resolution, how)
    key = iri.rstrip("/").rsplit("/", 2)
    adoption_iri = entity_iri("adoption", f"{slug}-{key[-2]}-{key[-1]}-publiccode")
    adoption = b.node(adoption_iri, MPSC + "Adoption", f"{label}: Nutzung von {solution_name} (publiccode.yml usedBy)",
                      f"{label}: use of {solution_name} (publiccode.yml usedBy)")
    b.add(adoption, mpsc.adopter, URIRef(iri))
    if origin:
        b.add(adoption, mpsc.origin, URIRef(origin))
    b.add(adoption, mpsc.adoptedAsset, solution)
    b.add(adoption, mpsc.adoptionStatus, URIRef(entity_iri("concept", "adoption-status/unknown")))
    b.add(adoption, RDFS.comment, Literal(f"usedBy: {name}", lang="de"))
    return UsedBy(name, "adoption", iri, label, resolution, how)


def import_all(
    arguments: Iterable[str],
    *,
    gazetteer: Gazetteer,
    organisations: OrganisationLookup | None = None,
    accessed: dt.date | None = None,
    source_url: str | None = None,
    settings: HttpSettings | None = None,
    repositories: RepositoryLookup | None = None,
) -> tuple[rdflib.Graph, list[Imported]]:
    """Read and check every argument first (any broken file stops everything), then merge their graphs.

    URLs are fetched with one client made from ``settings`` (default :func:`fetch_settings`).
    """
    results = []
    with HttpClient(settings or fetch_settings()) as client:
        for argument in arguments:
            text, origin, _fetched = read_input(argument, client=client)
            results.append(import_document(text, origin, gazetteer=gazetteer, organisations=organisations,
                                           accessed=accessed, source_url=source_url, repositories=repositories))
    merged = new_graph()
    for result in results:
        for triple in result.graph:
            merged.add(triple)
    return merged, results


def report_lines(results: Iterable[Imported]) -> list[str]:
    """The human-readable import report: every usedBy name with its outcome, gaps with candidates."""
    lines: list[str] = []
    for result in results:
        adopted = sum(1 for u in result.used_by if u.outcome == "adoption")
        lines.append(f"{result.origin}: {result.solution}: {adopted} adoption(s), {len(result.gaps)} unresolved "
                     f"usedBy name(s) of {len(result.used_by)}")
        lines += [f"  warning: {w}" for w in result.warnings]
        for entry in result.used_by:
            lines += ["  " + line for line in entry.describe().splitlines()]
    return lines


def to_turtle(graph: rdflib.Graph, results: Iterable[Imported]) -> str:
    """Turtle with a comment header listing the unresolved names (the reviewable gap list)."""
    header = ["# Imported by 'mpsc-graph import publiccode'. Review before moving into data/.",
              "# Personal contact data (maintenance/contacts, e-mail addresses) is never imported."]
    for result in results:
        for gap in result.gaps:
            header += ["# UNRESOLVED usedBy (no adoption written): " + line for line in gap.describe().splitlines()]
    return "\n".join(header) + "\n\n" + graph.serialize(format="turtle")


def project_organisations(project: Project) -> OrganisationLookup:
    """Exact-label lookup among a project's organisations (``organisation/…``), e.g. "Amt Schlieben".

    Only an exact (case-insensitive) label counts: a looser match between "Stadt X" and "Verbandsgemeinde X"
    is a curator's decision, not the importer's.
    """
    from pyoxigraph import Literal as OxLiteral
    from pyoxigraph import NamedNode

    from ..api import Graph
    from ..errors import AmbiguousName, UnknownName

    graph = Graph(project)
    rdf_type, public = NamedNode(str(RDF.type)), NamedNode(MPSC + "PublicOrganisation")

    def lookup(name: str, public_only: bool) -> tuple[str, str] | None:
        try:
            entity = graph.resolve(name.strip(), ("organisation",))
        except (UnknownName, AmbiguousName):
            return None
        quads = graph.store.quads_for_pattern(NamedNode(entity.iri), NamedNode(str(RDFS.label)), None)
        labels = {q.object.value.casefold() for q in quads if isinstance(q.object, OxLiteral)}
        if name.strip().casefold() not in labels:
            return None
        typed = graph.store.quads_for_pattern(NamedNode(entity.iri), rdf_type, public)
        if public_only and next(iter(typed), None) is None:
            return None
        return entity.iri, entity.label

    return lookup


def project_repositories(project: Project) -> RepositoryLookup:
    """Repository URL → the one solution of the project with that ``schema:codeRepository`` (named query
    ``solutions_by_repository``), tried as given, without and with a trailing ``.git``; None if not exactly one."""
    from ..api import Graph

    graph = Graph(project)

    def lookup(url: str) -> str | None:
        bare = url.removesuffix("/").removesuffix(".git")
        found: set[str] = set()
        for candidate in dict.fromkeys((url, bare, bare + ".git")):
            if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$", candidate):
                found |= {str(r["solution"]) for r in graph.query("solutions_by_repository",
                                                                   repository=candidate).records()}
        return found.pop() if len(found) == 1 else None

    return lookup
