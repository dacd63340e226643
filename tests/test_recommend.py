"""Recommendations on the real data, with answers derived by hand from the named records.

Weights: queries/readiness/recommend-weights.yaml; size classes: queries/readiness/size-classes.yaml.
Each expected reason below is read from the adoptions it names (status production) and the directory
(data/directory.csv: district, state, population, centre point).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from pyoxigraph import RdfFormat, Store

from mpsc_graph.api import Graph
from mpsc_graph.errors import AmbiguousName, UnknownName
from mpsc_graph.project import Project
from mpsc_graph.recommend import Recommender, distance_km, recommend_for
from support import REPO, Ran

ID = "https://w3id.org/mpsc-graph/id/"
SVA = ID + "solution/smart-village-app"
AS_OF = date(2026, 12, 8)


@pytest.fixture(scope="module")
def recommender(graph: Graph) -> Recommender:
    return Recommender(graph, as_of=AS_OF)


def _answer(graph: Graph, recommender: Recommender, name: str):  # type: ignore[no-untyped-def]
    return recommender.recommend(graph.resolve(name, ("municipality",)).iri)


def test_brandenburg_municipality_without_the_smart_village_app_gets_it(graph: Graph, recommender: Recommender) -> None:
    """Wiesenburg/Mark (12069665, Landkreis Potsdam-Mittelmark, 4,247 inhabitants) uses no Smart Village App.
    data/smart-village-app.ttl has it in production in Brandenburg at Angermünde, Eisenhüttenstadt,
    Frankfurt (Oder), Herzberg (Elster) and Michendorf (adoptions angermuende-, eisenhuettenstadt-,
    frankfurt-oder-, herzberg-elster-, michendorf-smart-village-app); Michendorf (12069397) lies in the same
    district, about 45 km from Wiesenburg/Mark's centre point."""
    answer = _answer(graph, recommender, "Wiesenburg/Mark")
    first = answer.recommendations[0]
    assert first.asset == SVA
    reasons = {r.key: r for r in first.reasons}
    # and, with the statuses the sources give since: Amt Gransee und Gemeinden, Birkenwerder, Hohen Neuendorf,
    # Landkreis Havelland, Schönefeld, Seelow and Storkow (Mark) (data/smart-village-app.ttl)
    assert set(reasons["state"].bodies) == {
        "Amt Gransee und Gemeinden",
        "Angermünde",
        "Birkenwerder",
        "Eisenhüttenstadt",
        "Frankfurt (Oder)",
        "Herzberg (Elster)",
        "Hohen Neuendorf",
        "Landkreis Havelland",
        "Michendorf",
        "Schönefeld",
        "Seelow",
        "Storkow (Mark)",
    }
    assert "Brandenburg" in reasons["state"].text_de
    assert reasons["district"].bodies == ("Michendorf",)
    assert reasons["neighbour"].bodies == ("Michendorf",) and "45 km" in reasons["neighbour"].text_de
    assert ID + "source/svs-publiccode-yml" in reasons["state"].sources
    assert first.score == sum(r.points for r in first.reasons)
    assert "4. Quartal 2020" in answer.directory and answer.profile["sizeLabel_de"] == "Landgemeinde"


def test_a_municipality_already_using_it_does_not_get_it(graph: Graph, recommender: Recommender) -> None:
    """Angermünde adopted the Smart Village App (adoption angermuende-smart-village-app, production)."""
    answer = _answer(graph, recommender, "12073008")
    assert SVA in answer.in_use
    assert SVA not in {r.asset for r in answer.recommendations}


