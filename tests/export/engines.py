"""Real engines for the integration tests: Oxigraph server, Virtuoso Open Source, nginx.

Each runs on 127.0.0.1 on a free port with its files in a temporary directory; readiness is
polled in a bounded loop; every process is stopped by its PID (terminate, wait, kill).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from support import free_port, stop, tool


def oxigraph_binary() -> str | None:
    return tool("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (str(Path("/usr/sbin/nginx")) if Path("/usr/sbin/nginx").is_file() else None)


@dataclass
class Engine:
    """A started server: its process, base URL and log file."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> None:
        """Terminate by PID, wait, kill if it does not go."""
        stop(self.process)

    def log_tail(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""


def _wait_until(engine: Engine, ready: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if engine.process.poll() is not None:
            raise RuntimeError(f"server exited with {engine.process.returncode}:\n{engine.log_tail()}")
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    engine.stop()
    raise RuntimeError(f"server not ready after {seconds} s:\n{engine.log_tail()}")


def _spawn(args: list[str], log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    try:
        return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd)
    finally:
        handle.close()


def start_oxigraph(workdir: Path) -> Engine:
    """``oxigraph serve`` in write mode with the union default graph, as the project's queries expect."""
    binary = oxigraph_binary()
    assert binary, "oxigraph CLI missing"
    port = free_port()
    (workdir / "db").mkdir()
    log = workdir / "oxigraph.log"
    process = _spawn([binary, "serve", "--location", str(workdir / "db"), "--bind", f"127.0.0.1:{port}",
                      "--union-default-graph"], log, workdir)
    engine = Engine(process, f"http://127.0.0.1:{port}", log)
    _wait_until(engine, lambda: httpx.get(engine.base + "/query", params={"query": "ASK {}"}, timeout=2)
                .status_code == 200, 30)
    return engine


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 5
CheckpointInterval = 0
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
MaxQueryMem = 256M

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/vsp
MaxClientConnections = 5
ServerThreads = 5
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(workdir: Path) -> Engine:
    """Debian's ``virtuoso-t`` on a fresh database (dba/dba), SQL and HTTP ports on loopback."""
    binary = virtuoso_binary()
    assert binary, "virtuoso-t missing"
    sql, http = free_port(), free_port()
    (workdir / "vsp").mkdir()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=workdir, sql=sql, http=http), encoding="utf-8")
    log = workdir / "virtuoso-stdout.log"
    process = _spawn([binary, "+foreground", "+configfile", str(ini)], log, workdir)
    engine = Engine(process, f"http://127.0.0.1:{http}", log)
    _wait_until(engine, lambda: httpx.get(engine.base + "/sparql", params={"query": "ASK {}"}, timeout=5)
                .status_code == 200, 120)
    return engine


def start_nginx(workdir: Path, site_root: Path, snippet: Path, http_snippet: Path | None = None) -> Engine:
    """Debian's nginx, not daemonised, serving ``site_root`` with the generated snippet included in the server
    block (and ``http_snippet`` in the http block)."""
    binary = nginx_binary()
    assert binary, "nginx missing"
    port = free_port()
    for sub in ("logs", "tmp"):
        (workdir / sub).mkdir()
    conf = workdir / "nginx.conf"
    # As root the master would switch workers to "nobody", who cannot read pytest's private temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"""{user}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {workdir}/logs/access.log;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    default_type application/octet-stream;
    {f"include {http_snippet};" if http_snippet else ""}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site_root};
        include {snippet};
    }}
}}
""", encoding="utf-8")
    log = workdir / "nginx-stdout.log"
    process = _spawn([binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"], log, workdir)
    engine = Engine(process, f"http://127.0.0.1:{port}", log)
    _wait_until(engine, lambda: httpx.get(engine.base + "/doc/", timeout=2).status_code in (403, 404, 200), 20)
    return engine
