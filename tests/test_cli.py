"""The command line: outputs, exit codes 0/1/2, no tracebacks; in-process (``support.cli``), and help and
version through the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mpsc_graph.project import Project
from support import REPO, TEST_DATA, Ran

ENTRY_POINT = Path(sys.executable).with_name("mpsc-graph")
Run = Callable[..., Ran]


@pytest.fixture
def run(loaded_cli: Run) -> Run:
    """``mpsc-graph ARGS`` in-process; queries of the real data read the dataset the session loaded once."""
    return loaded_cli


def test_paths_halle_to_paderborn_prints_the_core_module_hop(run: Run) -> None:
    result = run("paths", "--from", "Halle (Saale)", "--to", "Paderborn")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Path 1: 1 hop(s) (contains undated hops)"
    assert lines[1] == "  Halle (Saale) → Paderborn: HAL-Plan Core-Modul (joint-development/production, undated)"
    assert "      adoption: https://w3id.org/mpsc-graph/id/adoption/paderborn-hal-plan-core" in lines
    assert any(line.startswith("      source: Nachnutzen statt neu erfinden") for line in lines)


def test_paths_accepts_keys_and_iris(run: Run) -> None:
    result = run("paths", "--from", "15002000", "--to", "https://w3id.org/mpsc-graph/id/municipality/05774032")
    assert result.returncode == 0 and "HAL-Plan Core-Modul" in result.stdout


def test_no_path_exits_1_and_says_so(run: Run) -> None:
    result = run("paths", "--from", "Paderborn", "--to", "Halle (Saale)")
    assert result.returncode == 1
    assert "no adoption path from Paderborn" in result.stderr
    assert "Traceback" not in result.stderr


def test_ambiguous_name_exits_2_listing_the_candidates(run: Run) -> None:
    result = run("paths", "--from", "Osnabrueck", "--to", "Paderborn")
    assert result.returncode == 2
    assert "'Osnabrueck' is ambiguous" in result.stderr
    assert ("Osnabrück (municipality 03404000, Niedersachsen) <https://w3id.org/mpsc-graph/id/municipality/03404000>"
            in result.stderr)
    assert ("Landkreis Osnabrück (district 03459, Niedersachsen) <https://w3id.org/mpsc-graph/id/district/03459>"
            in result.stderr)


def test_a_name_that_begins_two_labels_is_ambiguous_not_the_one_with_a_qualifier(run: Run) -> None:
    """"Frankfurt" is "Frankfurt am Main" or "Frankfurt (Oder)": dropping "(Oder)" must not decide it."""
    result = run("paths", "--from", "lgv-hamburg", "--to", "Frankfurt")
    assert result.returncode == 2 and "'Frankfurt' is ambiguous" in result.stderr
    assert "Frankfurt am Main (municipality 06412000, Hessen)" in result.stderr
    assert "Frankfurt (Oder) (municipality 12053000, Brandenburg)" in result.stderr
    by_key = run("paths", "--from", "lgv-hamburg", "--to", "06412000")
    assert by_key.returncode == 0 and "→ Frankfurt am Main: Masterportal" in by_key.stdout


def test_unknown_name_exits_2(run: Run) -> None:
    result = run("paths", "--from", "Atlantis", "--to", "Paderborn")
    assert result.returncode == 2 and "no entity named 'Atlantis'" in result.stderr


def test_query_formats(run: Run) -> None:
    as_json = run("query", "members", "--param", "group=mpsc19-suedwestfalen", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert [r["memberLabel"] for r in json.loads(as_json.stdout)][:2] == ["Arnsberg", "Bad Berleburg"]
    as_csv = run("query", "model_projects", "--param", "year=2019", "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "project,projectLabel,_year,kind,members"
    assert len(as_csv.stdout.splitlines()) == 1 + 13
    table = run("query", "members", "--param", "group=mpsc19-suedwestfalen")
    assert table.stdout.rstrip().endswith("(5 rows)")


def test_query_with_a_bad_parameter_exits_2(run: Run) -> None:
    result = run("query", "model_projects", "--param", "year=soon")
    assert result.returncode == 2 and "parameter 'year' expects a year YYYY" in result.stderr
    result = run("query", "members", "--param", "group")
    assert result.returncode == 2 and "--param expects key=value" in result.stderr


def test_queries_lists_summaries_and_parameters(run: Run) -> None:
    result = run("queries")
    assert result.returncode == 0
    assert "adopted_from (origin:iri)" in result.stdout
    assert "model_projects (year:year?)" in result.stdout


def test_validate_real_data_exits_0_and_counts_warnings(run: Run) -> None:
    result = run("validate", "--lang", "en")
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.rstrip().splitlines()[-1].startswith("0 violation(s), ")


def test_validate_reports_a_violation_with_exit_1(run: Run, make_project: Callable[..., Project]) -> None:
    project = make_project(TEST_DATA / "shapes" / "base.ttl", TEST_DATA / "shapes" / "invalid" / "ags-pattern.ttl")
    result = run("validate", "--root", str(project.root), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["violations"] == 1
    assert report["results"][0]["files"] == ["ags-pattern"]
    german = run("validate", "--root", str(project.root))
    assert "Gemeinde: genau ein Amtlicher Gemeindeschlüssel (AGS)" in german.stdout


def test_fail_on_warning(run: Run, make_project: Callable[..., Project]) -> None:
    project = make_project(
        TEST_DATA / "shapes" / "base.ttl", TEST_DATA / "shapes" / "invalid" / "warning-no-licence.ttl"
    )
    assert run("validate", "--root", str(project.root)).returncode == 0
    assert run("validate", "--root", str(project.root), "--fail-on", "warning").returncode == 1


def test_malformed_input_exits_2_naming_file_and_line(run: Run, make_project: Callable[..., Project]) -> None:
    project = make_project(**{"broken__ttl": "@prefix ex: <http://ex/> .\nex:a ex:b ex:c ;;; .\n  ex:d .\n"})
    for command in (["validate"], ["build", "--store", str(project.root / "store")], ["stats"]):
        result = run(*command, "--root", str(project.root))
        assert result.returncode == 2, command
        assert f"{project.data_dir / 'broken.ttl'}:" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (project.root / "store").exists()


def test_build_writes_a_store_that_serves_the_same_queries(run: Run, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = run("build", "--store", str(store_dir))
    assert result.returncode == 0 and result.stdout.startswith(f"built {store_dir}:")
    from mpsc_graph.api import Graph

    on_disk = Graph.open(REPO, store_dir=store_dir)
    in_memory = Graph.open(REPO)

    def normalised(graph: Graph) -> list[dict[str, object]]:  # GROUP_CONCAT order is engine-defined
        return [{**r, "sources": sorted(r["sources"].split())} for r in graph.query("adoption_edges").records()]

    assert normalised(on_disk) == normalised(in_memory)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["validate", "--help"]])
def test_help_and_version(run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0 and result.stdout


def test_the_installed_entry_point_runs_the_command_line() -> None:
    result = subprocess.run([str(ENTRY_POINT), "--version"], cwd=REPO, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0 and result.stdout.startswith("mpsc-graph, version ")
