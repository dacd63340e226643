"""Partial dates: precision kept, no day counted from a year or a month (mpsc_graph.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from mpsc_graph import dates


@pytest.mark.parametrize(("value", "precision", "start"), [
    ("2020", "year", date(2020, 1, 1)),
    ("2020-12", "month", date(2020, 12, 1)),
    ("2020-12-22", "day", date(2020, 12, 22)),
    (date(2020, 12, 22), "day", date(2020, 12, 22)),
    (None, None, None),
])
def test_precision_and_period_start(value: object, precision: str | None, start: date | None) -> None:
    assert dates.precision(value) == precision
    assert dates.period_start(value) == start


def test_days_only_between_two_days() -> None:
    assert dates.days_between("2020-01-01", "2020-12-22") == 356
    assert dates.days_between("2020", "2020-12-22") is None  # not 356: the year says nothing of the day
    assert dates.days_between("2020-12-22", "2021-01") is None
    assert dates.days_between(None, "2020-12-22") is None


def test_years_are_calendar_years_at_any_precision() -> None:
    assert dates.years_between("2020", "2020-12-22") == 0
    assert dates.years_between("2020-12-31", "2021") == 1
    assert dates.years_between("2020", None) is None


def test_an_invalid_date_has_no_period_start() -> None:
    assert dates.period_start("2020-13") is None and dates.days_between("2020-02-30", "2020-03-01") is None
