"""``--root`` means one thing in every command and in ``Graph.open()``: Project.find's rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.cli.base import ROOT_DEFAULT, ROOT_HELP
from mpsc_graph.errors import InputError
from mpsc_graph.project import Project
from support import REPO


def make_project(path: Path) -> Path:
    for folder in ("data", "ontology"):
        (path / folder).mkdir(parents=True)
    return path


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that is no project, with $MPSC_ROOT unset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MPSC_ROOT", raising=False)
    return tmp_path


def test_an_explicit_root_is_used_and_must_be_a_project(elsewhere: Path) -> None:
    copy = make_project(elsewhere / "copy")
    assert Project.find(copy).root == copy.resolve()
    with pytest.raises(InputError, match=f"{elsewhere}: not a project root"):
        Project.find(elsewhere)
    with pytest.raises(InputError, match="not a project root"):
        Project.find_optional(elsewhere)  # optional only when nothing was asked for


def test_without_root_the_current_directory_comes_first(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = make_project(elsewhere / "here")
    monkeypatch.setenv("MPSC_ROOT", str(REPO))
    monkeypatch.chdir(here)
    assert Project.find().root == here.resolve()
    assert Graph.open().project.root == here.resolve()


def test_then_mpsc_root_which_must_be_a_project(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = make_project(elsewhere / "other")
    monkeypatch.setenv("MPSC_ROOT", str(other))
    assert Project.find().root == other.resolve()
    monkeypatch.setenv("MPSC_ROOT", str(elsewhere))
    with pytest.raises(InputError, match=f"{elsewhere}: not a project root"):
        Project.find_optional()


def test_then_the_bundled_project(elsewhere: Path) -> None:
    assert Project.find().root == REPO
    assert Project.find_optional() == Project(REPO)


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield prefix + name, command


def test_every_command_declares_root_alike() -> None:
    declared = {}
    for name, command in commands(main):
        for option in command.params:
            if isinstance(option, click.Option) and "--root" in option.opts:
                declared[name] = option
    assert {"build", "validate", "query", "network stats", "import publiccode", "enrich wikidata", "publish",
            "serve"} <= set(declared)
    assert {option.default for option in declared.values()} == {None}
    # serve says what the project is for there; the default is told in the same words
    assert {option.help for name, option in declared.items() if name != "serve"} == {ROOT_HELP}
    assert ROOT_DEFAULT in (declared["serve"].help or "")


def test_commands_find_the_same_project_from_anywhere(elsewhere: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["queries"])
    assert listed.exit_code == 0 and "graph_triple_count" in listed.output  # the bundled project's queries
    wrong = runner.invoke(main, ["queries", "--root", str(elsewhere)])
    assert wrong.exit_code == 2 and f"{elsewhere}: not a project root" in wrong.output
    network = runner.invoke(main, ["network", "stats", "--root", str(elsewhere)])
    assert network.exit_code == 2 and f"{elsewhere}: not a project root" in network.output
