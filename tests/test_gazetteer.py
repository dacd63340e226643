"""Gazetteer: prefixes, qualifiers, typos, same-name bodies, and the real Smart Village App usedBy list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from mpsc_graph.errors import InputError
from mpsc_graph.project import Project
from mpsc_graph.resolve import (
    Gazetteer,
    Place,
    edit_distance,
    parse_name,
    project_places,
)
from support import REPO

M, D, A = "municipality", "district", "association"

# Expected outcome for every usedBy name of real-smart-village-app.yml: (status, kind, key or None).
SVA_EXPECTED: dict[str, tuple[str, str | None, str | None]] = {
    "Landkreis Havelland": ("resolved", D, "12063"),
    "Landkreis Mayen-Koblenz": ("resolved", D, "07137"),
    "Landkreis Uckermark": ("resolved", D, "12073"),
    "Stadt Angermünde": ("resolved", M, "12073008"),
    "Stadt Arneburg-Goldbeck": ("unresolved", None, None),
    "Stadt Bad Belzig": ("resolved", M, "12069020"),
    "Stadt Bernau bei Berlin": ("resolved", M, "12060020"),
    "Stadt Detmold": ("resolved", M, "05766020"),
    "Stadt Eberswalde": ("resolved", M, "12060052"),
    "Stadt Eisenhüttenstadt": ("resolved", M, "12067120"),
    "Stadt Falkenberg (Elster)": ("resolved", M, "12062128"),
    "Stadt Frankfurt (Oder)": ("resolved", M, "12053000"),
    "Stadt Guben": ("resolved", M, "12071160"),
    "Stadt Hagenow": ("resolved", M, "13076060"),
    "Stadt Herzberg/Elster": ("resolved", M, "12062224"),
    "Stadt Hohen Neuendorf": ("resolved", M, "12065144"),
    "Stadt Kiel": ("resolved", M, "01002000"),
    "Stadt Kyritz": ("resolved", M, "12068264"),
    "Stadt Linz am Rhein": ("resolved", M, "07138041"),
    "Stadt Prenzlau": ("resolved", M, "12073452"),
    "Stadt Seelow": ("resolved", M, "12064448"),
    "Stadt Spremberg": ("resolved", M, "12071372"),
    "Stadt Storkow": ("resolved", M, "12067481"),
    "Amt Gransee und Gemeinden": ("resolved", A, "120655502"),
    "Amt Schlieben": ("resolved", A, "120625209"),
    "Gemeine Birkenwerder": ("resolved", M, "12065036"),
    "Gemeinde Eichenzell": ("resolved", M, "06631006"),
    "Gemeinde Grünheide": ("resolved", M, "12067201"),
    "Gemeinde Michendorf": ("resolved", M, "12069397"),
    "Gemeinde Nuthetal": ("resolved", M, "12069454"),
    "Gemeinde Panketal": ("resolved", M, "12060181"),
    "Gemeinde Rüdersdorf": ("resolved", M, "12064428"),
    "Gemeinde Schönefeld": ("resolved", M, "12061433"),
    "Bremen (MeinQuartier)": ("unresolved", None, None),
}


@pytest.fixture(scope="module")
def shipped() -> Gazetteer:
    """The gazetteer of the repository's own data: the official directory and the curated tables."""
    return Gazetteer.for_project(Project.at(REPO))


def sva_names(shared: Path) -> list[str]:
    data = yaml.safe_load((shared / "conformance/publiccode/real-smart-village-app.yml").read_text(encoding="utf-8"))
    return list(data["usedBy"])


def test_expectations_cover_exactly_the_real_used_by_list(shared: Path) -> None:
    assert sorted(sva_names(shared)) == sorted(SVA_EXPECTED)


@pytest.mark.parametrize("name", sorted(SVA_EXPECTED))
def test_every_real_used_by_name_has_its_expected_outcome(shipped: Gazetteer, name: str) -> None:
    status, kind, key = SVA_EXPECTED[name]
    result = shipped.resolve(name)
    assert result.status == status, result.describe()
    if key is not None:
        assert result.place is not None and (result.place.kind, result.place.key) == (kind, key)
    else:
        assert result.place is None


def test_unresolved_names_are_reported_with_reason_and_candidates(shipped: Gazetteer) -> None:
    bremen = shipped.resolve("Bremen (MeinQuartier)")
    assert [(c.kind, c.key) for c in bremen.candidates] == [(M, "04011000")]
    assert "qualifier" in bremen.reason
    amt = shipped.resolve("Amt Schlieben")  # the Gemeindeverband, never its seat town Schlieben
    assert (amt.place.kind, amt.place.key) == (A, "120625209")  # type: ignore[union-attr]
    assert shipped.resolve("Amt Nirgendwo").status == "unresolved"
    assert "Gemeindeverband" in shipped.resolve("Amt Nirgendwo").reason
    assert shipped.resolve("Stadt Arneburg-Goldbeck").candidates == ()


