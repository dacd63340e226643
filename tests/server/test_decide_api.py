"""Readiness and recommendations over HTTP, on the real data served on loopback: the API answers as the
``readiness`` and ``recommend`` commands answer (the known answers are those of tests/test_readiness.py
and tests/test_recommend.py).

The server here has a longer query timeout than the shared one: a recommendation first reads the profile
of every directory municipality, which takes longer than 15 s on a loaded test machine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from mpsc_graph.api import Graph
from mpsc_graph.readiness import assess
from mpsc_graph.recommend import Recommender
from mpsc_graph.server import running
from support import REPO

ID = "https://w3id.org/mpsc-graph/id/"
SVA = ID + "solution/smart-village-app"
AS_OF = "2026-12-08"


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[str]:
    with running(REPO, store_dir=store_dir, extra_args=["--timeout", "120", "--workers", "2"]) as base:
        yield base


def test_the_criteria_are_listed_with_their_headers(server: str) -> None:
    listed = httpx.get(f"{server}/api/readiness", timeout=60).json()
    names = [c["name"] for c in listed]
    assert len(names) == 13 and names[0] == "licence"
    trial = next(c for c in listed if c["name"] == "trial-ended")
    assert trial["path"] == "/api/readiness/trial-ended" and trial["dated"] is True
    assert trial["outcomes"] == ["met", "not met", "unknown"] and trial["title_de"].startswith("Keine Erprobung")


def test_one_criterion_for_one_solution_and_for_all(server: str) -> None:
    """data/smart-village-app.ttl: the Landkreis Mayen-Koblenz's app ended in 2025-07 without later production use."""
    one = httpx.get(f"{server}/api/readiness/trial-ended", params={"asset": SVA, "asOf": AS_OF}, timeout=60)
    assert one.status_code == 200, one.text
    rows = one.json()
    assert [r["outcome"] for r in rows] == ["not met"] and "Mayen-Koblenz" in rows[0]["facts"]
    every = httpx.get(f"{server}/api/readiness/licence", headers={"Accept": "text/csv"}, timeout=60)
    table = list(csv.DictReader(io.StringIO(every.text)))
    assert len(table) > 50 and {r["outcome"] for r in table} == {"met", "unknown"}
    assert next(r for r in table if r["asset"] == SVA)["outcome"] == "met"


def test_readiness_of_one_solution_is_the_command_s_answer(server: str, graph: Graph) -> None:
    answer = httpx.get(f"{server}/api/readiness", params={"asset": SVA, "asOf": AS_OF}, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(assess(graph, SVA, as_of=date.fromisoformat(AS_OF)).to_json())


def test_readiness_refuses_what_it_cannot_answer(server: str) -> None:
    assert httpx.get(f"{server}/api/readiness/license", timeout=30).status_code == 404  # a criterion's name mistyped
    assert "licence" in httpx.get(f"{server}/api/readiness/license", timeout=30).text
    assert httpx.get(f"{server}/api/readiness/licence", params={"asOf": "8.12.2026"}, timeout=30).status_code == 400
    assert httpx.get(f"{server}/api/readiness/licence", params={"assets": SVA}, timeout=30).status_code == 400
    assert httpx.get(f"{server}/api/readiness", params={"asset": ID + "solution/none"}, timeout=30).status_code == 404


def test_recommendations_by_ags_are_the_command_s_answer(server: str, graph: Graph) -> None:
    """Wiesenburg/Mark (12069665, Brandenburg) uses no Smart Village App and gets it first; the answer is
    the library's for the same as-of date."""
    answer = httpx.get(f"{server}/api/recommend/12069665", params={"asOf": AS_OF}, timeout=300)
    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert got["ags"] == "12069665" and got["recommendations"][0]["asset"] == SVA
    expected = Recommender(graph, as_of=date.fromisoformat(AS_OF)).recommend(ID + "municipality/12069665")
    assert got == json.loads(expected.to_json("de"))
    english = httpx.get(f"{server}/api/recommend/12069665", params={"asOf": AS_OF, "lang": "en"}, timeout=300)
    assert any("same state" in r["text"] for r in english.json()["recommendations"][0]["reasons"])


def test_recommendations_refuse_a_wrong_or_unknown_ags(server: str) -> None:
    assert httpx.get(f"{server}/api/recommend/1206966", timeout=30).status_code == 400
    unknown = httpx.get(f"{server}/api/recommend/99999999", params={"asOf": AS_OF}, timeout=300)
    assert unknown.status_code == 404 and "99999999" in unknown.text


def test_the_api_list_names_the_criteria_apart(server: str) -> None:
    listed = httpx.get(f"{server}/api", timeout=60).json()
    readiness = [op for op in listed if op["name"].startswith("readiness/")]
    assert len(readiness) == 13 and all(op["path"] == "/api/" + op["name"] for op in readiness)
    assert not any(op["name"] in ("licence", "trial-ended") for op in listed)
    trial = next(op for op in readiness if op["name"] == "readiness/trial-ended")
    assert [p["name"] for p in trial["params"]] == ["asset", "asOf"]
