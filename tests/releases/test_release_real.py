"""Two releases of the real data, the second after three edits in a copy: CHANGES.md lists exactly
those edits, the feeds of the solution and the municipalities concerned have the entries, and
releasing the same inputs twice gives the same bytes.

The copy is the repository's curated data whole with an excerpt of the municipality directory
(``support.small_project``): every body the curated data names stays, and the three releases take
seconds instead of minutes (the directory's rows change nothing a release is checked for here)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest

from mpsc_graph.project import Project
from mpsc_graph.releases.release import make_release, release_issued
from support import small_project

NEW_ADOPTION = """
adoption:dessau-rosslau-hal-plan a mpsc:Adoption ;
    rdfs:label "Dessau-Roßlau nutzt HAL-Plan"@de , "Dessau-Roßlau uses HAL-Plan"@en ;
    mpsc:origin municipality:15002000 ;
    mpsc:adopter municipality:15001000 ;
    mpsc:adoptedAsset solution:hal-plan ;
    mpsc:adoptionMode mode:shared-operation ;
    mpsc:adoptionStatus status:planned ;
    dct:source source:halle-magdeburg-hal-plan .
"""


def edit_block(text: str, head: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside the statement block that starts with ``head``."""
    start = text.index(head)
    end = text.index(" .\n", start)
    block = text[start:end]
    assert old in block, f"{old!r} not in the block of {head}"
    return text[:start] + block.replace(old, new, 1) + text[end:]


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        base = tmp_path_factory.mktemp("releases")
        copy = small_project(base / "project", states=("15",))  # Sachsen-Anhalt: Dessau-Roßlau joins below
        first_root, again_root = base / "a", base / "b"
        make_release(Project.at(copy), "1.0.0", first_root)
        make_release(Project.at(copy), "1.0.0", again_root)
        hal_plan = copy / "data" / "hal-plan.ttl"
        text = hal_plan.read_text(encoding="utf-8")
        text = edit_block(text, "adoption:magdeburg-hal-plan a", "status:production", "status:trial")
        text = edit_block(text, "adoption:paderborn-hal-plan-core a", "mpsc:adoptionStatus status:production ;",
                          'mpsc:adoptionStatus status:production ;\n    mpsc:endDate "2026-06-30"^^xsd:date ;')
        hal_plan.write_text(text + NEW_ADOPTION, encoding="utf-8")
        issued = release_issued(first_root / "1.0.0") + timedelta(days=1)
        make_release(Project.at(copy), "1.1.0", first_root, issued=issued)
    return {"first": first_root / "1.0.0", "again": again_root / "1.0.0", "second": first_root / "1.1.0"}


def test_releasing_the_same_inputs_twice_gives_the_same_bytes(releases: dict[str, Path]) -> None:
    first, again = releases["first"], releases["again"]
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(again)) for p in again.rglob("*") if p.is_file())
    assert "catalog.ttl" in names and "CHANGES.md" in names and "feeds/all.atom" in names
    assert [n for n in names if (first / n).read_bytes() != (again / n).read_bytes()] == []


def test_the_release_is_versioned(releases: dict[str, Path]) -> None:
    catalog = (releases["second"] / "catalog.ttl").read_text(encoding="utf-8")
    assert 'dcat:version "1.1.0"' in catalog and "dct:issued" in catalog
    assert "https://w3id.org/mpsc-graph/distribution/1.1.0/mpsc-graph.nq.gz" in catalog
    ontology = (releases["second"] / "ontology.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/mpsc-graph/ontology/1.1.0>" in ontology
    assert "<https://w3id.org/mpsc-graph/ontology/0.1.0>" not in ontology


def test_changes_list_exactly_the_three_edits(releases: dict[str, Path]) -> None:
    changes = json.loads((releases["second"] / "changes.json").read_text(encoding="utf-8"))
    found = {(e["entity"].rsplit("/", 1)[-1], e["status"],
              tuple(f["property"].rsplit("#", 1)[-1] for f in e["facts"])) for e in changes["entities"]}
    assert found == {("dessau-rosslau-hal-plan", "added", ()),
                     ("magdeburg-hal-plan", "changed", ("adoptionStatus",)),
                     ("paderborn-hal-plan-core", "changed", ("endDate",))}
    text = (releases["second"] / "CHANGES.md").read_text(encoding="utf-8")
    assert "Changes in 1.1.0 since 1.0.0" in text
    assert "`concept/adoption-status/production` → `concept/adoption-status/trial`" in text
    assert "\"2026-06-30\"^^xsd:date" in text and "adoption/dessau-rosslau-hal-plan" in text
    assert "No changes." in (releases["first"] / "CHANGES.md").read_text(encoding="utf-8")


def feed(folder: Path, name: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((folder / "feeds" / name).read_bytes())
    assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
    for entry in parsed.entries:
        assert entry.get("id") and entry.get("title") and entry.get("updated") and entry.get("link"), entry
    return parsed


def test_every_feed_is_valid_atom(releases: dict[str, Path]) -> None:
    for folder in releases.values():
        for path in (folder / "feeds").rglob("*.atom"):
            feed(folder, str(path.relative_to(folder / "feeds")))


def test_the_solution_and_municipality_feeds_have_the_entries(releases: dict[str, Path]) -> None:
    second = releases["second"]
    issued = json.loads((second / "changes.json").read_text(encoding="utf-8"))["issued"]
    solution = feed(second, "solution/hal-plan.atom")
    assert sorted(e.id.split("#")[1].rsplit("-", 1)[0] for e in solution.entries) == [
        "ended", "new-adopter", "status-change"]
    assert {e.updated[:10] for e in solution.entries} == {issued}
    assert all(e.link.startswith("https://w3id.org/mpsc-graph/doc/adoption/") for e in solution.entries)
    assert any(link.rel == "related" for e in solution.entries for link in e.links)
    assert [e.link for e in feed(second, "municipality/15001000.atom").entries] == [
        "https://w3id.org/mpsc-graph/doc/adoption/dessau-rosslau-hal-plan"]
    assert len(feed(second, "municipality/15003000.atom").entries) == 1  # Magdeburg's status change
    assert len(feed(second, "municipality/05774032.atom").entries) == 1  # Paderborn's ended contract
    assert len(feed(second, "all.atom").entries) == 3
    assert date.fromisoformat(issued) > date.fromisoformat(
        json.loads((releases["first"] / "changes.json").read_text(encoding="utf-8"))["issued"])
