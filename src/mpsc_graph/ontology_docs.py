"""The ontology's HTML documentation, by pyLODE 3.2.1 (3.3.x and 3.4.1 fail to import).

One function for both places that show it: the server's ``/ontology`` page and the export's
``docs/ontology.html``. pyLODE works from the given Turtle alone and fetches nothing. Its embedded
schema.org JSON-LD is rewritten in a fixed order so that an unchanged ontology gives a
byte-identical page (and an unchanged checksum in the export's catalogue).
"""

from __future__ import annotations

import json
import logging
import re

#: ids pyLODE gives its own sections and namespace entries; a term named like one keeps pyLODE's id
PYLODE_IDS = frozenset({"schema.org", "content", "metadata", "classes", "objectproperties", "datatypeproperties",
                        "annotationproperties", "functionalproperties", "namedindividuals", "namespaces", "legend",
                        "pylode", "toc"})


def ontology_html(turtle: bytes, ontology_iri: str, lang: str) -> str:
    """The ontology as an HTML document by pyLODE (pinned to 3.2.1: 3.3.x and 3.4.1 fail to import), in one
    language; the server's ``/ontology`` page and the export's ``docs/ontology.html`` are both made here.

    pyLODE documents every ``skos:ConceptScheme`` it is given as a further ontology (their titles
    end up in ``<title>`` and run together in the heading, the licence repeats), so the schemes'
    type is left out here; they have their own ``/doc/concept/...`` pages. Literals are kept in
    ``lang`` where a statement has one in it, so the heading is one title, not both. Anchors are
    the terms' local names (``#Municipality``), which entity pages link to; pyLODE would derive
    them from labels (``#Gemeinde``).
    """
    import rdflib
    from pylode import OntPub

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    graph = rdflib.Graph()
    graph.parse(data=turtle, format="turtle")
    graph.remove((None, rdflib.RDF.type, rdflib.SKOS.ConceptScheme))
    ontology_node = rdflib.URIRef(ontology_iri)
    if (ontology_node, rdflib.DCTERMS.title, None) in graph:  # pyLODE reads labels as further titles
        graph.remove((ontology_node, rdflib.RDFS.label, None))
    in_language = {(s, p) for s, p, o in graph if isinstance(o, rdflib.Literal) and o.language == lang}
    for s, p, o in list(graph):
        if isinstance(o, rdflib.Literal) and o.language not in (None, lang) and (s, p) in in_language:
            graph.remove((s, p, o))
    namespace = ontology_iri + "#"
    try:
        document = OntPub(ontology=graph)
        prefixes = {prefix for prefix, _ in graph.namespaces()}
        for term in set(graph.subjects()):
            local = str(term)[len(namespace):] if str(term).startswith(namespace) else ""
            if local and local not in PYLODE_IDS and local not in prefixes:
                document.fids[str(term)] = local
        html = document.make_html()
    finally:  # pyLODE configures the root logger on import; leave ours as it was
        root.setLevel(level)
        root.handlers[:] = handlers
    if not HTML_LANG.search(html):  # pyLODE names no language; screen readers need it (WCAG 3.1.1)
        html = HTML_START.sub(f'<html lang="{lang}"', html, count=1)
    return SCHEMA_ORG_BLOCK.sub(_canonical_block, html)


HTML_START = re.compile(r"<html(?=[\s>])")
HTML_LANG = re.compile(r"<html[^>]*\slang=")


#: pyLODE's embedded schema.org description: JSON-LD that rdflib writes in hash-randomised order
SCHEMA_ORG_BLOCK = re.compile(r'(<script id="schema\.org" type="application/ld\+json">)(.*?)(</script>)', re.S)


def _canonical_block(match: re.Match[str]) -> str:
    """The schema.org block with its arrays in a fixed order, so the page is byte-identical per input."""
    # imported here: mpsc_graph.export imports this module, so a module-level import of it would make
    # importing this module (or the server application, create_app without the CLI) first fail as circular
    from .export.dumps import canonical_jsonld

    data = canonical_jsonld(json.loads(match.group(2)))
    return f"{match.group(1)}\n{json.dumps(data, ensure_ascii=False, sort_keys=True, indent=4)}\n\t{match.group(3)}"
