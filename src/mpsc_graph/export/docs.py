"""The exported ontology documentation (``docs/ontology.html``): the same page the server shows."""

from __future__ import annotations

from pathlib import Path

from ..namespaces import ONTOLOGY_IRI
from ..ontology_docs import ontology_html

#: The language of the exported page; the server also offers English (``/ontology?lang=en``).
LANGUAGE = "de"


def write_ontology_docs(ontology_ttl: Path, destination: Path, lang: str = LANGUAGE) -> None:
    """Write the pyLODE documentation of ``ontology_ttl`` (ontology plus concept schemes) to ``destination``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(ontology_html(ontology_ttl.read_bytes(), ONTOLOGY_IRI, lang), encoding="utf-8")
