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

#: reuse route notation → (German, English), the concepts' preferred labels
ROUTE_WORDS = {
    "membership": ("Mitgliedschaft in Entwicklungspartnerschaft, Community oder Verein",
                   "Membership in a development partnership, community or association"),
    "saas-contract": ("SaaS oder gehosteter Dienst per Vertrag", "SaaS or hosted service under contract"),
    "self-hosting": ("Eigenbetrieb des veröffentlichten Quellcodes", "Self-hosting the published code"),
    "shared-service": ("Gemeinsamer Dienst eines kommunalen IT-Dienstleisters, Zweckverbands oder einer AöR",
                       "Shared service of a municipal IT provider, Zweckverband or AöR"),
    "state-provided": ("Bereitstellung durch ein Land", "Provided by a federal state"),
    "administrative-agreement": ("Verwaltungsvereinbarung zwischen öffentlichen Stellen",
                                 "Administrative agreement between public bodies"),
}

#: the contribution form (``/contribute``): field labels and hints by the template's keys, then the page's words
_CONTRIBUTE = {
    "de": {
        "nachnutzer": "Nachnutzer",
        "nachnutzer_hint": "Gemeinde (Name oder AGS), Kreis, Land, Verbund oder Organisation",
        "loesung": "Lösung oder Modul", "loesung_hint": "Name der Lösung oder des Moduls, wie im Graphen",
        "herkunft": "Herkunft", "herkunft_hint": "die Stelle, von der die Lösung übernommen wird",
        "herkunft_unbekannt_weil": "Herkunft unbekannt, weil",
        "herkunft_unbekannt_weil_hint":
            "nur wenn die Herkunft wirklich unbekannt ist: warum (dann Herkunft leer lassen)",
        "nachnutzungsart": "Art der Nachnutzung", "status": "Status",
        "beginn": "Beginn", "ende": "Ende", "date_hint": "JJJJ, JJJJ-MM oder JJJJ-MM-TT",
        "bezeichnung": "Bezeichnung", "bezeichnung_hint": "auf Deutsch; leer: aus Nachnutzer und Lösung gebildet",
        "solution_name_hint": "Name der Lösung auf Deutsch",
        "offer_name_hint": "auf Deutsch; leer: aus Anbieter, Lösung und Weg gebildet",
        "anbieter": "Anbieter", "anbieter_hint": "die Stelle, die die Lösung anbietet",
        "weg": "Weg der Nachnutzung", "bedingungen": "Bedingungen", "bedingungen_hint": "was ein Beitritt verlangt",
        "urheber": "Urheber", "urheber_hint": "die Stelle, von der die Lösung stammt",
        "lizenz": "Lizenz", "lizenz_hint": "Adresse, z. B. https://spdx.org/licenses/EUPL-1.2",
        "angegeben_von": "Angegeben von",
        "angegeben_von_hint": "die Organisation oder Behörde, die den Fall angibt, nie eine Person",
        "erneut_bestaetigen_bis": "Erneut bestätigen bis",
        "erneut_bestaetigen_bis_hint": "Tag, bis zu dem die Angabe erneut zu bestätigen ist",
        "url": "Adresse (URL)", "titel": "Titel der Seite", "herausgeber": "Herausgeber", "datum": "Datum",
        "datum_hint": "Datum der Seite oder Tag des Lesens",
        "title": "Einen Fall beitragen", "kinds": "Art des Beitrags",
        "kind_adoption": "Nachnutzung", "kind_offer": "Angebot", "kind_solution": "Lösung",
        "intro": "Das Formular erzeugt dieselbe YAML-Vorlage und denselben Turtle-Block wie der Befehl "
                 "„mpsc-graph add“. Der Server speichert nichts: Laden Sie die Dateien herunter und reichen Sie "
                 "sie ein.",
        "off": "Das Formular ist aus: Dieser Server wurde ohne Projekt gestartet (--root), er kennt weder Abfragen "
               "noch Regeln, gegen die ein Fall zu prüfen wäre.",
        "record": "Der Fall", "evidence": "Beleg {n}", "evidence_legend": "Belege: mindestens eine öffentliche Seite",
        "assertion": "Wer gibt den Fall an?", "required": "Pflichtfeld", "choose": "bitte wählen",
        "none": "keine Angabe",
        "check": "Prüfen", "download_yaml": "YAML herunterladen", "download_turtle": "Turtle herunterladen",
        "problems": "Bitte korrigieren", "valid": "Der Fall ist gültig.", "warnings": "Hinweise",
        "yaml": "YAML-Vorlage (für mpsc-graph add)", "turtle": "Turtle ({file})",
        "turtle_note": "So legt „mpsc-graph add“ die Datei an; gibt es sie schon, hängt es den Block an.",
        "contribute": "Beitragen",
    },
    "en": {
        "nachnutzer": "Adopter",
        "nachnutzer_hint": "municipality (name or AGS), district, state, alliance or organisation",
        "loesung": "Solution or module", "loesung_hint": "name of the solution or module as in the graph",
        "herkunft": "Origin", "herkunft_hint": "the body the solution is taken from",
        "herkunft_unbekannt_weil": "Origin unknown because",
        "herkunft_unbekannt_weil_hint": "only when the origin really is unknown: why (then leave the origin empty)",
        "nachnutzungsart": "Adoption mode", "status": "Status",
        "beginn": "Start", "ende": "End", "date_hint": "YYYY, YYYY-MM or YYYY-MM-DD",
        "bezeichnung": "Label", "bezeichnung_hint": "in German; empty: made from adopter and solution",
        "solution_name_hint": "name of the solution in German",
        "offer_name_hint": "in German; empty: made from provider, solution and route",
        "anbieter": "Provider", "anbieter_hint": "the body that offers the solution",
        "weg": "Reuse route", "bedingungen": "Conditions", "bedingungen_hint": "what joining asks for",
        "urheber": "Originator", "urheber_hint": "the body the solution comes from",
        "lizenz": "Licence", "lizenz_hint": "address, e.g. https://spdx.org/licenses/EUPL-1.2",
        "angegeben_von": "Asserted by",
        "angegeben_von_hint": "the organisation or public body that asserts the case, never a person",
        "erneut_bestaetigen_bis": "Re-confirm by",
        "erneut_bestaetigen_bis_hint": "day by which the case should be confirmed again",
        "url": "Address (URL)", "titel": "Title of the page", "herausgeber": "Publisher", "datum": "Date",
        "datum_hint": "date of the page or the day you read it",
        "title": "Contribute a case", "kinds": "Kind of contribution",
        "kind_adoption": "Adoption", "kind_offer": "Offer", "kind_solution": "Solution",
        "intro": "The form produces the same YAML template and the same Turtle block as the command "
                 "“mpsc-graph add”. The server stores nothing: download the files and submit them.",
        "off": "The form is off: this server was started without a project (--root), so it has neither the "
               "queries nor the rules to check a case against.",
        "record": "The case", "evidence": "Evidence {n}", "evidence_legend": "Evidence: at least one public page",
        "assertion": "Who asserts the case?", "required": "required", "choose": "please choose", "none": "not stated",
        "check": "Check", "download_yaml": "Download YAML", "download_turtle": "Download Turtle",
        "problems": "Please correct", "valid": "The case is valid.", "warnings": "Notes",
        "yaml": "YAML template (for mpsc-graph add)", "turtle": "Turtle ({file})",
        "turtle_note": "This is the file “mpsc-graph add” creates; when it exists already, the block is appended.",
        "contribute": "Contribute",
    },
}


def contribute_words(lang: str) -> dict[str, str]:
    """The contribution form's words in ``lang`` (``de`` or ``en``)."""
    return _CONTRIBUTE[lang]
