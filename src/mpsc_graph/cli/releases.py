"""Commands ``diff`` (what changed between two datasets) and ``release`` (a versioned export)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..errors import InputError
from ..releases.diff import diff_datasets
from ..releases.release import make_release
from ..releases.report import render
from .base import main, project_at, root_option, terminate_unwinds, write_output


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "turtle"]), default="markdown",
              show_default=True, help="Markdown for people, JSON for programs, Turtle (RDF) for the graph.")
@click.option("-o", "--output", default=None, help="Write to FILE instead of stdout.")
def diff_command(old: str, new: str, fmt: str, output: str | None) -> None:
    """Compare two datasets by entity; exit 1 when they differ, 0 when not, 2 on bad input.

    OLD and NEW are each a project folder, a release folder, an Oxigraph store folder, a dump
    (.nq, .trig, .nt, .ttl, optionally .gz) or git:REV (this repository's project at a revision).
    Blank nodes and the order of statements make no difference; label-only changes and statements
    moved between named graphs are reported apart from changes of fact.
    """
    with terminate_unwinds():
        result = diff_datasets(old, new)
    write_output(render(result, fmt), output)
    sys.exit(1 if result.different else 0)


@main.command("release")
@root_option
@click.argument("version")
@click.option("--out", "out", default="releases", show_default=True, type=click.Path(file_okay=False),
              help="Releases root: the release is written to OUT/VERSION/.")
@click.option("--issued", default=None, metavar="YYYY-MM-DD",
              help="Release date (dct:issued) [default: the inputs' date, as export computes it].")
@click.option("--since", default=None, metavar="VERSION",
              help="Compare with this release [default: the highest release below VERSION in OUT].")
def release_command(root: str | None, version: str, out: str, issued: str | None, since: str | None) -> None:
    """Write a versioned release: dumps, VoID, DCAT-AP.de, CHANGES.md, changes as data and Atom feeds.

    Validates first, as export does: on a SHACL violation nothing is written (exit 1).
    An existing release folder is never replaced (exit 2).
    """
    try:
        day = date.fromisoformat(issued) if issued is not None else None
    except ValueError as exc:
        raise InputError(f"--issued must be a date YYYY-MM-DD, not {issued!r}") from exc
    with terminate_unwinds():
        report = make_release(project_at(root), version, Path(out), issued=day, since=since)
    since_text = f"since {report.previous}" if report.previous else "(first release)"
    click.echo(f"released {report.version} ({report.issued.isoformat()}) to {report.folder}: "
               f"{report.changes} changed entities {since_text}, {report.events} feed entries, {report.feeds} feeds")
