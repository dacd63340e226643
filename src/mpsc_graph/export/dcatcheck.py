"""Offline conformance check of a DCAT-AP.de record against the "DCAT-AP.de 2.0 – Spezifikation"
SHACL profile (its files are :data:`PROFILE_FILES`, read from the shared folder, not shipped here).

Offline means two substitutions for what the profile's ``owl:imports`` would fetch: the class
axioms of FOAF, vCard and ORG that ``sh:class`` checks rely on come from a small bundled file, and
the shapes whose only check is membership in a remote controlled vocabulary (``skos:inScheme`` of
an EU or DCAT-AP.de code list that is not available offline) are deactivated, each listed by IRI
below. Every other shape of the profile runs unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, parse
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from ..dataset import unreadable_turtle
from ..errors import InputError, MpscError
from ..project import shared_dir

PROFILE_DIR = Path("conformance") / "dcat-ap-de-2.0"
#: The profile "DCAT-AP.de 2.0 – Spezifikation" (without the conventions file).
PROFILE_FILES = (
    "dcat-ap-de-imports.ttl",
    "dcat-ap-spec-german-messages.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap_2.1.1_shacl_shapes.ttl",
)
AXIOMS_FILE = Path(__file__).with_name("dcat_offline_axioms.ttl")
_DE = "http://dcat-ap.de/def/dcatde/"
#: Shapes whose check is ``skos:inScheme`` membership in a remote controlled vocabulary.
REMOTE_VOCABULARY_SHAPES = tuple(_DE + name for name in (
    "Agent_dct_type_v_List",
    "CatalogRecord_dct_language_v_List",
    "Catalog_dcatap_availability_v_List",
    "Catalog_dct_language_v_List",
    "Catalog_dct_license_w_List",
    "Checksum_spdx_algorithm_v_List",
    "DataService_dcatap_availability_v_List",
    "DataService_dct_license_w_List",
    "Dataset_dcat_theme_v_List",
    "Dataset_dcatap_availability_v_List",
    "Dataset_dcatde_politicalGeocodingLevelURI_w_List",
    "Dataset_dcatde_politicalGeocodingURI_w_List",
    "Dataset_dct_accrualPeriodicity_v_List",
    "Dataset_dct_language_v_List",
    "Distribution_adms_status_v_List",
    "Distribution_dcatap_availability_v_List",
    "Distribution_dct_format_v_List",
    "Distribution_dct_language_v_List",
    "Distribution_dct_license_w_List",
))


@dataclass
class DcatReport:
    """Results of the check: violations make the record non-conformant; warnings are advice."""

    violations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def to_text(self) -> str:
        lines = [f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"]
        lines += [f"  violation: {v}" for v in self.violations]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def profile_dir() -> Path:
    """The DCAT-AP.de 2.0 shapes in the shared folder; an error naming the place when missing."""
    shared = shared_dir()
    if shared is None or not (shared / PROFILE_DIR).is_dir():
        raise MpscError(f"the DCAT-AP.de 2.0 shapes are not available: expected {PROFILE_DIR} in the shared "
                        "folder beside the repository (or set MPSC_SHARED)")
    return shared / PROFILE_DIR


def profile_shapes(directory: Path, deactivate: tuple[str, ...] = REMOTE_VOCABULARY_SHAPES) -> rdflib.Graph:
    """The profile's shapes graph with the given shapes marked ``sh:deactivated true``."""
    shapes = rdflib.Graph()
    for name in PROFILE_FILES:
        shapes.parse(directory / name, format="turtle")
    for iri in deactivate:
        if (URIRef(iri), None, None) not in shapes:
            raise MpscError(f"shape <{iri}> is not part of the DCAT-AP.de profile in {directory}")
        shapes.add((URIRef(iri), SH.deactivated, Literal(True)))
    return shapes


def vocabulary_membership_shapes(shapes: rdflib.Graph) -> set[str]:
    """Named shapes that contain a ``skos:inScheme`` ``sh:hasValue`` check (found structurally)."""
    found: set[str] = set()
    for node in shapes.subjects(SH.path, SKOS.inScheme):
        if (node, SH.hasValue, None) not in shapes:
            continue
        stack, seen = [node], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if isinstance(current, URIRef):
                found.add(str(current))
                continue
            stack.extend(subject for subject, _ in shapes.subject_predicates(current))
    return found


def check_turtle_syntax(path: Path) -> None:
    """Parse ``path`` with pyoxigraph first: its errors give the line and say what is wrong in words,
    where rdflib's show the raw bytes around the error (``b'...'^b'garbage <<'``)."""
    try:
        for _triple in parse(path=str(path), format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise unreadable_turtle(exc, path) from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=path) from exc


def validate_dcat(record: Path, *, directory: Path | None = None,
                  deactivate: tuple[str, ...] = REMOTE_VOCABULARY_SHAPES, axioms: Path = AXIOMS_FILE) -> DcatReport:
    """Validate a DCAT-AP.de record (a Turtle file, or an export directory holding catalog.ttl)."""
    import pyshacl

    path = record / "catalog.ttl" if record.is_dir() else record
    if not path.is_file():
        raise InputError("no DCAT record here (expected a Turtle file or a directory with catalog.ttl)", path=path)
    check_turtle_syntax(path)
    data = rdflib.Graph()
    try:
        data.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises parser-specific types; all are input errors here
        raise InputError(f"malformed Turtle: {exc}", path=path) from exc
    shapes = profile_shapes(directory or profile_dir(), deactivate)
    classes = rdflib.Graph().parse(axioms, format="turtle")
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=classes, inference="none", advanced=True,
        allow_warnings=True, do_owl_imports=False,
    )
    report = DcatReport()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        german = [str(m) for m in results.objects(result, SH.resultMessage) if getattr(m, "language", None) == "de"]
        line = f"<{focus}> {(german or messages or ['(no message)'])[0]}"
        (report.violations if severity == SH.Violation else report.warnings).append(line)
    report.violations.sort()
    report.warnings.sort()
    return report
