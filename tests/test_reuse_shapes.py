"""Rules for the reuse facts beyond one-fixture-per-rule: the function-word list, and engine parity.

The mailbox rule warns about a local part that looks like a person's name (two words joined by a dot
or hyphen). ``tests/data/shapes/valid/function-mailbox.ttl`` holds such a local part that is a
function word ("smart.city"): the list in ``ontology/function-mailboxes.ttl`` is what keeps it from
being flagged. Every fixture of the reuse shapes is also checked with the fast engine, which must
report what pySHACL reports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.project import Project
from mpsc_graph.validation import Report, validate_store
from support import TEST_DATA

BASE = TEST_DATA / "shapes" / "base.ttl"
FUNCTION_MAILBOX = TEST_DATA / "shapes" / "valid" / "function-mailbox.ttl"
REUSE_FIXTURES = sorted(
    path for path in (TEST_DATA / "shapes" / "invalid").glob("*.ttl")
    if any(word in path.stem for word in ("offer", "cost", "contact", "mailbox", "conform", "licence-statement",
                                          "repository", "operating-model", "funding", "standard", "reuse"))
)


def _new_findings(project: Project, base: Report) -> set:
    return set(validate_store(load_dataset(project), project, lang="en")[0].findings) - set(base.findings)


@pytest.fixture(scope="module")
def base_findings(tmp_path_factory: pytest.TempPathFactory) -> Report:
    import shutil

    from support import project_skeleton

    root = tmp_path_factory.mktemp("reuse-base")
    project_skeleton(root)
    shutil.copy(BASE, root / "data" / "base.ttl")
    project = Project.at(root)
    return validate_store(load_dataset(project), project, lang="en")[0]


def test_function_word_mailbox_is_not_flagged(make_project: Callable[..., Project], base_findings: Report) -> None:
    assert _new_findings(make_project(BASE, FUNCTION_MAILBOX), base_findings) == set()


def test_without_the_list_the_function_mailbox_would_be_flagged(make_project: Callable[..., Project],
                                                                base_findings: Report) -> None:
    project = make_project(BASE, FUNCTION_MAILBOX)
    words = project.ontology_dir / "function-mailboxes.ttl"
    text = words.read_text(encoding="utf-8")
    assert '"smart.city" ,' in text and '"open-data" ,' in text
    words.write_text(text.replace('"smart.city" ,', "").replace('"open-data" ,', ""), encoding="utf-8")
    new = _new_findings(project, base_findings)
    assert {(f.shape.rsplit("#", 1)[-1], f.severity, f.value) for f in new} == {
        ("PersonalMailbox", "Warning", "mailto:smart.city@example.org"),
        ("PersonalMailbox", "Warning", "mailto:Open-Data@example.org"),
    }
    # the message names the mailbox (pySHACL picks one language of a SPARQL constraint's messages)
    assert all(f.value in f.message and "erson" in f.message for f in new)


def test_reuse_fixtures_cover_the_issue_rules() -> None:
    names = {path.stem for path in REUSE_FIXTURES}
    assert {"cost-missing-amount", "cost-missing-currency", "offer-missing-asset", "offer-missing-provider",
            "offer-missing-route", "contact-point-neither-url-nor-mailto", "conformance-missing-source",
            "conforms-to-without-conformance", "warning-cost-without-period",
            "warning-mailbox-looks-personal"} <= names


@pytest.mark.parametrize("fixture", [*REUSE_FIXTURES, FUNCTION_MAILBOX], ids=lambda p: p.stem)
def test_fast_engine_agrees_with_pyshacl_on_reuse_fixtures(fixture: Path,
                                                          make_project: Callable[..., Project]) -> None:
    project = make_project(BASE, fixture)
    store = load_dataset(project)
    fast = validate_fast(store, project, lang="en")[0]
    reference = validate_store(store, project, lang="en")[0]
    assert {f.key for f in fast.findings} == {f.key for f in reference.findings}
    assert {(f.key, f.value) for f in fast.findings} == {(f.key, f.value) for f in reference.findings}


@pytest.mark.parametrize(("datatype", "lexical"), [
    ("decimal", "37000.00"), ("decimal", "12,5"), ("decimal", "1e5"), ("decimal", " 5"), ("decimal", ".5"),
    ("decimal", "1_000"), ("decimal", "NaN"), ("decimal", "viel"),
    ("boolean", "true"), ("boolean", "0"), ("boolean", "TRUE"), ("boolean", "ja"), ("boolean", " true"),
])
def test_datatype_lexical_forms_judged_as_pyshacl_does(datatype: str, lexical: str,
                                                      make_project: Callable[..., Project]) -> None:
    # the value text may differ (rdflib normalises lexical forms); which literals are ill-typed must not
    prop = "mpsc:amount" if datatype == "decimal" else "mpsc:openToNewMembers"
    node = "mpsc:Cost" if datatype == "decimal" else "mpsc:Offer"
    text = (BASE.read_text(encoding="utf-8")
            + f'\n<https://w3id.org/mpsc-graph/id/x/1> a {node} ; {prop} "{lexical}"^^xsd:{datatype} .\n')
    project = make_project(**{"lexical__ttl": text})
    store = load_dataset(project)
    fast = {f.key for f in validate_fast(store, project, lang="en")[0].findings if "Datatype" in f.constraint}
    reference = {f.key for f in validate_store(store, project, lang="en")[0].findings if "Datatype" in f.constraint}
    assert fast == reference
    assert bool(fast) == (lexical in {"12,5", "viel", "TRUE", "ja", " true"})
