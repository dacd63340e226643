"""``mpsc-graph harvest``: publiccode.yml catalogues staged, compared with the curated data, accepted by id.

Fixtures: the real Smart Village App publiccode.yml of the shared conformance folder and, derived from
it in a temporary folder, a second version whose owner is another body (its usedBy entries disagree
with the curated origin), a version naming one more town, and a broken file. Bad input (anchors,
binary, oversize, a symlink out of the folder, a redirect to a non-HTTP scheme) stops the harvest
with exit 2 and nothing written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from loopback import LoopbackServer, respond
from mpsc_graph.cli import main
from support import project_copy

REAL = "real-smart-village-app.yml"
CURATED_ORIGIN = "https://w3id.org/mpsc-graph/id/municipality/12069020"  # Bad Belzig


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_copy(tmp_path_factory.mktemp("harvest-project"))


@pytest.fixture(scope="module")
def catalogue(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with versions of one real file and a broken one, and a list naming it."""
    real = (shared / "conformance" / "publiccode" / REAL).read_text(encoding="utf-8")
    base = tmp_path_factory.mktemp("catalogue")
    folder = base / "sva"
    folder.mkdir()
    (folder / "v1-publiccode.yml").write_text(real, encoding="utf-8")
    (folder / "v2-publiccode.yml").write_text(
        real.replace("mainCopyrightOwner: Stadt Bad Belzig", "mainCopyrightOwner: Stadt Potsdam"), encoding="utf-8")
    (folder / "broken-publiccode.yml").write_text(real.replace("name: Smart Village App\n", ""), encoding="utf-8")
    (base / "list.txt").write_text("# one folder\nsva/\n", encoding="utf-8")
    return base


def _harvest(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["harvest", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def staged(root: Path, catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("staged") / "harvest"
    code, output = _harvest(str(catalogue / "list.txt"), "--root", str(root), "--out", str(out),
                            "--accessed", "2026-12-01")
    assert code == 1, output  # the broken file is skipped and reported
    return out


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_report_sorts_items_into_new_agreeing_and_disagreeing(staged: Path) -> None:
    report = _report(staged)
    by = {v: [i for i in report["items"] if i["origin_file"].endswith(f"{v}-publiccode.yml")] for v in ("v1", "v2")}
    # version 1: Bad Belzig is the origin as curated; Linz am Rhein is not in the data yet
    assert {i["verdict"] for i in by["v1"]} == {"new", "agrees"}
    (new,) = [i for i in by["v1"] if i["verdict"] == "new"]
    assert new["adopter"] == "https://w3id.org/mpsc-graph/id/municipality/07138041"
    assert new["origin"] == CURATED_ORIGIN
    # version 2 names Potsdam as owner: every usedBy that the data holds disagrees, as a claim candidate
    disagreeing = [i for i in by["v2"] if i["verdict"] == "disagrees"]
    assert len(disagreeing) >= 20
    assert all(i["kind"] == "claim" and "ontology#ConflictingClaim>" in i["turtle"] for i in disagreeing)
    assert [b["origin_file"].rsplit("/", 1)[-1] for b in report["broken"]] == ["broken-publiccode.yml"]
    assert "name" in report["broken"][0]["error"]
    trig = sorted(p.name for p in staged.glob("*.trig"))
    assert len(trig) == 2 and all(name.endswith("-publiccode.trig") for name in trig)
    markdown = (staged / "report.md").read_text(encoding="utf-8")
    assert f"`{new['id']}` Linz am Rhein" in markdown and "## Broken files: 1" in markdown


def test_same_inputs_give_the_same_bytes(root: Path, catalogue: Path, staged: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    code, _ = _harvest(str(catalogue / "list.txt"), "--root", str(root), "--out", str(again),
                       "--accessed", "2026-12-01")
    assert code == 1
    assert {p.name: p.read_bytes() for p in staged.iterdir()} == {p.name: p.read_bytes() for p in again.iterdir()}


def test_accept_appends_the_reviewed_items_with_their_sources(root: Path, staged: Path) -> None:
    report = _report(staged)
    new = next(i for i in report["items"] if i["verdict"] == "new" and i["origin_file"].endswith("v1-publiccode.yml"))
    claim = next(i for i in report["items"] if i["verdict"] == "disagrees")
    target = root / "data" / "contrib-harvested.ttl"
    assert not target.exists()
    code, output = _harvest("--accept", new["id"], "--accept", claim["id"], "--from", str(staged),
                            "--root", str(root))
    assert code == 0, output
    text = target.read_text(encoding="utf-8")
    assert f"# harvest item {new['id']} " in text and f"# harvest item {claim['id']} " in text
    assert "<https://w3id.org/mpsc-graph/id/municipality/07138041>" in text
    assert "ConflictingClaim" in text and "publiccode-yml-smart-village-app" in text
    before = target.read_bytes()
    code, output = _harvest("--accept", new["id"], "--from", str(staged), "--root", str(root))
    assert code == 2 and "already accepted" in output
    agreeing = next(i for i in report["items"] if i["verdict"] == "agrees")
    code, output = _harvest("--accept", agreeing["id"], "--from", str(staged), "--root", str(root))
    assert code == 2 and "nothing to accept" in output
    assert target.read_bytes() == before


def test_the_staging_folder_is_never_under_data(root: Path, catalogue: Path) -> None:
    code, output = _harvest(str(catalogue / "list.txt"), "--root", str(root), "--out", str(root / "data" / "h"))
    assert code == 2 and "must not be under data/" in output
    assert not (root / "data" / "h").exists()


@pytest.mark.parametrize(("name", "content"), [
    ("anchors.yml", b"a: &a [x, x]\nb: [*a, *a, *a]\n"),
    ("binary.yml", b"name: x\n\x00\x01\x02\x03"),
    ("latin1.yml", "name: Lüdenscheid\n".encode("latin-1")),
    ("huge.yml", b"x: " + b"a" * 2_100_000 + b"\n"),
])
def test_hostile_yaml_stops_the_harvest_with_exit_2_and_nothing_written(
        root: Path, tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "list.txt").write_text(name + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = _harvest(str(tmp_path / "list.txt"), "--root", str(root), "--out", str(out))
    assert code == 2 and name in output and "Traceback" not in output
    assert not out.exists()


def test_a_symlink_out_of_the_listed_folder_is_refused(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.yml"
    secret.write_text("name: x\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    os.symlink(secret, folder / "publiccode.yml")
    (tmp_path / "list.txt").write_text("folder\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = _harvest(str(tmp_path / "list.txt"), "--root", str(root), "--out", str(out))
    assert code == 2 and "leads out of the folder" in output
    assert not out.exists()


def test_a_redirect_to_another_scheme_is_refused(root: Path, tmp_path: Path) -> None:
    def answer(handler, _request) -> None:  # type: ignore[no-untyped-def]
        respond(handler, 302, headers={"Location": "file:///etc/passwd"})

    out = tmp_path / "out"
    with LoopbackServer(answer) as server:
        (tmp_path / "list.txt").write_text(f"{server.base}/publiccode.yml\n", encoding="utf-8")
        code, output = _harvest(str(tmp_path / "list.txt"), "--root", str(root), "--out", str(out),
                                "--retries", "0")
    assert code == 2 and "file" in output and "Traceback" not in output
    assert not out.exists()
