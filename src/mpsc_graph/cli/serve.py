"""``mpsc-graph serve``: the SPARQL endpoint and linked-data server."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from ..errors import InputError, MpscError
from ..namespaces import BASE
from ..project import Project
from ..server.config import (
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    MIN_MEMORY_MB,
    MIN_TOKEN_LENGTH,
    ServerConfig,
    default_max_memory_mb,
)
from ..server.connections import HEADER_TIMEOUT
from .base import ROOT_DEFAULT, main

#: connections (and requests) open at once per query worker before uvicorn answers 503: far above --workers,
#: as most connections wait on a client or on a page's own queries
CONNECTIONS_PER_WORKER = 64


def _check_store(store_dir: Path) -> None:
    """Refuse early (exit 2) when DIR is not an Oxigraph store, instead of failing in every worker."""
    from pyoxigraph import Store

    if not store_dir.is_dir():
        raise InputError("no store here; build one with 'mpsc-graph build --store DIR'", path=store_dir)
    try:
        store = Store.read_only(str(store_dir))
    except OSError as exc:
        raise InputError(f"not an Oxigraph store: {exc}", path=store_dir) from exc
    del store
    gc.collect()


def _check_port(host: str, port: int) -> None:
    """Fail fast (exit 2) when the address is taken, before any worker process starts."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _warn_if_exposed(host: str, allow_update: bool) -> None:
    """Say so when the server listens beyond this machine: it is meant to sit behind a reverse proxy."""
    if ipaddress_is_loopback(host):
        return
    click.echo(f"warning: listening on {host}, not only on this machine; put a reverse proxy with timeouts and "
               "connection limits in front (see docs/server.md, Security)", err=True)
    if allow_update:
        click.echo(f"WARNING: --allow-update on {host}: anyone who can reach this port and guesses or intercepts "
                   "the token can change the data; the token travels in clear text without TLS", err=True)


def ipaddress_is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost are this machine only."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _queries_line(queries: Path | None, root: str) -> str:
    """The banner's line on the named queries: without them /doc/, /ontology, VoID and /api have nothing to run."""
    if queries is None:
        return (f"none ({root} has no queries/ directory): /doc/, /ontology, /.well-known/void and /api "
                "answer 404; pass --root DIR")
    return f"{len(list(queries.glob('*.rq')))} from {queries}"


def _at_once(count: int) -> str:
    """``up to 4 queries at once``; one writer runs ``1 query at a time``."""
    return "1 query at a time" if count == 1 else f"up to {count} queries at once"


