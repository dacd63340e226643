"""Validation benchmark workers, end to end from files to report.

``fast``: load the files into an in-memory Oxigraph store, run the compiled shapes, build the report.
``pyshacl``: plain pySHACL: parse ontology + data and the shapes with rdflib, ``validate`` with
inference none and advanced features (for the SHACL-SPARQL constraints), build the report.
Each writes its (focus, path, constraint, severity) keys to ``WORK/keys-TASK.json`` so the driver
can check that both engines found the same. Usage: ``python -m benchmarks.bench_validate TASK DATA WORK``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.common import emit, project_for, timed


def _fast(project_root: Path, workers: int) -> list[tuple[str, ...]]:
    from mpsc_graph.dataset import load_dataset
    from mpsc_graph.fastvalidate import validate_fast
    from mpsc_graph.project import Project

    project = Project.at(project_root)
    report, _ = validate_fast(load_dataset(project), project, lang="en", workers=workers)
    report.to_text()
    return sorted({f.key for f in report.findings})


def _pyshacl(project_root: Path) -> list[tuple[str, ...]]:
    import rdflib
    from pyoxigraph import Store
    from pyshacl import validate

    from mpsc_graph.project import Project
    from mpsc_graph.validation import _findings  # the reference report's own reading of pySHACL results

    project = Project.at(project_root)
    data = rdflib.Graph()
    for path in project.ontology_files() + project.data_files():
        data.parse(path, format="turtle")
    shapes = rdflib.Graph()
    for path in project.shape_files():
        shapes.parse(path, format="turtle")
    _conforms, results, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                         allow_warnings=True)
    findings = list(_findings(results, data, Store(), "en"))
    return sorted({f.key for f in findings})


def main(task: str, data: Path, work: Path) -> None:
    root = project_for(data, work)
    if task == "fast":
        seconds, keys = timed(lambda: _fast(root, 1))
    elif task == "fast-2workers":
        seconds, keys = timed(lambda: _fast(root, 2))
    elif task == "pyshacl":
        seconds, keys = timed(lambda: _pyshacl(root))
    else:
        raise SystemExit(f"unknown task {task}")
    (work / f"keys-{task}.json").write_text(json.dumps(keys), encoding="utf-8")
    emit(task=task, seconds=seconds, findings=len(keys),
         violations=sum(1 for k in keys if k[3] == "Violation"), warnings=sum(1 for k in keys if k[3] == "Warning"))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
