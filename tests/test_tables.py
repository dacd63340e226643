"""CSV tables (tables.py): one row per key, and slugs as docs/data-model.md defines them; each
broken rule is a load error naming the file and line(s), and the real tables follow both rules."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.dataset import load_dataset
from mpsc_graph.errors import InputError
from mpsc_graph.project import Project
from mpsc_graph.tables import TABLES
from support import TEST_DATA

TABLE_DATA = TEST_DATA / "tables"


def test_a_repeated_key_names_the_file_and_both_lines(make_project: Callable[..., Project]) -> None:
    project = make_project(TABLE_DATA / "duplicate-ags" / "municipalities.csv")
    path = project.data_dir / "municipalities.csv"
    with pytest.raises(InputError) as info:
        load_dataset(project)
    assert str(info.value) == (f"{path}:4: ags '05122000' again; it is already the key of line 2 "
                               "(one row per municipality)")
    result = CliRunner().invoke(main, ["validate", "--root", str(project.root)])
    assert result.exit_code == 2 and f"{path}:4:" in result.output


def test_a_slug_outside_lowercase_letters_digits_and_hyphens_is_refused(make_project: Callable[..., Project]) -> None:
    project = make_project(TABLE_DATA / "uppercase-slug" / "model-projects.csv")
    with pytest.raises(InputError, match=r"model-projects\.csv:3: 'MPSC19_Ulm' cannot be part of an IRI: a slug"):
        load_dataset(project)


def test_the_real_tables_have_unique_lowercase_keys(project: Project) -> None:
    for name, table in TABLES.items():
        with (project.data_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            keys = [row[table.key_column] for row in csv.DictReader(handle)]
        assert keys, name
        assert [key for key, n in Counter(keys).items() if n > 1] == [], name
        assert all(key == key.lower() and " " not in key for key in keys), name
    load_dataset(project)  # and they load
