"""Each notebook runs from a clean kernel (the .venv's Python), offline, from a foreign cwd, and shows a plot.

The kernel is ``python3``; jupyter_client starts its ``python`` as the Python running these tests,
which the appended probe cell checks (same virtual environment), so a notebook never silently runs
in another interpreter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from support import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PROBE = "import sys, mpsc_graph; print(sys.prefix); print(mpsc_graph.__file__)"


def test_the_three_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-adoption-paths.ipynb", "02-network-structure.ipynb", "03-sparql-from-python.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert not any("def " in c.source or "class " in c.source for c in code), "logic belongs in the package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_shows_a_plot(path: Path, tmp_path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(book, kernel_name="python3", timeout=300, startup_timeout=120,
                            resources={"metadata": {"path": str(tmp_path)}})  # cwd outside the repository
    client.execute()
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
    assert pngs, "every notebook shows at least one plot as image/png"
    probe = "".join(o.get("text", "") for o in book.cells[-1].outputs).splitlines()
    assert probe[0] == sys.prefix and sys.prefix != sys.base_prefix  # the kernel runs in this virtual env
    assert Path(probe[1]).resolve().is_relative_to(REPO / "src")
