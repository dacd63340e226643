"""A case added with ``add`` reaches the store, the pages and the network; the ``/contribute`` form makes what
``add`` makes, checks it in a query worker, and writes nothing.

One small project (the curated data and the directory rows of Nordrhein-Westfalen) gets the fixture case
Hilden joins the Open SmartCity App partnership of Solingen with ``add``; its store is built and served
once for the module with ``--root``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.contribcheck import check_case
from mpsc_graph.dataset import build_store, load_dataset
from mpsc_graph.network import adoption_digraph
from mpsc_graph.project import Project
from mpsc_graph.server import running
from mpsc_graph.server.app import create_app
from mpsc_graph.server.config import ServerConfig
from support import SHAPE_BASE, TEST_DATA, project_skeleton, small_project

HILDEN = "https://w3id.org/mpsc-graph/id/municipality/05158016"
SOLINGEN = "https://w3id.org/mpsc-graph/id/municipality/05122000"
ADOPTION = "https://w3id.org/mpsc-graph/id/adoption/hilden-osca"
CASE = (TEST_DATA / "contrib" / "hilden-osca.yaml").read_text(encoding="utf-8")
#: a second case, for the form: Langenfeld (Rheinland) joins the same partnership
FORM = {
    "art": "nachnutzung",
    "nachnutzer": "Langenfeld (Rheinland)",
    "loesung": "Open SmartCity App",
    "herkunft": "Solingen",
    "nachnutzungsart": "joint-development",
    "status": "planned",
    "beginn": "2024-02",
    "beleg1_url": "https://www.example.org/langenfeld-app",
    "beleg1_titel": "Langenfeld tritt bei",
    "beleg1_herausgeber": "Beispielzeitung",
    "beleg1_datum": "2024-02-20",
    "angegeben_von": "Langenfeld (Rheinland)",
    "erneut_bestaetigen_bis": "2027-06-30",
}
FORM_TYPE = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with the fixture case added by ``add`` (exit 0 checked here, as every test needs it)."""
    root = small_project(tmp_path_factory.mktemp("contribute") / "project", states=("05",))
    case = root / "fall.yaml"
    case.write_text(CASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["add", "--root", str(root), str(case)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def server(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_store(Project.at(root), tmp_path_factory.mktemp("contribute-store") / "store").store_dir
    log = tmp_path_factory.mktemp("logs") / "contribute-server.log"
    with running(root, store_dir=store, extra_args=["--timeout", "30", "--workers", "2"], log_file=log) as base:
        yield base


def post(server: str, fields: dict[str, str], path: str = "/contribute") -> httpx.Response:
    return httpx.post(server + path, content=urlencode(fields).encode(), headers=FORM_TYPE, timeout=60)


class Controls(HTMLParser):
    """The form controls of a page (their attributes), the ids its labels point to, and its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append(found)
        if tag == "script":
            self.scripts += 1


def controls(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


# --------------------------------------------------------------------------- the added case, end to end


def test_the_added_case_is_in_the_network_of_the_library(root: Path) -> None:
    network = adoption_digraph(Graph(Project.at(root)), with_node_attributes=False)
    assert network.has_edge(SOLINGEN, HILDEN)


def test_the_added_case_is_on_the_solution_page_and_in_the_municipalitys_adoptions(server: str) -> None:
    profile = httpx.get(server + "/solution/osca", timeout=60)
    assert profile.status_code == 200
    assert re.search(r'<a href="[^"]*05158016[^"]*">Hilden</a>', profile.text), "Hilden is among the adopters"
    rows = httpx.get(server + "/adoptions?adopter=Hilden&format=json", timeout=60).json()
    assert [(r["adoption"], r["origin"], r["asset"]) for r in rows] == [
        (ADOPTION, SOLINGEN, "https://w3id.org/mpsc-graph/id/solution/osca")
    ]


def test_the_added_case_is_an_edge_of_the_network_served(server: str) -> None:
    answer = httpx.get(server + "/api/adoption_edges", headers={"accept": "application/json"}, timeout=60)
    assert answer.status_code == 200
    edges = {r["adoption"]: (r["origin"], r["adopter"]) for r in answer.json()}
    assert edges[ADOPTION] == (SOLINGEN, HILDEN)


# --------------------------------------------------------------------------- the form


def test_the_empty_form_labels_every_field_and_runs_no_script(server: str) -> None:
    for lang, word in (("", "Nachnutzer"), ("?lang=en", "Adopter")):
        answer = httpx.get(server + "/contribute" + lang, timeout=60)
        assert answer.status_code == 200
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        found = controls(answer.text)
        assert found.scripts == 0
        assert len(found.controls) >= 9 + 4 * 3 + 2  # the adoption's fields, three evidence rows, who and when
        assert {str(c["id"]) for c in found.controls} <= found.labelled, "every field has a label"
        assert f'>{word} <span class="req">' in answer.text
    assert "Nachnutzer" not in httpx.get(server + "/contribute?lang=en", timeout=60).text


@pytest.mark.parametrize(("art", "first"), [("angebot", "anbieter"), ("loesung", "bezeichnung")])
def test_offer_and_solution_have_forms_of_their_own(server: str, art: str, first: str) -> None:
    found = controls(httpx.get(server + f"/contribute?art={art}", timeout=60).text)
    assert found.controls[0]["name"] == first


def test_the_form_gives_the_yaml_and_the_turtle_that_add_writes(server: str, root: Path, tmp_path: Path) -> None:
    checked = post(server, {**FORM, "aktion": "pruefen"})
    assert checked.status_code == 200, checked.text
    assert "Der Fall ist gültig." in checked.text
    yaml_file = post(server, {**FORM, "aktion": "yaml"})
    turtle = post(server, {**FORM, "aktion": "turtle"})
    assert yaml_file.headers["content-disposition"] == 'attachment; filename="nachnutzung.yaml"'
    assert turtle.headers["content-disposition"] == 'attachment; filename="contrib-langenfeld-rheinland.ttl"'
    assert not (root / "data" / "contrib-langenfeld-rheinland.ttl").exists(), "the server writes nothing"
    # the downloaded YAML, added to a copy of the served project, writes exactly the downloaded Turtle
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    case = tmp_path / "nachnutzung.yaml"
    case.write_bytes(yaml_file.content)
    result = CliRunner().invoke(main, ["add", "--root", str(copy), str(case)])
    assert result.exit_code == 0, result.output
    assert (copy / "data" / "contrib-langenfeld-rheinland.ttl").read_bytes() == turtle.content


def test_an_unknown_name_is_shown_at_its_field_with_candidates(server: str) -> None:
    answer = post(server, {**FORM, "nachnutzer": "Langenfeldd"})
    assert answer.status_code == 422
    error = re.search(r'<span class="error" id="e-nachnutzer">(.*?)</span>', answer.text, re.S)
    assert error and "did you mean" in error.group(1) and "Langenfeld" in error.group(1)
    assert 'id="f-nachnutzer" name="nachnutzer" type="text" value="Langenfeldd"' in answer.text
    assert 'aria-describedby="h-nachnutzer e-nachnutzer"' in answer.text


def test_a_violation_found_by_the_worker_is_shown_at_its_field(server: str) -> None:
    answer = post(server, {**FORM, "beginn": "2024-05", "ende": "2023", "aktion": "turtle"})
    assert answer.status_code == 422, "no download of a case that breaks a shape"
    error = re.search(r'<span class="error" id="e-ende">(.*?)</span>', answer.text, re.S)
    assert error and "Das Ende (2023) liegt vor dem Beginn." in error.group(1)


def test_a_duplicate_of_the_added_case_is_refused_naming_it(server: str) -> None:
    answer = post(server, {**FORM, "nachnutzer": "Hilden", "angegeben_von": "Hilden"}, "/contribute?lang=en")
    assert answer.status_code == 422
    assert f"duplicate: {ADOPTION} already records" in answer.text


def test_evidence_is_required_and_its_problems_shown_in_its_row(server: str) -> None:
    without = {k: v for k, v in FORM.items() if not k.startswith("beleg")}
    answer = post(server, without)
    assert answer.status_code == 422 and "at least one evidence page" in answer.text
    answer = post(server, {**FORM, "beleg1_url": "ftp://example.org/x"})
    error = re.search(r'<span class="error" id="e-beleg1_url">(.*?)</span>', answer.text, re.S)
    assert answer.status_code == 422 and error and "http or https" in error.group(1)
    answer = post(server, {**FORM, "beleg1_datum": "20.02.2024"})
    error = re.search(r'<span class="error" id="e-beleg1_datum">(.*?)</span>', answer.text, re.S)
    assert answer.status_code == 422 and error and "YYYY-MM-DD" in error.group(1)


def test_bad_requests_are_refused_as_sparql_refuses_them(server: str) -> None:
    assert (
        httpx.post(
            server + "/contribute", content=b"{}", headers={"content-type": "application/json"}, timeout=60
        ).status_code
        == 415
    )
    assert httpx.post(server + "/contribute", content=b"art=%FF", headers=FORM_TYPE, timeout=60).status_code == 400
    too_large = urlencode({**FORM, "bezeichnung": "x" * 1_100_000}).encode()
    assert httpx.post(server + "/contribute", content=too_large, headers=FORM_TYPE, timeout=60).status_code == 413
    assert post(server, {**FORM, "art": "nachnutzung&art=angebot"}).status_code == 400
    twice = urlencode(FORM).encode() + b"&art=angebot"
    assert httpx.post(server + "/contribute", content=twice, headers=FORM_TYPE, timeout=60).status_code == 400


def test_without_a_project_root_the_form_is_off(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store_dir=tmp_path / "store", queries_dir=None))
    client = TestClient(app)  # no lifespan: the page needs no worker to say the form is off
    answer = client.get("/contribute")
    assert answer.status_code == 200 and "Das Formular ist aus" in answer.text
    assert 'name="nachnutzer"' not in answer.text
    assert client.post("/contribute", content=urlencode(FORM), headers=FORM_TYPE).status_code == 403


@pytest.mark.parametrize(
    ("art", "fields", "record"),
    [
        ("angebot", {"anbieter": "Solingen", "loesung": "Open SmartCity App", "weg": "membership"}, "a mpsc:Offer"),
        ("loesung", {"bezeichnung": "Beispiel-Fahrplanauskunft", "urheber": "Solingen"}, "a mpsc:Solution"),
    ],
)
def test_an_offer_and_a_solution_are_made_as_add_makes_them(
    server: str, art: str, fields: dict[str, str], record: str
) -> None:
    common = {
        k: v for k, v in FORM.items() if k.startswith("beleg") or k in ("angegeben_von", "erneut_bestaetigen_bis")
    }
    answer = post(server, {"art": art, **fields, **common, "aktion": "turtle"})
    assert answer.status_code == 200, answer.text
    assert record in answer.text and "prov:wasAttributedTo" in answer.text and "mpsc:reconfirmBy" in answer.text


# --------------------------------------------------------------------------- the check on its own

CASE_TTL = """@prefix mpsc: <https://w3id.org/mpsc-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/mpsc-graph/id/adoption/case> a mpsc:Adoption ; rdfs:label "Fall"@de ;
    mpsc:adopter <https://w3id.org/mpsc-graph/id/municipality/99001009> ;
    mpsc:origin <https://w3id.org/mpsc-graph/id/municipality/99001001> ;
    mpsc:adoptedAsset <https://w3id.org/mpsc-graph/id/module/core> ;
    mpsc:adoptionMode <https://w3id.org/mpsc-graph/id/concept/adoption-mode/trial> ;
    mpsc:adoptionStatus <https://w3id.org/mpsc-graph/id/concept/adoption-status/trial> ;
    mpsc:startDate "{start}"^^xsd:gYear ; dct:source <https://w3id.org/mpsc-graph/id/source/fixture> ;
    prov:wasAttributedTo <https://w3id.org/mpsc-graph/id/{asserter}> ; mpsc:reconfirmBy "2027-12-31"^^xsd:date .
"""


def test_the_check_sees_what_the_references_say_and_reports_only_the_cases_own_nodes(tmp_path: Path) -> None:
    root = project_skeleton(tmp_path / "project")
    shutil.copy(SHAPE_BASE, root / "data" / "base.ttl")
    # the adopter breaks rules of its own (no label, key or source): they are not the case's findings
    (root / "data" / "thin.ttl").write_text(
        "<https://w3id.org/mpsc-graph/id/municipality/99001009> "
        "a <https://w3id.org/mpsc-graph/ontology#Municipality> .\n",
        encoding="utf-8",
    )
    project = Project.at(root)
    store = load_dataset(project)
    case = "https://w3id.org/mpsc-graph/id/adoption/case"

    def check(start: str, asserter: str) -> set[tuple[str, str]]:
        text = CASE_TTL.replace("{start}", start).replace("{asserter}", asserter)
        found = check_case(store, text, project.shape_files(), [case], root, lang="en")
        assert {f.focus for f in found} <= {case}
        return {(f.path, f.message) for f in found}

    assert check("2021", "municipality/99001002") == set()
    # the module's solution was funded by a model project of the 2020 round, four links away from the case
    assert check("2019", "municipality/99001002") == {
        (
            "mpsc:startDate",
            "The adoption starts (2019) before the round of the model project that funded the solution at its origin.",
        )
    }
    # an asserter no node defines is said to be undefined, with the nearest defined one
    ((path, message),) = check("2021", "municipality/99001003")
    assert path == "prov:wasAttributedTo" and "is not defined in the dataset" in message and "99001002" in message
