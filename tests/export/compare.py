"""Comparing query answers across engines as sets of normalised value tuples.

Why normalise, and how (each rule is a documented difference between engines, not a fudge):
- Numbers compare by value: ``"3"^^xsd:integer`` and ``"3"^^xsd:int`` (or a decimal "3.0") are equal.
- Booleans: Virtuoso's SQL core has no boolean type, so a computed ``true``/``false`` (``BOUND``,
  ``EXISTS``, comparisons) comes back as the integer 1/0; both map to 1/0 here.
- ``GROUP_CONCAT`` order is unspecified (SPARQL 1.1 §18.5.1.7): a concatenation whose parts are all
  IRIs is compared as the sorted list of its parts.
- Simple literals and ``xsd:string`` are the same in RDF 1.1; language tags are case-insensitive.
- Blank nodes have engine-local labels and compare only as "a blank node".
Every other typed literal (dates, gYear, ...) must match in lexical form and datatype.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import httpx
from pyoxigraph import BlankNode, Literal, NamedNode

from mpsc_graph.remote import json_term, with_prefixes
from mpsc_graph.results import Table

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                             "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "decimal",
                             "double", "float")}
_IRI_LIST = re.compile(r"^(?:https?://\S+)(?:[\s;,|]+https?://\S+)*$")


def normalise(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return ("iri", term.value)
    if isinstance(term, BlankNode):
        return ("bnode",)
    assert isinstance(term, Literal), term
    datatype = term.datatype.value if term.datatype else XSD + "string"
    if term.language:
        return ("lang", term.value, term.language.lower())
    if datatype == XSD + "boolean":
        return ("num", Decimal(1 if term.value in ("true", "1") else 0))
    if datatype in NUMERIC:
        try:
            return ("num", Decimal(term.value).normalize())
        except InvalidOperation:
            return ("typed", term.value, datatype)
    if datatype == XSD + "string":
        if _IRI_LIST.match(term.value.strip()):
            return ("iris", tuple(sorted(re.split(r"[\s;,|]+", term.value.strip()))))
        return ("str", term.value)
    return ("typed", term.value, datatype)


def as_set(table: Table) -> set[tuple]:
    return {tuple(normalise(v) for v in row) for row in table.rows}


def select_with_dataset(endpoint: str, text: str, graphs: list[str] | None, timeout: float = 60) -> Table:
    """A SELECT whose dataset is given by the protocol (``default-graph-uri`` and ``named-graph-uri``
    for each of our graphs), for engines whose union default graph also holds their own system graphs;
    with ``graphs=None`` the engine's own default dataset."""
    data: dict[str, object] = {"query": with_prefixes(text)}
    if graphs is not None:
        data.update({"default-graph-uri": graphs, "named-graph-uri": graphs})
    response = httpx.post(endpoint, data=data, headers={"Accept": "application/sparql-results+json"}, timeout=timeout)
    response.raise_for_status()
    result = response.json()
    columns = tuple(result["head"]["vars"])
    rows = tuple(tuple(json_term(b[c]) if c in b else None for c in columns) for b in result["results"]["bindings"])
    return Table(columns, rows)
