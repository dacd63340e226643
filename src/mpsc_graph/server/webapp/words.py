"""The words of the web application's pages in German and English (one language per page).

Proper names (municipalities, solutions, organisations) come from the data and are not translated;
these are the headings, column names and values of the controlled vocabularies.
"""

from __future__ import annotations

#: adoption mode notation → (German, English)
MODE_WORDS = {
    "joint-development": ("Gemeinsame Entwicklung", "Joint development"),
    "code-reuse": ("Übernahme des Codes", "Code reuse"),
    "shared-operation": ("Gemeinsamer Betrieb", "Shared operation"),
    "fork": ("Abspaltung (Fork)", "Fork"),
    "trial": ("Erprobung", "Trial"),
    "concept-transfer": ("Übernahme des Konzepts", "Concept transfer"),
}
#: adoption status notation → (German, English)
STATUS_WORDS = {
    "production": ("Im Einsatz", "In production"), "trial": ("Erprobung", "Trial"),
    "planned": ("Geplant", "Planned"), "ended": ("Beendet", "Ended"), "unknown": ("Unbekannt", "Unknown"),
}

_WORDS = {
    "de": {
        "feed_all": "Alle Änderungen als Feed (Atom)", "feed_of": "Änderungen zu {label} als Feed (Atom)",
        "profile": "Steckbrief", "solution": "Lösung", "module": "Modul", "module_of": "Modul von",
        "summary": "Überblick", "how_to_reuse": "Nachnutzen: Angebote, Kosten, Kontakt",
        "responsibility": "Verantwortung: Betrieb und Pflege", "adopters": "Nachnutzer",
        "readiness": "Nachnutzungsreife",
        "modules": "Module", "references": "Quellen", "adopter": "Nachnutzer", "origin": "Ursprung",
        "asset": "Lösung/Modul", "mode": "Art", "status": "Status", "period": "Zeitraum",
        "sources": "Quellen", "since": "seit", "adoptions": "Nachnutzungen", "as_data": "Alle Aussagen als Daten",
        "from_solution": "aus der Lösung", "no_adopters": "Keine Quelle nennt Nachnutzer.",
        "no_modules": "Keine Module erfasst.", "contents": "Inhalt", "source_ref": "Quelle",
        "caption_adopters": "Nachnutzer mit Status und Zeitraum",
        "adoption_list": "Nachnutzungen", "filter": "Filtern", "all": "alle", "reset": "Filter zurücksetzen",
        "state": "Land", "kind": "Übertragung oder gemeinsame Arbeit", "from_year": "Beginn ab Jahr",
        "to_year": "Beginn bis Jahr", "one_adoption": "1 Nachnutzung", "n_adoptions": "{n} Nachnutzungen",
        "of_total": "von {n}", "download": "Genau diese Zeilen herunterladen", "page": "Seite",
        "previous": "Vorige Seite", "next": "Nächste Seite", "start": "Beginn", "end": "Ende",
        "catalogue": "Lösungen und Module", "one_solution": "1 Lösung oder Modul",
        "n_solutions": "{n} Lösungen und Module", "sort": "Sortieren", "by_label": "nach Name",
        "by_adoptions": "nach Zahl der Nachnutzungen", "kind_any": "Lösungen und Module", "solutions": "nur Lösungen",
        "modules_only": "nur Module", "name_contains": "Name enthält", "remove": "entfernen", "facets": "Filter",
        "originator": "Herkunft", "none_found": "Keine Lösung passt zu diesen Filtern.",
        "text_hint": "Teil des Namens", "pages": "Seiten", "none_match": "Keine Nachnutzung passt zu diesen Filtern.",
    },
    "en": {
        "feed_all": "All changes as a feed (Atom)", "feed_of": "Changes to {label} as a feed (Atom)",
        "profile": "Profile", "solution": "Solution", "module": "Module", "module_of": "Module of",
        "summary": "Summary", "how_to_reuse": "How to reuse it: offers, costs, contact",
        "responsibility": "Responsibility: operation and maintenance", "adopters": "Adopters",
        "readiness": "Reuse readiness",
        "modules": "Modules", "references": "Sources", "adopter": "Adopter", "origin": "Origin",
        "asset": "Solution/module", "mode": "Mode", "status": "Status", "period": "Period",
        "sources": "Sources", "since": "since", "adoptions": "Adoptions", "as_data": "All statements as data",
        "from_solution": "from the solution", "no_adopters": "No source names an adopter.",
        "no_modules": "No modules recorded.", "contents": "Contents", "source_ref": "Source",
        "caption_adopters": "Adopters with status and period",
        "adoption_list": "Adoptions", "filter": "Filter", "all": "all", "reset": "Reset filters",
        "state": "State", "kind": "Transfer or joint work", "from_year": "Started from year",
        "to_year": "Started up to year", "one_adoption": "1 adoption", "n_adoptions": "{n} adoptions",
        "of_total": "of {n}", "download": "Download exactly these rows", "page": "Page",
        "previous": "Previous page", "next": "Next page", "start": "Start", "end": "End",
        "catalogue": "Solutions and modules", "one_solution": "1 solution or module",
        "n_solutions": "{n} solutions and modules", "sort": "Sort", "by_label": "by name",
        "by_adoptions": "by number of adoptions", "kind_any": "Solutions and modules", "solutions": "solutions only",
        "modules_only": "modules only", "name_contains": "Name contains", "remove": "remove", "facets": "Filters",
        "originator": "Originator", "none_found": "No solution matches these filters.",
        "text_hint": "part of the name", "pages": "Pages", "none_match": "No adoption matches these filters.",
    },
}


def words(lang: str) -> dict[str, str]:
    """The page words in ``lang`` (``de`` or ``en``)."""
    return _WORDS[lang]
