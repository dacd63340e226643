"""DCAT-AP.de: the official reference examples and our catalog.ttl give 0 violations under the
"DCAT-AP.de 2.0 – Spezifikation" profile, validated offline; the record describes the files."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, XSD, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from mpsc_graph.cli import main
from mpsc_graph.export.dcatcheck import (
    AXIOMS_FILE,
    PROFILE_DIR,
    REMOTE_VOCABULARY_SHAPES,
    profile_shapes,
    validate_dcat,
    vocabulary_membership_shapes,
)
from mpsc_graph.export.settings import DATASET_IRI, DCATDE_LICENSE_CC_BY_4, DCATDE_LICENSE_DL_DE_BY_2
from support import TEST_DATA

#: What the profile's owl:imports would bring for sh:class checks (FOAF, vCard, ORG subclass axioms).
AXIOMS = TEST_DATA / "dcat-offline-axioms.ttl"

DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")

# The shapes deactivated for the offline check: each one's only test is skos:inScheme membership
# in a remote controlled vocabulary (EU authority tables, DCAT-AP.de lists, ADMS), which the
# profile's owl:imports would fetch. Everything else in the profile runs.
DEACTIVATED = (
    "http://dcat-ap.de/def/dcatde/Agent_dct_type_v_List",
    "http://dcat-ap.de/def/dcatde/CatalogRecord_dct_language_v_List",
    "http://dcat-ap.de/def/dcatde/Catalog_dcatap_availability_v_List",
    "http://dcat-ap.de/def/dcatde/Catalog_dct_language_v_List",
    "http://dcat-ap.de/def/dcatde/Catalog_dct_license_w_List",
    "http://dcat-ap.de/def/dcatde/Checksum_spdx_algorithm_v_List",
    "http://dcat-ap.de/def/dcatde/DataService_dcatap_availability_v_List",
    "http://dcat-ap.de/def/dcatde/DataService_dct_license_w_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dcat_theme_v_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dcatap_availability_v_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dcatde_politicalGeocodingLevelURI_w_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dcatde_politicalGeocodingURI_w_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dct_accrualPeriodicity_v_List",
    "http://dcat-ap.de/def/dcatde/Dataset_dct_language_v_List",
    "http://dcat-ap.de/def/dcatde/Distribution_adms_status_v_List",
    "http://dcat-ap.de/def/dcatde/Distribution_dcatap_availability_v_List",
    "http://dcat-ap.de/def/dcatde/Distribution_dct_format_v_List",
    "http://dcat-ap.de/def/dcatde/Distribution_dct_language_v_List",
    "http://dcat-ap.de/def/dcatde/Distribution_dct_license_w_List",
)


@pytest.fixture(scope="module")
def profile(shared: Path) -> Path:
    path = shared / PROFILE_DIR
    if not path.is_dir():
        pytest.skip(f"{PROFILE_DIR} is missing from the shared folder")
    return path


def test_bundled_axioms_equal_the_fixture() -> None:
    """The CLI's check (bundled axioms) and this test (fixture) use the same axioms."""
    bundled = rdflib.Graph().parse(AXIOMS_FILE, format="turtle")
    fixture = rdflib.Graph().parse(AXIOMS, format="turtle")
    assert len(fixture) >= 2 and isomorphic(bundled, fixture)
    assert (rdflib.FOAF.Organization, rdflib.RDFS.subClassOf, rdflib.FOAF.Agent) in fixture
    assert (VCARD.Organization, rdflib.RDFS.subClassOf, VCARD.Kind) in fixture


def test_deactivated_shapes_are_exactly_the_remote_vocabulary_checks(profile: Path) -> None:
    assert set(DEACTIVATED) == set(REMOTE_VOCABULARY_SHAPES)
    assert vocabulary_membership_shapes(profile_shapes(profile, ())) == set(DEACTIVATED)


@pytest.mark.parametrize("example", ["dcat_ap_de-RefImp_TTL_SIMPLE.ttl", "dcat_ap_de-RefImp_TTL_ADVANCED.ttl"])
def test_reference_examples_conform(profile: Path, example: str) -> None:
    report = validate_dcat(profile / "examples" / example, directory=profile, deactivate=DEACTIVATED, axioms=AXIOMS)
    assert report.violations == []