def test_typo_in_prefix_is_noted(shipped: Gazetteer) -> None:
    result = shipped.resolve("Gemeine Birkenwerder")
    assert result.notes == ("prefix 'Gemeine' read as 'gemeinde'",)


def test_typo_in_name_resolves_only_when_unique(shipped: Gazetteer) -> None:
    assert shipped.resolve("Eisenhütenstadt").place.key == "12067120"  # type: ignore[union-attr]
    assert shipped.resolve("Gemeinde Pankethal").place.key == "12060181"  # type: ignore[union-attr]
    assert shipped.resolve("Kiehl").status == "unresolved"  # short names get no spelling tolerance


def test_parenthesised_and_slash_qualifiers_match_each_other(shipped: Gazetteer) -> None:
    assert shipped.resolve("Falkenberg/Elster").place.key == "12062128"  # type: ignore[union-attr]
    assert shipped.resolve("Herzberg (Elster)").place.key == "12062224"  # type: ignore[union-attr]
    assert shipped.resolve("Frankfurt/Oder").place.key == "12053000"  # type: ignore[union-attr]


def test_same_name_in_two_states_is_ambiguous_until_the_state_is_known(shipped: Gazetteer) -> None:
    result = shipped.resolve("Frankfurt")
    assert result.status == "ambiguous"
    assert [c.key for c in result.candidates] == ["06412000", "12053000"]
    assert shipped.resolve("Frankfurt", state="12").place.key == "12053000"  # type: ignore[union-attr]
    assert shipped.resolve("Frankfurt", state="06").place.key == "06412000"  # type: ignore[union-attr]


def test_identical_names_in_different_states(tmp_path: Path) -> None:
    # Two real municipalities called Salem (AGS checked against the DWD warn-cell list).
    gazetteer = Gazetteer([Place(M, "01053107", "Gemeinde Salem", "01"), Place(M, "08435052", "Gemeinde Salem", "08")])
    result = gazetteer.resolve("Gemeinde Salem")
    assert result.status == "ambiguous" and len(result.candidates) == 2
    assert gazetteer.resolve("Salem", state="08").place.key == "08435052"  # type: ignore[union-attr]
    assert gazetteer.resolve("Salem", state="05").status == "unresolved"


def test_kind_prefix_separates_district_and_town(shipped: Gazetteer) -> None:
    assert shipped.resolve("Kreis Unna").place.kind == D  # type: ignore[union-attr]
    assert shipped.resolve("Stadt Unna").place.key == "05978036"  # type: ignore[union-attr]
    assert shipped.resolve("Unna").status == "ambiguous"


def test_kreisfreie_stadt_listed_twice_is_one_body() -> None:
    gazetteer = Gazetteer([Place(M, "01002000", "Stadt Kiel", "01"), Place(D, "01002", "Stadt Kiel", "01")])
    assert gazetteer.resolve("Kiel").place.kind == M  # type: ignore[union-attr]


def test_parse_name_and_edit_distance() -> None:
    parsed = parse_name("Landkreis Wunsiedel i. Fichtelgebirge")
    assert (parsed.kind, parsed.core, parsed.base) == (D, "wunsiedel i fichtelgebirge", "wunsiedel")
    assert parse_name("Rendsburg, Stadt").core == "rendsburg"
    assert edit_distance("gemeine", "gemeinde", 1) == 1
    assert edit_distance("kiel", "kassel", 1) == 2


def test_every_body_of_the_directory_is_a_place(project: Project) -> None:
    places = project_places(project)
    kinds = {kind: sum(1 for p in places if p.kind == kind and "destatis-gv-2020q4" in p.sources) for kind in (M, D, A)}
    assert kinds == {M: 10794, D: 294, A: 1171}


