"""Every shape rule has a fixture that triggers exactly that rule, and good data conforms.

Each ``tests/data/shapes/invalid/*.ttl`` adds one broken node to the valid ``base.ttl`` and names
the shape it must trip in its first line (``# expect: mpscsh:...``). The test compares the
findings of base + fixture with those of base alone: the new findings must all come from that shape.
The shapes are the subject here, so the fast engine runs them; that it reports what pySHACL reports
on these very fixtures is ``test_fastvalidate.py``'s subject.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Store

from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.project import Project
from mpsc_graph.validation import Report
from support import SHAPE_BASE, SHAPE_FIXTURES, expected_shape, project_skeleton


def _validate(project: Project) -> Report:
    return validate_fast(load_dataset(project), project, lang="en")[0]


@pytest.fixture(scope="module")
def base_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    root = tmp_path_factory.mktemp("base")
    project_skeleton(root)
    shutil.copy(SHAPE_BASE, root / "data" / "base.ttl")
    return _validate(Project.at(root))


def test_base_fixture_conforms_without_warnings(base_report: Report) -> None:
    assert base_report.findings == ()


@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=[p.stem for p in SHAPE_FIXTURES])
def test_fixture_triggers_exactly_its_rule(
    fixture: Path, make_project: Callable[..., Project], base_report: Report
) -> None:
    report = _validate(make_project(SHAPE_BASE, fixture))
    new = set(report.findings) - set(base_report.findings)
    assert new, f"{fixture.name} triggered nothing"
    assert {f.shape for f in new} == {expected_shape(fixture)}
    severity = "Warning" if fixture.stem.startswith("warning-") else "Violation"
    assert {f.severity for f in new} == {severity}


def test_findings_carry_messages_in_both_languages(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, SHAPE_BASE.parent / "invalid" / "adoption-missing-adopter.ttl")
    store = load_dataset(project)
    german = validate_fast(store, project, lang="de")[0]
    english = validate_fast(store, project, lang="en")[0]
    assert [f.message for f in german.findings if f.severity == "Violation"] == [
        "Nachnutzung: genau ein Nachnutzer (mpsc:adopter: Gemeinde, Kreis, Land, Kooperation oder öffentliche "
        "Organisation) erforderlich, verschieden von der Herkunft."
    ]
    assert next(f.message for f in english.findings if f.severity == "Violation").startswith(
        "Adoption: exactly one adopter"
    )


def test_finding_names_label_path_and_file(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, SHAPE_BASE.parent / "invalid" / "ags-pattern.ttl")
    report = _validate(project)
    (finding,) = [f for f in report.findings if f.severity == "Violation"]
    assert finding.focus == "https://w3id.org/mpsc-graph/id/municipality/9900100"
    assert finding.focus_label == "Kurz"
    assert finding.path == "mpsc:ags"
    assert finding.value == "9900100"
    assert finding.files == ("ags-pattern",)


def test_real_data_has_no_violations(project: Project, store: Store) -> None:
    report = validate_fast(store, project)[0]
    assert [f for f in report.findings if f.severity == "Violation"] == []
