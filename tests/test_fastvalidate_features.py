"""One pySHACL parity fixture per SHACL feature the directory's shapes brought to the fast engine.

Each fixture (``tests/data/shapes-features/``) holds the smallest data that makes the feature fire and
data that must pass; both engines run the project's real shapes on it, must report the same findings,
and the feature's findings are exactly the expected focus nodes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mpsc_graph.dataset import load_dataset
from mpsc_graph.fastvalidate import validate_fast
from mpsc_graph.project import Project
from mpsc_graph.validation import validate_store
from support import TEST_DATA

FEATURES = TEST_DATA / "shapes-features"
M = "https://w3id.org/mpsc-graph/id/municipality/"

# fixture -> (constraint component, shape, focus nodes that must be reported)
EXPECTED = {
    "unique-lang": ("UniqueLangConstraintComponent", "Place-label-unique-language", {M + "05000001"}),
    "integer": ("DatatypeConstraintComponent", "Municipality-population",
                {M + "05000001", M + "05000002", M + "05000004"}),
    "decimal": ("DatatypeConstraintComponent", "Municipality-area", {M + "05000001", M + "05000003", M + "05000004"}),
    "wkt": ("DatatypeConstraintComponent", "Centre-wkt", {M + "05000001#centre"}),
    "sparql-target": ("MinCountConstraintComponent", "Municipality-wikidata", {M + "05000001", M + "05000002"}),
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fast_engine_reports_what_pyshacl_reports(make_project: Callable[..., Project], fixture: str) -> None:
    project = make_project(FEATURES / "base.ttl", FEATURES / f"{fixture}.ttl")
    store = load_dataset(project)
    fast, _ = validate_fast(store, project, lang="en")
    reference, _ = validate_store(store, project, lang="en")
    assert {f.key for f in fast.findings} == {f.key for f in reference.findings}
    component, shape, focus = EXPECTED[fixture]
    found = {f.focus for f in fast.findings if f.constraint == component and f.shape.endswith("#" + shape)}
    assert found == focus


def test_wkt_that_is_no_point_is_caught_by_the_pattern(make_project: Callable[..., Project]) -> None:
    project = make_project(FEATURES / "base.ttl", FEATURES / "wkt.ttl")
    fast, _ = validate_fast(load_dataset(project), project, lang="en")
    # "POINT(8,7 51,7)" has decimal commas; the string-typed point is caught by the datatype, not the pattern
    assert {f.focus for f in fast.findings if f.constraint == "PatternConstraintComponent"} == {M + "05000002#centre"}
