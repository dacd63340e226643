"""Reuse readiness: each criterion of queries/readiness/ on one fixture per outcome it can yield, and
the Smart Village App on the real data.

Fixtures: tests/data/readiness/<criterion>.ttl holds one solution per outcome the criterion's header
names; the solution's slug is the outcome it must get (met, not-met, unknown). Dated fixtures are read
as of 2026-01-15.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from pyoxigraph import RdfFormat, Store

from mpsc_graph.api import Graph
from mpsc_graph.project import Project
from mpsc_graph.readiness import OUTCOMES, assess, criteria, evaluate
from support import REPO, Ran, cli

FIXTURES = REPO / "tests" / "data" / "readiness"
SOLUTION = "https://w3id.org/mpsc-graph/id/solution/"
CRITERIA = criteria(REPO / "queries")
AS_OF = date(2026, 1, 15)


def test_thirteen_criteria_each_explained_in_its_header() -> None:
    assert len(CRITERIA) == 13
    for c in CRITERIA:
        assert c.title_de and c.title_en and c.why and c.reference and c.threshold and c.threshold_de
        assert set(c.outcomes) <= set(OUTCOMES)


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.name)
def test_one_fixture_per_outcome(criterion, project: Project) -> None:  # type: ignore[no-untyped-def]
    fixture = FIXTURES / f"{criterion.name}.ttl"
    store = Store()
    store.load(path=str(fixture), format=RdfFormat.TURTLE)
    graph = Graph(project, store=store)
    got = {str(r["asset"]).removeprefix(SOLUTION): r["outcome"] for r in evaluate(graph, criterion, AS_OF)}
    assert got == {outcome.replace(" ", "-"): outcome for outcome in criterion.outcomes}


def test_dates_compare_at_the_precision_given(project: Project) -> None:
    """A maintainer role ending "2025-12" still runs on 2025-12-31 and has ended on 2026-01-01."""
    maintenance = next(c for c in CRITERIA if c.name == "maintenance")
    store = Store()
    store.load(path=str(FIXTURES / "maintenance.ttl"), format=RdfFormat.TURTLE)
    graph = Graph(project, store=store)
    def outcome(day: date) -> str:
        rows = evaluate(graph, maintenance, day, SOLUTION + "not-met")
        return str(rows[0]["outcome"])
    assert outcome(date(2025, 12, 31)) == "met"
    assert outcome(date(2026, 1, 1)) == "not met"


def test_smart_village_app_on_the_real_data(graph: Graph) -> None:
    """data/smart-village-app.ttl and data/reuse-smart-village-app.ttl: GPL-3.0-or-later (publiccode.yml),
    the SaaS and self-hosting offers and their prices (the vendor's FAQ), maintenance by SVS until 2027-12-31,
    production adopters in Brandenburg, Nordrhein-Westfalen (Detmold) and Mecklenburg-Vorpommern (Hagenow),
    standards MoWaS, OParl and GraphQL; SVS hosting the municipalities' apps (operating model, the vendor's
    FAQ), the Smart Village App Community founded in October 2025, and the Landkreis Mayen-Koblenz, whose app
    ended in 2025-07 without later production use (data/smart-village-app.ttl)."""
    result = assess(graph, "Smart Village App", as_of=date(2026, 12, 8))
    outcomes = {r.criterion.name: r.outcome for r in result.results}
    assert outcomes == {
        "licence": "met", "repository": "met", "operator": "met", "maintenance": "met", "offers": "met",
        "costs": "met", "production-bodies": "met", "production-states": "met", "community": "met",
        "standards": "met", "contact": "met", "independent-sources": "met", "trial-ended": "not met"}
    assert result.summary() == "12 of 13 met, 1 not met, 0 unknown"
    ended = next(r for r in result.results if r.criterion.name == "trial-ended")
    assert any("Mayen-Koblenz" in fact for fact in ended.facts)
    states = next(r for r in result.results if r.criterion.name == "production-states")
    # Eichenzell (Hessen) and the Verbandsgemeinde Linz am Rhein (Rheinland-Pfalz) run it in production too
    assert set(states.facts) == {"Brandenburg", "Nordrhein-Westfalen", "Mecklenburg-Vorpommern", "Hessen",
                                 "Rheinland-Pfalz"}
    cited = {s for r in result.results for s in r.sources}
    assert {ref[0] for ref in result.references} == cited and cited
    # after the maintenance contract's end the maintenance criterion rests on the undated support role only
    later = assess(graph, "Smart Village App", as_of=date(2028, 1, 1))
    maintenance = next(r for r in later.results if r.criterion.name == "maintenance")
    assert maintenance.outcome == "met" and not any("2027-12-31" in f and "bis" in f for f in maintenance.facts)


def test_readiness_command_formats_and_unknown_name(loaded_cli: Callable[..., Ran]) -> None:
    run = lambda *args: loaded_cli("readiness", *args, "--root", str(REPO))  # noqa: E731
    done = run("HAL-Plan", "--as-of", "2026-12-08", "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["label"] == "HAL-Plan" and len(answer["criteria"]) == 13
    assert sum(answer["summary"][o] for o in OUTCOMES) == 13
    wrong = run("Smart Vilage Ap")
    assert wrong.returncode == 2 and "Smart Village App" in wrong.stderr and "Traceback" not in wrong.stderr


def test_queries_lists_criteria_apart() -> None:
    done = cli("queries", "--root", str(REPO))
    head, _, criteria_part = done.stdout.partition("Readiness criteria")
    assert "readiness/licence" in criteria_part and "readiness/" not in head


def test_german_text_is_german_throughout(graph: Graph) -> None:
    """The text answer speaks one language: German thresholds and kind in German, English ones with lang="en"."""
    result = assess(graph, "Smart Village App", as_of=date(2026, 12, 8))
    german, english = result.to_text("de"), result.to_text("en")
    assert "(Lösung)" in german and "Schwelle: mindestens eine Lizenzangabe oder SPDX-Lizenz mit Quelle" in german
    assert "at least" not in german and "threshold" not in german
    assert "(solution)" in english and "threshold: at least one licence statement" in english
    assert "mindestens" not in english and "Schwelle" not in english
