"""Where an export will live once hosted: the public IRIs a VoID and DCAT record must name.

The export directory itself is plain files; these settings say under which URLs a publisher puts
them, which SPARQL endpoint serves the same data, and the IRIs of the dataset and catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..namespaces import BASE

DATASET_IRI = BASE + "dataset"
CATALOG_IRI = BASE + "catalog"
PUBLISHER_IRI = BASE + "publisher"
CONTACT_IRI = BASE + "contact"
SERVICE_IRI = BASE + "sparql#service"
DISTRIBUTION_BASE = BASE + "distribution/"

#: CC BY 4.0 as an IRI of the DCAT-AP.de licence vocabulary (http://dcat-ap.de/def/licenses/),
#: the form GovData's own code lists and harvested records use; everywhere else the project
#: uses the Creative Commons IRI (https://creativecommons.org/licenses/by/4.0/).
DCATDE_LICENSE_CC_BY_4 = "http://dcat-ap.de/def/licenses/cc-by/4.0"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = (
    "mpsc-graph contributors: Wissensgraph Modellprojekte Smart Cities (https://w3id.org/mpsc-graph/), CC BY 4.0"
)
#: The municipality directory (graph/directory) is derived from the Destatis Gemeindeverzeichnis and
#: keeps its licence, the Datenlizenz Deutschland – Namensnennung 2.0, with the attribution it asks for.
DCATDE_LICENSE_DL_DE_BY_2 = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
DL_DE_BY_2 = "https://www.govdata.de/dl-de/by-2-0"
DESTATIS_ATTRIBUTION = "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis"
#: The graphs of the directory's own distribution: the table and its source node.
DIRECTORY_GRAPHS = ("directory", "directory-source")
#: dct:rights of the dumps that hold everything: both licences, and which part each covers (one
#: literal: DCAT-AP allows one dct:rights per distribution).
COMBINED_RIGHTS = (
    "CC BY 4.0 (mpsc-graph contributors), except the municipality directory (graph "
    "https://w3id.org/mpsc-graph/graph/directory): Datenlizenz Deutschland – Namensnennung – Version 2.0 "
    f"(dl-de/by-2-0, {DL_DE_BY_2}), {DESTATIS_ATTRIBUTION}"
)


@dataclass(frozen=True)
class Publication:
    """Public locations of an export; defaults follow the w3id.org namespace of the project."""

    download_base: str = BASE + "dist/"
    sparql_endpoint: str = BASE + "sparql"
    landing_page: str = BASE
    #: a release's version (``mpsc-graph release``): versioned distribution IRIs, dcat:version, dct:issued
    version: str | None = None
    #: the release date; without it the export dates itself by its inputs
    issued: date | None = None

    def distribution_iri(self, name: str) -> str:
        """The IRI of one distribution: each release's distributions have their own."""
        return f"{DISTRIBUTION_BASE}{self.version}/{name}" if self.version else DISTRIBUTION_BASE + name

    def download_url(self, name: str) -> str:
        """The public URL of one file of the export directory."""
        base = self.download_base if self.download_base.endswith("/") else self.download_base + "/"
        return base + name
