"""Query results as pandas DataFrames with typed columns (dates as dates, numbers as numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from .results import Table, to_python


def table_to_frame(table: Table) -> pd.DataFrame:
    """One column per variable; a column whose values are all dates becomes datetime64, numbers numeric."""
    data = {column: [to_python(row[i]) for row in table.rows] for i, column in enumerate(table.columns)}
    frame = pd.DataFrame(data, columns=list(table.columns))
    for column in frame.columns:
        values = [v for v in frame[column] if v is not None]
        if not values:
            continue
        if all(isinstance(v, date) for v in values):
            frame[column] = pd.to_datetime(frame[column])
        elif all(isinstance(v, bool) for v in values):
            frame[column] = frame[column].astype("boolean")
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[column] = frame[column].astype("Int64")
        elif all(isinstance(v, int | float | Decimal) for v in values):
            frame[column] = pd.to_numeric(frame[column].map(lambda v: None if v is None else float(v)))
        else:
            frame[column] = frame[column].astype("string")
    return frame
