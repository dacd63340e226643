"""Reuse commands: ``reuse NAME`` prints a solution's or module's reuse brief, ``coverage`` what the data answers.

Exit codes: 0 with a brief (also when the data answers none of its questions: the brief names the
gaps); 2 for an unknown or ambiguous name (the message lists candidates).
"""

from __future__ import annotations

import click

from .base import endpoint_option, main, root_option


@main.command("reuse")
@click.argument("name")
@root_option
@endpoint_option
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the brief.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def reuse(name: str, root: str, endpoint: str | None, lang: str, fmt: str) -> None:
    """Reuse brief (Nachnutzungs-Steckbrief) of the solution or module NAME (label, slug or IRI).

    What it is, who made, operates, maintains and supports it, how to start using it and on which
    conditions, costs and financing, contact points, standards, licence, repositories and adopters by
    status, each line with its numbered sources; unanswered questions are said in words.
    """
    from ..api import Graph
    from ..reuse import build_brief

    click.echo(build_brief(Graph.open(root, endpoint=endpoint), name, lang=lang).render(fmt), nl=False)


@main.command("coverage")
@root_option
@endpoint_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def coverage(root: str, endpoint: str | None, fmt: str) -> None:
    """Which reuse questions the data answers, per solution.

    One named query per question: the readiness criteria of queries/readiness/ and queries/coverage/funding.rq.
    """
    from ..api import Graph
    from ..reuse_coverage import reuse_coverage

    report = reuse_coverage(Graph.open(root, endpoint=endpoint))
    click.echo(report.to_json() if fmt == "json" else report.to_text(), nl=False)
