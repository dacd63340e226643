"""The export as a publisher relies on it: nothing goes out while a SHACL violation stands,
a failed or killed export leaves neither a temporary directory nor a damaged earlier
export, and file-system failures are messages naming the path (exit 2), never tracebacks."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

import mpsc_graph.export as export_module
from mpsc_graph.cli import main
from mpsc_graph.errors import InputError
from mpsc_graph.export import MARKER, ExportError, export
from mpsc_graph.project import Project
from support import REPO, TEST_DATA, Listener, project_skeleton, small_project, stop

UNSOURCED = TEST_DATA / "export" / "unsourced-adoption.ttl"


def _copy_of_real_project(root: Path, *extra: Path) -> Path:
    """The repository's ontology, shapes, queries and data, plus the ``extra`` data files."""
    project_skeleton(root)
    for path in sorted((REPO / "data").iterdir()):
        if path.is_file():
            shutil.copy(path, root / "data" / path.name)
    for path in extra:
        shutil.copy(path, root / "data" / path.name)
    return root


def _earlier_export(target: Path) -> dict[str, bytes]:
    """A stand-in for a previous export (what `export` may replace), and its bytes to compare with later."""
    target.mkdir(parents=True)
    (target / MARKER).write_text("earlier\n", encoding="utf-8")
    (target / "catalog.ttl").write_text("# the earlier catalogue\n", encoding="utf-8")
    return _contents(target)


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_refuses_while_validate_reports_a_violation(tmp_path: Path) -> None:
    root = _copy_of_real_project(tmp_path / "project", UNSOURCED)
    target = tmp_path / "site" / "dist"
    before = _earlier_export(target)
    validated = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert validated.exit_code == 1 and "1 violation(s)" in validated.output
    result = CliRunner().invoke(main, ["export", "--root", str(root), "--out", str(target)])
    assert result.exit_code == 1, result.output
    assert "refusing to export: the dataset has 1 SHACL violation(s)" in result.output
    assert "adoption/test-unsourced-stadtnavi" in result.output and "dct:source" in result.output
    assert f"mpsc-graph validate --root {root}" in result.output
    assert _contents(target) == before, "the earlier export must stay as it was"
    assert [p.name for p in target.parent.iterdir()] == ["dist"], "nothing may be written beside it"


def test_publish_refuses_while_validate_reports_a_violation(tmp_path: Path) -> None:
    # the same gate as the export's (checked on the real data above), here on the small project
    root = small_project(tmp_path / "project")
    shutil.copy(UNSOURCED, root / "data" / UNSOURCED.name)
    listener = Listener()
    try:
        result = CliRunner().invoke(main, ["publish", "--root", str(root), "--graph-store", listener.url,
                                           "--retries", "0", "--timeout", "2"])
    finally:
        listener.close()
    assert result.exit_code == 1, result.output
    assert "refusing to publish: the dataset has 1 SHACL violation(s)" in result.output
    assert listener.accepted == 0, "not a single request may reach the store"


