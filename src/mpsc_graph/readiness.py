"""Reuse readiness: is a solution or module ready for another municipality to reuse?

Each criterion is a named query in ``queries/readiness/`` whose ``#+`` header adds what a reader
needs to discuss it without Python: ``title_de``, ``title_en``, ``why``, ``reference`` (KTS transfer
criteria, BBSR factors, openCode badges, SILL, publiccode.yml), ``threshold`` (and ``threshold_de``), ``outcomes`` (the
outcomes it can yield) and ``order``. A criterion is a statement that is good when met; its query
returns, per solution and module, the outcome (met, not met, unknown) with the facts and sources
behind it. Criteria about the data yield met or not met; criteria about the world yield unknown where
no source says, and not met only from a stated fact. Date-dependent criteria take ``asOf`` (default:
the dataset's modification date as ``export`` computes it), so an answer is the same every day.

There is no single score: the summary counts the outcomes ("8 of 13 met, 3 unknown") beside the list.
Several criteria are also the reuse coverage questions (``mpsc-graph coverage`` reads them here).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

from .errors import InputError
from .namespaces import XSD
from .queries import NamedQuery, parse_query_file
from .safeyaml import YamlRefused, load_yaml

if TYPE_CHECKING:
    import pandas

    from .api import Graph

FOLDER = "readiness"
OUTCOMES = ("met", "not met", "unknown")
_OUTCOME_WORDS = {
    "met": ("erfüllt", "met"),
    "not met": ("nicht erfüllt", "not met"),
    "unknown": ("unbekannt", "unknown"),
}
_HEADER_FIELDS = ("title_de", "title_en", "why", "reference", "threshold", "threshold_de", "outcomes")
#: the words for an asset's kind, German and English
KIND_WORDS = {"solution": ("Lösung", "solution"), "module": ("Modul", "module")}


@dataclass(frozen=True)
class Criterion:
    """One readiness criterion: its query file and the header fields that explain it."""

    name: str
    query: NamedQuery
    title_de: str
    title_en: str
    why: str
    reference: str
    threshold: str
    threshold_de: str
    outcomes: tuple[str, ...]
    order: int

    @property
    def dated(self) -> bool:
        """True when the criterion compares dates with the as-of date."""
        return any(p.name == "asOf" for p in self.query.params)

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_en

    def threshold_in(self, lang: str) -> str:
        return self.threshold_de if lang == "de" else self.threshold


def _criterion(path: Path) -> Criterion:
    query = parse_query_file(path)
    header = "\n".join(line[2:] for line in query.text.splitlines() if line.startswith("#+"))
    try:
        meta = load_yaml(header, str(path))[0] or {}
    except YamlRefused as exc:  # parse_query_file has read it already; kept for the type checker
        raise InputError(f"query header: {exc.problem}", path=path) from None
    missing = [f for f in _HEADER_FIELDS if not meta.get(f)]
    if missing:
        raise InputError(f"readiness criterion needs header field(s) {', '.join(missing)}", path=path)
    outcomes = tuple(str(o) for o in meta["outcomes"])
    unknown = [o for o in outcomes if o not in OUTCOMES]
    if unknown:
        raise InputError(f"outcomes must be among {', '.join(OUTCOMES)}, not {', '.join(unknown)}", path=path)
    return Criterion(
        path.stem,
        query,
        str(meta["title_de"]),
        str(meta["title_en"]),
        str(meta["why"]),
        str(meta["reference"]),
        str(meta["threshold"]),
        str(meta["threshold_de"]),
        outcomes,
        int(meta.get("order", 999)),
    )


def criteria(queries_dir: Path) -> list[Criterion]:
    """Every criterion of ``queries/readiness/``, in the order their headers give (read again when a file
    changes: a page or an export asks for them once per solution and module)."""
    paths = sorted((queries_dir / FOLDER).glob("*.rq"))
    return list(_criteria(tuple((path, path.stat().st_mtime_ns) for path in paths)))


@functools.lru_cache(maxsize=8)
def _criteria(files: tuple[tuple[Path, int], ...]) -> tuple[Criterion, ...]:
    found = [_criterion(path) for path, _ in files]
    return tuple(sorted(found, key=lambda c: (c.order, c.name)))


def default_as_of(graph: Graph) -> date:
    """The dataset's modification date, computed as ``export`` computes it; today where no project is
    known (a server started on a store alone)."""
    from .export import inputs_modified

    project = getattr(graph, "project", None)
    return inputs_modified(project) if project is not None else date.today()


def _date_term(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))


def _split(value: Any, sep: str) -> list[str]:
    """The distinct parts of a GROUP_CONCAT, sorted: the engine's order differs between stores."""
    return sorted({part.strip() for part in str(value or "").split(sep) if part.strip()})


