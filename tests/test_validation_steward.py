"""Validation a data steward can read: what the steward met when adding a case by hand, one test each.

A missing origin is a violation unless stated unknown with a reason; an IRI no node defines is named
as such with the nearest defined ones; a wrong date gives one message naming the accepted forms; a
baseline hides the standing findings so the new one stands out; ``--summary`` counts per shape. Every
finding names file, line and entity. (The fifth finding, no template and no guide, is
``test_add.py``'s subject.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.dataset import load_dataset
from mpsc_graph.project import Project
from mpsc_graph.validation import Report, validate
from support import SHAPE_BASE, TEST_DATA

HEADER = (SHAPE_BASE.parent / "invalid" / "adoption-missing-origin.ttl").read_text(encoding="utf-8").split("\n\n")[0]
CASE = ("<https://w3id.org/mpsc-graph/id/adoption/x> a mpsc:Adoption ; rdfs:label \"Fall\"@de ;\n"
        "    mpsc:adopter {adopter} ; mpsc:adoptedAsset <https://w3id.org/mpsc-graph/id/module/core> ;\n"
        "    mpsc:adoptionMode mode:trial ; mpsc:adoptionStatus status:trial ; dct:source source:fixture{extra} .\n")


def case(adopter: str = "municipality:99001002", extra: str = "; mpsc:origin municipality:99001001") -> str:
    return HEADER + "\n\n" + CASE.format(adopter=adopter, extra=extra)


def _report(project: Project, lang: str = "en") -> Report:
    return validate(load_dataset(project), project, lang=lang)[0]


def _new(report: Report) -> list[str]:
    return [f"{f.severity}|{f.shape.rsplit('#', 1)[-1]}|{f.message}|{','.join(f.locations)}" for f in report.findings]


def test_adoption_without_origin_is_a_violation_naming_file_and_line(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, steward__ttl=case(extra=""))
    report = _report(project)
    (finding,) = report.findings
    assert finding.severity == "Violation" and finding.path == "mpsc:origin"
    assert "drops out of the network" in finding.message and "mpsc:originUnknownReason" in finding.message
    assert finding.locations == ("data/steward.ttl:13",)  # eleven header lines, one blank
    assert report.exit_code() == 1


def test_origin_stated_unknown_with_reason_conforms(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, TEST_DATA / "shapes" / "valid" / "origin-unknown-with-reason.ttl")
    assert _report(project).findings == ()


def test_undefined_municipality_is_named_with_the_nearest_defined_ones(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, steward__ttl=case(adopter="municipality:99001012"))
    (finding,) = _report(project).findings
    assert finding.value == "https://w3id.org/mpsc-graph/id/municipality/99001012"
    assert finding.message.startswith("https://w3id.org/mpsc-graph/id/municipality/99001012 is not defined in the "
                                      "dataset")
    assert "did you mean <https://w3id.org/mpsc-graph/id/municipality/99001002> (Beta Village)" in finding.message
    assert "exactly one adopter" not in finding.message
    german = _report(project, lang="de").findings[0].message
    assert "ist im Datenbestand nicht definiert" in german and "meinten Sie" in german


def test_a_date_in_german_form_gives_one_message_naming_the_accepted_forms(
        make_project: Callable[..., Project]) -> None:
    # an origin funded in 2020 and a later end: before the fix, "01.03.2022" also read as starting in "01.0"
    text = case(extra='; mpsc:origin municipality:99001001 ; mpsc:startDate "01.03.2022" ; '
                      'mpsc:endDate "2021"^^xsd:gYear')
    (finding,) = _report(make_project(SHAPE_BASE, steward__ttl=text)).findings
    assert finding.path == "mpsc:startDate" and finding.value == "01.03.2022"
    assert all(form in finding.message for form in ("xsd:date", "xsd:gYearMonth", "xsd:gYear"))


def test_baseline_hides_standing_findings_and_lets_the_new_one_stand_out(
        make_project: Callable[..., Project], tmp_path: Path) -> None:
    warned = case(extra="; mpsc:origin municipality:99001001").replace("mpsc:adoptionMode mode:trial ; ", "")
    project = make_project(SHAPE_BASE, standing__ttl=warned)
    runner = CliRunner()
    baseline = tmp_path / "baseline.json"
    made = runner.invoke(main, ["validate", "--root", str(project.root), "--format", "baseline", "-o", str(baseline)])
    assert made.exit_code == 0, made.output
    assert [e["shape"].rsplit("#", 1)[-1] for e in json.loads(baseline.read_text())["findings"]] == [
        "Adoption-mode-missing"]
    same = runner.invoke(main, ["validate", "--root", str(project.root), "--baseline", str(baseline)])
    assert same.exit_code == 0
    assert "0 violation(s), 0 warning(s); 1 finding(s) of the baseline not shown" in same.output
    # a new problem in a new file: only it is shown, and it fails the run
    (project.root / "data" / "new.ttl").write_text(
        case(extra="").replace("adoption/x>", "adoption/y>"), encoding="utf-8")
    new = runner.invoke(main, ["validate", "--root", str(project.root), "--baseline", str(baseline), "--lang", "en"])
    assert new.exit_code == 1
    assert "adoption/y> [data/new.ttl:13]" in new.output and "adoption/x>" not in new.output
    assert "1 violation(s), 0 warning(s); 1 finding(s) of the baseline not shown" in new.output


def test_baseline_that_is_not_one_exits_2_naming_the_file(make_project: Callable[..., Project],
                                                           tmp_path: Path) -> None:
    project = make_project(SHAPE_BASE)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"findings": 3}', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(project.root), "--baseline", str(wrong)])
    assert result.exit_code == 2 and "wrong.json: not a baseline" in result.output


def test_summary_counts_per_shape_with_the_first_focus_nodes(make_project: Callable[..., Project]) -> None:
    texts = {f"s{i}__ttl": case(extra="").replace("adoption/x>", f"adoption/x{i}>") for i in range(5)}
    project = make_project(SHAPE_BASE, **texts)
    result = CliRunner().invoke(main, ["validate", "--root", str(project.root), "--summary", "--lang", "en"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["5", "Violation", "Adoption-origin-stated:"]
    assert [line.strip() for line in lines[1:5]] == [
        "Fall <https://w3id.org/mpsc-graph/id/adoption/x0> [data/s0.ttl:13]",
        "Fall <https://w3id.org/mpsc-graph/id/adoption/x1> [data/s1.ttl:13]",
        "Fall <https://w3id.org/mpsc-graph/id/adoption/x2> [data/s2.ttl:13]",
        "… 2 more",
    ]
