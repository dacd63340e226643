"""The ontology's HTML documentation, generated with pyLODE 3.2.1 (3.3.x and 3.4.1 fail to import).

pyLODE reads the exported ``ontology.ttl`` (ontology plus concept schemes); it works from that
file alone and fetches nothing. Its embedded schema.org JSON-LD is rewritten in a fixed order so
that an unchanged ontology gives a byte-identical page (and an unchanged checksum).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from ..errors import MpscError
from .dumps import canonical_jsonld


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
    html = destination.read_text(encoding="utf-8")
    destination.write_text(SCHEMA_ORG_BLOCK.sub(_canonical_block, html), encoding="utf-8")


#: pyLODE's embedded schema.org description: JSON-LD that rdflib writes in hash-randomised order
SCHEMA_ORG_BLOCK = re.compile(r'(<script id="schema\.org" type="application/ld\+json">)(.*?)(</script>)', re.S)


def _canonical_block(match: re.Match[str]) -> str:
    """The schema.org block with its arrays in a fixed order, so the page is byte-identical per input."""
    data = canonical_jsonld(json.loads(match.group(2)))
    return f"{match.group(1)}\n{json.dumps(data, ensure_ascii=False, sort_keys=True, indent=4)}\n\t{match.group(3)}"
