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
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from .errors import InputError
from .namespaces import DCT, MPSC, RDF, RDFS, SCHEMA, WD, XSD, entity_iri, graph_iri

#: docs/data-model.md: "Slugs are lowercase ASCII [a-z0-9-]"; keys (AGS, Kreisschlüssel, year) are digits
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ValueMapper = Callable[[str], list[tuple[str, NamedNode | Literal]]]


def _iri(kind: str, key: str) -> NamedNode:
    """The entity IRI of a slug or key from a table; anything else would mint an IRI the Turtle files cannot match."""
    if not _SLUG.fullmatch(key):
        raise ValueError(f"'{key}' cannot be part of an IRI: a slug or key is lowercase letters, digits and "
                         "single '-' between them (docs/data-model.md)")
    return NamedNode(entity_iri(kind, key))


def label(lang: str) -> ValueMapper:
    return lambda v: [(RDFS + "label", Literal(v, language=lang))]


def comment(lang: str) -> ValueMapper:
    return lambda v: [(RDFS + "comment", Literal(v, language=lang))]


def text(predicate: str) -> ValueMapper:
    return lambda v: [(predicate, Literal(v))]


def typed(predicate: str, datatype: str) -> ValueMapper:
    return lambda v: [(predicate, Literal(v, datatype=NamedNode(XSD + datatype)))]


def link(predicate: str, kind: str) -> ValueMapper:
    return lambda v: [(predicate, _iri(kind, v))]


def links(predicate: str, kind: str) -> ValueMapper:
    return lambda v: [(predicate, _iri(kind, part.strip())) for part in v.split(";") if part.strip()]


def wikidata(v: str) -> list[tuple[str, NamedNode | Literal]]:
    if not re.fullmatch(r"Q[1-9][0-9]*", v):
        raise ValueError(f"'{v}' is not a Wikidata item id like Q64")
    return [(SCHEMA + "sameAs", NamedNode(WD + v))]


def public_body(v: str) -> NamedNode:
    """A member reference: an 8-digit AGS, a 5-digit Kreisschlüssel or ``organisation/slug``."""
    v = v.strip()
    if re.fullmatch(r"\d{8}", v):
        return _iri("municipality", v)
    if re.fullmatch(r"\d{5}", v):
        return _iri("district", v)
    kind, _, key = v.partition("/")
    if kind in {"organisation", "alliance", "community"} and key:
        return _iri(kind, key)
    raise ValueError(f"'{v}' is neither an AGS (8 digits), a Kreisschlüssel (5 digits) nor organisation/slug")


def members(predicate: str) -> ValueMapper:
    return lambda v: [(predicate, public_body(part)) for part in v.split(";") if part.strip()]


@dataclass(frozen=True)
class TableMapping:
    """How one CSV file maps to RDF: the subject IRI, its class, and a mapper per column."""

    kind: str
    key_column: str
    rdf_type: str
    columns: dict[str, ValueMapper]
    required: tuple[str, ...] = field(default=())


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
}


def table_quads(path: Path) -> Iterator[Quad]:
    """The quads of one CSV table, in the named graph of its file stem."""
    table = TABLES.get(path.stem)
    if table is None:
        known = ", ".join(f"{name}.csv" for name in TABLES)
        raise InputError(f"no mapping is declared for this CSV table (known tables: {known})", path=path)
    graph = NamedNode(graph_iri(path.stem))
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
                                     f"{first_line[key]} (one row per {table.kind})", path=path, line=line)
                if key:
                    first_line[key] = line
                yield from _row_quads(table, row, graph, path, line)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path) from exc


def _row_quads(table: TableMapping, row: dict[str, str], graph: NamedNode, path: Path, line: int) -> Iterator[Quad]:
    for column in table.required:
        if not row[column].strip():
            raise InputError(f"column '{column}' must not be empty", path=path, line=line)
    try:
        subject = _iri(table.kind, row[table.key_column].strip())
        yield Quad(subject, NamedNode(RDF + "type"), NamedNode(table.rdf_type), graph)
        for column, value in row.items():
            if value.strip():
                for predicate, obj in table.columns[column](value.strip()):
                    yield Quad(subject, NamedNode(predicate), obj, graph)
    except ValueError as exc:
        raise InputError(str(exc), path=path, line=line) from exc
