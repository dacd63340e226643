"""Decision support: ``readiness NAME`` (is it ready to reuse?) and ``recommend MUNICIPALITY`` (what could we reuse?).

Exit codes: 0 with an answer (also when nothing is recommended: the answer says why); 2 for an unknown
name (with a did-you-mean) or an ambiguous one (the candidates with district and state), or a bad date.
"""

from __future__ import annotations

from datetime import date

import click

from ..errors import InputError
from .base import endpoint_option, main, root_option


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of expects a date YYYY-MM-DD, got '{value}'") from None


@main.command("readiness")
@click.argument("name")
@root_option
@endpoint_option
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Compare dates with this day (default: the dataset's modification date, as export computes it).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the text.")
def readiness(name: str, root: str, endpoint: str | None, as_of: str | None, fmt: str, lang: str) -> None:
    """Reuse readiness of the solution or module NAME: each criterion of queries/readiness/ met, not met or
    unknown, with the facts and sources behind it, and a summary such as "8 of 13 met, 3 unknown"."""
    from ..api import Graph
    from ..readiness import assess

    result = assess(Graph.open(root, endpoint=endpoint), name, as_of=_as_of(as_of))
    click.echo(result.render(fmt, lang), nl=False)


@main.command("recommend")
@click.argument("municipality")
@root_option
@endpoint_option
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Compare dates with this day (default: the dataset's modification date, as export computes it).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option(
    "--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the reasons."
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Recommendations shown as text."
)
def recommend(
    municipality: str, root: str, endpoint: str | None, as_of: str | None, fmt: str, lang: str, limit: int
) -> None:
    """Solutions and modules MUNICIPALITY (name or AGS) does not use yet, ranked, each with its reasons and
    their sources (weights in queries/readiness/recommend-weights.yaml). Exits 0 with the reason when
    nothing fits."""
    from ..api import Graph
    from ..recommend import recommend_for

    answer = recommend_for(Graph.open(root, endpoint=endpoint), municipality, as_of=_as_of(as_of))
    click.echo(answer.render(fmt, lang, limit), nl=False)
