"""publiccode.yml import: mapping, versions, refusal of broken files, privacy, usedBy resolution and gaps."""

from __future__ import annotations

import datetime as dt
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import rdflib
import yaml
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal, URIRef

from loopback import LoopbackServer, Received, respond, respond_without_length
from mpsc_graph.cli import main
from mpsc_graph.dataset import load_dataset
from mpsc_graph.errors import InputError
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.importers.publiccode import import_all, import_document, project_organisations, spdx_ids
from mpsc_graph.importers.publiccode_schema import SUPPORTED_VERSIONS, PubliccodeInvalid
from mpsc_graph.namespaces import DCT, MPSC, PROV, SCHEMA, entity_iri
from mpsc_graph.project import Project
from mpsc_graph.resolve import Gazetteer
from support import REPO

SOLUTION = URIRef(entity_iri("solution", "smart-village-app"))
SOURCE = URIRef(entity_iri("source", "publiccode-yml-smart-village-app"))
BAD_BELZIG = URIRef(entity_iri("municipality", "12069020"))
TODAY = dt.date(2026, 11, 24)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def p(term: str) -> URIRef:
    prefix, _, local = term.partition(":")
    return URIRef({"mpsc": MPSC, "schema": SCHEMA, "dct": DCT, "prov": PROV}[prefix] + local)


@pytest.fixture(scope="module")
def conformance(shared: Path) -> Path:
    return shared / "conformance" / "publiccode"


@pytest.fixture(scope="module")
def real(conformance: Path) -> Path:
    return conformance / "real-smart-village-app.yml"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.for_project(Project.at(REPO))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "publiccode.yml") -> Path:
    target = tmp_path / name
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def run_import(path: Path, gazetteer: Gazetteer, **kwargs: object):  # type: ignore[no-untyped-def]
    return import_document(path.read_text(encoding="utf-8"), str(path), gazetteer=gazetteer, accessed=TODAY, **kwargs)


# ---- the real file -----------------------------------------------------------------------------------


def test_real_file_solution_mapping(real: Path, gazetteer: Gazetteer) -> None:
    g = run_import(real, gazetteer).graph
    assert (SOLUTION, RDF.type, p("mpsc:Solution")) in g
    assert set(g.objects(SOLUTION, RDFS.label)) == {Literal("Smart Village App", lang="de"),
                                                     Literal("Smart Village App", lang="en")}
    assert set(g.objects(SOLUTION, p("schema:codeRepository"))) == {
        URIRef("https://github.com/ikuseiGmbH/smart-village-app-app")}
    assert set(g.objects(SOLUTION, p("schema:url"))) == {URIRef("https://smart-village.app")}
    assert set(g.objects(SOLUTION, p("dct:license"))) == {URIRef("http://spdx.org/licenses/GPL-3.0-or-later")}
    assert not list(g.objects(SOLUTION, p("dct:rights")))  # a single id needs no expression literal
    assert set(g.objects(SOLUTION, p("schema:creativeWorkStatus"))) == {Literal("stable")}
    assert set(g.objects(SOLUTION, p("dct:type"))) == {Literal("standalone/mobile")}
    assert set(g.objects(SOLUTION, p("schema:softwareVersion"))) == {Literal("4.0.0")}
    assert set(g.objects(SOLUTION, p("schema:dateModified"))) == {Literal("2024-06-28", datatype=XSD_DATE)}
    descriptions = {(d.language, str(d)) for d in g.objects(SOLUTION, p("dct:description"))}
    assert descriptions == {
        ("en", "The Smart Village App is a modular app builder for municipalities and cities."),
        ("de", "Die Smart Village App ist ein open-source App-Baukasten für Kommunen, Städte und Landkreise."),
    }
    assert set(g.objects(SOLUTION, p("mpsc:originator"))) == {BAD_BELZIG}  # legal/mainCopyrightOwner
    assert (SOLUTION, p("dct:source"), SOURCE) in g


