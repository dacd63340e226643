"""``running()``: the real server in a subprocess on a free loopback port, for tests and notebooks.

It starts ``mpsc-graph serve`` exactly as a user would, waits (bounded) until the endpoint answers
``ASK {}``, yields the base URL, and stops the process by its PID (terminate, wait, kill).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

READY_SECONDS = 120.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as exc:  # a server run with --token-for-reads answers, with 401
        return exc.code == 401
    except (urllib.error.URLError, OSError):
        return False


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate ``process`` by PID, wait, then kill if it is still there."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)


@contextlib.contextmanager
def running(
    root: str | os.PathLike[str] | None = None,
    store_dir: str | os.PathLike[str] | None = None,
    port: int | None = None,
    *,
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    log_file: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> Iterator[str]:
    """Run ``mpsc-graph serve`` on 127.0.0.1 and yield its base URL (``http://127.0.0.1:PORT``).

    Without ``store_dir`` the server builds the project's data (``root``, default: the bundled
    project, as ``serve`` without ``--root`` finds it) into a temporary store first. ``extra_args``
    are passed to ``serve`` (e.g. ``["--timeout", "1"]``); ``cwd`` is where it starts.
    """
    port = port or free_port()
    command = [sys.executable, "-c", "from mpsc_graph.cli import main; main()", "serve",
               *(["--root", str(Path(root))] if root is not None else []),
               "--host", "127.0.0.1", "--port", str(port), *extra_args]
    if store_dir is not None:
        command += ["--store", str(store_dir)]
    environment = {**os.environ, **(env or {})}
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, stdout=output, stderr=output, env=environment, cwd=cwd)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while not _answers(base):
            if process.poll() is not None:
                raise RuntimeError(f"mpsc-graph serve exited with code {process.returncode} before answering "
                                   f"(command: {' '.join(command)})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"mpsc-graph serve did not answer within {READY_SECONDS:g} s")
            time.sleep(0.1)
        yield base
    finally:
        stop_process(process)
        if log_file:
            output.close()  # type: ignore[union-attr]