def test_unreadable_data_leaves_no_temporary_directory(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project")
    (root / "data" / "broken.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b <<\n", encoding="utf-8")
    target = tmp_path / "site" / "dist"
    before = _earlier_export(target)
    result = CliRunner().invoke(main, ["export", "--root", str(root), "--out", str(target)])
    assert result.exit_code == 2, result.output
    assert "broken.ttl" in result.output
    assert _contents(target) == before
    assert [p.name for p in target.parent.iterdir()] == ["dist"]


def _dead_pid() -> int:
    """The id of a process that has ended (it could be reused, but not within this test)."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    return int(finished.stdout)


def test_export_clears_what_dead_exports_left_and_keeps_a_running_ones(project: Project, store: Store,
                                                                       tmp_path: Path) -> None:
    target = tmp_path / "dist"
    dead = tmp_path / f".dist.exporting-{_dead_pid()}-k1ll3d"
    (dead / "docs").mkdir(parents=True)
    (dead / "mpsc-graph.ttl").write_text("half written", encoding="utf-8")
    dead_old = tmp_path / f".dist.old-{_dead_pid()}"
    dead_old.mkdir()
    running = tmp_path / f".dist.exporting-{os.getppid()}-running"  # pytest's parent process is alive
    running.mkdir()
    unrelated = tmp_path / ".distance.exporting-1-x"
    unrelated.mkdir()
    export(project, target, store=store)
    assert not dead.exists() and not dead_old.exists()
    assert running.is_dir() and unrelated.is_dir()
    assert (target / MARKER).is_file()


def test_sigterm_during_export_removes_the_temporary_directory(tmp_path: Path) -> None:
    target = tmp_path / "dist"
    before = _earlier_export(target)
    process = subprocess.Popen([sys.executable, "-m", "mpsc_graph", "export", "--root", str(REPO), "--out",
                                str(target), "--site"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".dist.exporting-*/mpsc-graph.ttl")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the export never started writing"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        stop(process)
    assert process.returncode == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"], "the temporary directory must be removed"
    assert _contents(target) == before


def test_out_below_a_file_is_a_message_not_a_traceback(project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "garbage.ttl"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--root", str(project.root), "--out", str(blocker / "sub")])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), "no traceback"
    assert f"could not write the export to {blocker / 'sub'}: a file is in the way" in result.output
    assert f"({blocker})" in result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_disk_full_is_a_message_and_keeps_the_earlier_export(project: Project, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "dist"
    before = _earlier_export(target)

    def full(ctx: export_module.ExportContext) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(ctx.out / "mpsc-graph.jsonld"))

    steps = list(export_module.STEPS)
    steps[steps.index(export_module.step_dumps)] = full
    monkeypatch.setattr(export_module, "STEPS", steps)
    result = CliRunner().invoke(main, ["export", "--root", str(project.root), "--out", str(target)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), "no traceback"
    assert f"could not write the export to {target}: No space left on device" in result.output
    assert "mpsc-graph.jsonld" in result.output
    assert _contents(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
    with pytest.raises(ExportError, match="No space left"):
        export(project, target)


def test_two_exports_of_unchanged_inputs_are_byte_identical(project: Project, out: Path, tmp_path: Path) -> None:
    """Separate processes with different hash seeds: set and dict order may differ, the files may not.

    The first export is the session's (this process); the second runs in a process whose hash seed
    differs from this one's (this one's is random unless PYTHONHASHSEED fixes it).
    """
    target = tmp_path / "dist"
    ours = os.environ.get("PYTHONHASHSEED", "")
    seed = str(int(ours) + 1) if ours.isdigit() else "1"
    subprocess.run([sys.executable, "-m", "mpsc_graph", "export", "--root", str(project.root), "--out", str(target),
                    "--site"], check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=600)
    first, second = _contents(out), _contents(target)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], "files that differ between two exports of the same inputs"
    assert "mpsc-graph.jsonld" in first and "docs/ontology.html" in first and "catalog.ttl" in first


def test_catalogue_date_is_when_the_inputs_last_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy_of_real_project(tmp_path / "project")
    copy = Project.at(root)
    when = time.mktime((2024, 3, 5, 12, 0, 0, 0, 0, -1))
    for path in copy.input_files():
        os.utime(path, (when, when))
    newest = copy.data_dir / "stadtnavi.ttl"
    later = time.mktime((2025, 7, 1, 12, 0, 0, 0, 0, -1))
    os.utime(newest, (later, later))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert export_module.inputs_modified(copy).isoformat() == "2025-07-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert export_module.inputs_modified(copy).isoformat() == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        export_module.inputs_modified(copy)


def test_exported_catalogue_carries_the_inputs_date(project: Project, out: Path) -> None:
    catalog = (out / "catalog.ttl").read_text(encoding="utf-8")
    expected = export_module.inputs_modified(project).isoformat()
    assert f'dct:modified "{expected}"^^xsd:date' in catalog


def test_validate_dcat_on_malformed_turtle_names_file_line_and_problem() -> None:
    broken = TEST_DATA / "export" / "broken-catalog.ttl"
    result = CliRunner().invoke(main, ["export", "--validate-dcat", str(broken)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {broken}:4: malformed Turtle: ")
    assert "garbage is not a valid subject" in result.output
    assert "b'" not in result.output, "no raw bytes from rdflib"
