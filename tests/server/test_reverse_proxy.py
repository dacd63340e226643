"""The reverse-proxy example of docs/server.md, run with Debian's nginx in front of a real server."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from mpsc_graph.server import free_port
from mpsc_graph.server.running import stop_process
from support import REPO

NGINX = next((path for path in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(path).is_file()), None)


def _example() -> str:
    (block,) = re.findall(r"```nginx\n(.*?)```", (REPO / "docs" / "server.md").read_text(encoding="utf-8"), re.S)
    return block


@pytest.mark.skipif(NGINX is None, reason="Debian's nginx is not installed (apt-get install nginx)")
def test_the_documented_reverse_proxy_passes_answers_with_the_security_headers(server: str, tmp_path: Path) -> None:
    port = free_port()
    upstream = server.removeprefix("http://")
    site = _example().replace("listen 80;", f"listen 127.0.0.1:{port};").replace("127.0.0.1:8000", upstream)
    (tmp_path / "logs").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
{site}
}}
""", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        answer = None
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:  # Host: localhost is passed on, and allowed by the server's default --allowed-host
                answer = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={"Host": "localhost"},
                                   timeout=30)
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None, process.stderr.read().decode() if process.poll() is not None else "no answer"
        assert answer.status_code == 200 and answer.json() == {"head": {}, "boolean": True}
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        other = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={"Host": "evil.example"}, timeout=30)
        assert other.status_code == 400  # the public name must be given with --allowed-host
        huge = httpx.get(f"{base}/", headers={"Host": "localhost", "X-Big": "a" * 20_000}, timeout=30)
        assert huge.status_code in (400, 431)  # nginx refuses a header beyond its buffers itself
    finally:
        stop_process(process)
