"""The root command group, shared options and the error-to-exit-code rule."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from ..atomic import write_file
from ..errors import MpscError
from ..project import Project

F = TypeVar("F", bound=Callable[..., Any])


class MpscGroup(click.Group):
    """Turns :class:`MpscError` into a one-line message on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MpscError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=MpscGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mpsc-graph")
def main() -> None:
    """mpsc-graph: a knowledge graph of inter-municipal collaboration and software reuse.

    Exit codes: 0 success, 1 the check found problems, 2 could not run.
    """


#: What ``--root`` defaults to, for help texts; the rule itself is :meth:`Project.find`.
ROOT_DEFAULT = "the current directory if it is a project, else $MPSC_ROOT, else the bundled project"
ROOT_HELP = f"Project root with ontology/, shapes/, data/, queries/ [default: {ROOT_DEFAULT}]."


def root_option(func: F) -> F:
    """``--root DIR``: the project to read; without it, found as :meth:`Project.find` says (one rule for every
    command)."""
    return click.option("--root", "root", type=click.Path(file_okay=False, path_type=str), default=None,
                        help=ROOT_HELP)(func)


def endpoint_option(func: F) -> F:
    """``--endpoint URL``: run against a remote SPARQL endpoint instead of the local files."""
    return click.option("--endpoint", metavar="URL", default=None, help="Remote SPARQL endpoint to query instead.")(
        func
    )


def http_options(*, timeout: float = 60.0) -> Callable[[F], F]:
    """``--timeout``, ``--retries`` and ``--max-wait``: the HTTP client's patience, alike in every networked command."""

    def decorate(func: F) -> F:
        func = click.option("--max-wait", "max_wait", default=120.0, show_default=True, type=click.FloatRange(0, 3600),
                            help="Longest pause in seconds a server may ask for (Retry-After); a longer one "
                                 "stops the command.")(func)
        func = click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 10),
                            help="Retries of a request that timed out, could not connect, or got a 429 or 5xx "
                                 "answer.")(func)
        return click.option("--timeout", default=timeout, show_default=True, type=click.FloatRange(0.1, 3600),
                            help="Seconds to wait for each HTTP answer.")(func)

    return decorate


def write_output(data: str | bytes, output: str | None) -> None:
    """Write a command's result to ``-o/--output FILE`` atomically, or to stdout when absent."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not output:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    write_file(Path(output), raw)


def project_at(root: str | None) -> Project:
    """The project ``--root`` means (:meth:`Project.find`)."""
    return Project.find(root)


@contextmanager
def terminate_unwinds() -> Iterator[None]:
    """Let SIGTERM unwind the stack like Ctrl-C, so ``finally`` blocks remove temporary files.

    Python's default for SIGTERM ends the process at once, which left a half-written export
    directory beside the target. Inside this block SIGTERM raises ``SystemExit(143)`` (128 + 15,
    the shell's code for "terminated") instead; the previous handler is restored afterwards.
    """
    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