def test_project_tables_are_merged_at_run_time(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project(municipalities__csv="ags,name_de,name_en,state,district,wikidata,sources\n"
                                               "08435052,Salem,Salem,08,,,dwd-warncells\n")
    assert Gazetteer.for_project(project).resolve("Gemeinde Salem").place.key == "08435052"  # type: ignore[union-attr]


# ---- measured against a full reference list (read at test time only, never copied)

STATE_KEYS = {"SH": "01", "HH": "02", "NI": "03", "HB": "04", "NW": "05", "HE": "06", "RP": "07", "BW": "08",
              "BY": "09", "SL": "10", "BE": "11", "BB": "12", "MV": "13", "SN": "14", "ST": "15", "TH": "16"}


@pytest.fixture(scope="module")
def dwd_places() -> list[Place]:
    from mpsc_graph.project import shared_dir

    shared = shared_dir(REPO)
    path = shared / "reference" / "dwd-warncells.csv" if shared else None
    if path is None or not path.is_file():
        pytest.skip("../shared/reference/dwd-warncells.csv is not available")
    places = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            cell, state = row["WARNCELLID"], STATE_KEYS.get(row["BL"])
            if state and cell.startswith("8") and len(cell) == 9:
                places.append(Place(M, cell[1:], row["NAME"], state))
            elif state and cell.startswith("1") and cell.endswith("000") and len(cell) == 9:
                places.append(Place(D, cell[1:6], row["NAME"], state))
    return places


def test_against_the_full_list_every_sva_name_gets_the_same_answer(shared: Path, dwd_places: list[Place]) -> None:
    full = Gazetteer(dwd_places)
    assert len(full) > 11000
    for name, (status, kind, key) in SVA_EXPECTED.items():
        if kind == A:  # the DWD list has no Gemeindeverbände: an Amt stays unresolved there, never its seat town
            status, kind, key = "unresolved", None, None
        result = full.resolve(name)
        assert result.status == status, result.describe()
        if key:
            assert (result.place.kind, result.place.key) == (kind, key)  # type: ignore[union-attr]
    # the full list shows what the partial one cannot: Herzberg is three towns
    assert [c.key for c in full.resolve("Herzberg").candidates] == ["03159019", "12062224", "12068188"]
    # two edits apart is too far for a 12-letter name: Unterdießen is not Unterwössen
    assert full.resolve("Unterdießen").place.key == "09181143"  # type: ignore[union-attr]
    assert full.resolve("Unterdiesen").place.key == "09181143"  # type: ignore[union-attr]
    assert full.resolve("Unterdossen").status == "unresolved"  # two edits from both


def test_every_curated_key_exists_in_the_full_list_under_a_matching_name(project: Project,
                                                                       dwd_places: list[Place]) -> None:
    full = Gazetteer(dwd_places)
    by_key = {(p.kind, p.key): p for p in dwd_places}
    for place in (p for p in project_places(project) if "destatis-gv-2020q4" not in p.sources):
        assert (place.kind, place.key) in by_key, place.describe()
        result = full.resolve(place.name, state=place.state)
        keys = {result.place.key} if result.place else {c.key for c in result.candidates}
        assert place.key in keys or place.key + "000" in keys, (place.describe(), result.describe())


def test_state_hint_settles_only_ambiguous_names(shipped: Gazetteer) -> None:
    hinted = shipped.with_state_hint("12")
    result = hinted.lookup("Frankfurt")
    assert result.place.key == "12053000"  # type: ignore[union-attr]
    assert result.notes[-1] == "2 bodies of this name; the one in state 12 as given"
    assert hinted.lookup("Stadt Kiel").place.key == "01002000"  # type: ignore[union-attr]  # unique: hint unused
    assert shipped.lookup("Frankfurt").status == "ambiguous"
    with pytest.raises(InputError):
        shipped.with_state_hint("Brandenburg")


def test_full_list_names_resolve_to_themselves_or_list_themselves(dwd_places: list[Place]) -> None:
    """Every one of ~11,400 official names: resolved to its own key, or ambiguous with itself listed. Never wrong."""
    full = Gazetteer(dwd_places)
    outcomes = {"self": 0, "listed": 0, "wrong": 0}
    for place in dwd_places:
        result = full.resolve(place.name)
        own = {place.key, place.key + "000"}
        if result.place is not None:
            outcomes["self" if result.place.key in own else "wrong"] += 1
        else:
            outcomes["listed" if own & {c.key for c in result.candidates} else "wrong"] += 1
    assert outcomes["wrong"] == 0, outcomes
    assert outcomes["self"] > 10000


def test_typos_are_rarely_resolved_wrongly(dwd_places: list[Place]) -> None:
    """One letter dropped from 200 long official names: mostly right or reported, wrong at most 2 %.

    A dropped letter can produce another real name exactly (Gößnitz → Gößitz = Gössitz); no resolver can
    tell those apart, which is why the importer reports every non-exact match for review.
    """
    import random

    full = Gazetteer(dwd_places)
    chooser = random.Random(1)
    sample = chooser.sample([p for p in dwd_places if p.kind == M and len(p.name) >= 12], 200)
    outcomes = {"right": 0, "reported": 0, "wrong": 0}
    for place in sample:
        cut = chooser.randrange(len(place.name) // 2, len(place.name) - 1)
        result = full.resolve(place.name[:cut] + place.name[cut + 1:])
        if result.place is None:
            outcomes["reported"] += 1
        else:
            outcomes["right" if result.place.key == place.key else "wrong"] += 1
    assert outcomes["wrong"] <= 4, outcomes
    assert outcomes["right"] >= 100, outcomes


def test_a_municipality_named_amt_is_not_an_association(dwd_places: list[Place]) -> None:
    full = Gazetteer(dwd_places)
    assert full.resolve("Gemeinde Amt Neuhaus").place.key == "03355049"  # type: ignore[union-attr]
    loose = full.resolve("Amt Neuhaus")
    assert loose.status == "unresolved" and "03355049" in {c.key for c in loose.candidates}
