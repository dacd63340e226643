"""The DCAT-AP.de record of an export (``catalog.ttl``): catalogue, dataset, distributions, service.

Written after every other file of the export, because each distribution carries the byte size and
SHA-256 checksum of the file it describes. The licence is CC BY 4.0, named by the DCAT-AP.de
licence IRI with the attribution text the profile asks for. The contact point is an
organisational vCard: the record carries no personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL

from .dumps import DumpFile
from .settings import (
    ATTRIBUTION,
    CATALOG_IRI,
    COMBINED_RIGHTS,
    CONTACT_IRI,
    DATASET_IRI,
    DCATDE_LICENSE_CC_BY_4,
    DCATDE_LICENSE_DL_DE_BY_2,
    DESTATIS_ATTRIBUTION,
    PUBLISHER_IRI,
    SERVICE_IRI,
    Publication,
)
from .void import GEOCODING, GEOCODING_LISTS

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

TITLE = {"de": "Wissensgraph Modellprojekte Smart Cities: Zusammenarbeit und Nachnutzung von Software",
         "en": "Smart Cities model projects knowledge graph: inter-municipal collaboration and software reuse"}
DESCRIPTION = {
    "de": "Offener Wissensgraph zu den 73 Modellprojekten Smart Cities des Bundes, ihren Lösungen und Modulen, "
          "den beteiligten Kommunen, Kreisen, Ländern und Organisationen sowie zur Nachnutzung von Software "
          "zwischen Kommunen; jede Aussage mit Quelle.",
    "en": "Open knowledge graph of the 73 federal Smart Cities model projects, their solutions and modules, the "
          "municipalities, districts, states and organisations involved, and software reuse between "
          "municipalities; every statement with its source.",
}
THEMES = ("GOVE", "TECH")  # EU data themes: government and public sector; science and technology
KEYWORDS = {"de": ("Smart City", "Nachnutzung", "Open Source", "Kommunen", "Modellprojekte Smart Cities"),
            "en": ("smart city", "software reuse", "open source", "municipalities", "linked data")}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _both(g: Graph, subject: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((subject, predicate, Literal(text, lang=lang)))


#: licence IRI and attribution text per licence of a distribution (see DumpFile.licence)
LICENCES = {
    "cc-by": (DCATDE_LICENSE_CC_BY_4, ATTRIBUTION),
    "dl-de-by": (DCATDE_LICENSE_DL_DE_BY_2, DESTATIS_ATTRIBUTION),
}


def _licensed(g: Graph, subject: URIRef, licence: str = "cc-by") -> None:
    iri, attribution = LICENCES[licence]
    g.add((subject, DCTERMS.license, URIRef(iri)))
    g.add((subject, DCATDE.licenseAttributionByText, Literal(attribution)))


def build_catalog(
    out: Path,
    files: Iterable[DumpFile],
    publication: Publication,
    state_keys: Iterable[str],
    *,
    issued: date | None = None,
) -> Graph:
    """The DCAT-AP.de record for the files already written into ``out``."""
    today = issued or date.today()
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatde", DCATDE), ("spdx", SPDX),
                       ("vcard", VCARD)):
        g.bind(prefix, ns)
    catalog, dataset, publisher, contact, service = (
        URIRef(CATALOG_IRI), URIRef(DATASET_IRI), URIRef(PUBLISHER_IRI), URIRef(CONTACT_IRI), URIRef(SERVICE_IRI))
    landing = URIRef(publication.landing_page)

    g.add((catalog, RDF.type, DCAT.Catalog))
    _both(g, catalog, DCTERMS.title, {"de": "Katalog des Wissensgraphen Modellprojekte Smart Cities",
                                      "en": "Catalogue of the Smart Cities model projects knowledge graph"})
    _both(g, catalog, DCTERMS.description, {"de": "Datensatz, Abzüge und SPARQL-Dienst des Wissensgraphen.",
                                            "en": "Dataset, dumps and SPARQL service of the knowledge graph."})
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, FOAF.homepage, landing))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    g.add((catalog, DCTERMS.modified, Literal(today.isoformat(), datatype=XSD.date)))
    for lang in ("DEU", "ENG"):
        g.add((catalog, DCTERMS.language, URIRef(f"{EU}language/{lang}")))
    _licensed(g, catalog)

    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("mpsc-graph (Projekt Wissensgraph Modellprojekte Smart Cities)")))
    g.add((publisher, FOAF.homepage, landing))

    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("mpsc-graph maintainers")))
    g.add((contact, VCARD.hasURL, landing))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    _both(g, dataset, DCTERMS.title, TITLE)
    _both(g, dataset, DCTERMS.description, DESCRIPTION)
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCAT.landingPage, landing))
    for theme in THEMES:
        g.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    g.add((dataset, DCTERMS.spatial, URIRef(EU + "country/DEU")))
    g.add((dataset, DCATDE.politicalGeocodingLevelURI, URIRef(GEOCODING + "Level/federal")))
    for key in sorted(set(state_keys)):
        g.add((dataset, DCATDE.politicalGeocodingURI, URIRef(f"{GEOCODING}{GEOCODING_LISTS['state']}/{key}")))
    for lang in ("DEU", "ENG"):
        g.add((dataset, DCTERMS.language, URIRef(f"{EU}language/{lang}")))
    g.add((dataset, DCTERMS.modified, Literal(today.isoformat(), datatype=XSD.date)))
    if publication.version:
        g.add((dataset, URIRef(str(DCAT) + "version"), Literal(publication.version)))  # DCAT 3 term
        g.add((dataset, DCTERMS.issued, Literal(today.isoformat(), datatype=XSD.date)))
        g.add((dataset, OWL.versionIRI, URIRef(f"{DATASET_IRI}/{publication.version}")))
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    g.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/mpsc-graph/ontology")))
    _licensed(g, dataset)

    for dump in files:
        dist = URIRef(publication.distribution_iri(dump.name))
        path = out / dump.name
        url = URIRef(publication.download_url(dump.name))
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        _both(g, dist, DCTERMS.title, {"de": dump.title_de, "en": dump.title_en})
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCTERMS.format, URIRef(f"{EU}file-type/{dump.file_type}")))
        if dump.compressed:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(str(path.stat().st_size), datatype=XSD.decimal)))
        checksum = URIRef(publication.distribution_iri(dump.name) + "#sha256")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(sha256(path), datatype=XSD.hexBinary)))
        g.add((dist, DCTERMS.modified, Literal(today.isoformat(), datatype=XSD.date)))
        _licensed(g, dist, dump.licence)
        if dump.combined:
            g.add((dist, DCTERMS.rights, Literal(COMBINED_RIGHTS)))

    endpoint = URIRef(publication.sparql_endpoint)
    sparql = URIRef(publication.distribution_iri("sparql"))
    g.add((dataset, DCAT.distribution, sparql))
    g.add((sparql, RDF.type, DCAT.Distribution))
    _both(g, sparql, DCTERMS.title, {"de": "SPARQL-Endpunkt", "en": "SPARQL endpoint"})
    g.add((sparql, DCAT.accessURL, endpoint))
    g.add((sparql, DCAT.accessService, service))
    _licensed(g, sparql)

    g.add((service, RDF.type, DCAT.DataService))
    _both(g, service, DCTERMS.title, {"de": "SPARQL-Endpunkt des Wissensgraphen",
                                      "en": "SPARQL endpoint of the knowledge graph"})
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef(SPARQL_PROTOCOL)))
    g.add((service, DCTERMS.publisher, publisher))
    _licensed(g, service)
    return g
