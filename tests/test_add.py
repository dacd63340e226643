"""``mpsc-graph add``: a steward adds a case from a filled template; refusals write nothing.

The case is a fixture (Hilden joins the Open SmartCity App partnership of Solingen) added to a
copy of the real project, so names resolve against the real graph and the municipality directory
(its rows of Nordrhein-Westfalen and those the curated data names: ``support.small_project``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.contribute import TEMPLATES, read_case
from mpsc_graph.network import adoption_digraph
from mpsc_graph.project import Project
from support import TEST_DATA, small_project

CASE = (TEST_DATA / "contrib" / "hilden-osca.yaml").read_text(encoding="utf-8")
TARGET = "data/contrib-hilden.ttl"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real project (ontology, shapes, queries, data) to add cases to."""
    return small_project(tmp_path_factory.mktemp("steward"), states=("05",))


def _add(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["add", "--root", str(root), *args], input=stdin)
    return result.exit_code, result.output


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").iterdir())}


def test_templates_are_german_with_english_comments_and_load_safely() -> None:
    for name, kind in (("adoption", "nachnutzung"), ("offer", "angebot"), ("solution", "loesung")):
        text = (TEMPLATES / f"{name}.yaml").read_text(encoding="utf-8")
        assert read_case(TEMPLATES / f"{name}.yaml")[0]["art"] == kind
        fields = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
        assert all("#" in line for line in fields), "every field has an English comment"
        assert "belege" in text and "angegeben_von" in text and "erneut_bestaetigen_bis" in text


def test_a_case_is_added_validated_and_appears_in_the_network(root: Path, tmp_path: Path) -> None:
    case = tmp_path / "fall.yaml"
    case.write_text(CASE, encoding="utf-8")
    code, output = _add(root, str(case))
    assert code == 0, output
    assert "added adoption <https://w3id.org/mpsc-graph/id/adoption/hilden-osca> to " + TARGET in output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert "prov:wasAttributedTo <https://w3id.org/mpsc-graph/id/municipality/05158016>" in text
    assert 'mpsc:reconfirmBy "2027-12-31"^^xsd:date' in text
    assert "schema:url <https://www.example.org/hilden-app>" in text
    graph = Graph(Project.at(root))
    network = adoption_digraph(graph, with_node_attributes=False)
    assert network.has_edge("https://w3id.org/mpsc-graph/id/municipality/05122000",
                            "https://w3id.org/mpsc-graph/id/municipality/05158016")


def test_the_same_case_again_is_refused_as_a_duplicate_naming_it(root: Path, tmp_path: Path) -> None:
    case = tmp_path / "again.yaml"
    case.write_text(CASE.replace("example.org/hilden-app", "example.org/other"), encoding="utf-8")
    before = _snapshot(root)
    code, output = _add(root, str(case))
    assert code == 2
    assert "duplicate: https://w3id.org/mpsc-graph/id/adoption/hilden-osca already records" in output
    assert _snapshot(root) == before


@pytest.mark.parametrize(("change", "expected"), [
    (("nachnutzer: Hilden", "nachnutzer: Euskirchn"), ":2: 'nachnutzer': no entity named 'Euskirchn'"),
    (("loesung: Open SmartCity App", "loesung: Nirgendwo-App"), "'loesung': no entity named 'Nirgendwo-App'"),
    (("    datum: 2023-09-09", "    datum: 09.09.2023"), "accepted: YYYY-MM-DD"),
    (("  - url: https://www.example.org/hilden-app", "  - url: ftp://example.org/x"), "http or https"),
    (("herkunft: Solingen", "herkunft:"), "herkunft_unbekannt_weil"),
    (("erneut_bestaetigen_bis: 2027-12-31", "erneut_bestaetigen_bis:"), "re-confirm"),
    (("belege:", "belege: []\nalt:"), "at least one evidence page"),
])
def test_what_cannot_be_resolved_or_is_missing_is_refused_and_nothing_written(
        root: Path, tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    text = CASE.replace(*change)
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    before = _snapshot(root)
    code, output = _add(root, str(case))
    assert code == 2, output
    assert expected in output and str(case) in output
    assert "Traceback" not in output
    assert _snapshot(root) == before


def test_interactive_asks_each_field_and_adds_the_case(root: Path) -> None:
    answers = ["Hilden", "Masterportal", "", "Die Quelle nennt keine abgebende Stelle.", "trial", "trial",
               "2024", "", "", "https://www.example.org/masterportal-hilden", "Masterportal in Hilden",
               "", "2024-02-01", "Hilden", "2027-06-30"]
    code, output = _add(root, "--interactive", "adoption", stdin="\n".join(answers) + "\n")
    assert code == 0, output
    assert "nachnutzer (adopter:" in output and "belege url (http or https address)" in output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert 'mpsc:originUnknownReason "Die Quelle nennt keine abgebende Stelle."@de' in text
    # appended: the first case's block is still there, byte for byte at the start
    assert text.index("adoption/hilden-osca>") < text.index("adoption/hilden-masterportal>")


def test_bad_yaml_is_refused_with_exit_2_and_nothing_written(root: Path, tmp_path: Path) -> None:
    bombs = {
        "anchors.yaml": "a: &a [x, x]\nb: [*a, *a]\n",
        "binary.yaml": b"art: nachnutzung\n\x00\x01\x02",
        "latin1.yaml": "nachnutzer: Lüdenscheid\n".encode("latin-1"),
        "huge.yaml": "x: " + "a" * 2_100_000 + "\n",
    }
    before = _snapshot(root)
    for name, content in bombs.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        code, output = _add(root, str(path))
        assert code == 2 and str(path) in output, (name, output)
    assert _snapshot(root) == before


def test_an_offer_and_a_solution_go_to_the_asserting_organisations_file_in_order(root: Path, tmp_path: Path) -> None:
    offer = tmp_path / "angebot.yaml"
    offer.write_text("art: angebot\nanbieter: Halle (Saale)\nloesung: HAL-Plan\nweg: self-hosting\n"
                     "belege:\n  - url: https://www.example.org/angebot\n    titel: Angebot\n    datum: 2024-05-02\n"
                     "angegeben_von: 15002000\nerneut_bestaetigen_bis: 2027-12-31\n", encoding="utf-8")
    solution = tmp_path / "loesung.yaml"
    solution.write_text("art: loesung\nbezeichnung: Beispiel-App Halle\nurheber: 15002000\n"
                        "lizenz: https://spdx.org/licenses/EUPL-1.2\n"
                        "belege:\n  - url: https://www.example.org/loesung\n    titel: Lösung\n    datum: 2024-05-02\n"
                        "angegeben_von: Halle (Saale)\nerneut_bestaetigen_bis: 2027-12-31\n", encoding="utf-8")
    code, output = _add(root, str(offer))
    assert code == 0, output
    target = root / "data" / "contrib-halle-saale.ttl"
    first = target.read_bytes()
    assert b"mpsc:route <https://w3id.org/mpsc-graph/id/concept/reuse-route/self-hosting>" in first
    code, output = _add(root, str(solution))
    assert code == 0, output
    assert "added solution <https://w3id.org/mpsc-graph/id/solution/beispiel-app-halle>" in output
    second = target.read_bytes()
    assert second.startswith(first) and b"mpsc:originator <https://w3id.org/mpsc-graph/id/municipality/15002000>" \
        in second[len(first):]
