"""Declared mappings from the CSV tables of ``data/`` to RDF, so a table is edited as a table and still checked as RDF.

Each table is described once, column by column; the loader applies the description to every row.
A row that cannot be mapped, a key that a second row repeats, or a slug outside ``[a-z0-9-]`` raises
:class:`InputError` naming the file and line(s). Whether values are
*valid* (an AGS of 8 digits, a known source) is the shapes' job, so stewards get one report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from .errors import InputError
from .namespaces import DCT, GEO, MPSC, RDF, RDFS, SCHEMA, WD, XSD, entity_iri, graph_iri

#: docs/data-model.md: "Slugs are lowercase ASCII [a-z0-9-]"; keys (AGS, Kreisschlüssel, year) are digits
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A mapper turns one cell into (predicate IRI, object in N-Triples syntax) pairs. Rows are written as
#: N-Quads text that Oxigraph parses: building a Python term object per quad took 3-5 s for the
#: directory's 170,000 quads, the text takes a fraction of that.
ValueMapper = Callable[[str], list[tuple[str, str]]]
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri_term(iri: str) -> str:
    return f"<{iri}>"


def literal_term(value: str, *, language: str = "", datatype: str = "") -> str:
    """A literal in N-Triples syntax (quotes, backslashes and line breaks escaped)."""
    quoted = '"' + value.translate(_ESCAPES) + '"'
    return quoted + (f"@{language}" if language else f"^^<{datatype}>" if datatype else "")


@lru_cache(maxsize=4096)
def _iri(kind: str, key: str) -> str:
    """The entity IRI of a slug or key from a table; anything else would mint an IRI the Turtle files cannot match."""
    if not _SLUG.fullmatch(key):
        raise ValueError(f"'{key}' cannot be part of an IRI: a slug or key is lowercase letters, digits and "
                         "single '-' between them (docs/data-model.md)")
    return iri_term(entity_iri(kind, key))


def label(lang: str) -> ValueMapper:
    return lambda v: [(RDFS + "label", literal_term(v, language=lang))]


def labels(*langs: str) -> ValueMapper:
    """One name as the label in each language: names are never translated, ``@en`` repeats ``@de``."""
    return lambda v: [(RDFS + "label", literal_term(v, language=lang)) for lang in langs]


def comment(lang: str) -> ValueMapper:
    return lambda v: [(RDFS + "comment", literal_term(v, language=lang))]


def text(predicate: str) -> ValueMapper:
    return lambda v: [(predicate, literal_term(v))]


def typed(predicate: str, datatype: str, namespace: str = XSD) -> ValueMapper:
    return lambda v: [(predicate, literal_term(v, datatype=namespace + datatype))]


def link(predicate: str, kind: str) -> ValueMapper:
    return lambda v: [(predicate, _iri(kind, v))]


def links(predicate: str, kind: str) -> ValueMapper:
    return lambda v: [(predicate, _iri(kind, part.strip())) for part in v.split(";") if part.strip()]


def wikidata(v: str) -> list[tuple[str, str]]:
    if not re.fullmatch(r"Q[1-9][0-9]*", v):
        raise ValueError(f"'{v}' is not a Wikidata item id like Q64")
    return [(SCHEMA + "sameAs", iri_term(WD + v))]


def public_body(v: str) -> str:
    """A member reference: an 8-digit AGS, a 5-digit Kreisschlüssel, a 9-digit Gemeindeverband key
    or ``organisation/slug``."""
    v = v.strip()
    if re.fullmatch(r"\d{8}", v):
        return _iri("municipality", v)
    if re.fullmatch(r"\d{5}", v):
        return _iri("district", v)
    if re.fullmatch(r"\d{9}", v):
        return _iri("municipal-association", v)
    kind, _, key = v.partition("/")
    if kind in {"organisation", "alliance", "community"} and key:
        return _iri(kind, key)
    raise ValueError(f"'{v}' is neither an AGS (8 digits), a Kreisschlüssel (5 digits), a Gemeindeverband key "
                     "(9 digits) nor organisation/slug")


def members(predicate: str) -> ValueMapper:
    return lambda v: [(predicate, public_body(part)) for part in v.split(";") if part.strip()]


@dataclass(frozen=True)
class Nested:
    """A column whose value describes a node of its own, ``{subject}#{fragment}``, linked by ``predicate``.

    Used for the centre point: GeoSPARQL puts the WKT literal on a geometry, not on the feature.
    """

    predicate: str
    fragment: str
    inner: ValueMapper

    def statements(self, subject: str, value: str) -> Iterator[tuple[str, str, str]]:
        node = f"{subject[:-1]}#{self.fragment}>"
        yield subject, iri_term(self.predicate), node
        for predicate, obj in self.inner(value):
            yield node, iri_term(predicate), obj


@dataclass(frozen=True)
class Kind:
    """One kind of row of a table with a kind column: its IRI segment, class and key property."""

    segment: str
    rdf_type: str
    key_predicate: str


@dataclass(frozen=True)
class TableMapping:
    """How one CSV file maps to RDF: the subject IRI, its class, and a mapper per column.

    A table with ``kinds`` holds several kinds of rows, told apart by ``kind_column``; each row's
    key becomes the key property of its kind. ``defers_to`` names curated tables whose statements
    win: for a body one of them describes, this table states none of the ``deferred`` properties
    that table already states, so every fact is stated once.
    """

    kind: str
    key_column: str
    rdf_type: str
    columns: dict[str, ValueMapper | Nested]
    required: tuple[str, ...] = field(default=())
    kind_column: str = ""
    kinds: dict[str, Kind] = field(default_factory=dict)
    defers_to: tuple[str, ...] = ()
    deferred: frozenset[str] = frozenset()


TABLES: dict[str, TableMapping] = {
    "municipalities": TableMapping(
        kind="municipality",
        key_column="ags",
        rdf_type=MPSC + "Municipality",
        columns={
            "ags": text(MPSC + "ags"),
            "name_de": label("de"),
            "name_en": label("en"),
            "state": link(MPSC + "state", "state"),
            "district": link(MPSC + "district", "district"),
            "wikidata": wikidata,
            "sources": links(DCT + "source", "source"),
        },
        required=("ags", "name_de", "state", "sources"),
    ),
    "districts": TableMapping(
        kind="district",
        key_column="key",
        rdf_type=MPSC + "District",
        columns={
            "key": text(MPSC + "districtKey"),
            "name_de": label("de"),
            "name_en": label("en"),
            "state": link(MPSC + "state", "state"),
            "wikidata": wikidata,
            "sources": links(DCT + "source", "source"),
        },
        required=("key", "name_de", "state", "sources"),
    ),
    "model-projects": TableMapping(
        kind="project",
        key_column="id",
        rdf_type=MPSC + "ModelProject",
        columns={
            "id": lambda v: [],
            "name_de": label("de"),
            "name_en": label("en"),
            "round": link(MPSC + "round", "round"),
            "kind": link(MPSC + "projectKind", "concept/project-kind"),
            "bmi_category": text(MPSC + "bmiCategory"),
            "members": members(MPSC + "hasMember"),
            "lead": lambda v: [(MPSC + "lead", public_body(v))],
            "sources": links(DCT + "source", "source"),
            "note": comment("en"),
        },
        required=("id", "name_de", "round", "members", "sources"),
    ),
    # The Destatis Gemeindeverzeichnis, derived by mpsc_graph.directory (docs/data-model.md).
    "directory": TableMapping(
        kind="",
        key_column="key",
        rdf_type="",
        kind_column="kind",
        kinds={
            "municipality": Kind("municipality", MPSC + "Municipality", MPSC + "ags"),
            "district": Kind("district", MPSC + "District", MPSC + "districtKey"),
            "association": Kind("municipal-association", MPSC + "MunicipalAssociation", MPSC + "associationKey"),
        },
        columns={
            "kind": lambda v: [],
            "key": lambda v: [],
            "name_de": labels("de", "en"),
            "official_name": text(MPSC + "officialName"),
            "state": link(MPSC + "state", "state"),
            "district": link(MPSC + "district", "district"),
            "association": link(MPSC + "municipalAssociation", "municipal-association"),
            "association_kind": link(MPSC + "associationKind", "concept/association-kind"),
            "kreisfrei": typed(MPSC + "kreisfrei", "boolean"),
            "population": typed(MPSC + "population", "integer"),
            "population_date": typed(MPSC + "populationDate", "date"),
            "area_km2": typed(MPSC + "areaKm2", "decimal"),
            "centre": Nested(GEO + "hasCentroid", "centre", typed(GEO + "asWKT", "wktLiteral", GEO)),
            "urbanisation": link(MPSC + "urbanisation", "concept/urbanisation"),
            "sources": links(DCT + "source", "source"),
        },
        required=("kind", "key", "name_de", "official_name", "state", "sources"),
        defers_to=("municipalities", "districts"),
        deferred=frozenset({RDF + "type", RDFS + "label", MPSC + "ags", MPSC + "districtKey", MPSC + "state",
                            MPSC + "district"}),
    ),
}


def table_quads(path: Path) -> list[Quad]:
    """The quads of one CSV table, in the named graph of its file stem."""
    graph = NamedNode(graph_iri(path.stem))
    triples = parse(table_ntriples(path), format=RdfFormat.N_TRIPLES)
    return [Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def table_ntriples(path: Path) -> bytes:
    """One CSV table as N-Triples text (the loader puts it into the named graph of the file stem)."""
    table = TABLES.get(path.stem)
    if table is None:
        known = ", ".join(f"{name}.csv" for name in TABLES)
        raise InputError(f"no mapping is declared for this CSV table (known tables: {known})", path=path)
    stated = _curated_statements(table, path)
    deferred = {iri_term(p) for p in table.deferred}
    lines = []
    for subject, predicate, obj in _statements(table, path):
        if stated and predicate in deferred and (subject, predicate) in stated:
            continue
        lines.append(f"{subject} {predicate} {obj} .\n")
    return "".join(lines).encode("utf-8")


def _curated_statements(table: TableMapping, path: Path) -> set[tuple[str, str]]:
    """(subject, predicate) of the deferred properties that the curated tables beside ``path`` state."""
    stated: set[tuple[str, str]] = set()
    for name in table.defers_to:
        curated = path.with_name(f"{name}.csv")
        if curated.is_file():
            stated.update((str(q.subject), str(q.predicate)) for q in table_quads(curated)
                          if q.predicate.value in table.deferred)
    return stated


def _statements(table: TableMapping, path: Path) -> Iterator[tuple[str, str, str]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
        with handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in table.columns]
            missing = [c for c in table.required if c not in header]
            if unknown or missing:
                problems = []
                if unknown:
                    problems.append(f"unknown column(s) {', '.join(unknown)}")
                if missing:
                    problems.append(f"missing column(s) {', '.join(missing)}")
                raise InputError("; ".join(problems) + f"; expected {', '.join(table.columns)}", path=path, line=1)
            first_line: dict[str, int] = {}  # key -> line of the row that introduced it
            for row in reader:
                line = reader.line_num
                if None in row or any(v is None for v in row.values()):
                    raise InputError(f"expected {len(header)} fields", path=path, line=line)
                key = (row.get(table.key_column) or "").strip()
                if key in first_line:
                    # two rows would silently merge into one entity (two labels, two states, ...)
                    raise InputError(f"{table.key_column} '{key}' again; it is already the key of line "
                                     f"{first_line[key]} (one row per {table.kind or 'body'})", path=path, line=line)
                if key:
                    first_line[key] = line
                yield from _row_statements(table, row, path, line)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path) from exc


_TYPE = iri_term(RDF + "type")


def _row_statements(table: TableMapping, row: dict[str, str], path: Path, line: int) -> Iterator[tuple[str, str, str]]:
    for column in table.required:
        if not row[column].strip():
            raise InputError(f"column '{column}' must not be empty", path=path, line=line)
    try:
        key = row[table.key_column].strip()
        if table.kinds:
            kind = table.kinds.get(row[table.kind_column].strip())
            if kind is None:
                raise ValueError(f"{table.kind_column} '{row[table.kind_column]}' is not one of "
                                 f"{', '.join(table.kinds)}")
            subject = _iri.__wrapped__(kind.segment, key)
            yield subject, _TYPE, iri_term(kind.rdf_type)
            yield subject, iri_term(kind.key_predicate), literal_term(key)
        else:
            subject = _iri.__wrapped__(table.kind, key)
            yield subject, _TYPE, iri_term(table.rdf_type)
        for column, value in row.items():
            if value.strip():
                mapper = table.columns[column]
                if isinstance(mapper, Nested):
                    yield from mapper.statements(subject, value.strip())
                    continue
                for predicate, obj in mapper(value.strip()):
                    yield subject, iri_term(predicate), obj
    except ValueError as exc:
        raise InputError(str(exc), path=path, line=line) from exc
