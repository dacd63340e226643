"""Adding a case: a filled YAML template (adoption, offer or solution) becomes a block of Turtle in
``data/contrib-{organisation}.ttl``, only after every name resolved and the result validated.

Why this order: a steward should never have to write Turtle, and a case that does not resolve or
does not validate must leave the project as it was. Names go through the one resolver of the graph
(any German municipality by name or AGS, solutions, modules and organisations by label); the YAML
through the one bounded loader. Whoever asserts the case is an organisation (``prov:wasAttributedTo``)
with a date to re-confirm it by (``mpsc:reconfirmBy``); each evidence page becomes a Source node. The
block is appended to the organisation's own file (a named graph of its own), whose earlier bytes stay
as they were; the new file is written beside it and renamed into place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from .api import Graph
from .atomic import write_file
from .dataset import load_dataset
from .errors import AmbiguousName, InputError, MpscError, UnknownName
from .importers.publiccode import slugify
from .namespaces import ID, graph_iri
from .project import Project
from .resolve import PUBLIC_BODY_KINDS, Entity
from .results import Table
from .safeyaml import load_yaml, read_text
from .validation import Report, validate

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: the record kinds, by the German word of the template's ``art`` and the English one of the CLI
KINDS = {"nachnutzung": "adoption", "angebot": "offer", "loesung": "solution",
         "adoption": "adoption", "offer": "offer", "solution": "solution"}
MODES = ("joint-development", "code-reuse", "shared-operation", "fork", "trial", "concept-transfer")
STATUSES = ("planned", "trial", "production", "ended", "unknown")
ROUTES = ("membership", "saas-contract", "self-hosting", "shared-service", "state-provided",
          "administrative-agreement")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_PREFIXES = """@prefix mpsc:   <https://w3id.org/mpsc-graph/ontology#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> .
