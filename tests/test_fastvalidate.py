"""The fast validator (shapes compiled to SPARQL) reports exactly what pySHACL reports.

Compared on the curated data with an excerpt of the directory table, on a synthetic graph with one
injected violation per rule (``tests/data/shapes-injected/injected.ttl``) and on the shape tests'
fixtures; the comparison key is (focus node, path, constraint component, severity), and the rest of each
finding (value, message, label, files) must match too. pySHACL, the reference, is the slow part of the
suite: it runs once per data set here (a module fixture), and every other test of the suite validates
with the fast engine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse

from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import UnsupportedShapeError, compile_shapes, validate_fast
from mpsc_graph.namespaces import SH
from mpsc_graph.project import Project
from mpsc_graph.validation import Finding, Report, validate_store
from support import REPO, SHAPE_BASE, SHAPE_FIXTURES, TEST_DATA, expected_shape, project_skeleton, small_project

sys.path.insert(0, str(REPO))  # benchmarks/ is a folder of the repository, not an installed package
from benchmarks.generate import generate

INJECTED = TEST_DATA / "shapes-injected" / "injected.ttl"
ENTRY_POINT = Path(sys.executable).with_name("mpsc-graph")


def _both(project: Project, store: Store) -> tuple[Report, Report]:
    fast, _ = validate_fast(store, project, lang="en")
    reference, _ = validate_store(store, project, lang="en")
    return fast, reference


def _comparable(report: Report) -> set[Finding]:
    # pySHACL gives a SHACL-SPARQL result only one of the constraint's messages, whatever the language
    # asked for; the fast engine picks the asked language (checked below). Everything else must match.
    return {replace(f, message="") if f.constraint == "SPARQLConstraintComponent" else f for f in report.findings}


def _assert_same(fast: Report, reference: Report) -> None:
    fast_keys, reference_keys = {f.key for f in fast.findings}, {f.key for f in reference.findings}
    assert fast_keys == reference_keys, (sorted(fast_keys - reference_keys)[:10],
                                         sorted(reference_keys - fast_keys)[:10])
    assert _comparable(fast) == _comparable(reference)


def test_real_data_identical_to_pyshacl(tmp_path: Path) -> None:
    # pySHACL needs minutes for the whole directory table: the curated data with the directory rows it
    # names and one small state's rows (Saarland) is the reference; the fast engine validates all of it
    # wherever the suite uses the session store
    project = Project.at(small_project(tmp_path / "project", states=("10",)))
    fast, reference = _both(project, load_dataset(project))
    assert reference.findings, "the real data has warnings (missing Wikidata links); the comparison must see them"
    _assert_same(fast, reference)


def test_shape_fixtures_identical_to_pyshacl(make_project: Callable[..., Project]) -> None:
    # every rule fixture of test_shapes.py at once (each adds its own broken node to the same base)
    project = make_project(SHAPE_BASE, *SHAPE_FIXTURES)
    fast, reference = _both(project, load_dataset(project))
    _assert_same(fast, reference)
    # fixtures that describe the same node may mend each other here (a label in one, the scheme in another):
    # the rules of the others must all be hit
    subjects = {p: {t.subject for t in parse(path=str(p), format=RdfFormat.TURTLE)} for p in SHAPE_FIXTURES}
    alone = [p for p in SHAPE_FIXTURES if not any(subjects[p] & subjects[q] for q in SHAPE_FIXTURES if q != p)]
    assert alone
    assert {expected_shape(p) for p in alone} <= {f.shape for f in fast.findings}


@pytest.fixture(scope="module")
def injected_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("injected")
    project_skeleton(root)
    with (root / "data" / "synthetic.ttl").open("w", encoding="utf-8") as out:
        generate(2000, 11, out)  # the smallest it makes; pySHACL needs a third of its time at 5,000
    shutil.copy(INJECTED, root / "data" / "injected.ttl")
    return Project.at(root)


@pytest.fixture(scope="module")
def injected_reference(injected_project: Project) -> Report:
    """pySHACL's report on the injected project: the one reference run the tests below compare with."""
    return validate_store(load_dataset(injected_project), injected_project, lang="en")[0]


def test_synthetic_data_with_injected_violations_identical_to_pyshacl(injected_project: Project,
                                                                       injected_reference: Report) -> None:
    store = load_dataset(injected_project)
    fast, reference = validate_fast(store, injected_project, lang="en")[0], injected_reference
    _assert_same(fast, reference)
    rules = {(check.shape.value, check.component) for check in compile_shapes(injected_project, store)}
    hit = {(f.shape, f.constraint) for f in fast.findings}
    assert rules - hit == set(), "extend tests/data/shapes-injected/injected.ttl: rules without an injected violation"
    assert fast.violations > 100
    sparql = {f.shape.rsplit("#", 1)[-1] for f in fast.findings if f.constraint == "SPARQLConstraintComponent"}
    assert sparql == {"EndNotBeforeStart", "AdoptionAfterFunding", "ClaimDiffers", "SourceHasAddress",
                      "SourceAddressIsPublic", "ContactPointAddress", "ConformanceSourced", "LicenceStatementSays",
                      "PersonalMailbox"}