def test_real_file_source_node(real: Path, gazetteer: Gazetteer) -> None:
    g = run_import(real, gazetteer, source_url="https://example.org/publiccode.yml").graph
    assert (SOURCE, RDF.type, p("mpsc:Source")) in g
    assert set(g.objects(SOURCE, p("schema:url"))) == {URIRef("https://example.org/publiccode.yml")}
    assert set(g.objects(SOURCE, p("mpsc:accessedOn"))) == {Literal("2026-11-24", datatype=XSD_DATE)}
    assert Literal("publiccode.yml of Smart Village App", lang="en") in set(g.objects(SOURCE, p("dct:title")))


def test_real_file_maintainer_role_is_dated(real: Path, gazetteer: Gazetteer) -> None:
    g = run_import(real, gazetteer).graph
    roles = list(g.subjects(p("mpsc:roleType"), URIRef(entity_iri("concept", "role/maintainer"))))
    assert len(roles) == 1
    role = roles[0]
    assert set(g.objects(role, p("mpsc:endDate"))) == {Literal("2027-12-31", datatype=XSD_DATE)}
    assert set(g.objects(role, p("mpsc:roleIn"))) == {SOLUTION}
    agent = next(g.objects(role, p("mpsc:agent")))
    assert agent == URIRef(entity_iri("organisation", "smart-village-solutions-svs-gmbh"))
    assert set(g.objects(agent, p("schema:url"))) == {URIRef("https://smart-village.solutions")}
    assert Literal("publiccode.yml maintenance/type: contract", lang="en") in set(g.objects(role, RDFS.comment))


def test_real_file_used_by_becomes_adoptions_with_unknown_status(real: Path, gazetteer: Gazetteer) -> None:
    result = run_import(real, gazetteer)
    g = result.graph
    adoptions = set(g.subjects(RDF.type, p("mpsc:Adoption")))
    outcomes = {u.name: u.outcome for u in result.used_by}
    assert len(result.used_by) == 34
    # with the official directory the two Ämter resolve; Arneburg-Goldbeck (no such town) and
    # Bremen (MeinQuartier) are gaps, Bad Belzig is the origin
    assert sorted(n for n, o in outcomes.items() if o == "gap") == ["Bremen (MeinQuartier)", "Stadt Arneburg-Goldbeck"]
    assert [n for n, o in outcomes.items() if o == "origin"] == ["Stadt Bad Belzig"]
    assert len(adoptions) == 31
    for adoption in adoptions:
        assert set(g.objects(adoption, p("mpsc:adoptionStatus"))) == {
            URIRef(entity_iri("concept", "adoption-status/unknown"))}
        assert not list(g.objects(adoption, p("mpsc:startDate")))
        assert not list(g.objects(adoption, p("mpsc:adoptionMode")))
        assert set(g.objects(adoption, p("mpsc:adoptedAsset"))) == {SOLUTION}
        assert set(g.objects(adoption, p("mpsc:origin"))) == {BAD_BELZIG}
        assert set(g.objects(adoption, p("dct:source"))) == {SOURCE}
    adopters = {str(o) for o in g.objects(None, p("mpsc:adopter"))}
    assert entity_iri("municipality", "12065036") in adopters  # "Gemeine Birkenwerder"
    assert entity_iri("district", "12063") in adopters  # "Landkreis Havelland"


def test_project_public_organisations_resolve_by_exact_label(real: Path, gazetteer: Gazetteer) -> None:
    project = Project.at(REPO)
    result = run_import(real, Gazetteer.for_project(project), organisations=project_organisations(project))
    outcomes = {u.name: (u.outcome, u.adopter) for u in result.used_by}
    # an Amt is the Gemeindeverband of the official directory (its key), before any curated organisation
    assert outcomes["Amt Schlieben"] == ("adoption", entity_iri("municipal-association", "120625209"))
    gransee = entity_iri("municipal-association", "120655502")
    assert outcomes["Amt Gransee und Gemeinden"] == ("adoption", gransee)
    # "Stadt Arneburg-Goldbeck" is curated as a Verbandsgemeinde: a curator's call, not an exact label
    assert outcomes["Stadt Arneburg-Goldbeck"][0] == "gap"
    assert outcomes["Bremen (MeinQuartier)"][0] == "gap"
    # the contractor is the curated organisation (exact label), not a new node
    role_agents = {str(o) for o in result.graph.objects(None, p("mpsc:agent"))}
    assert role_agents == {entity_iri("organisation", "smart-village-solutions")}