"""


class CaseGraph(Protocol):
    """What building a case asks of a graph: names resolved, named queries answered.

    :class:`mpsc_graph.api.Graph` is one (``add``); the server's form passes one whose queries run in
    its worker pool, so the form and ``add`` build a case the same way without the server opening the store.
    """

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity: ...

    def query(self, name: str, **params: str | NamedNode) -> Table: ...


class ContributionRefused(InputError):
    """The case cannot be added as it stands (unresolved name, missing evidence, duplicate, violation)."""


class ContributionInvalid(MpscError):
    """The case resolved but the result breaks a shape: exit 1, as any check that found problems."""

    exit_code = 1


@dataclass(frozen=True)
class Origin:
    """Where a case comes from: the file (or the interactive session) and the line of each top-level key."""

    path: str
    lines: tuple[tuple[str, int], ...] = ()

    def refuse(self, message: str) -> ContributionRefused:
        """A refusal naming the file and, when the message starts with a key ('nachnutzer': ...), its line."""
        key = re.match(r"'(\w+)'", message)
        return ContributionRefused(message, path=self.path, line=dict(self.lines).get(key.group(1)) if key else None)

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class Contribution:
    """What ``add`` writes: the block, the file it goes to, and the nodes it defines."""

    kind: str
    iri: str
    target: Path
    block: str
    subjects: tuple[str, ...]


def template(kind: str) -> str:
    """The German template (with English comments) for ``adoption``, ``offer`` or ``solution``."""
    return (TEMPLATES / f"{KINDS[kind]}.yaml").read_text(encoding="utf-8")


def read_case(path: Path) -> tuple[dict[str, Any], Origin]:
    """A filled template, read through the one bounded YAML loader, with the line of each key."""
    data, node = load_yaml(read_text(path), str(path))
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise ContributionRefused("a case is a YAML mapping of the template's fields", path=path)
    lines = tuple((str(key.value), key.start_mark.line + 1) for key, _value in node.value)
    return data, Origin(str(path), lines)


# --------------------------------------------------------------------------- turning a case into Turtle


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _lit(text: str, lang: str | None = "de") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _date_lit(value: Any, field: str, origin: Origin, *, day_only: bool = False) -> str:
    text = value.isoformat() if isinstance(value, date) else _text(value)
    if not _DATE.match(text) or (day_only and len(text) != 10):
        forms = "YYYY-MM-DD" if day_only else "YYYY, YYYY-MM or YYYY-MM-DD (xsd:gYear, xsd:gYearMonth, xsd:date)"
        raise origin.refuse(f"'{field}': '{text}' is no date; accepted: {forms}")
    datatype = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(text)]
    if datatype == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise origin.refuse(f"'{field}': '{text}' is no day of the calendar") from None
    return f'"{text}"^^xsd:{datatype}'


class _Names:
    """Resolves the case's names through the graph's one resolver; refusals list the candidates."""

    def __init__(self, graph: CaseGraph, origin: Origin) -> None:
        self.graph = graph
        self.origin = origin

    def __call__(self, case: Mapping[str, Any], field: str, kinds: tuple[str, ...]) -> Entity:
        name = _text(case.get(field))
        if not name:
            raise self.origin.refuse(f"'{field}' is required")
        try:
            return self.graph.resolve(name, kinds)
        except AmbiguousName as exc:
            raise self.origin.refuse(f"'{field}': {exc}") from None
        except UnknownName as exc:
            raise self.origin.refuse(f"'{field}': {exc}") from None


def _sources(case: Mapping[str, Any], origin: Origin) -> list[tuple[str, str]]:
    """(IRI, Turtle) of each evidence page; at least one, each with an http(s) URL, a title and a date."""
    evidence = case.get("belege")
    if not isinstance(evidence, list) or not evidence:
        raise origin.refuse("'belege': at least one evidence page (url, titel, datum) is required")
    out = []
    for number, item in enumerate(evidence, 1):
        if not isinstance(item, dict):
            raise origin.refuse(f"'belege' #{number}: a mapping of url, titel, datum")
        url, title = _text(item.get("url")), _text(item.get("titel"))
        if not re.match(r"^https?://[^\s/]+\S*$", url) or any(c in url for c in '<>"{}|\\^`'):
            raise origin.refuse(f"'belege' #{number}: url must be an http or https address, got '{url}'")
        if not title:
            raise origin.refuse(f"'belege' #{number}: titel (the page's title) is required")
        if item.get("datum") in (None, ""):
            raise origin.refuse(f"'belege' #{number}: datum (the page's date, or when read) is required")
        when = _date_lit(item.get("datum"), f"belege #{number} datum", origin, day_only=True)
        iri = f"{ID}source/contrib-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"
        lines = [f"<{iri}> a mpsc:Source ;", f"    rdfs:label {_lit(title)} ;", f"    dct:title {_lit(title)} ;",
                 f"    schema:url <{url}> ;"]
        publisher = _text(item.get("herausgeber"))
        if publisher:
            lines.append(f"    dct:publisher {_lit(publisher, None)} ;")
        lines.append(f"    mpsc:accessedOn {when} .")
        out.append((iri, "\n".join(lines)))
    return out


def build(case: Mapping[str, Any], graph: CaseGraph, project: Project, origin: Origin) -> Contribution:
    """The Turtle block of a case, with every name resolved; refuses what it cannot resolve."""
    kind = KINDS.get(_text(case.get("art")).casefold())
    if kind is None:
        raise origin.refuse(f"'art' must be one of nachnutzung, angebot, loesung, got '{_text(case.get('art'))}'")
    resolve = _Names(graph, origin)
    asserter = resolve(case, "angegeben_von", PUBLIC_BODY_KINDS)
    reconfirm = case.get("erneut_bestaetigen_bis")
    if reconfirm in (None, ""):
        raise origin.refuse("'erneut_bestaetigen_bis': a date to re-confirm the case by is required")
    reconfirm_lit = _date_lit(reconfirm, "erneut_bestaetigen_bis", origin, day_only=True)
    sources = _sources(case, origin)
    builder: Callable[..., tuple[str, list[str]]] = {"adoption": _adoption, "offer": _offer,
                                                     "solution": _solution}[kind]
    iri, lines = builder(case, resolve, graph, origin)
    lines += [f"    prov:wasAttributedTo <{asserter.iri}> ;", f"    mpsc:reconfirmBy {reconfirm_lit} ;",
              f"    dct:source {' , '.join(f'<{s}>' for s, _ in sources)} ."]
    new_sources = [text for s, text in sources if not _defined(graph, s)]
    block = "\n".join(lines) + "\n" + "".join(f"\n{text}\n" for text in dict.fromkeys(new_sources))
    slug = slugify(asserter.label)
    subjects = (iri, *[s for s, _ in sources])
    return Contribution(kind, iri, project.data_dir / f"contrib-{slug}.ttl", block, subjects)


def _defined(graph: CaseGraph, iri: str) -> bool:
    """Whether some node of the graph has the IRI ``iri`` (through a named query, so a server's pool can answer)."""
    return len(graph.query("node_defined", node=iri)) > 0


def _new_iri(graph: CaseGraph, kind: str, slug: str) -> str:
    iri = f"{ID}{kind}/{slug}"
    if _defined(graph, iri):
        raise ContributionRefused(f"{iri} already exists; give the case another 'bezeichnung'")
    return iri


def _adoption(case: Mapping[str, Any], resolve: _Names, graph: CaseGraph, origin: Origin) -> tuple[str, list[str]]:
    adopter = resolve(case, "nachnutzer", PUBLIC_BODY_KINDS)
    asset = resolve(case, "loesung", ("solution", "module"))
    reason = _text(case.get("herkunft_unbekannt_weil"))
    source_body = resolve(case, "herkunft", PUBLIC_BODY_KINDS) if _text(case.get("herkunft")) else None
    if source_body is None and not reason:
        raise origin.refuse("'herkunft' is required; if the origin is really unknown, leave it empty and say "
                                  "why in 'herkunft_unbekannt_weil'")
    if source_body is not None and reason:
        raise origin.refuse("give either 'herkunft' or 'herkunft_unbekannt_weil', not both")
    for row in graph.query("adoptions_of_adopter_and_asset", adopter=adopter.iri, asset=asset.iri):
        origin_term, existing = row["origin"], row["adoption"]
        found = origin_term.value if origin_term is not None else None
        if found == (source_body.iri if source_body else None):
            raise origin.refuse(f"duplicate: {getattr(existing, 'value', existing)} already records that "
                                      f"{adopter.label} adopts {asset.label}"
                                      f"{f' from {source_body.label}' if source_body else ''}")
    mode, status = _text(case.get("nachnutzungsart")), _text(case.get("status")) or "unknown"
    if mode and mode not in MODES:
        raise origin.refuse(f"'nachnutzungsart' must be one of {', '.join(MODES)}, got '{mode}'")
    if status not in STATUSES:
        raise origin.refuse(f"'status' must be one of {', '.join(STATUSES)}, got '{status}'")
    label = _text(case.get("bezeichnung")) or f"{adopter.label} nutzt {asset.label} nach"
    iri = _new_iri(graph, "adoption", f"{slugify(adopter.label)}-{asset.key.replace('/', '-')}")
    lines = [f"<{iri}> a mpsc:Adoption ;", f"    rdfs:label {_lit(label)} ;", f"    mpsc:adopter <{adopter.iri}> ;",
             f"    mpsc:adoptedAsset <{asset.iri}> ;"]
    lines.append(f"    mpsc:origin <{source_body.iri}> ;" if source_body else
                 f"    mpsc:originUnknownReason {_lit(reason)} ;")
    if mode:
        lines.append(f"    mpsc:adoptionMode <{ID}concept/adoption-mode/{mode}> ;")
    lines.append(f"    mpsc:adoptionStatus <{ID}concept/adoption-status/{status}> ;")
    for field, prop in (("beginn", "startDate"), ("ende", "endDate")):
        if case.get(field) not in (None, ""):
            lines.append(f"    mpsc:{prop} {_date_lit(case.get(field), field, origin)} ;")
    return iri, lines


def _offer(case: Mapping[str, Any], resolve: _Names, graph: CaseGraph, origin: Origin) -> tuple[str, list[str]]:
    provider = resolve(case, "anbieter", PUBLIC_BODY_KINDS)
    asset = resolve(case, "loesung", ("solution", "module"))
    route = _text(case.get("weg"))
    if route not in ROUTES:
        raise origin.refuse(f"'weg' must be one of {', '.join(ROUTES)}, got '{route}'")
    label = _text(case.get("bezeichnung")) or f"{provider.label} bietet {asset.label} an ({route})"
    iri = _new_iri(graph, "offer", f"{slugify(provider.label)}-{asset.key.replace('/', '-')}-{route}")
    lines = [f"<{iri}> a mpsc:Offer ;", f"    rdfs:label {_lit(label)} ;", f"    mpsc:offeredBy <{provider.iri}> ;",
             f"    mpsc:offeredAsset <{asset.iri}> ;", f"    mpsc:route <{ID}concept/reuse-route/{route}> ;"]
    conditions = _text(case.get("bedingungen"))
    if conditions:
        lines.append(f"    mpsc:conditions {_lit(conditions)} ;")
    return iri, lines


def _solution(case: Mapping[str, Any], resolve: _Names, graph: CaseGraph, origin: Origin) -> tuple[str, list[str]]:
    label = _text(case.get("bezeichnung"))
    if not label:
        raise origin.refuse("'bezeichnung' (the solution's name) is required")
    originator = resolve(case, "urheber", PUBLIC_BODY_KINDS)
    iri = _new_iri(graph, "solution", slugify(label))
    lines = [f"<{iri}> a mpsc:Solution ;", f"    rdfs:label {_lit(label)} ;",
             f"    mpsc:originator <{originator.iri}> ;"]
    licence = _text(case.get("lizenz"))
    if licence:
        if not re.match(r"^https?://\S+$", licence):
            raise origin.refuse(f"'lizenz' must be an address (https://spdx.org/licenses/...), got '{licence}'")
        lines.append(f"    dct:license <{licence}> ;")
    return iri, lines


# --------------------------------------------------------------------------- checking and writing


def add_case(case: Mapping[str, Any], project: Project, origin: Origin, *,
             lang: str = "de") -> tuple[Contribution, Report]:
    """Resolve, build, validate and append a case; nothing is written unless every step succeeds.

    Raises :class:`ContributionRefused` (exit 2) for what cannot be resolved or is missing, and
    :class:`ContributionInvalid` (exit 1) when the result breaks a shape; returns the contribution
    and the findings about its own nodes (warnings at most).
    """
    store = load_dataset(project)
    graph = Graph(project, store=store)
    contribution = build(case, graph, project, origin)
    report = append_validated(store, project, contribution.target, contribution.block, contribution.subjects,
                              lang=lang)
    return contribution, report


def file_text(target: Path, block: str, existing: str | None = None) -> str:
    """The text of the data file ``target`` with ``block`` appended: to ``existing``, else to a new file's
    header and prefixes (what ``add`` writes, and what the server's form offers for download)."""
    header = f"# Beiträge von {target.stem[len('contrib-'):]} (mpsc-graph)\n{_PREFIXES}"
    text = existing if existing is not None else header
    return text + ("" if text.endswith("\n") else "\n") + "\n" + block


def append_validated(store: Store, project: Project, target: Path, block: str, subjects: tuple[str, ...], *,
                     lang: str = "de") -> Report:
    """Append ``block`` to the data file ``target`` if the dataset with it has no violation on ``subjects``.

    ``store`` holds the dataset as it is; the file's new text replaces its graph there, the whole is
    validated, and only then is the file written (beside it, then renamed). Its earlier bytes stay.
    """
    existing = target.read_bytes() if target.exists() else None
    new = file_text(target, block, existing.decode("utf-8") if existing is not None else None)
    graph_name = NamedNode(graph_iri(target.stem))
    try:
        quads = list(parse(new.encode("utf-8"), format=RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ContributionRefused(f"the result would not be valid Turtle: {exc}", path=target) from None
    if existing is not None:
        store.remove_graph(graph_name)
    for t in quads:
        store.add(Quad(t.subject, t.predicate, t.object, graph_name))
    report, _results = validate(store, project, lang=lang)
    own = tuple(f for f in report.findings if f.focus in subjects)
    if any(f.severity == "Violation" for f in own):
        raise ContributionInvalid("the result breaks the shapes; nothing was written:\n" + Report(own).to_text())
    write_file(target, new.encode("utf-8"))
    return Report(own)
