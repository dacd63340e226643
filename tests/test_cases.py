"""Known answers on the seed article's three cases (data/osca.ttl, data/hal-plan.ttl, data/urban-ki.ttl)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from mpsc_graph.api import Graph

ID = "https://w3id.org/mpsc-graph/id/"


def _slugs(sources: str) -> list[str]:
    return sorted(s.rsplit("/", 1)[1] for s in sources.split())


def test_open_smartcity_app_adopters_with_their_sources(graph: Graph) -> None:
    rows = graph.query("adoptions_of_asset", asset=f"{ID}solution/osca").records()
    assert [
        (r["adopterLabel"], r["originLabel"], r["mode"], r["status"], r["start"], _slugs(r["sources"])) for r in rows
    ] == [
        (
            "Dortmund",
            "Solingen",
            "joint-development",
            "unknown",
            "2020",
            ["regioit-osca-community", "solingen-digital-blog-osca-2020"],
        ),
        (
            "Euskirchen",  # decision to join of 2023-09-07 (fdp-euskirchen.eu, ksta.de)
            "Solingen",
            "joint-development",
            "planned",
            date(2023, 9, 7),
            ["fdp-euskirchen-app-2023", "ksta-euskirchen-app-2023"],
        ),
        (
            "Kalletal",
            "Solingen",
            "joint-development",
            "production",
            None,
            ["interkommunales-nrw-osca", "lemgo-app-ist-da", "regioit-osca-community", "solingen-digital-projekt-osca"],
        ),
        (
            "Kassel",
            "Solingen",
            "joint-development",
            "unknown",
            None,
            ["interkommunales-nrw-osca", "solingen-digital-projekt-osca"],
        ),
        (
            "Lemgo",
            "Solingen",
            "joint-development",
            "production",
            None,
            ["interkommunales-nrw-osca", "lemgo-app-ist-da", "regioit-osca-community", "solingen-digital-projekt-osca"],
        ),
        (
            "Mönchengladbach",
            "Solingen",
            "joint-development",
            "planned",  # still developing its app in 2024 (Kommune21, 2024-08-23)
            "2020",
            ["kommune21-moenchengladbach-stadt-app-2024", "ksta-euskirchen-app-2023", "regioit-osca-community",
             "solingen-digital-blog-osca-2020"],
        ),
        (
            "Oberhausen",
            "Solingen",
            "joint-development",
            "production",  # "die die Anwendung schon bereitstellen" (ksta.de, 2023)
            None,
            ["interkommunales-nrw-osca", "ksta-euskirchen-app-2023", "scd-open-source-osca",
             "solingen-digital-projekt-osca"],
        ),
        (
            "Remscheid",
            "Solingen",
            "joint-development",
            "unknown",
            date(2020, 12, 22),
            ["regioit-osca-community", "solingen-digital-blog-osca-2020", "urban-digital-osca-2020"],
        ),
        (
            "Wolfsburg",
            "Solingen",
            "joint-development",
            "production",  # "die die Anwendung schon bereitstellen" (ksta.de, 2023)
            date(2020, 12, 22),
            ["ksta-euskirchen-app-2023", "regioit-osca-community", "solingen-digital-blog-osca-2020",
             "urban-digital-osca-2020"],
        ),
    ]


def test_osca_is_based_on_the_mensch_solingen_app_and_developed_in_solingen(graph: Graph) -> None:
    rows = graph.query("solutions_of_municipality", body=f"{ID}municipality/05122000").records()
    assert sorted((r["relation"], r["asset"]) for r in rows) == [
        ("adopted", f"{ID}module/urban-ki-urbanshieldai"),  # partner of URBAN.KI use case 6 (Gelsenkirchen)
        ("developed", f"{ID}solution/mensch-solingen-app"),
        ("developed", f"{ID}solution/osca"),
    ]


def test_regio_it_operates_and_maintains_osca(graph: Graph) -> None:
    rows = [r for r in graph.query("operators").records() if r["operator"] == f"{ID}organisation/regio-it"]
    assert [(r["roleType"], r["asset"], r["start"], _slugs(r["sources"])) for r in rows] == [
        ("maintainer", f"{ID}solution/osca", "2024-09",
         ["seed-article-2026-06-24", "solingen-digital-was-ist-opensmartcity"]),
        ("operator", f"{ID}solution/osca", None, ["seed-article-2026-06-24"]),
    ]


def test_halle_passed_hal_plan_to_paderborn_magdeburg_and_eleven_trials(graph: Graph) -> None:
    rows = graph.query("adoptions_of_asset", asset=f"{ID}solution/hal-plan").records()
    by_status: dict[str, list[str]] = {}
    for r in rows:
        assert r["origin"] == f"{ID}municipality/15002000"
        by_status.setdefault(r["status"], []).append(r["adopterLabel"])
    assert by_status["production"] == ["Magdeburg", "Paderborn"]
    assert len(by_status["ended"]) == 11  # the 2024/25 test competition; the licence ran to 2025-07-31
    assert {r["end"] for r in rows if r["status"] == "ended"} == {date(2025, 7, 31)}
    (paderborn,) = [r for r in rows if r["adopterLabel"] == "Paderborn"]
    assert (paderborn["adopted"], paderborn["mode"]) == (f"{ID}module/hal-plan-core", "joint-development")


def test_paderborn_adopted_the_core_module_and_civitas_core(graph: Graph) -> None:
    rows = graph.query("solutions_of_municipality", body=f"{ID}municipality/05774032").records()
    assert [(r["relation"], r["assetLabel"], r["counterpartLabel"]) for r in rows] == [
        ("adopted", "CIVITAS/CORE", "Civitas Connect e. V."),
        ("adopted", "HAL-Plan Core-Modul", "Halle (Saale)"),
        ("developed", "City Information Model und Digitaler Zwilling Paderborn", None),  # model-project-solutions.ttl
    ]


def test_adopted_from_solingen_directly_and_transitively(graph: Graph) -> None:
    rows = graph.query("adopted_from", origin=f"{ID}municipality/05122000").records()
    direct = sorted(r["adopterLabel"] for r in rows if r["direct"])
    transitive = sorted(r["adopterLabel"] for r in rows if not r["direct"])
    assert direct == [
        "Dortmund",
        "Euskirchen",
        "Kalletal",
        "Kassel",
        "Lemgo",
        "Mönchengladbach",
        "Oberhausen",
        "Remscheid",
        "Wolfsburg",
    ]
    assert "Schwerte" in transitive  # Dortmund passed its urban data platform on to Schwerte
    edges = nx.DiGraph((r["origin"], r["adopter"]) for r in graph.query("adoption_edges").records())
    reachable = nx.descendants(edges, f"{ID}municipality/05122000")
    assert {r["adopter"] for r in rows} == reachable  # the property path agrees with graph reachability


def test_urban_ki_adopters_by_the_better_supported_account(graph: Graph) -> None:
    rows = graph.query("adoptions_of_asset", asset=f"{ID}solution/urban-ki").records()
    adopters = sorted(r["adopterLabel"] for r in rows)
    # urban-ki.de, smart-city-dialog.de and egovernment.de name the districts; only gelsenkirchen.de the cities
    assert "Landkreis Osnabrück" in adopters and "Kreis Unna" in adopters
    assert "Osnabrück" not in adopters and "Unna" not in adopters
    assert {r["originLabel"] for r in rows} == {"Gelsenkirchen"}


def test_the_other_account_stays_visible_as_a_conflicting_claim_with_its_source(graph: Graph) -> None:
    adoption = f"{ID}adoption/landkreis-osnabrueck-urban-ki-aimos"
    incoming = graph.query("incoming_links", entity=adoption).records()
    claims = [r["subject"] for r in incoming if r["property"].endswith("#conflictsWith")]
    assert claims == [f"{ID}claim/stadt-osnabrueck-urban-ki-aimos"]
    statements = graph.query("entity_statements", entity=claims[0]).records()
    claimed = {r["value"] for r in statements if r["property"].endswith("#claimedAdopter")}
    assert claimed == {f"{ID}municipality/03404000"}
    assert f"{ID}source/gelsenkirchen-urban-ki-update-2025" in {r["value"] for r in statements}


def test_a_conflicting_claim_is_no_edge_of_the_adoption_network(graph: Graph) -> None:
    """The ProjectTogether press release (Lemgo → Bamberg, very probably wrong) must not make Lemgo a broker."""
    edges = graph.query("adoption_edges").records()
    assert not any("/claim/" in r["adoption"] for r in edges)
    bakim = {(r["originLabel"], r["adopterLabel"]) for r in edges if r["solution"] == f"{ID}solution/bakim"}
    assert ("Bamberg", "Lemgo") in bakim and ("Lemgo", "Bamberg") not in bakim
