"""Tabular query results, the same shape whether they came from the local store or a remote endpoint."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions

from .namespaces import XSD
from .sparql import Term

_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


@dataclass(frozen=True)
class Table:
    """Rows of terms with named columns (unbound values are None)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    @classmethod
    def from_solutions(cls, solutions: QuerySolutions) -> Table:
        columns = tuple(v.value for v in solutions.variables)
        return cls(columns, tuple(tuple(solution[c] for c in columns) for solution in solutions))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (IRIs as strings, typed literals converted)."""
        return [{c: to_python(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [to_python(row[index]) for row in self.rows]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if v is None else plain(v) for v in row])
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            [{c: plain(v) for c, v in zip(self.columns, row, strict=True) if v is not None} for row in self.rows],
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self, max_width: int = 60) -> str:
        """An aligned plain-text table for terminals."""
        cells = [list(self.columns)] + [["" if v is None else plain(v)[:max_width] for v in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines)


def plain(term: Term) -> str:
    """The lexical value of a term: the IRI, the literal's text, or ``_:id`` for a blank node."""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def to_python(term: Term | None) -> Any:
    """A term as a Python value: str for IRIs and text, int/Decimal/float/bool/date for typed literals."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, Literal)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype in (XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
    except ValueError:
        return term.value
    return term.value


def sparql_term(term: Term) -> str:
    """A term in SPARQL/N-Triples syntax, for a VALUES block."""
    return str(term)


def values_block(bindings: Sequence[tuple[str, Term]]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of bindings."""
    names = " ".join(f"?{name}" for name, _ in bindings)
    terms = " ".join(sparql_term(term) for _, term in bindings)
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"
