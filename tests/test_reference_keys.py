"""Every official key in data/ exists in the DWD warn-cell list (read from ../shared, never copied)."""

from __future__ import annotations

import csv
from pathlib import Path

from mpsc_graph.project import Project


def _warncells(shared: Path) -> dict[str, str]:
    cells: dict[str, str] = {}
    with (shared / "reference" / "dwd-warncells.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter=";"):
            if row and row[0].isdigit():
                cells[row[0]] = row[1]
    return cells


def test_every_ags_and_district_key_is_official(project: Project, shared: Path) -> None:
    cells = _warncells(shared)
    with (project.data_dir / "municipalities.csv").open(encoding="utf-8") as handle:
        unknown_ags = [r["ags"] for r in csv.DictReader(handle) if "8" + r["ags"] not in cells]
    with (project.data_dir / "districts.csv").open(encoding="utf-8") as handle:
        unknown_keys = [r["key"] for r in csv.DictReader(handle) if "1" + r["key"] + "000" not in cells]
    assert unknown_ags == [] and unknown_keys == []


def test_names_agree_with_the_official_list(project: Project, shared: Path) -> None:
    """The official name (minus 'Stadt'/'Gemeinde') starts with the word we use, e.g. 'Stadt Halle (Saale)'."""
    cells = _warncells(shared)
    with (project.data_dir / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    mismatched = []
    for row in rows:
        official = cells["8" + row["ags"]]
        first_word = row["name_de"].replace("Lutherstadt ", "").split()[0].split("/")[0].split("(")[0].strip(" ,")
        if first_word.casefold() not in official.casefold():
            mismatched.append((row["ags"], row["name_de"], official))
    assert mismatched == []
