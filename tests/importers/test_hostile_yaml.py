"""Hostile YAML: every refusal of the one YAML loader is exit 2 naming the file, no traceback, nothing written.

Each case runs the real command in a subprocess, so a MemoryError, a RecursionError or a signal
would show as what it is rather than as a test-process failure.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.safeyaml import MAX_BYTES, MAX_DEPTH, YamlRefused, load_yaml
from support import REPO

# 502 bytes as reported: a publiccode.yml head and nine levels of nine aliases, 387 million strings once expanded
_HEAD = 'publiccodeYmlVersion: "0.4"\nname: Laughs\nurl: "https://example.org/laughs.git"\n'
_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
LAUGHS = _HEAD + "# " + "-" * (502 - len(_HEAD) - len(_BOMB) - 3) + "\n" + _BOMB

CASES = {
    "billion-laughs": (LAUGHS.encode(), "anchors (&a) are not allowed"),
    "alias-only": (b"name: x\nother: *x\n", "aliases (*name) are not allowed"),
    "merge-key": (b"base: &b {x: 1}\nname: {<<: *b}\n", "anchors (&b) are not allowed"),
    "nested-100000": (b"name: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", f"nested deeper than {MAX_DEPTH} levels"),
    "oversize": (b"name: x\n" + b"# padding\n" * (MAX_BYTES // 10 + 1), f"larger than {MAX_BYTES} bytes"),
    "not-utf8": (b"name: \xff\xfe\xfa binary\n", "not UTF-8 text"),
    "nul-bytes": (b"name: x\x00\x01\x02\n", "unacceptable character"),
}


def test_the_bomb_is_502_bytes() -> None:
    assert len(LAUGHS.encode()) == 502


def _check_refused(case: str, code: int, stderr: str, tmp_path: Path, hostile: Path) -> None:
    message = CASES[case][1]
    assert code == 2, stderr
    assert str(hostile) in stderr and message in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [hostile.name]  # no output, no report, no temporary file


def _arguments(tmp_path: Path, case: str) -> tuple[Path, list[str]]:
    hostile = tmp_path / f"{case}.yml"
    hostile.write_bytes(CASES[case][0])
    return hostile, ["import", "publiccode", str(hostile), "--root", str(REPO), "-o", str(tmp_path / "out.ttl"),
                     "--report", str(tmp_path / "report.txt")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_refuses_hostile_yaml(case: str, tmp_path: Path) -> None:
    hostile, arguments = _arguments(tmp_path, case)
    result = CliRunner().invoke(main, arguments)
    _check_refused(case, result.exit_code, result.output, tmp_path, hostile)


@pytest.mark.parametrize("case", ["billion-laughs", "nested-100000"])
def test_the_command_survives_the_reported_bombs(case: str, tmp_path: Path) -> None:
    """In a process of its own, as a user runs it: a MemoryError or RecursionError would be a traceback."""
    hostile, arguments = _arguments(tmp_path, case)
    done = subprocess.run([sys.executable, "-m", "mpsc_graph", *arguments], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    _check_refused(case, done.returncode, done.stderr, tmp_path, hostile)


def test_line_of_the_refused_alias_is_named() -> None:
    with pytest.raises(YamlRefused, match=r"^doc\.yml:3: not accepted YAML: aliases"):
        load_yaml("a: 1\nb: 2\nc: *a\n", "doc.yml")


def test_nesting_up_to_the_bound_is_read() -> None:
    data, _ = load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, "deep.yml")
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []
    with pytest.raises(YamlRefused, match="nested deeper"):
        load_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "deep.yml")