@pytest.mark.parametrize(
    ("name", "state", "size", "first", "reason"),
    [
        # Lemgo (Kreis Lippe, NW): Detmold, same district, 10 km away, runs the Smart Village App
        # (detmold-smart-village-app)
        ("Lemgo", "Nordrhein-Westfalen", "Mittelstadt", SVA, "district"),
        # München (BY): the Open SmartCity App in production in Oberhausen and Wolfsburg, both Großstädte
        # (data/osca.ttl), ahead of Stadtlabor2Go (Mönchengladbach and Wiesbaden) by its readiness
        ("München", "Bayern", "Großstadt", ID + "solution/osca", "size"),
        # Hagenow (MV, Kleinstadt) runs the Smart Village App; the Open SmartCity App runs in Kalletal,
        # a Kleinstadt (data/osca.ttl)
        ("Hagenow", "Mecklenburg-Vorpommern", "Kleinstadt", ID + "solution/osca", "size"),
        # Andernach (RP, Mittelstadt): Detmold, Eisenhüttenstadt and Frankfurt (Oder) are Mittelstädte
        # with the Smart Village App
        ("Andernach", "Rheinland-Pfalz", "Mittelstadt", SVA, "size"),
    ],
)
def test_five_municipalities_of_different_states_and_sizes(
    graph: Graph, recommender: Recommender, name: str, state: str, size: str, first: str, reason: str
) -> None:
    answer = _answer(graph, recommender, name)
    assert answer.profile["stateLabel"] == state and answer.profile["sizeLabel_de"] == size
    top = answer.recommendations[0]
    assert top.asset == first and reason in {r.key for r in top.reasons}
    assert all(r.text_de and r.text_en for rec in answer.recommendations for r in rec.reasons)
    assert not set(answer.in_use) & {r.asset for r in answer.recommendations}
    scores = [r.score for r in answer.recommendations]
    assert scores == sorted(scores, reverse=True)


def test_same_answer_twice(graph: Graph, recommender: Recommender) -> None:
    one = _answer(graph, recommender, "Lemgo").to_json()
    assert one == Recommender(graph, as_of=AS_OF).recommend(graph.resolve("Lemgo").iri).to_json()


def test_nothing_fits_says_why(project: Project) -> None:
    """tests/data/recommend/nothing-fits.ttl: the one solution runs only in a Großstadt in another state,
    700 km away."""
    store = Store()
    store.load(path=str(REPO / "tests/data/recommend/nothing-fits.ttl"), format=RdfFormat.TURTLE)
    answer = Recommender(Graph(project, store=store), as_of=AS_OF).recommend(ID + "municipality/01000001")
    assert answer.recommendations == [] and answer.why_none.startswith("Nichts empfohlen")
    assert "Nichts empfohlen" in answer.to_text()


def test_distance_between_centre_points() -> None:
    """Berlin to Hamburg is about 255 km between their centres."""
    assert 250 < distance_km((13.405, 52.52), (9.993, 53.551)) < 262


def test_unknown_and_ambiguous_names(graph: Graph) -> None:
    with pytest.raises(UnknownName, match="Wiesenburg/Mark"):
        recommend_for(graph, "Wiesenbrug/Mark", as_of=AS_OF)
    with pytest.raises(AmbiguousName) as caught:
        recommend_for(graph, "Neuhaus", as_of=AS_OF)
    assert "Landkreis Passau, Bayern" in str(caught.value)


def test_recommend_command(loaded_cli: Callable[..., Ran]) -> None:
    done = loaded_cli("recommend", "12069665", "--as-of", "2026-12-08", "--format", "json", "--root", str(REPO))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["recommendations"][0]["asset"] == SVA and answer["as_of"] == "2026-12-08"
    wrong = loaded_cli("recommend", "Neuhaus", "--root", str(REPO))
    assert wrong.returncode == 2 and "Bayern" in wrong.stderr and "Traceback" not in wrong.stderr


def test_text_is_one_language(graph: Graph, recommender: Recommender) -> None:
    """Wiesenburg/Mark's answer: kind, degree of urbanisation (ontology/concepts.ttl labels) and the readiness
    criteria met (their titles) in German by default, in English with lang="en"."""
    answer = _answer(graph, recommender, "Wiesenburg/Mark")
    german, english = answer.to_text("de", limit=1), answer.to_text("en", limit=1)
    assert "Smart Village App (Lösung)" in german and "desselben Verstädterungsgrads (gering besiedelt)" in german
    assert "Veröffentlichte Lizenz" in german and "licence," not in german
    assert "Smart Village App (solution)" in english and "degree of urbanisation (thinly populated)" in english
    assert "Published licence" in english and "4,247 inhabitants" in english
