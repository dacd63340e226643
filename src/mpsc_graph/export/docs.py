"""The ontology's HTML documentation, generated with pyLODE 3.2.1 (3.3.x and 3.4.1 fail to import).

pyLODE reads the exported ``ontology.ttl`` (ontology plus concept schemes); it works from that
file alone and fetches nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import MpscError


def write_ontology_docs(ontology_ttl: Path, destination: Path) -> None:
    """Write the pyLODE documentation of ``ontology_ttl`` to ``destination`` (an .html file)."""
    try:
        from pylode import OntPub
    except ImportError as exc:  # pragma: no cover - the pinned dependency is always installed
        raise MpscError(f"pyLODE 3.2.1 is needed for the ontology documentation: {exc}") from exc
    destination.parent.mkdir(parents=True, exist_ok=True)
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # pyLODE logs every step at INFO on the root logger
    try:
        OntPub(ontology=str(ontology_ttl)).make_html(destination=str(destination))
    finally:
        quiet.setLevel(level)
