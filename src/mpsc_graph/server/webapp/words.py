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


#: figure name → ((German title, German explanation), (English title, English explanation))
FIGURE_WORDS = {
    "per_year": (("Nachnutzungen je Startjahr", "Jahr, in dem eine Nachnutzung begann."),
                 ("Adoptions per start year", "The year in which an adoption started.")),
    "per_state": (("Nachnutzungen je Land des Nachnutzers", "Land der nachnutzenden Stelle."),
                  ("Adoptions per state of the adopter", "The state of the adopting body.")),
    "per_status": (("Nachnutzungen je Status", "Stand der Nachnutzung laut Quelle."),
                   ("Adoptions per status", "The adoption's status as its source states it.")),
    "per_route": (("Angebote je Weg der Nachnutzung",
                   "Wie eine Stelle ein Angebot nutzen kann: Eigenbetrieb, Vertrag, Mitgliedschaft, "
                   "gemeinsamer Dienst."),
                  ("Offers per route of reuse",
                   "How a body can take up an offer: self-hosting, contract, membership, shared service.")),
    "top_origins": (("Häufigste Ursprünge",
                     "Stellen, von denen am häufigsten nachgenutzt wurde (Zahl der Nachnutzungen)."),
                    ("Most frequent origins", "Bodies others adopted from most often (number of adoptions).")),
    "top_adopters": (("Aktivste Nachnutzer", "Stellen mit den meisten nachgenutzten Lösungen und Modulen."),
                     ("Most active adopters", "Bodies that adopted the most solutions and modules.")),
    "top_operators": (("Betreiber", "Betreiber nach Zahl der betriebenen Lösungen je Auftraggeber."),
                      ("Operators", "Operators by number of solutions run per client.")),
}

