"""The reuse brief ("Nachnutzungs-Steckbrief"): what a municipality needs to know before it reuses a solution.

One brief answers, for one solution or module, the questions the seed article says reuse depends on:
what it is, who made it, who operates, maintains and supports it, how another body can start using it
and under which conditions, what that costs, how it is financed, whom to contact, which standards it
implements, its licence and repositories, and who uses it already. Every answer comes from a named
query in ``queries/`` (``reuse_*``, ``adoptions_of_asset``, ``source_details``) and carries the sources
that state it; the sources are numbered once each. A question the data cannot answer is said in words
("Keine Quelle nennt die Kosten"), never left out. A module's brief adds its solution's facts, marked
as such, because a module is usually reused on the terms of the solution it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .api import Graph

LANGS = ("de", "en")
FORMATS = ("text", "json", "markdown")

#: section key → (German title, English title, German gap, English gap)
SECTIONS: dict[str, tuple[str, str, str, str]] = {
    "what": ("Was ist das?", "What is it?",
             "Keine Quelle beschreibt die Lösung.", "No source describes the solution."),
    "made": ("Wer hat es entwickelt?", "Who made it?",
             "Keine Quelle nennt, wer es entwickelt hat.", "No source says who made it."),
    "operates": ("Wer betreibt es?", "Who operates it?",
                 "Keine Quelle nennt einen Betreiber.", "No source names an operator."),
    "maintains": ("Wer pflegt und unterstützt es?", "Who maintains and supports it?",
                  "Keine Quelle nennt Pflege oder Support.", "No source names maintenance or support."),
    "offers": ("Wie kann eine Kommune einsteigen?", "How can a municipality start using it?",
               "Keine Quelle nennt ein Angebot zur Nachnutzung.", "No source names an offer to reuse it."),
    "costs": ("Was kostet es?", "What does it cost?",
              "Keine Quelle nennt die Kosten.", "No source states the costs."),
    "financing": ("Wie wird es finanziert?", "How is it financed?",
                  "Keine Quelle nennt die Finanzierung.", "No source states how it is financed."),
    "contact": ("Kontakt", "Contact points",
                "Keine Quelle nennt eine Kontaktstelle.", "No source names a contact point."),
    "standards": ("Standards und Schnittstellen", "Standards and interfaces",
                  "Keine Quelle nennt umgesetzte Standards.", "No source names a standard it implements."),
    "licence": ("Lizenz", "Licence", "Keine Quelle nennt die Lizenz.", "No source states the licence."),
    "repositories": ("Quellcode", "Source code",
                     "Keine Quelle nennt ein Repositorium.", "No source names a repository."),
    "adopters": ("Nachnutzer nach Status", "Adopters by status",
                 "Keine Quelle nennt Nachnutzer.", "No source names an adopter."),
    "readiness": ("Nachnutzungsreife", "Reuse readiness",
                  "Keine Kriterien in queries/readiness/.", "No criteria in queries/readiness/."),
}

_WORDS = {
    "title": ("Nachnutzungs-Steckbrief", "Reuse brief"),
    "module_of": ("Modul von", "Module of"),
    "from_solution": ("aus der Lösung", "from the solution"),
    "references": ("Quellen", "Sources"),
    "originator": ("Herkunft", "Originator"),
    "funded_by": ("Gefördert im Modellprojekt", "Funded in the model project"),
    "address": ("Adresse", "Address"),
    "for": ("für", "for"),
    "since": ("seit", "since"),
    "until": ("bis", "until"),
    "form": ("Organisationsform", "Organisational form"),
    "hosting": ("Hosting", "Hosting"),
    "route": ("Weg", "Route"),
    "offered_by": ("Anbieter", "Offered by"),
    "open": ("offen für neue Mitglieder", "open to new members"),
    "closed": ("nicht offen für neue Mitglieder", "not open to new members"),
    "who_may": ("Wer darf", "Who may use it"),
    "conditions": ("Bedingungen", "Conditions"),
    "contact": ("Kontakt", "Contact"),
    "purpose": ("Zweck", "Purpose"),
    "payer": ("Zahler", "Payer"),
    "payee": ("Empfänger", "Payee"),
    "belongs_to": ("gehört zu", "belongs to"),
    "as_of": ("Stand", "as of"),
    "funder": ("Geldgeber", "Funder"),
    "one-off": ("einmalig", "one-off"),
    "monthly": ("monatlich", "monthly"),
    "yearly": ("jährlich", "yearly"),
    "not-stated": ("Zeitraum nicht angegeben", "period not stated"),
    "mirror": ("Spiegel", "mirror"),
    "canonical": ("kanonisch", "canonical"),
    "unmarked": ("ohne Angabe kanonisch/Spiegel", "not marked canonical or mirror"),
    "licence_name": ("Lizenz laut Quelle", "licence as the source names it"),
    "adopted_via": ("über", "via"),
}

_ROLE_WORDS = {
    "developer": ("Entwicklung", "development"), "operator": ("Betrieb", "operation"),
    "maintainer": ("Pflege", "maintenance"), "support": ("Support", "support"),
    "coordinator": ("Koordination", "coordination"), "research-partner": ("Forschung", "research"),
    "funder": ("Förderung", "funding"), "paying-agency": ("Auszahlung", "paying agency"),
}
_STATUS_WORDS = {
    "production": ("Im Einsatz", "In production"), "trial": ("Erprobung", "Trial"),
    "planned": ("Geplant", "Planned"), "ended": ("Beendet", "Ended"), "unknown": ("Status unbekannt", "Status unknown"),
}


@dataclass(frozen=True)
class Item:
    """One line of the brief with the IRIs of the sources that state it."""

    text: str
    sources: tuple[str, ...]
    from_solution: bool = False


@dataclass
class Section:
    key: str
    title: str
    gap: str
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    number: int
    iri: str
    title: str
    url: str
    publisher: str


@dataclass
class Brief:
    """A reuse brief: sections of sourced lines, and the numbered list of the sources they cite."""

    asset: str
    kind: str
    label: str
    lang: str
    solution: str | None
    solution_label: str | None
    sections: list[Section]
    references: list[Reference]

    def number(self, iri: str) -> int:
        return next(r.number for r in self.references if r.iri == iri)

    def unanswered(self) -> list[str]:
        """Keys of the questions the data does not answer."""
        return [s.key for s in self.sections if not s.items]

    def _marks(self, item: Item) -> str:
        numbers = sorted({self.number(s) for s in item.sources})
        return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""

    def _from(self, item: Item) -> str:
        return f" ({_w('from_solution', self.lang)} {self.solution_label})" if item.from_solution else ""

    def to_text(self) -> str:
        lines = [f"{_w('title', self.lang)}: {self.label}", f"<{self.asset}>"]
        if self.solution:
            lines.append(f"{_w('module_of', self.lang)} {self.solution_label} <{self.solution}>")
        for section in self.sections:
            lines += ["", section.title]
            if not section.items:
                lines.append(f"  {section.gap}")
            lines += [f"  - {item.text}{self._from(item)}{self._marks(item)}" for item in section.items]
        lines += ["", _w("references", self.lang)]
        lines += [f"  [{r.number}] {_reference_text(r)}" for r in self.references]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# {_w('title', self.lang)}: {self.label}", "", f"<{self.asset}>"]
        if self.solution:
            lines += ["", f"{_w('module_of', self.lang)} [{self.solution_label}]({self.solution})"]
        for section in self.sections:
            lines += ["", f"## {section.title}", ""]
            if not section.items:
                lines.append(f"*{section.gap}*")
            lines += [f"- {_md(item.text)}{self._from(item)}{self._marks(item)}" for item in section.items]
        lines += ["", f"## {_w('references', self.lang)}", ""]
        lines += [f"{r.number}. {_md(_reference_text(r))}" for r in self.references]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({
            "asset": self.asset, "kind": self.kind, "label": self.label, "lang": self.lang,
            "solution": self.solution, "solutionLabel": self.solution_label,
            "sections": [{
                "key": s.key, "title": s.title, "answered": bool(s.items), "gap": None if s.items else s.gap,
                "items": [{"text": i.text, "fromSolution": i.from_solution,
                           "sources": sorted({self.number(x) for x in i.sources})} for i in s.items],
            } for s in self.sections],
            "unanswered": self.unanswered(),
            "references": [{"number": r.number, "source": r.iri, "title": r.title, "url": r.url,
                            "publisher": r.publisher} for r in self.references],
        }, ensure_ascii=False, indent=2) + "\n"

    def render(self, fmt: str) -> str:
        return {"text": self.to_text, "json": self.to_json, "markdown": self.to_markdown}[fmt]()


def _w(key: str, lang: str) -> str:
    return _WORDS[key][LANGS.index(lang)]


def _md(text: str) -> str:
    return text.replace("*", "\\*").replace("_", "\\_")


def _reference_text(r: Reference) -> str:
    return ". ".join(part for part in (r.title, r.publisher, r.url) if part)


# --------------------------------------------------------------------------- building


def _split(value: Any) -> tuple[str, ...]:
    return tuple(str(value).split()) if value else ()


def _pick(row: dict[str, Any], base: str, lang: str) -> str:
    """The ``baseDe``/``baseEn`` value in the asked language, else the other one."""
    first, second = (f"{base}De", f"{base}En") if lang == "de" else (f"{base}En", f"{base}De")
    return str(row.get(first) or row.get(second) or "")


def _money(amount: Any, currency: Any, lang: str) -> str:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return f"{amount} {currency or ''}".strip()
    text = f"{value:,.2f}"
    if lang == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"{text} {currency or 'EUR'}"
    return f"{currency or 'EUR'} {text}"


def _dates(row: dict[str, Any], lang: str) -> str:
    start, end = row.get("start"), row.get("end")
    parts = []
    if start:
        parts.append(f"{_w('since', lang)} {start}")
    if end:
        parts.append(f"{_w('until', lang)} {end}")
    return ", ".join(parts)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _merged(rows: list[dict[str, Any]], key: str, **fields: str) -> list[dict[str, Any]]:
    """One row per ``key``, the values of each ``field`` of its rows joined into the column ``into``
    (``into=field``). Queries return one row per value rather than a GROUP_CONCAT where a value may be
    missing (some engines then leave the aggregate unbound) or the grouping keys would be too many."""
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        merged = out.setdefault(row[key], {**row, **{into: [] for into in fields}})
        for into, column in fields.items():
            if row.get(column) and str(row[column]) not in merged[into]:
                merged[into].append(str(row[column]))
    for merged in out.values():
        for into in fields:
            merged[into] = (" " if into == "sources" else "; ").join(merged[into])
    return list(out.values())


class _Builder:
    """Runs the named queries for one asset and turns their rows into lines in one language."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang

    def rows(self, query: str, asset: str) -> list[dict[str, Any]]:
        return self.graph.query(query, asset=asset).records()

    def what(self, asset: str, row: dict[str, Any]) -> list[Item]:
        sources = _split(row.get("sources"))
        items = []
        description = _pick(row, "description", self.lang)
        if description:
            items.append(Item(description, sources))
        if row.get("url"):
            items.append(Item(f"{_w('address', self.lang)}: {row['url']}", sources))
        if row.get("projectLabel"):
            items.append(Item(f"{_w('funded_by', self.lang)}: {row['projectLabel']}", sources))
        return items

    def made(self, asset: str, row: dict[str, Any], roles: list[dict[str, Any]]) -> list[Item]:
        items = []
        if row.get("originatorLabel"):
            items.append(Item(f"{_w('originator', self.lang)}: {row['originatorLabel']}", _split(row.get("sources"))))
        items += [self.role(r) for r in roles if r["roleType"] == "developer"]
        return items

    def role(self, r: dict[str, Any]) -> Item:
        words = _ROLE_WORDS.get(str(r["roleType"]), (str(r["roleType"]),) * 2)[LANGS.index(self.lang)]
        label = _pick(r, "label", self.lang)
        extra = []
        if r.get("formDe"):
            extra.append(f"{_w('form', self.lang)}: {_pick(r, 'form', self.lang)}")
        if r.get("clients"):
            extra.append(f"{_w('for', self.lang)} {r['clients']}")
        dates = _dates(r, self.lang)
        agent = r.get("agentLabel") or r["agent"]
        text = f"{agent} ({words}): {label}" if label else f"{agent} ({words})"
        return Item(_join(text, *extra, dates), _split(r.get("sources")))

    def offer(self, r: dict[str, Any]) -> Item:
        parts = [_pick(r, "label", self.lang)]
        if r.get("routeDe"):
            parts.append(f"{_w('route', self.lang)}: {_pick(r, 'route', self.lang)}")
        if r.get("providerLabel"):
            parts.append(f"{_w('offered_by', self.lang)}: {r['providerLabel']}")
        if r.get("hostingDe"):
            parts.append(f"{_w('hosting', self.lang)}: {_pick(r, 'hosting', self.lang)}")
        if r.get("open") is not None:
            parts.append(_w("open", self.lang) if r["open"] in (True, "true", "1") else _w("closed", self.lang))
        eligible = _pick(r, "eligible", self.lang) or str(r.get("regionLabel") or "")
        if eligible:
            parts.append(f"{_w('who_may', self.lang)}: {eligible}")
        conditions = _pick(r, "conditions", self.lang)
        if conditions:
            parts.append(f"{_w('conditions', self.lang)}: {conditions}")
        if r.get("contacts"):
            parts.append(f"{_w('contact', self.lang)}: {r['contacts']}")
        parts.append(_dates(r, self.lang))
        return Item(_join(*parts), _split(r.get("sources")))

    def money(self, r: dict[str, Any]) -> Item:
        parts = []
        if r.get("amount") is not None:
            period = str(r.get("period") or "not-stated") if r["kind"] == "cost" else ""
            amount = _money(r["amount"], r.get("currency"), self.lang)
            parts.append(f"{amount}, {_w(period, self.lang)}" if period else amount)
        parts.append(_pick(r, "label", self.lang))
        if r.get("purposeDe"):
            parts.append(f"{_w('purpose', self.lang)}: {_pick(r, 'purpose', self.lang)}")
        if r.get("funders"):
            parts.append(f"{_w('funder', self.lang)}: {r['funders']}")
        if r.get("payerLabel"):
            parts.append(f"{_w('payer', self.lang)}: {r['payerLabel']}")
        if r.get("payeeLabel"):
            parts.append(f"{_w('payee', self.lang)}: {r['payeeLabel']}")
        if r.get("forLabel") and r.get("for") != r.get("_asset"):
            parts.append(f"{_w('belongs_to', self.lang)}: {r['forLabel']}")
        if r.get("date"):
            parts.append(f"{_w('as_of', self.lang)} {r['date']}")
        parts.append(_dates(r, self.lang))
        return Item(_join(*parts), _split(r.get("sources")))

    def contact(self, r: dict[str, Any]) -> Item:
        address = r.get("url") or r.get("email") or ""
        return Item(_join(f"{_pick(r, 'label', self.lang)}: {address}", str(r.get("typeDe") or "")),
                    _split(r.get("sources")))

    def standard(self, r: dict[str, Any]) -> Item:
        return Item(f"{_pick(r, 'label', self.lang)} ({r.get('url') or r['standard']})", _split(r.get("sources")))

    def licence(self, r: dict[str, Any]) -> Item:
        if r.get("spdx"):
            text = f"SPDX {str(r['spdx']).rsplit('/', 1)[-1]} ({r['spdx']})"
        elif r.get("family"):
            text = _pick(r, "family", self.lang)
        else:
            text = f"{_w('licence_name', self.lang)}: {r.get('name')}"
        return Item(text, _split(r.get("sources")))

    def repository(self, r: dict[str, Any]) -> Item:
        return Item(f"{r['url']} ({_w(str(r.get('role') or 'unmarked'), self.lang)})", _split(r.get("sources")))

    def adopters(self, asset: str) -> list[Item]:
        by_status: dict[str, list[dict[str, Any]]] = {}
        for r in self.graph.query("adoptions_of_asset", asset=asset).records():
            by_status.setdefault(str(r.get("status") or "unknown"), []).append(r)
        items = []
        for status in ("production", "trial", "planned", "unknown", "ended"):
            rows = by_status.get(status, [])
            if not rows:
                continue
            names = sorted({str(r.get("adopterLabel") or r["adopter"]) for r in rows})
            sources = tuple(s for r in rows for s in _split(r.get("sources")))
            words = _STATUS_WORDS[status][LANGS.index(self.lang)]
            items.append(Item(f"{words} ({len(names)}): {', '.join(names)}", sources))
        return items

    def answers(self, asset: str) -> tuple[dict[str, Any], dict[str, list[Item]]]:
        """The asset's own row and its lines per section."""
        found = self.rows("reuse_asset", asset)
        row = found[0] if found else {}
        roles = _merged(self.rows("reuse_responsibility", asset), "node", clients="clientLabel")
        money = _merged(self.rows("reuse_financing", asset), "node", funders="funderLabel")
        offers = _merged(self.rows("reuse_offers", asset), "offer", contacts="contact", sources="source")
        lines = {
            "what": self.what(asset, row),
            "made": self.made(asset, row, roles),
            "operates": [self.role(r) for r in roles if r["roleType"] == "operator"],
            "maintains": [self.role(r) for r in roles if r["roleType"] in ("maintainer", "support", "coordinator")],
            "offers": [self.offer(r) for r in offers],
            "costs": [self.money(r) for r in money if r["kind"] == "cost"],
            "financing": [self.money(r) for r in money if r["kind"] == "funding"],
            "contact": [self.contact(r) for r in self.rows("reuse_contact_points", asset)],
            "standards": [self.standard(r) for r in self.rows("reuse_standards", asset)],
            "licence": [self.licence(r) for r in self.rows("reuse_licences", asset)],
            "repositories": [self.repository(r) for r in self.rows("reuse_repositories", asset)],
            "adopters": self.adopters(asset),
        }
        return row, lines