def _logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("mpsc_graph.server", "mpsc_graph.server.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False


def _exit_normally(signum: int, frame: object) -> None:
    """SIGTERM after the server's graceful shutdown: a normal stop (exit 0, clean-up runs)."""
    sys.exit(0)


@main.command()
@click.option("--root", default=None, type=click.Path(file_okay=False),
              help="Project root (its queries/ become the API and power the pages; its data is served when "
                   f"--store is absent). Default: {ROOT_DEFAULT}.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
              help="Serve this Oxigraph 0.5 store (any, no project metadata needed). "
                   "Default: build the project's data into a temporary store first.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--base-iri", default=BASE, show_default=True,
              help="Public IRI base of the data; /id/ and /doc/ under it map to this server.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0.1, None),
              help="Hard timeout per query in seconds (read-only mode).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update with a bearer token (one writer runs "
                                                     "the updates; reads stay in the killable workers).")
@click.option("--token-env", metavar="VAR", default=None,
              help="Environment variable holding the bearer token for --allow-update and --token-for-reads (at least "
                   f"{MIN_TOKEN_LENGTH} characters).")
@click.option("--token-for-reads", is_flag=True,
              help="Every request needs the bearer token of --token-env too, reads included (401 without); "
                   "for a private endpoint used by programs, or behind a proxy that adds the header.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="URL",
              help="Allow SERVICE to this endpoint (repeatable); every other SERVICE is refused.")
@click.option("--max-body", default=DEFAULT_MAX_BODY, show_default=True, type=click.IntRange(1, None),
              help="Largest request body in bytes (413 above).")
@click.option("--max-rows", default=DEFAULT_MAX_ROWS, show_default=True, type=click.IntRange(1, None),
              help="Largest number of result rows or triples per response; the rest is cut off and logged.")
@click.option("--workers", "--max-concurrency", "workers", default=DEFAULT_WORKERS, show_default=True,
              type=click.IntRange(1, 64),
              help="Queries running at once. One worker process per CPU (at most N) is kept running; while a "
                   "query runs longer than 0.25 s another worker stands in for it, up to N.")
@click.option("--max-memory", "max_memory", default=None, type=click.IntRange(MIN_MEMORY_MB, None), metavar="MB",
              help="Memory one query worker may use (RLIMIT_DATA); a query needing more is stopped with 507. "
                   "Default: half the machine's memory divided by --workers.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Host header name this server answers (repeatable; 400 for any other). Default: the --host "
                   "address, localhost, 127.0.0.1 and ::1. Give the public name when serving behind a proxy.")
@click.option("--header-timeout", default=HEADER_TIMEOUT, show_default=True, type=click.FloatRange(0.1, None),
              help="Seconds a client has from connecting to the end of its request headers; then it is "
                   "disconnected (a body has 30 s more; headers over 32 KiB get 431).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]))
@click.option("--releases", "releases_dir", default=None, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Releases root (see `release`): serve the Atom feeds of its newest release at /feeds/.")
def serve(root: str | None, store_dir: str | None, host: str, port: int, base_iri: str, timeout: float,
          allow_update: bool, token_env: str | None, token_for_reads: bool, allow_service: tuple[str, ...],
          max_body: int, max_rows: int, workers: int, max_memory: int | None, allowed_hosts: tuple[str, ...],
          header_timeout: float, log_level: str, releases_dir: Path | None) -> None:
    """Serve the dataset: SPARQL 1.1 Protocol at /sparql, linked data at /id/ and /doc/, an API at /api/.

    Read-only by default: SPARQL Update is refused (403), SERVICE is refused (400) unless allowed,
    and every query is killed after --timeout seconds. Exit codes: 0 stopped normally, 2 could not
    start (bad options, no store, port in use).
    """
    import uvicorn

    from ..dataset import build_store
    from ..server import create_app

    _logging(log_level)
    token = None
    if allow_update or token_for_reads:
        if not token_env:
            needs = "--allow-update" if allow_update else "--token-for-reads"
            raise InputError(f"{needs} needs --token-env VAR (the bearer token clients must send)")
        token = os.environ.get(token_env)
        if not token:
            raise InputError(f"--token-env {token_env}: the environment variable is not set or empty")
        if len(token) < MIN_TOKEN_LENGTH:
            raise InputError(f"--token-env {token_env}: the token has {len(token)} characters; use at least "
                             f"{MIN_TOKEN_LENGTH} (e.g. the output of 'openssl rand -hex 16')")
    elif token_env:
        raise InputError("--token-env only makes sense with --allow-update or --token-for-reads")
    if not base_iri.endswith(("/", "#")):
        raise InputError(f"--base-iri must end with '/' (got {base_iri})")

    _check_port(host, port)
    _warn_if_exposed(host, allow_update)
    temporary: Path | None = None
    project: Project | None
    if store_dir is None:
        project = Project.find(root)
        temporary = Path(tempfile.mkdtemp(prefix="mpsc-graph-serve-"))
        report = build_store(project, temporary / "store")
        click.echo(f"built the bundled data into {report.store_dir} ({report.quads} quads)", err=True)
        store = report.store_dir
    else:
        project = Project.find_optional(root)
        store = Path(store_dir).resolve()
        _check_store(store)
    queries = project.queries_dir if project and project.queries_dir.is_dir() else None
    config = ServerConfig(store_dir=store, queries_dir=queries, base_iri=base_iri, timeout=timeout,
                          allow_update=allow_update, token=token, token_for_reads=token_for_reads,
                          allow_service=tuple(allow_service),
                          max_body=max_body, max_rows=max_rows, workers=workers,
                          allowed_hosts=allowed_hosts or (host.strip("[]"), "localhost", "127.0.0.1", "::1"),
                          max_memory=(max_memory or default_max_memory_mb(workers + int(allow_update))) * 2**20,
                          releases_dir=releases_dir.resolve() if releases_dir else None)
    try:
        app = create_app(config)
        shown = f"[{host}]" if ":" in host else host
        origin = f"http://{shown}:{port}"
        click.echo(f"mpsc-graph serving {store}\n  landing page     {origin}/\n  SPARQL endpoint  {origin}/sparql\n"
                   f"  query page       {origin}/query\n  named-query API  {origin}/api/openapi.json\n"
                   f"  VoID             {origin}/.well-known/void\n"
                   f"  named queries    {_queries_line(queries, str(project.root) if project else 'no project')}\n"
                   f"  mode             {'UPDATE (one writer for updates)' if allow_update else 'read-only'}"
                   f", timeout {timeout:g} s per read, {_at_once(workers)}, "
                   f"{config.max_memory // 2**20 if config.max_memory else 0} MB per query worker",
                   err=True)
        from ..server.connections import guarded_protocol

        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                                               lifespan="on", timeout_graceful_shutdown=5,
                                               http=guarded_protocol(header_timeout=header_timeout),
                                               limit_concurrency=max(CONNECTIONS_PER_WORKER * workers, 256)))
        # uvicorn shuts down gracefully on SIGTERM and then raises the signal again with the handler
        # found before it started; the default one would end the process before the clean-up below.
        signal.signal(signal.SIGTERM, _exit_normally)
        try:
            server.run()
        except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown: a normal stop
            click.echo("stopped", err=True)
            return
        except SystemExit as exc:  # uvicorn exits 3 when it cannot bind or start
            if exc.code not in (0, None):
                raise MpscError(f"could not start the server on {host}:{port} (port in use?)") from None
            raise
        if not server.started:
            raise MpscError(f"could not start the server on {host}:{port} (port in use?)")
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