def test_check_still_catches_violations(profile: Path, tmp_path: Path) -> None:
    """Without the offline class axioms' help a contact point of a wrong class must be caught."""
    text = (profile / "examples" / "dcat_ap_de-RefImp_TTL_SIMPLE.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace("a vcard:Individual", "a foaf:Person")
                      .replace('dct:title "Badegewässer (Daten) Hamburg" ;', ""), encoding="utf-8")
    report = validate_dcat(broken, directory=profile, deactivate=DEACTIVATED, axioms=AXIOMS)
    assert any("contactPoint" in v for v in report.violations)
    assert any("dct:title" in v for v in report.violations)


def test_our_catalog_conforms(profile: Path, out: Path) -> None:
    report = validate_dcat(out / "catalog.ttl", directory=profile, deactivate=DEACTIVATED, axioms=AXIOMS)
    assert report.violations == [], report.to_text()


def test_cli_validate_dcat_exit_codes(profile: Path, out: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["export", "--validate-dcat", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "0 violation(s)" in ok.output
    bad = tmp_path / "catalog.ttl"
    bad.write_text((out / "catalog.ttl").read_text(encoding="utf-8").replace("vcard:Organization", "vcard:Nobody"),
                   encoding="utf-8")
    failed = runner.invoke(main, ["export", "--validate-dcat", str(tmp_path)])
    assert failed.exit_code == 1, failed.output
    assert "contactPoint" in failed.output
    missing = runner.invoke(main, ["export", "--validate-dcat", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "no DCAT record" in missing.output


@pytest.fixture(scope="module")
def catalog(out: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(out / "catalog.ttl", format="turtle")


def test_catalog_content(catalog: rdflib.Graph, store) -> None:
    dataset = URIRef(DATASET_IRI)
    assert {t.language for t in catalog.objects(dataset, DCTERMS.title)} == {"de", "en"}
    assert {d.language for d in catalog.objects(dataset, DCTERMS.description)} == {"de", "en"}
    contact = catalog.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in catalog
    assert not list(catalog.objects(contact, VCARD.hasEmail)), "no personal contact data"
    assert catalog.value(dataset, DCTERMS.publisher) is not None
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE") in set(
        catalog.objects(dataset, DCAT.theme))
    assert catalog.value(dataset, DCTERMS.spatial) is not None
    assert catalog.value(dataset, DCATDE.politicalGeocodingLevelURI) is not None
    states = {str(o) for o in catalog.objects(dataset, DCATDE.politicalGeocodingURI)}
    assert "http://dcat-ap.de/def/politicalGeocoding/stateKey/15" in states
    assert catalog.value(dataset, DCTERMS.license) == URIRef(DCATDE_LICENSE_CC_BY_4)
    services = list(catalog.subjects(RDF.type, DCAT.DataService))
    assert len(services) == 1
    assert catalog.value(services[0], DCAT.servesDataset) == dataset
    assert catalog.value(services[0], DCAT.endpointURL) is not None


def test_every_distribution_licensed_sized_and_checksummed(catalog: rdflib.Graph, out: Path) -> None:
    distributions = list(catalog.objects(URIRef(DATASET_IRI), DCAT.distribution))
    files = 0
    for dist in distributions:
        # the municipality directory keeps the Destatis licence; everything else is CC BY 4.0
        licence = DCATDE_LICENSE_DL_DE_BY_2 if str(dist).endswith("/directory.nt.gz") else DCATDE_LICENSE_CC_BY_4
        assert catalog.value(dist, DCTERMS.license) == URIRef(licence), dist
        assert catalog.value(dist, DCATDE.licenseAttributionByText) is not None, dist
        url = catalog.value(dist, DCAT.downloadURL)
        if url is None:
            assert catalog.value(dist, DCAT.accessService) is not None  # the SPARQL endpoint
            continue
        files += 1
        path = out / str(url).rsplit("/", 1)[1]
        data = path.read_bytes()
        size = catalog.value(dist, DCAT.byteSize)
        assert size.datatype == XSD.decimal
        assert Decimal(str(size)) == len(data)
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert str(catalog.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
    assert files == 9


def test_without_the_axioms_the_examples_fail(profile: Path, tmp_path: Path) -> None:
    """The fixture is what makes the offline check pass: without it sh:class fails on publisher/contact."""
    empty = tmp_path / "no-axioms.ttl"
    empty.write_text("", encoding="utf-8")
    report = validate_dcat(profile / "examples" / "dcat_ap_de-RefImp_TTL_SIMPLE.ttl", directory=profile,
                           deactivate=DEACTIVATED, axioms=empty)
    assert any("publisher" in v for v in report.violations)
    assert any("contactPoint" in v for v in report.violations)
