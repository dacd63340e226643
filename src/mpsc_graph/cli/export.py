"""Commands ``export`` (dumps, VoID, DCAT-AP.de, docs, static site) and ``publish`` (Graph Store)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..dataset import load_dataset
from ..errors import InputError
from ..export import export as run_export
from ..export.dcatcheck import validate_dcat
from ..export.gate import require_conforming
from ..export.publish import Credentials, Target, publish
from ..export.settings import Publication
from ..http_client import HttpSettings
from .base import http_options, main, project_at, root_option, terminate_unwinds


@main.command("export")
@root_option
@click.option("--out", "out", default="dist", show_default=True, type=click.Path(file_okay=False),
              help="Export directory; written to a temporary directory beside it, then moved into place.")
@click.option("--site", is_flag=True, help="Also write the static linked-data site (doc/…) and the nginx snippet.")
@click.option("--validate-dcat", "validate_dir", default=None, type=click.Path(path_type=Path),
              help="Only check DIR/catalog.ttl (or a Turtle file) against DCAT-AP.de 2.0; exit 1 on violations.")
@click.option("--download-base", default=Publication.download_base, show_default=True,
              help="Public URL under which the export directory will be served (for VoID and DCAT).")
@click.option("--sparql-endpoint", default=Publication.sparql_endpoint, show_default=True,
              help="Public SPARQL endpoint serving the same data (for VoID and DCAT).")
@click.option("--releases", "releases", default=None, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Releases root (see `release`): write the Atom feeds of its newest release into feeds/.")
def export_command(root: str | None, out: str, site: bool, validate_dir: Path | None, download_base: str,
                   sparql_endpoint: str, releases: Path | None) -> None:
    """Write dumps, void.ttl, catalog.ttl and docs/ontology.html (and with --site a static site).

    Validates first, as `mpsc-graph validate` does: on a SHACL violation nothing is written (exit 1).
    """
    if validate_dir is not None:
        report = validate_dcat(validate_dir)
        click.echo(report.to_text())
        sys.exit(0 if report.conforms else 1)
    project = project_at(root)
    target = Path(out) if Path(out).is_absolute() else Path.cwd() / out
    with terminate_unwinds():
        result = run_export(project, target, site=site, releases=releases,
                            publication=Publication(download_base=download_base, sparql_endpoint=sparql_endpoint))
    click.echo(f"exported to {result.out} in {result.seconds:.1f} s: {', '.join(result.files)}")
    click.echo(f"  {result.links} political-geocoding links" + (f"; site with {result.entities} entity documents"
                                                                  if site else ""))


@main.command("publish")
@root_option
@click.option("--graph-store", required=True, metavar="URL", help="SPARQL 1.1 Graph Store endpoint (PUT ?graph=).")
@click.option("--endpoint", default=None, metavar="URL", help="SPARQL query endpoint used to verify triple counts.")
@click.option("--update", default=None, metavar="URL", help="SPARQL update endpoint (needed by --prune).")
@click.option("--user", default=None, help="User name for Basic or Digest authentication.")
@click.option("--password-env", default=None, metavar="VAR", help="Environment variable holding the password.")
@click.option("--prune", is_flag=True, help="Drop remote graphs under the dataset's graph namespace that no "
              "longer exist locally (needs --endpoint and --update).")
@http_options()
def publish_command(root: str | None, graph_store: str, endpoint: str | None, update: str | None, user: str | None,
                    password_env: str | None, prune: bool, timeout: float, retries: int, max_wait: float) -> None:
    """PUT every named graph into a triplestore, verify each graph's triple count (exit 1 if any differs).

    Validates first, as `mpsc-graph validate` does: on a SHACL violation nothing is sent (exit 1).
    """
    credentials = None
    if user is not None or password_env is not None:
        if not (user and password_env):
            raise InputError("--user and --password-env go together")
        password = os.environ.get(password_env)
        if password is None:
            raise InputError(f"the environment variable {password_env} (from --password-env) is not set")
        credentials = Credentials(user, password)
    project = project_at(root)
    target = Target(graph_store, endpoint, update, credentials,
                    http=HttpSettings(timeout=timeout, retries=retries, max_wait=max_wait))
    store = load_dataset(project)
    require_conforming(store, project, "publish")  # nothing is sent while a violation stands
    report = publish(store, target, project.queries_dir, prune=prune)
    click.echo(report.to_text())
    sys.exit(1 if report.differences else 0)
