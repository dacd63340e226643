"""``harvest``: publiccode.yml catalogues staged and compared with the curated data, accepted by id."""

from __future__ import annotations

from pathlib import Path

import click

from ..harvest import accept, default_out, harvest
from .base import http_options, main, project_at, root_option
from .data import parse_date


@main.command("harvest")
@click.argument("list_file", required=False, metavar="LIST", type=click.Path(dir_okay=False))
@root_option
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Staging folder, replaced as a whole [default: .cache/harvest/ of the project; never under data/].")
@click.option("--accessed", default=None, metavar="YYYY-MM-DD", help="Access date of the sources (default: today).")
@click.option("--accept", "accept_ids", multiple=True, metavar="ID",
              help="Append these reviewed items of a staged harvest to data/contrib-harvested.ttl.")
@click.option("--from", "staged", default=None, type=click.Path(file_okay=False, exists=True),
              help="The staged harvest to accept items from (with --accept).")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True)
@http_options(timeout=30.0)
def harvest_command(list_file: str | None, root: str | None, out: str | None, accessed: str | None,
                    accept_ids: tuple[str, ...], staged: str | None, lang: str, timeout: float, retries: int,
                    max_wait: float) -> None:
    """Harvest the publiccode.yml locations listed in LIST (URLs, files, folders; one per line).

    Writes one TriG file per source and report.md/report.json (new, agrees, disagrees; each item with
    its id and origin file) to the staging folder. With --accept ID... --from DIR the reviewed items
    are appended to data/contrib-harvested.ttl after validation. Network only for URLs in LIST.
    Exit 0 done, 1 a broken file was skipped or an accepted item breaks a shape, 2 refused input
    (nothing written).
    """
    project = project_at(root)
    if accept_ids:
        if not staged or list_file:
            raise click.UsageError("--accept ID... needs --from DIR and no LIST")
        accepted, report = accept(accept_ids, Path(staged), project, lang=lang)
        click.echo(f"accepted {len(accepted)} item(s) into data/contrib-harvested.ttl")
        if report.findings:
            click.echo(report.to_text())
        return
    if not list_file:
        raise click.UsageError("give LIST, or --accept ID... --from DIR")
    target = Path(out) if out else default_out(project)
    result = harvest(Path(list_file), project, target, accessed=parse_date(accessed), timeout=timeout,
                     retries=retries, max_wait=max_wait)
    counts = {v: sum(1 for i in result["items"] if i["verdict"] == v) for v in ("new", "agrees", "disagrees")}
    click.echo(f"harvested {len(result['sources'])} source(s) into {target}: {counts['new']} new, "
               f"{counts['agrees']} agree, {counts['disagrees']} disagree, {len(result['broken'])} broken file(s)")
    if result["broken"]:
        raise SystemExit(1)