_PAGES = {
    "de": {
        "figures": "Zahlen", "map": "Karte", "query": "Abfrage", "search": "Suche", "api_docs": "API",
        "figure_unplaced": "ohne Angabe", "figure_table": "Zahlen zu: {title}", "value": "Wert", "count": "Anzahl",
        "total": "Summe", "computed_by": "Berechnet von der benannten Abfrage", "figures_intro":
        "Jede Grafik zeigt ihre Zahlen auch als Tabelle und nennt die Abfrage, die sie berechnet.",
        "one_result": "1 Treffer", "n_results": "{n} Treffer", "one_row": "1 Zeile", "n_rows": "{n} Zeilen",
        "table": "Tabelle",
        "start_title": "Nachnutzung und Zusammenarbeit deutscher Kommunen",
        "start_intro": "Ein offener Wissensgraph über die Modellprojekte Smart Cities, ihre Lösungen und Module, "
                       "wer sie entwickelt, betreibt und nachnutzt. Jede Aussage hat eine Quelle.",
        "search_label": "Kommune, Lösung oder Organisation suchen", "questions": "Fragen",
        "q_reuse": "Was können wir nachnutzen?",
        "q_reuse_text": "Alle Lösungen und Module mit Filtern nach Handlungsfeld, Land, Status, Weg und Lizenz.",
        "q_who": "Wer nutzt was?", "q_who_text": "Alle Nachnutzungen: wer von wem übernommen hat, mit Status und "
        "Zeitraum, als CSV und JSON.",
        "q_map": "Wo wird nachgenutzt?", "q_map_text": "Die Nachnutzungen auf einer Karte Deutschlands.",
        "q_figures": "Wie viel, seit wann?", "q_figures_text": "Nachnutzungen je Jahr, Land und Status; die häufigsten "
        "Ursprünge, Nachnutzer und Betreiber.",
        "q_municipality": "Was macht unsere Kommune?", "q_municipality_text": "Das Profil jeder Gemeinde: was sie "
        "entwickelt, nachnutzt oder betreiben lässt, und was sie nachnutzen könnte. Zum Beispiel:",
        "for_developers": "Für Datennutzende", "size_line": "Der Datenbestand: {parts}.",
        "n_solutions_short": "{n} Lösungen", "n_modules": "{n} Module", "n_adoptions_short": "{n} Nachnutzungen",
        "n_projects": "{n} Modellprojekte", "n_bodies": "{n} beteiligte Stellen",
        "n_municipalities": "{n} Gemeinden", "one_solution_short": "1 Lösung", "one_module": "1 Modul",
        "one_adoption_short": "1 Nachnutzung", "one_project": "1 Modellprojekt", "one_body": "1 beteiligte Stelle",
        "one_municipality": "1 Gemeinde",
        "dev_query": "SPARQL-Abfrageseite mit Beispielen", "dev_api": "Web-API der benannten Abfragen",
        "dev_void": "Beschreibung des Datensatzes (VoID)", "dev_ontology": "Ontologie",
        "municipality": "Gemeinde", "ags": "Amtlicher Gemeindeschlüssel", "district": "Kreis", "state_of": "Land",
        "population": "Einwohner", "population_as_of": "Stand", "urbanisation": "Verstädterungsgrad",
        "association": "Gemeindeverband", "facts": "Steckbrief", "rel_developed": "Entwickelt",
        "rel_adopted": "Nachgenutzt", "rel_adopted-from": "Von anderen übernommen",
        "rel_operated-for": "Für sie betrieben", "rel_operates": "Betreibt für andere",
        "rel_developed_text": "Lösungen und Module, die diese Gemeinde entwickelt hat.",
        "rel_adopted_text": "Was diese Gemeinde von anderen übernommen hat.",
        "rel_adopted-from_text": "Wer Lösungen oder Module dieser Gemeinde übernommen hat.",
        "rel_operated-for_text": "Wer Lösungen oder Module für diese Gemeinde betreibt.",
        "rel_operates_text": "Was diese Gemeinde für andere betreibt.", "operator": "Betreiber",
        "client": "Auftraggeber",
        "memberships": "Modellprojekt und Mitgliedschaften", "group": "Zusammenschluss", "group_kind": "Art",
        "round": "Staffel", "kind_model-project": "Modellprojekt Smart Cities", "kind_alliance": "Bündnis",
        "kind_community": "Entwicklergemeinschaft", "no_relations": "Zu dieser Gemeinde nennt bisher keine Quelle "
        "eine Lösung, Nachnutzung, einen Betrieb oder eine Mitgliedschaft.",
        "recommendations": "Was diese Gemeinde nachnutzen könnte",
        "recommendations_text": "Empfehlungen mit Gründen und Quellen (eigene Seite, die Berechnung dauert etwas).",
        "nearby": "Nachnutzer in der Nähe", "nearby_text": "Die nächstgelegenen Stellen, die etwas nachgenutzt "
        "haben (Luftlinie zwischen den Mittelpunkten).", "distance": "Entfernung", "what": "Was",
        "location": "Lage", "centre_point": "Mittelpunkt", "no_centre": "Kein Mittelpunkt bekannt.",
        "api_title": "Web-API der benannten Abfragen", "api_intro": "Jede der {n} benannten Abfragen ist eine "
        "Operation: GET /api/NAME mit ihren Parametern als Abfrageparameter.",
        "api_formats": "Antwort als JSON-Datensätze; als CSV mit Accept: text/csv (auch SPARQL-JSON, SPARQL-XML, TSV).",
        "api_paging": "limit (Standard 1.000, höchstens 10.000) und offset blättern durch die Zeilen; der Link-Header "
        "nennt die nächste Seite.", "api_errors": "Fehler kommen als Text mit Status: 400 falscher Parameter, 404 "
        "unbekannte Abfrage, 406 kein passendes Format, 503 Zeitüberschreitung.",
        "api_document": "Maschinenlesbare Beschreibung:", "api_english": "Die Beschreibungen der Abfragen und "
        "Parameter stammen aus den Abfragedateien und sind englisch.", "api_parameters": "Parameter",
        "api_name": "Name", "api_type": "Typ", "api_required": "Pflicht", "api_description": "Beschreibung",
        "api_example": "Beispiel", "api_try": "Mit den Beispielwerten aufrufen", "api_query": "Abfragetext ansehen",
        "api_responses": "Antworten", "yes": "ja", "no": "nein",
        "void_title": "Beschreibung des Datensatzes (VoID)", "void_intro": "Umfang und Aufbau des Datensatzes, "
        "gezählt aus den Daten dieses Servers. Programme bekommen dieselbe Beschreibung als RDF.",
        "void_forms": "Als RDF:", "void_numbers": "Zahlen", "void_triples": "Tripel",
        "void_distinctSubjects": "Verschiedene Subjekte", "void_distinctObjects": "Verschiedene Objekte",
        "void_properties": "Eigenschaften", "void_classes": "Klassen", "void_entities": "Dinge mit IRI",
        "void_class": "Klasse", "void_property": "Eigenschaft", "void_entities_col": "Instanzen",
        "void_triples_col": "Tripel",
        "rank": "Rang", "points": "Punkte", "reasons": "Gründe", "back_to_profile": "Zurück zum Profil",
        "rec_intro": "Lösungen und Module, die diese Gemeinde noch nicht nutzt, nach Gründen gewichtet. Jeder Grund "
        "nennt die Stellen und Quellen dahinter.", "more_recommendations": "{n} weitere Empfehlungen (siehe CSV/JSON)",
        "lat": "Breite", "lon": "Länge", "all_statements": "Alle Aussagen zu dieser Gemeinde als Daten",
    },
    "en": {
        "figures": "Figures", "map": "Map", "query": "Query", "search": "Search", "api_docs": "API",
        "figure_unplaced": "not stated", "figure_table": "Numbers of: {title}", "value": "Value", "count": "Count",
        "total": "Total", "computed_by": "Computed by the named query", "figures_intro":
        "Each chart shows its numbers as a table too and names the query that computes it.",
        "one_result": "1 result", "n_results": "{n} results", "one_row": "1 row", "n_rows": "{n} rows",
        "table": "table",
        "start_title": "Software reuse and collaboration among German municipalities",
        "start_intro": "An open knowledge graph of the Smart City model projects, their solutions and modules, "
                       "who develops, operates and adopts them. Every statement has a source.",
        "search_label": "Search a municipality, solution or organisation", "questions": "Questions",
        "q_reuse": "What can we reuse?", "q_reuse_text": "Every solution and module, filtered by thematic field, "
        "state, status, route and licence.",
        "q_who": "Who uses what?", "q_who_text": "Every adoption: who took what from whom, with status and period, "
        "as CSV and JSON.",
        "q_map": "Where is software reused?", "q_map_text": "The adoptions on a map of Germany.",
        "q_figures": "How much, since when?", "q_figures_text": "Adoptions per year, state and status; the most "
        "frequent origins, adopters and operators.",
        "q_municipality": "What does our municipality do?", "q_municipality_text": "The profile of every "
        "municipality: what it developed, adopted or has operated for it, and what it could reuse. For example:",
        "for_developers": "For data users", "size_line": "The dataset: {parts}.",
        "n_solutions_short": "{n} solutions", "n_modules": "{n} modules", "n_adoptions_short": "{n} adoptions",
        "n_projects": "{n} model projects", "n_bodies": "{n} bodies taking part",
        "n_municipalities": "{n} municipalities", "one_solution_short": "1 solution", "one_module": "1 module",
        "one_adoption_short": "1 adoption", "one_project": "1 model project", "one_body": "1 body taking part",
        "one_municipality": "1 municipality",
        "dev_query": "SPARQL query page with examples", "dev_api": "Web API of the named queries",
        "dev_void": "Description of the dataset (VoID)", "dev_ontology": "Ontology",
        "municipality": "Municipality", "ags": "Official municipality key (AGS)", "district": "District",
        "state_of": "State", "population": "Inhabitants", "population_as_of": "as of",
        "urbanisation": "Degree of urbanisation", "association": "Municipal association", "facts": "Key facts",
        "rel_developed": "Developed", "rel_adopted": "Adopted", "rel_adopted-from": "Adopted by others",
        "rel_operated-for": "Operated for it", "rel_operates": "Operates for others",
        "rel_developed_text": "Solutions and modules this municipality developed.",
        "rel_adopted_text": "What this municipality took over from others.",
        "rel_adopted-from_text": "Who took over solutions or modules of this municipality.",
        "rel_operated-for_text": "Who operates solutions or modules for this municipality.",
        "rel_operates_text": "What this municipality operates for others.", "operator": "Operator", "client": "Client",
        "memberships": "Model project and memberships", "group": "Group", "group_kind": "Kind", "round": "round",
        "kind_model-project": "Smart City model project", "kind_alliance": "Alliance",
        "kind_community": "Development community", "no_relations": "No source names a solution, adoption, "
        "operation or membership of this municipality yet.",
        "recommendations": "What this municipality could reuse",
        "recommendations_text": "Recommendations with reasons and sources (a page of its own; computing them "
        "takes a moment).",
        "nearby": "Adopters nearby", "nearby_text": "The closest bodies that adopted something (straight line "
        "between centre points).", "distance": "Distance", "what": "What",
        "location": "Location", "centre_point": "Centre point", "no_centre": "No centre point known.",
        "api_title": "Web API of the named queries", "api_intro": "Each of the {n} named queries is an operation: "
        "GET /api/NAME with its parameters as query parameters.",
        "api_formats": "Answers as JSON records; as CSV with Accept: text/csv (also SPARQL JSON, SPARQL XML, TSV).",
        "api_paging": "limit (default 1,000, at most 10,000) and offset page through the rows; the Link header "
        "names the next page.", "api_errors": "Errors come as text with a status: 400 wrong parameter, 404 unknown "
        "query, 406 no acceptable format, 503 timed out.",
        "api_document": "Machine-readable description:", "api_english": "The descriptions of the queries and "
        "parameters come from the query files.", "api_parameters": "Parameters",
        "api_name": "Name", "api_type": "Type", "api_required": "Required", "api_description": "Description",
        "api_example": "Example", "api_try": "Call it with the example values", "api_query": "See the query text",
        "api_responses": "Responses", "yes": "yes", "no": "no",
        "void_title": "Description of the dataset (VoID)", "void_intro": "Size and structure of the dataset, "
        "counted from this server's data. Programs get the same description as RDF.",
        "void_forms": "As RDF:", "void_numbers": "Numbers", "void_triples": "Triples",
        "void_distinctSubjects": "Distinct subjects", "void_distinctObjects": "Distinct objects",
        "void_properties": "Properties", "void_classes": "Classes", "void_entities": "Things with an IRI",
        "void_class": "Class", "void_property": "Property", "void_entities_col": "Instances",
        "void_triples_col": "Triples",
        "rank": "Rank", "points": "Points", "reasons": "Reasons", "back_to_profile": "Back to the profile",
        "rec_intro": "Solutions and modules this municipality does not use yet, weighed by reasons. Each reason "
        "names the bodies and sources behind it.", "more_recommendations": "{n} more recommendations (see CSV/JSON)",
        "lat": "Latitude", "lon": "Longitude", "all_statements": "All statements about this municipality as data",
    },
}


def words(lang: str) -> dict[str, str]:
    """The page words in ``lang`` (``de`` or ``en``)."""
    return _ALL[lang]


def count_words(lang: str, n: int, one: str, many: str) -> str:
    """``one`` for exactly one, else ``many`` with ``{n}`` filled in (German digits grouped by a point)."""
    number = f"{n:,}".replace(",", "." if lang == "de" else ",")
    return words(lang)[one] if n == 1 else words(lang)[many].format(n=number)


_ALL = {lang: {**_WORDS[lang], **_PAGES[lang]} for lang in _WORDS}


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