def build_brief(graph: Graph, name: str, *, lang: str = "de") -> Brief:
    """The reuse brief of the solution or module ``name`` (label, slug or IRI; UnknownName/AmbiguousName)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    entity = graph.resolve(name, ("solution", "module"))
    builder = _Builder(graph, lang)
    row, lines = builder.answers(entity.iri)
    solution = str(row["solution"]) if row.get("solution") else None
    if solution:  # a module: add its solution's answers, marked
        _, inherited = builder.answers(solution)
        for key, items in inherited.items():
            lines[key] += [Item(i.text, i.sources, from_solution=True) for i in items]
    lines["readiness"] = _readiness_items(graph, entity.iri, lang)
    index = LANGS.index(lang)
    sections = [Section(key, titles[index], titles[2 + index], lines[key]) for key, titles in SECTIONS.items()]
    references = _references(graph, (s for section in sections for item in section.items for s in item.sources))
    return Brief(
        asset=entity.iri, kind=str(row.get("kind") or entity.kind), label=_pick(row, "label", lang) or entity.label,
        lang=lang, solution=solution, solution_label=str(row.get("solutionLabel")) if solution else None,
        sections=sections, references=references,
    )


def _readiness_items(graph: Graph, asset: str, lang: str) -> list[Item]:
    """The readiness summary ("8 von 13 erfüllt, …") and each criterion's outcome with its sources."""
    from .readiness import assess

    result = assess(graph, asset)
    index = LANGS.index(lang)
    words = {"met": ("erfüllt", "met"), "not met": ("nicht erfüllt", "not met"), "unknown": ("unbekannt", "unknown")}
    stand = f" ({_w('as_of', lang)} {result.as_of.isoformat()})"
    return [Item(result.summary(lang) + stand, ())] + [
        Item(f"{words[r.outcome][index]}: {r.criterion.title(lang)}", r.sources) for r in result.results]


def _references(graph: Graph, cited: Iterable[str]) -> list[Reference]:
    """Each cited source once, numbered in order of first citation."""
    order: dict[str, None] = {}
    for iri in cited:
        order.setdefault(iri, None)
    details: dict[str, dict[str, Any]] = {str(r["source"]): r for r in graph.query("source_details").records()}
    get: Callable[[str, str], str] = lambda iri, key: str(details.get(iri, {}).get(key) or "")  # noqa: E731
    return [Reference(n, iri, get(iri, "title") or iri, get(iri, "url"), get(iri, "publisher"))
            for n, iri in enumerate(order, start=1)]