def test_forked_workers_find_the_same(injected_project: Project) -> None:
    store = load_dataset(injected_project)
    assert validate_fast(store, injected_project, workers=2)[0] == validate_fast(store, injected_project)[0]


def test_messages_in_german_and_english(injected_project: Project) -> None:
    store = load_dataset(injected_project)
    german = {f.key: f.message for f in validate_fast(store, injected_project, lang="de")[0].findings}
    english = {f.key: f.message for f in validate_fast(store, injected_project, lang="en")[0].findings}
    key = next(k for k in german if k[0].endswith("injected/ad3") and k[2] == "SPARQLConstraintComponent"
               and k[1] == "mpsc:endDate")
    assert german[key] == "Das Ende (2009) liegt vor dem Beginn."
    assert english[key] == "The end (2009) is before the start."


def test_subclasses_declared_in_data_count_for_sh_class(make_project: Callable[..., Project]) -> None:
    # a source typed with a subclass of mpsc:Source declared in a data file satisfies sh:class mpsc:Source
    text = INJECTED.read_text(encoding="utf-8").split("\ninj:wrong", 1)[0] + """
<https://example.org/WebPage> rdfs:subClassOf mpsc:Source .
inj:page a <https://example.org/WebPage> ; schema:url <https://example.org/p> ; dct:title "Seite"@de .
inj:mx a mpsc:Municipality ; rdfs:label "MX"@de ; dct:source inj:page ; mpsc:ags "99999991" ; mpsc:state state:05 .
state:05 a mpsc:State ; rdfs:label "Nordrhein-Westfalen"@de ; mpsc:stateKey "05" ; dct:source inj:page .
"""
    project = make_project(**{"sub__ttl": text})
    store = load_dataset(project)
    fast, reference = _both(project, store)
    _assert_same(fast, reference)
    assert fast.violations == 0, fast.to_text()


@pytest.mark.parametrize(("shape", "feature"), [
    ("ex:NameShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:minLength 2 ] .",
     "sh:minLength"),
    # an untyped shape: found through its sh: terms, not its type
    ("ex:S sh:targetClass ex:Thing ; sh:closed true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .", "sh:closed"),
    ("ex:T a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:datatype ex:own ] .",
     "sh:datatype"),
])
def test_unknown_shacl_feature_is_refused_not_skipped(make_project: Callable[..., Project], shape: str,
                                                      feature: str) -> None:
    project = make_project(**{"x__ttl": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"})
    (project.shapes_dir / "extra.ttl").write_text(
        f"@prefix sh: <{SH}> .\n@prefix ex: <http://example.org/> .\n{shape}\n", encoding="utf-8")
    with pytest.raises(UnsupportedShapeError, match=feature):
        compile_shapes(project, load_dataset(project))
    result = subprocess.run([str(ENTRY_POINT), "validate", "--root", str(project.root)], capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 2
    assert feature in result.stderr and "pyshacl" in result.stderr
    assert "Traceback" not in result.stderr


def _cli_validate(project: Project, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ENTRY_POINT), "validate", "--root", str(project.root), "--lang", "en", *options],
                          capture_output=True, text=True, timeout=600, check=False)


def test_cli_fast_engine_exits_1_on_violations_and_counts_as_pyshacl(injected_project: Project,
                                                                      injected_reference: Report) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        result = _cli_validate(injected_project, "--engine", "fast", "--jobs", jobs)
        assert result.returncode == 1, result.stderr
        outputs[jobs] = result.stdout
    assert outputs["1"] == outputs["2"]
    assert outputs["1"].splitlines()[-1] == injected_reference.to_text().splitlines()[-1]
    assert outputs["1"].splitlines()[-1].endswith("warning(s)")


def test_cli_pyshacl_engine_prints_what_the_fast_one_prints(make_project: Callable[..., Project]) -> None:
    project = make_project(SHAPE_BASE, SHAPE_BASE.parent / "invalid" / "ags-pattern.ttl",
                           SHAPE_BASE.parent / "invalid" / "warning-no-wikidata.ttl")
    fast, reference = (_cli_validate(project, "--engine", engine) for engine in ("fast", "pyshacl"))
    assert (fast.returncode, reference.returncode) == (1, 1), (fast.stderr, reference.stderr)
    assert fast.stdout == reference.stdout
    assert "1 violation(s), 1 warning(s)" in fast.stdout


def test_turtle_report_is_a_shacl_validation_report(injected_project: Project) -> None:
    store = load_dataset(injected_project)
    report, results = validate_fast(store, injected_project, lang="en")
    triples = list(parse(results.serialize(format="turtle"), format=RdfFormat.TURTLE))
    result_nodes = {t.object for t in triples if t.predicate.value == SH + "result"}
    assert len(result_nodes) >= len(report.findings)
    conforms = [t.object.value for t in triples if t.predicate.value == SH + "conforms"]
    assert conforms == ["false"]
