"""Commands ``diff`` (what changed between two datasets) and ``release`` (a versioned export)."""

from __future__ import annotations

import sys

import click

from ..releases.diff import diff_datasets
from ..releases.report import render
from .base import main, terminate_unwinds, write_output


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