def evaluate(graph: Graph, criterion: Criterion, as_of: date, asset: str | None = None) -> list[dict[str, Any]]:
    """The criterion's rows (one per solution and module, or for ``asset`` only), with facts and sources as lists."""
    params: dict[str, Any] = {}
    if criterion.dated:
        params["_asOf"] = _date_term(as_of)
    if asset:
        params["asset"] = NamedNode(asset)
    rows = graph.select(criterion.query.text, params).records()
    for row in rows:
        row["facts"] = _split(row.get("facts"), " | ")
        row["sources"] = _split(row.get("sources"), " ")
    return rows


@dataclass(frozen=True)
class Result:
    """One criterion's outcome for one asset."""

    criterion: Criterion
    outcome: str
    answers: int
    facts: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Readiness:
    """The readiness of one solution or module on one as-of date."""

    asset: str
    kind: str
    label: str
    as_of: date
    results: tuple[Result, ...]
    references: tuple[tuple[str, str, str, str], ...]  # (source IRI, title, publisher, url), numbered in order

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    def summary(self, lang: str = "en") -> str:
        """ "8 of 13 met, 2 not met, 3 unknown" (no single score)."""
        total = len(self.results)
        if lang == "de":
            return (
                f"{self.count('met')} von {total} erfüllt, {self.count('not met')} nicht erfüllt, "
                f"{self.count('unknown')} unbekannt"
            )
        return f"{self.count('met')} of {total} met, {self.count('not met')} not met, {self.count('unknown')} unknown"

    def number(self, source: str) -> int:
        return next(i for i, ref in enumerate(self.references, start=1) if ref[0] == source)

    def to_text(self, lang: str = "en") -> str:
        index = 0 if lang == "de" else 1
        head = "Nachnutzungsreife" if lang == "de" else "Reuse readiness"
        stand = "Stand" if lang == "de" else "as of"
        kind = KIND_WORDS.get(self.kind, (self.kind, self.kind))[index]
        lines = [f"{head}: {self.label} ({kind}), {stand} {self.as_of.isoformat()}", self.summary(lang), ""]
        for r in self.results:
            marks = "".join(f"[{n}]" for n in sorted(self.number(s) for s in r.sources))
            lines.append(f"  {_OUTCOME_WORDS[r.outcome][index]:<13} {r.criterion.title(lang)}")
            lines.append(f"  {'':13} {'Schwelle' if lang == 'de' else 'threshold'}: {r.criterion.threshold_in(lang)}")
            if r.facts:
                for fact in r.facts:
                    lines.append(f"  {'':13} - {fact}")
            else:
                lines.append(f"  {'':13} - ({r.answers} {'Einträge geprüft' if lang == 'de' else 'records checked'})")
            if marks:
                lines.append(f"  {'':13} {'Quellen' if lang == 'de' else 'sources'}: {marks}")
        if self.references:
            lines += ["", "Quellen:" if lang == "de" else "Sources:"]
            for n, (_iri, title, publisher, url) in enumerate(self.references, start=1):
                lines.append(f"  [{n}] {title}" + (f", {publisher}" if publisher else "") + (f", {url}" if url else ""))
        return "\n".join(lines) + "\n"

    def records(self) -> list[dict[str, Any]]:
        return [
            {
                "asset": self.asset,
                "label": self.label,
                "as_of": self.as_of.isoformat(),
                "criterion": r.criterion.name,
                "title_de": r.criterion.title_de,
                "title_en": r.criterion.title_en,
                "outcome": r.outcome,
                "threshold": r.criterion.threshold,
                "threshold_de": r.criterion.threshold_de,
                "answers": r.answers,
                "facts": " | ".join(r.facts),
                "sources": " ".join(r.sources),
            }
            for r in self.results
        ]

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "asset": self.asset,
                    "kind": self.kind,
                    "label": self.label,
                    "as_of": self.as_of.isoformat(),
                    "summary": {o: self.count(o) for o in OUTCOMES} | {"criteria": len(self.results)},
                    "criteria": [
                        {
                            "criterion": r.criterion.name,
                            "title_de": r.criterion.title_de,
                            "title_en": r.criterion.title_en,
                            "why": r.criterion.why,
                            "reference": r.criterion.reference,
                            "threshold": r.criterion.threshold,
                            "threshold_de": r.criterion.threshold_de,
                            "outcome": r.outcome,
                            "answers": r.answers,
                            "facts": list(r.facts),
                            "sources": list(r.sources),
                        }
                        for r in self.results
                    ],
                    "references": [
                        {"number": n, "source": iri, "title": t, "publisher": p, "url": u}
                        for n, (iri, t, p, u) in enumerate(self.references, start=1)
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )

    def to_csv(self) -> str:
        out = io.StringIO()
        rows = self.records()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["criterion"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    def render(self, fmt: str, lang: str = "en") -> str:
        return {"json": self.to_json, "csv": self.to_csv}.get(fmt, lambda: self.to_text(lang))()


def _references(graph: Graph, cited: list[str]) -> tuple[tuple[str, str, str, str], ...]:
    order = list(dict.fromkeys(cited))
    if not order:
        return ()
    details = {str(r["source"]): r for r in graph.query("source_details").records()}
    get = lambda iri, key: str(details.get(iri, {}).get(key) or "")  # noqa: E731
    return tuple((iri, get(iri, "title") or iri, get(iri, "publisher"), get(iri, "url")) for iri in order)


def assess(graph: Graph, name: str, *, as_of: date | None = None) -> Readiness:
    """The readiness of the solution or module ``name`` (label, slug or IRI; UnknownName/AmbiguousName)."""
    entity = graph.resolve(name, ("solution", "module"))
    day = as_of or default_as_of(graph)
    results = []
    kind, label = entity.kind, entity.label
    for criterion in criteria(graph.project.queries_dir):
        rows = evaluate(graph, criterion, day, entity.iri)
        row: dict[str, Any] = rows[0] if rows else {"outcome": "unknown", "answers": 0, "facts": [], "sources": []}
        kind, label = str(row.get("kind") or kind), str(row.get("label") or label)
        results.append(
            Result(
                criterion, str(row["outcome"]), int(row.get("answers") or 0), tuple(row["facts"]), tuple(row["sources"])
            )
        )
    cited = [s for r in results for s in r.sources]
    return Readiness(entity.iri, kind, label, day, tuple(results), _references(graph, cited))


def readiness_all(graph: Graph, *, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every criterion's outcome for every solution and module: one row per (asset, criterion)."""
    day = as_of or default_as_of(graph)
    rows = []
    for criterion in criteria(graph.project.queries_dir):
        for row in evaluate(graph, criterion, day):
            rows.append(
                {
                    "asset": str(row["asset"]),
                    "kind": row.get("kind"),
                    "label": row.get("label"),
                    "criterion": criterion.name,
                    "outcome": row["outcome"],
                    "answers": int(row.get("answers") or 0),
                    "facts": " | ".join(row["facts"]),
                    "sources": " ".join(row["sources"]),
                    "as_of": day.isoformat(),
                }
            )
    return rows


def readiness(
    name: str | None = None, *, root: str | None = None, endpoint: str | None = None, as_of: date | str | None = None
) -> pandas.DataFrame:
    """Readiness as a DataFrame: of the solution or module ``name``, or of every one when ``name`` is None.

    One row per criterion (and asset): criterion, titles, outcome, threshold, facts and sources.
    """
    import pandas

    from .api import Graph

    graph = Graph.open(root, endpoint=endpoint)
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    if name is None:
        return pandas.DataFrame(readiness_all(graph, as_of=day))
    return pandas.DataFrame(assess(graph, name, as_of=day).records())