def test_no_personal_contact_data_is_imported(conformance: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    data = load(conformance / "standard-example-publiccode.yml")
    data["maintenance"]["contacts"].append({"name": "Erika Mustermann", "email": "erika@example.org",
                                            "phone": "+49 30 1234567", "affiliation": "Stadt Musterstadt"})
    g = run_import(write(tmp_path, data), gazetteer).graph
    text = g.serialize(format="nt")
    for personal in ("Francesco", "Rossi", "francesco.rossi", "3923113215112", "Erika", "Mustermann",
                     "erika@example.org", "1234567", "dario.bianchi", "mailto:"):
        assert personal not in text, personal
    assert not [o for o in g.objects() if "@" in str(o)]  # no e-mail address in any value
    assert "Fornitore Privato SPA" in text  # the contracting company is kept


def test_standard_example_mapping(conformance: Path, gazetteer: Gazetteer) -> None:
    result = run_import(conformance / "standard-example-publiccode.yml", gazetteer)
    g = result.graph
    medusa = URIRef(entity_iri("solution", "medusa"))
    assert set(g.objects(medusa, p("prov:wasDerivedFrom"))) == {URIRef("https://github.com/italia/otello.git")}
    assert set(g.objects(medusa, p("schema:applicationSuite"))) == {Literal("MegaProductivitySuite")}
    publisher = next(g.objects(medusa, p("schema:publisher")))
    assert set(g.objects(publisher, p("dct:identifier"))) == {Literal("urn:x-italian-pa:c_h501")}
    assert set(g.objects(publisher, RDFS.label)) >= {Literal("Roma Capitale", lang="de")}
    assert [u.outcome for u in result.used_by] == ["gap", "gap"]  # Italian Comuni are not in a German gazetteer
    assert not list(g.subjects(RDF.type, p("mpsc:Adoption")))
    assert not list(g.objects(medusa, p("mpsc:originator")))  # "City of Chicago" is no known public body


def test_funded_by_and_compound_licence(conformance: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    data = load(conformance / "standard-example-publiccode.minimal.yml")
    data["publiccodeYmlVersion"] = "0.4"
    data["legal"]["license"] = "EUPL-1.2 OR (AGPL-3.0-or-later WITH Classpath-exception-2.0)"
    data["fundedBy"] = [{"name": "Bundesministerium für Wohnen, Stadtentwicklung und Bauwesen",
                         "uri": "https://www.bmwsb.bund.de"}]
    g = run_import(write(tmp_path, data), gazetteer).graph
    medusa = URIRef(entity_iri("solution", "medusa"))
    assert set(g.objects(medusa, p("dct:license"))) == {URIRef("http://spdx.org/licenses/EUPL-1.2"),
                                                         URIRef("http://spdx.org/licenses/AGPL-3.0-or-later")}
    assert set(g.objects(medusa, p("dct:rights"))) == {
        Literal("SPDX: EUPL-1.2 OR (AGPL-3.0-or-later WITH Classpath-exception-2.0)")}
    funder_roles = list(g.subjects(p("mpsc:roleType"), URIRef(entity_iri("concept", "role/funder"))))
    assert len(funder_roles) == 1
    agent = next(g.objects(funder_roles[0], p("mpsc:agent")))
    assert set(g.objects(agent, p("schema:url"))) == {URIRef("https://www.bmwsb.bund.de")}
    # community maintenance without contractors: no maintainer role (contacts are people, not imported)
    assert not list(g.subjects(p("mpsc:roleType"), URIRef(entity_iri("concept", "role/maintainer"))))


def test_spdx_ids() -> None:
    assert spdx_ids("MIT") == ["MIT"]
    assert spdx_ids("EUPL-1.2 OR AGPL-3.0-or-later") == ["EUPL-1.2", "AGPL-3.0-or-later"]
    assert spdx_ids("(MIT AND BSD-2-Clause) OR Apache-2.0") == ["MIT", "BSD-2-Clause", "Apache-2.0"]
    assert spdx_ids("GPL-2.0+ WITH Classpath-exception-2.0") == ["GPL-2.0"]
    assert spdx_ids("LicenseRef-Proprietary") == []


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_supported_version_is_read(version: str, conformance: Path, tmp_path: Path,
                                         gazetteer: Gazetteer) -> None:
    data = load(conformance / "real-smart-village-app.yml")
    data["publiccodeYmlVersion"] = version
    assert len(run_import(write(tmp_path, data), gazetteer).used_by) == 34


def test_unquoted_yaml_dates_are_accepted(real: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    text = real.read_text(encoding="utf-8").replace("releaseDate: '2024-06-28'", "releaseDate: 2024-06-28")
    path = tmp_path / "p.yml"
    path.write_text(text, encoding="utf-8")
    g = run_import(path, gazetteer).graph
    assert set(g.objects(SOLUTION, p("schema:dateModified"))) == {Literal("2024-06-28", datatype=XSD_DATE)}


# ---- refusal ------------------------------------------------------------------------------------------

BROKEN = [
    (lambda d: d.update(publiccodeYmlVersion="0.1"), "publiccodeYmlVersion", "unknown version"),
    (lambda d: d.update(publiccodeYmlVersion="9.9"), "publiccodeYmlVersion", "unknown version"),
    (lambda d: d.update(publiccodeYmlVersion=0.3), "publiccodeYmlVersion", "must be a string"),
    (lambda d: d.pop("name"), "name", "mandatory"),
    (lambda d: d.pop("url"), "url", "mandatory"),
    (lambda d: d.update(url=42), "url", "must be a non-empty string"),
    (lambda d: d.pop("developmentStatus"), "developmentStatus", "mandatory"),
    (lambda d: d.update(developmentStatus="done"), "developmentStatus", "not one of"),
    (lambda d: d.update(softwareType="app"), "softwareType", "not one of"),
    (lambda d: d.update(releaseDate="28.06.2024"), "releaseDate", "YYYY-MM-DD"),
    (lambda d: d.update(usedBy="Stadt Kiel"), "usedBy", "list of strings"),
    (lambda d: d.update(usedBy=["Stadt Kiel", 7]), "usedBy[1]", "non-empty string"),
    (lambda d: d.pop("legal"), "legal", "mandatory"),
    (lambda d: d["legal"].pop("license"), "legal/license", "mandatory"),
    (lambda d: d["maintenance"].pop("type"), "maintenance/type", "mandatory"),
    (lambda d: d["maintenance"].pop("contractors"), "maintenance/contractors", "mandatory"),
    (lambda d: d["maintenance"]["contractors"][0].pop("until"), "maintenance/contractors[0]/until", "mandatory"),
    (lambda d: d["maintenance"].update(type="community"), "maintenance/contractors", "must not be present"),
    (lambda d: d.pop("description"), "description", "mandatory"),
    (lambda d: d["description"]["de"].pop("shortDescription"), "description/de/shortDescription", "mandatory"),
    (lambda d: d["localisation"].update(localisationReady="no"), "localisation/localisationReady", "true or false"),
    (lambda d: d.update(isBasedOn=["not a url"]), "isBasedOn[0]", "URL"),
    (lambda d: d.update(organisation={"name": "Stadt Bad Belzig"}), "organisation/uri", "mandatory"),
    (lambda d: d.update(fundedBy=[{"uri": "https://example.org"}]), "fundedBy[0]/name", "mandatory"),
]


@pytest.mark.parametrize(("breaker", "key", "message"), BROKEN, ids=[f"{k}:{m}" for _, k, m in BROKEN])
def test_broken_files_are_refused_naming_the_key(breaker, key: str, message: str, real: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 gazetteer: Gazetteer) -> None:
    data = load(real)
    breaker(data)
    with pytest.raises(PubliccodeInvalid) as info:
        run_import(write(tmp_path, data), gazetteer)
    assert f"key '{key}'" in str(info.value)
    assert message in str(info.value)


def test_error_names_the_line(real: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    text = real.read_text(encoding="utf-8").replace("developmentStatus: stable", "developmentStatus: done")
    path = tmp_path / "p.yml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("developmentStatus: done") + 1
    with pytest.raises(PubliccodeInvalid, match=rf"p\.yml:{line}: key 'developmentStatus'"):
        run_import(path, gazetteer)


def test_not_yaml_and_not_a_mapping(tmp_path: Path, gazetteer: Gazetteer) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(PubliccodeInvalid, match="not valid YAML"):
        run_import(bad, gazetteer)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(PubliccodeInvalid, match="must be a mapping"):
        run_import(bad, gazetteer)


def test_one_broken_file_stops_the_whole_import(real: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    data = load(real)
    data.pop("name")
    with pytest.raises(PubliccodeInvalid):
        import_all([str(real), str(write(tmp_path, data))], gazetteer=gazetteer)
    with pytest.raises(InputError, match="no such file"):
        import_all([str(tmp_path / "missing.yml")], gazetteer=gazetteer)


# ---- the command ---------------------------------------------------------------------------------------


def test_cli_writes_turtle_and_reports_gaps(real: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "sva.ttl"
    report = tmp_path / "report.txt"
    result = CliRunner().invoke(main, ["import", "publiccode", str(real), "--root", str(REPO), "-o", str(out),
                                       "--report", str(report), "--accessed", "2026-11-24"])
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(out, format="turtle")
    assert len(set(g.subjects(RDF.type, URIRef(MPSC + "Adoption")))) == 31
    text = out.read_text(encoding="utf-8")
    assert "# UNRESOLVED usedBy (no adoption written): GAP 'Bremen (MeinQuartier)'" in text
    assert "candidate: Bremen (municipality 04011000" in text
    assert "GAP 'Stadt Arneburg-Goldbeck'" in result.stderr
    assert "'Gemeine Birkenwerder' → Birkenwerder" in report.read_text(encoding="utf-8")


def test_cli_refuses_a_broken_file_writes_nothing_exit_2(real: Path, tmp_path: Path) -> None:
    data = load(real)
    data["maintenance"]["type"] = "sometimes"
    broken = write(tmp_path, data)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["import", "publiccode", str(real), str(broken), "-o", str(out)])
    assert result.exit_code == 2
    assert "key 'maintenance/type'" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".out.ttl.*")) == []


def test_cli_keeps_an_existing_output_when_refusing(real: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("# previous\n", encoding="utf-8")
    data = load(real)
    data["publiccodeYmlVersion"] = "1.0"
    result = CliRunner().invoke(main, ["import", "publiccode", str(write(tmp_path, data)), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "# previous\n"


def test_cli_unreachable_url_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["import", "publiccode", f"http://127.0.0.1:{port}/publiccode.yml",
                                       "--timeout", "2", "--retries", "0", "-o", str(tmp_path / "x.ttl")])
    assert result.exit_code == 2
    assert f"http://127.0.0.1:{port}/publiccode.yml: cannot connect" in result.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_imported_turtle_validates_with_the_real_data(real: Path, tmp_path: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "imported-sva.ttl"
    result = CliRunner().invoke(main, ["import", "publiccode", str(real), "--root", str(REPO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    project = make_project(*sorted((REPO / "data").iterdir()), out)
    report, _ = validate_fast(load_dataset(project), project, lang="en")
    assert report.exit_code() == 0, report.to_text()[:2000]
    shutil.rmtree(project.root)


def test_cli_fetches_a_url_and_cites_it_as_the_source(real: Path, tmp_path: Path) -> None:
    body = real.read_bytes()

    def answer(handler: BaseHTTPRequestHandler, request: Received) -> None:
        if request.path == "/redirect":  # to a scheme the importer must never follow
            respond(handler, 302, headers={"Location": "file:///etc/passwd"})
        elif request.path == "/huge.yml":  # no declared length: the limit must hold while reading
            respond_without_length(handler, b"#" * 65536, 40)
        elif request.path == "/publiccode.yml":
            respond(handler, 200, body)
        else:
            respond(handler, 404)

    with LoopbackServer(answer) as server:
        base = server.base
        out = tmp_path / "sva.ttl"
        result = CliRunner().invoke(main, ["import", "publiccode", f"{base}/publiccode.yml", "-o", str(out),
                                           "--timeout", "5"])
        missing = CliRunner().invoke(main, ["import", "publiccode", f"{base}/nothing.yml", "--timeout", "5"])
        redirected = CliRunner().invoke(main, ["import", "publiccode", f"{base}/redirect", "--timeout", "5"])
        huge = CliRunner().invoke(main, ["import", "publiccode", f"{base}/huge.yml", "--timeout", "5"])
    agents = [r.headers.get("User-Agent", "") for r in server.received]
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(out, format="turtle")
    assert set(g.objects(SOURCE, p("schema:url"))) == {URIRef(f"{base}/publiccode.yml")}
    assert agents[0].startswith("mpsc-graph/") and "publiccode.yml importer" in agents[0]
    assert missing.exit_code == 2 and f"{base}/nothing.yml: HTTP 404" in missing.stderr
    assert redirected.exit_code == 2 and "not an http(s) URL" in redirected.stderr
    assert huge.exit_code == 2 and "larger than the limit of 2,000,000 bytes" in huge.stderr
    assert "Traceback" not in redirected.output + huge.output


def test_cli_state_hint_settles_same_name_bodies(real: Path, tmp_path: Path) -> None:
    data = load(real)
    data["usedBy"] = ["Frankfurt", "Stadt Kiel"]
    path = write(tmp_path, data)
    plain = CliRunner().invoke(main, ["import", "publiccode", str(path), "--root", str(REPO)])
    assert plain.exit_code == 0
    assert "GAP 'Frankfurt': ambiguous" in plain.stderr
    assert "candidate: Frankfurt am Main (municipality 06412000" in plain.stderr
    hinted = CliRunner().invoke(main, ["import", "publiccode", str(path), "--root", str(REPO), "--state", "12"])
    assert hinted.exit_code == 0
    assert "'Frankfurt' → Frankfurt (Oder) <https://w3id.org/mpsc-graph/id/municipality/12053000>" in hinted.stderr
    assert "'Stadt Kiel' → Kiel" in hinted.stderr


def test_is_based_on_a_known_repository_becomes_based_on_the_solution(real: Path, tmp_path: Path) -> None:
    data = load(real)
    data["name"] = "Beispiel-App"
    data["url"] = "https://example.org/beispiel-app.git"
    data["isBasedOn"] = ["https://github.com/smart-village-solutions/smart-village-app-app.git",
                         "https://example.org/unknown.git"]
    out = tmp_path / "fork.ttl"
    result = CliRunner().invoke(main, ["import", "publiccode", str(write(tmp_path, data)), "--root", str(REPO),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(out, format="turtle")
    fork = URIRef(entity_iri("solution", "beispiel-app"))
    assert set(g.objects(fork, p("mpsc:basedOn"))) == {SOLUTION}  # matched without the trailing .git
    assert set(g.objects(fork, p("prov:wasDerivedFrom"))) == {
        URIRef("https://github.com/smart-village-solutions/smart-village-app-app.git"),
        URIRef("https://example.org/unknown.git")}


def test_solutions_by_repository_query_on_the_real_data() -> None:
    from mpsc_graph.api import Graph

    graph = Graph.open(REPO)
    rows = graph.query("solutions_by_repository",
                       repository="https://github.com/smart-village-solutions/smart-village-app-app").records()
    assert [r["solution"] for r in rows] == [str(SOLUTION)]
    assert graph.query("solutions_by_repository", repository="https://example.org/none").records() == []
