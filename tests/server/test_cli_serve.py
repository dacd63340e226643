"""``mpsc-graph serve`` refuses bad options with exit code 2 and a one-line message (no traceback)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.queries import catalogue
from mpsc_graph.server import free_port
from support import REPO


def _serve(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``serve`` with ``args`` on a free port (a later ``--port`` in ``args`` wins), never the default 8000,
    which ``make run`` may hold while the tests run."""
    result = CliRunner().invoke(main, ["serve", "--root", str(REPO), "--port", str(free_port()), *args], env=env)
    return result.exit_code, result.output


def test_not_a_store_is_exit_2(tmp_path: Path) -> None:
    code, output = _serve("--store", str(tmp_path / "missing"))
    assert code == 2 and "no store here" in output and "Traceback" not in output
    (tmp_path / "empty-file").write_text("x")
    code, output = _serve("--store", str(tmp_path))
    assert code == 2 and "not an Oxigraph store" in output


def test_port_in_use_is_exit_2(store_dir: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, output = _serve("--store", str(store_dir), "--port", str(taken.getsockname()[1]))
    assert code == 2 and "cannot listen" in output


def test_update_mode_needs_a_token(store_dir: Path) -> None:
    code, output = _serve("--store", str(store_dir), "--allow-update")
    assert code == 2 and "--token-env" in output
    code, output = _serve("--store", str(store_dir), "--allow-update", "--token-env", "MPSC_NO_SUCH_VARIABLE_SET")
    assert code == 2 and "not set" in output
    code, output = _serve("--store", str(store_dir), "--token-env", "HOME")
    assert code == 2 and "only makes sense with --allow-update" in output


def test_query_page_is_the_projects_own_form_and_table_without_inline_script(server: str) -> None:
    """No third-party editor whose result links could carry script; the examples are a JSON data block."""
    page = httpx.get(f"{server}/query", timeout=60).text  # the first page loads the labels: slow on a loaded machine
    assert 'id="query-form"' in page and '<script src="/static/query.js"></script>' in page
    assert "vendor/" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts), scripts
    script = httpx.get(f"{server}/static/query.js").text
    assert "/^https?:/i.test(term.value)" in script  # only http(s) IRIs become links in the result table
    assert "location" not in script  # nothing is taken from the page's own URL (no endpoint from #endpoint=)


def test_serves_a_store_made_by_the_oxigraph_cli(tmp_path: Path) -> None:
    """``--store`` takes any Oxigraph 0.5 store: here one written by ``oxigraph load``, no project metadata."""
    import shutil
    import subprocess
    import sys

    from mpsc_graph.server import running

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    data = tmp_path / "data.nq"
    data.write_text('<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en <urn:x:g> .\n', encoding="utf-8")
    subprocess.run([binary, "load", "--location", str(tmp_path / "store"), "--file", str(data)], check=True,
                   capture_output=True, timeout=60)
    with running(REPO, store_dir=tmp_path / "store", extra_args=["--workers", "1"]) as base:
        # the default graph is the union, so the quad in <urn:x:g> answers a query without GRAPH
        answer = httpx.get(f"{base}/sparql", params={"query": "SELECT ?l WHERE { <urn:x:a> ?p ?l }"}).json()
        assert [b["l"]["value"] for b in answer["results"]["bindings"]] == ["A"]
        import rdflib

        void = rdflib.Graph().parse(data=httpx.get(f"{base}/.well-known/void").text, format="turtle")
        void_ns = rdflib.Namespace("http://rdfs.org/ns/void#")
        dataset = void.value(predicate=rdflib.RDF.type, object=void_ns.Dataset)
        assert int(void.value(dataset, void_ns.triples)) == 1
        assert int(void.value(dataset, void_ns.properties)) == 1


def test_without_a_store_it_serves_the_bundled_data_and_removes_its_build_when_stopped(tmp_path: Path) -> None:
    from mpsc_graph.server import running

    with running(REPO, extra_args=["--workers", "1"], env={"TMPDIR": str(tmp_path)}) as base:
        assert len(list(tmp_path.glob("mpsc-graph-serve-*"))) == 1
        ask = "ASK { ?m <https://w3id.org/mpsc-graph/ontology#ags> \"15002000\" }"  # Halle (Saale)
        assert httpx.get(f"{base}/sparql", params={"query": ask}).json()["boolean"] is True
    assert list(tmp_path.glob("mpsc-graph-serve-*")) == [], "the temporary store outlived the server (SIGTERM)"


def test_the_server_binds_to_loopback_unless_told_otherwise() -> None:
    serve = main.commands["serve"]
    (host,) = [option for option in serve.params if option.name == "host"]
    assert host.default == "127.0.0.1"


def test_a_store_served_from_outside_the_repository_has_its_pages_and_api(store_dir: Path, tmp_path: Path) -> None:
    """Without --root the bundled project's queries power /doc/, /ontology, VoID and /api, wherever it starts."""
    from mpsc_graph.server import running

    log = tmp_path / "serve.log"
    with running(store_dir=store_dir, extra_args=["--workers", "1"], cwd=tmp_path, log_file=log) as base:
        assert httpx.get(f"{base}/doc/municipality/15002000", timeout=60).status_code == 200
        assert httpx.get(f"{base}/.well-known/void", timeout=60).status_code == 200
        assert httpx.get(f"{base}/ontology", headers={"Accept": "text/turtle"}, timeout=60).status_code == 200
        listed = {entry["name"] for entry in httpx.get(f"{base}/api").json()}
        names = {name for name in listed if not name.startswith("readiness/")}
        assert names == set(catalogue(REPO / "queries"))
        criteria = {path.stem for path in (REPO / "queries" / "readiness").glob("*.rq")}
        assert listed - names == {f"readiness/{name}" for name in criteria}  # the readiness criteria, apart
    banner = log.read_text(encoding="utf-8")
    assert f"named queries    {len(names)} from {REPO / 'queries'}" in banner


def test_the_banner_says_when_there_are_no_named_queries(store_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    for folder in ("data", "ontology"):  # a project root (as --root must be everywhere) without queries/
        (tmp_path / folder).mkdir()
    from mpsc_graph.server import running

    with running(tmp_path, store_dir=store_dir, extra_args=["--workers", "1"], log_file=log) as base:
        assert httpx.get(f"{base}/api").json() == []
    assert "named queries    none" in log.read_text(encoding="utf-8")
    assert "1 query at a time" in log.read_text(encoding="utf-8")


def test_a_short_update_token_is_refused(store_dir: Path) -> None:
    code, output = _serve("--store", str(store_dir), "--allow-update", "--token-env", "MPSC_SHORT_TOKEN",
                          env={"MPSC_SHORT_TOKEN": "x" * 15})
    assert code == 2 and "use at least 16" in output and "Traceback" not in output


def test_listening_beyond_loopback_is_warned_about_louder_with_updates(capsys: pytest.CaptureFixture[str]) -> None:
    from mpsc_graph.cli.serve import _warn_if_exposed

    _warn_if_exposed("127.0.0.1", True)
    _warn_if_exposed("::1", True)
    assert capsys.readouterr().err == ""
    _warn_if_exposed("0.0.0.0", False)
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0" in err and "WARNING" not in err
    _warn_if_exposed("0.0.0.0", True)
    assert "WARNING: --allow-update on 0.0.0.0" in capsys.readouterr().err
