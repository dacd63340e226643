"""Reuse answers on the real data: the named reuse queries, the coverage report and the reuse brief.

Known answers come from the sources quoted in data/reuse-*.ttl (the Euskirchen council figures for
the Open SmartCity App, the Smart Village App's prices, DIPAS's three ways in, and so on).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from mpsc_graph.api import Graph
from mpsc_graph.errors import AmbiguousName, UnknownName
from mpsc_graph.reuse import SECTIONS, build_brief
from mpsc_graph.reuse_coverage import reuse_coverage
from support import REPO, Ran

ID = "https://w3id.org/mpsc-graph/id/"
SEVEN = {
    "Open SmartCity App": "solution/osca", "HAL-Plan": "solution/hal-plan", "URBAN.KI": "solution/urban-ki",
    "Smart Village App": "solution/smart-village-app", "DIPAS": "solution/dipas",
    "Masterportal": "solution/masterportal",
    "CIVITAS/CORE": "solution/civitas-core", "HAL-Plan Core-Modul": "module/hal-plan-core",
}


def _money(graph: Graph, asset: str, kind: str) -> set[tuple[Decimal, str | None, str | None]]:
    rows = graph.query("reuse_financing", asset=ID + asset).records()
    return {(Decimal(str(r["amount"])), r.get("period"), r.get("purpose")) for r in rows
            if r["kind"] == kind and r.get("amount") is not None}


def test_euskirchen_figures_for_joining_the_open_smartcity_app(graph: Graph) -> None:
    assert _money(graph, "solution/osca", "cost") == {
        (Decimal("37000"), "one-off", "set-up"),
        (Decimal("32400"), "yearly", "operation-maintenance"),
        (Decimal("1190"), "not-stated", "membership"),
    }


def test_smart_village_app_prices_and_development_funding(graph: Graph) -> None:
    assert _money(graph, "solution/smart-village-app", "cost") == {
        (Decimal("14900"), "one-off", "set-up"), (Decimal("400"), "monthly", "operation-maintenance")}
    assert {amount for amount, _p, _u in _money(graph, "solution/smart-village-app", "funding")} == {
        Decimal("65000"), Decimal("200000")}


def test_funding_ends_of_the_model_projects(graph: Graph) -> None:
    ends = {str(r["node"]).rsplit("/", 1)[-1]: str(r["end"]) for r in graph.query(
        "reuse_financing", asset=ID + "solution/dipas").records() if r["kind"] == "funding"}
    assert ends == {"mpsc20-cut-laufzeit": "2025-12"}
    osca = {str(r["end"]) for r in graph.query("reuse_financing", asset=ID + "solution/osca").records()
            if r["kind"] == "funding"}
    assert osca == {"2024-09"}


def test_dipas_offers_saas_on_premise_and_community(graph: Graph) -> None:
    rows = graph.query("reuse_offers", asset=ID + "solution/dipas").records()
    assert {(r["route"], r.get("hosting")) for r in rows} == {
        ("saas-contract", "saas"), ("self-hosting", "on-premise"), ("membership", None)}
    community = next(r for r in rows if r["route"] == "membership")
    assert community["open"] is True and "gemeinsam getragen" in community["conditionsDe"]


def test_who_is_responsible_for_the_masterportal_and_dipas(graph: Graph) -> None:
    masterportal = {(r["agentLabel"], r["roleType"]) for r in graph.query(
        "reuse_responsibility", asset=ID + "solution/masterportal").records()}
    assert {("Landesbetrieb Geoinformation und Vermessung Hamburg (LGV)", "maintainer"),
            ("Dataport AöR", "developer"), ("Dataport AöR", "coordinator")} <= masterportal
    dipas = [r for r in graph.query("reuse_responsibility", asset=ID + "solution/dipas").records()
             if r["kind"] == "operating-model"]
    assert {(r["form"], r.get("clientLabel")) for r in dipas} == {
        ("aoer", None), ("aoer", "Landesamt GeoInformation Bremen"), ("in-house", "Leipzig")}


def test_standards_of_the_smart_village_app_and_solutions_by_standard(graph: Graph) -> None:
    rows = graph.query("reuse_standards", asset=ID + "solution/smart-village-app").records()
    assert {r["notation"] for r in rows} == {"mowas", "oparl", "graphql"}
    assert all(r["url"].startswith("https://") and r["sources"] for r in rows)
    oparl = graph.query("solutions_by_standard", standard=ID + "concept/standard/oparl").records()
    assert [r["asset"] for r in oparl] == [ID + "solution/smart-village-app"]


def test_licences_repositories_and_contacts(graph: Graph) -> None:
    dipas = graph.query("reuse_licences", asset=ID + "solution/dipas").records()
    assert [(r.get("spdx"), r["family"]) for r in dipas] == [(None, ID + "concept/licence-family/gpl")]
    osca = graph.query("reuse_licences", asset=ID + "solution/osca").records()
    assert [r["name"] for r in osca] == ["Open SmartCity License"]
    repositories = graph.query("reuse_repositories", asset=ID + "solution/osca").records()
    assert [(r["url"], r["role"]) for r in repositories] == [
        ("https://github.com/Klingenstadt-Solingen/Open-SmartCity-App-android", "mirror")]
    contacts = graph.query("reuse_contact_points", asset=ID + "solution/masterportal").records()
    assert [r["url"] for r in contacts] == ["https://www.masterportal.org/partnerschaft.html"]


def test_coverage_per_question(graph: Graph) -> None:
    report = reuse_coverage(graph)
    answered = {iri.removeprefix(ID): {q for q, n in counts.items() if n} for iri, _label, counts in report.solutions}
    assert answered["solution/smart-village-app"] >= {"offers", "costs", "funding", "standards", "licence",
                                                      "repository", "contact", "maintenance"}
    assert "standards" not in answered["solution/dipas"] and "offers" in answered["solution/dipas"]
    assert answered["solution/urban-ki"] == {"funding"}
    standards = {iri.removeprefix(ID) for iri, _label, counts in report.solutions if counts["standards"]}
    assert standards == {"solution/smart-village-app", "solution/hal-plan",
                         "solution/lorawan-iot-konzept-suedwestfalen",
                         "solution/urbane-datenplattform-dortmund-schwerte"}
    assert "x" in report.to_text() and json.loads(report.to_json())["answered"]["standards"] == 4


@pytest.mark.parametrize("name", sorted(SEVEN))
def test_every_question_is_answered_or_named_as_a_gap(graph: Graph, name: str) -> None:
    brief = build_brief(graph, name, lang="de")
    assert brief.asset == ID + SEVEN[name]
    assert [s.key for s in brief.sections] == list(SECTIONS)
    text = brief.to_text()
    for section in brief.sections:
        assert section.title in text
        if not section.items:
            assert section.gap in text
    cited = {s for section in brief.sections for item in section.items for s in item.sources}
    assert sorted(r.iri for r in brief.references) == sorted(cited)  # every cited source listed once
    assert [r.number for r in brief.references] == list(range(1, len(brief.references) + 1))


def test_open_smartcity_app_brief_shows_figures_with_period_and_purpose(graph: Graph) -> None:
    costs = next(s for s in build_brief(graph, "Open SmartCity App").sections if s.key == "costs")
    lines = [item.text for item in costs.items]
    assert any(line.startswith("37.000,00 EUR, einmalig") and "Zweck: Einrichtung" in line for line in lines)
    assert any(line.startswith("32.400,00 EUR, jährlich") and "Betrieb und Pflege" in line for line in lines)
    assert any(line.startswith("1.190,00 EUR, Zeitraum nicht angegeben") for line in lines)
    english = build_brief(graph, "Open SmartCity App", lang="en").to_text()
    assert "EUR 37,000.00, one-off" in english


def test_gaps_are_said_in_words(graph: Graph) -> None:
    hal_plan = build_brief(graph, "HAL-Plan")
    assert {"offers", "licence", "repositories", "contact"} <= set(hal_plan.unanswered())
    assert "standards" not in hal_plan.unanswered()
    assert "Keine Quelle nennt die Lizenz." in hal_plan.to_text()
    assert "costs" in build_brief(graph, "URBAN.KI").unanswered()
    assert "Keine Quelle nennt die Kosten." in build_brief(graph, "URBAN.KI").to_text()


def test_module_brief_marks_its_solutions_facts(graph: Graph) -> None:
    brief = build_brief(graph, "HAL-Plan Core-Modul", lang="de")
    assert brief.kind == "module" and brief.solution == ID + "solution/hal-plan"
    made = next(s for s in brief.sections if s.key == "made")
    assert made.items and all(item.from_solution for item in made.items)
    assert "(aus der Lösung HAL-Plan)" in brief.to_text()
    own = next(s for s in brief.sections if s.key == "adopters").items[0]
    assert not own.from_solution and "Paderborn" in own.text


def test_json_and_markdown(graph: Graph) -> None:
    brief = build_brief(graph, "Smart Village App", lang="en")
    data = json.loads(brief.to_json())
    assert data["kind"] == "solution" and data["unanswered"] == [s.key for s in brief.sections if not s.items]
    numbers = {r["number"] for r in data["references"]}
    assert all(set(item["sources"]) <= numbers for section in data["sections"] for item in section["items"])
    assert brief.to_markdown().startswith("# Reuse brief: Smart Village App\n")


def test_unknown_and_ambiguous_names(graph: Graph) -> None:
    with pytest.raises(UnknownName):
        build_brief(graph, "Keine solche App")
    with pytest.raises(AmbiguousName) as found:
        build_brief(graph, "urban ki")
    assert ID + "solution/urban-ki" in {iri for iri, _label in found.value.candidates}


def test_cli_exit_codes(loaded_cli: Callable[..., Ran]) -> None:
    def _cli(*args: str) -> Ran:
        return loaded_cli(*args, "--root", str(REPO))

    ok = _cli("reuse", "DIPAS", "--format", "markdown")
    assert ok.returncode == 0 and ok.stdout.startswith("# Nachnutzungs-Steckbrief: DIPAS")
    ambiguous = _cli("reuse", "urban ki")
    assert ambiguous.returncode == 2 and "urban-ki" in ambiguous.stderr and "Traceback" not in ambiguous.stderr
    unknown = _cli("reuse", "Keine solche App")
    assert unknown.returncode == 2 and "no entity named" in unknown.stderr
    coverage = _cli("coverage")
    assert coverage.returncode == 0 and coverage.stdout.splitlines()[-1].startswith("answered")
