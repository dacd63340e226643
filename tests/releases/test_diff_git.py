"""``diff git:REV …``: the project in the current folder at a git revision, compared with another revision
or with the working copy; a revision git does not know is a clear error (exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpsc_graph.cli import main
from support import SHAPE_BASE, project_skeleton

BETA = "https://w3id.org/mpsc-graph/id/adoption/beta-core"
GIT_IDENTITY = ["-c", "user.name=mpsc-graph tests", "-c", "user.email=tests@example.invalid"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose subfolder ``project/`` holds a small project, committed twice: the second
    commit turns one adoption's status from production to trial. The tests run in ``project/``."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    project = project_skeleton(root / "project")
    data = project / "data" / "adoptions.ttl"
    shutil.copy(SHAPE_BASE, data)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    text = data.read_text(encoding="utf-8")
    assert text.count("mpsc:adoptionStatus status:production") == 1
    data.write_text(
        text.replace("mpsc:adoptionStatus status:production", "mpsc:adoptionStatus status:trial"), encoding="utf-8"
    )
    git(root, "commit", "-q", "-a", "-m", "second")
    monkeypatch.chdir(project)
    return project


def test_two_revisions_differ_by_the_one_status_change(repo: Path) -> None:
    done = CliRunner().invoke(main, ["diff", "git:HEAD~1", "git:HEAD", "--format", "json"])
    assert done.exit_code == 1, done.output
    entities = json.loads(done.output)["entities"]
    assert [(e["entity"], e["status"], [f["property"].rsplit("#", 1)[-1] for f in e["facts"]]) for e in entities] == [
        (BETA, "changed", ["adoptionStatus"])
    ]


def test_a_revision_and_the_working_copy_are_the_same_until_an_edit(repo: Path) -> None:
    assert CliRunner().invoke(main, ["diff", "git:HEAD", "."]).exit_code == 0
    data = repo / "data" / "adoptions.ttl"
    data.write_text(
        data.read_text(encoding="utf-8").replace('"Betadorf übernimmt', '"Betadorf nutzt'), encoding="utf-8"
    )
    done = CliRunner().invoke(main, ["diff", "git:HEAD", ".", "--format", "json"])
    assert done.exit_code == 1
    assert json.loads(done.output)["summary"]["Adoption"]["labels_only"] == 1


@pytest.mark.parametrize("revision", ["git:no-such-branch", "git:--output=OUT", "git:"])
def test_an_unknown_revision_is_a_clear_error(repo: Path, revision: str) -> None:
    revision = revision.replace("OUT", str(repo.parent / "written"))
    done = CliRunner().invoke(main, ["diff", revision, "git:HEAD"])
    assert done.exit_code == 2
    assert revision in done.output and "Traceback" not in done.output
    assert not (repo.parent / "written").exists()  # a revision is never read as an option of git
