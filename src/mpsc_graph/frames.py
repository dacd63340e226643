"""Query results and analysis rows as pandas DataFrames whose column types do not depend on the data.

Why this matters: a notebook that works on one answer must work on the next. A column's dtype is
therefore the same whether some, all or none of its rows have a value, and whether the dates in
it are years, months or days:

- a date column (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``) stays the source's literal as
  text (``start``: ``"2020"``, ``"2020-12-22"``) and gets two companions: ``start_date``, the
  first day of the period as ``datetime64`` (for sorting and plotting, not a claim about the day),
  and ``start_precision`` (``year``, ``month`` or ``day``);
- integers are ``Int64``, decimals ``Float64``, booleans ``boolean``, everything else (IRIs, text)
  ``string``; a column no row binds is ``string``;
- the one missing-value marker is ``pd.NA`` (``NaT`` in the ``datetime64`` companions, the only
  marker pandas has there); ``frame.isna()`` finds both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
from pyoxigraph import Literal

from . import dates
from .namespaces import XSD
from .results import Table, to_python

#: literal datatypes of date columns
DATE_TYPES = frozenset({XSD + "date", XSD + "gYearMonth", XSD + "gYear"})
#: dtype of the parsed companion ``<column>_date`` (seconds: any year 1–9999 fits)
DATETIME = "datetime64[s]"


def table_to_frame(table: Table) -> pd.DataFrame:
    """One column per variable, typed as the module docstring says (dates: text, ``_date``, ``_precision``)."""
    data: dict[str, list[Any]] = {}
    date_columns: list[str] = []
    for i, column in enumerate(table.columns):
        terms = [row[i] for row in table.rows]
        present = [t for t in terms if t is not None]
        if present and all(isinstance(t, Literal) and t.datatype.value in DATE_TYPES for t in present):
            data[column] = [None if t is None else t.value for t in terms]
            date_columns.append(column)
        else:
            data[column] = [to_python(t) for t in terms]
    frame = pd.DataFrame(data, columns=list(table.columns))
    for column in table.columns:
        if column in date_columns:
            continue
        values = [v for v in data[column] if v is not None]
        if values and all(isinstance(v, bool) for v in values):
            frame[column] = pd.array(data[column], dtype="boolean")
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            frame[column] = pd.array(data[column], dtype="Int64")
        elif values and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
            frame[column] = pd.array([None if v is None else float(v) for v in data[column]], dtype="Float64")
        else:
            frame[column] = pd.array([None if v is None else str(v) for v in data[column]], dtype="string")
    return with_dates(frame, date_columns)


def with_dates(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with each date column as text plus ``<column>_date`` and ``<column>_precision`` after it.

    Companions already present (a row type may carry its own ``start_precision``) are replaced.
    """
    for column in columns:
        frame = frame.drop(columns=[c for c in (f"{column}_date", f"{column}_precision") if c in frame.columns])
        literals = [dates.iso(None if pd.isna(v) else v) for v in frame[column]]
        frame[column] = pd.array(literals, dtype="string")
        position = list(frame.columns).index(column) + 1
        parsed = [dates.period_start(v) for v in literals]
        frame.insert(position, f"{column}_date", pd.Series(parsed, index=frame.index, dtype=DATETIME))
        frame.insert(position + 1, f"{column}_precision",
                     pd.Series([dates.precision(v) for v in literals], index=frame.index, dtype="string"))
    return frame


#: dtype of a dataclass field by its annotation (``from __future__ import annotations`` keeps them as text)
ANNOTATION_DTYPES = {
    "str": "string", "str | None": "string", "int": "int64", "int | None": "Int64", "bool": "bool",
    "bool | None": "boolean", "float": "float64", "float | None": "Float64",
}


def rows_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], dtypes: Mapping[str, str], *,
               date_columns: Iterable[str] = ()) -> pd.DataFrame:
    """A frame of ``rows`` whose column dtypes come from ``dtypes`` (column → dtype), not from the values.

    So an empty result, or one where no row has an end date, has the same dtypes as any other.
    Columns not in ``dtypes`` keep what pandas infers; date columns are text plus companions
    (:func:`with_dates`).
    """
    wanted = list(date_columns)
    data: dict[str, Any] = {}
    for column in columns:
        values: list[Any] = [row.get(column) for row in rows]
        dtype = "string" if column in wanted else dtypes.get(column)
        data[column] = pd.Series(values, dtype=dtype) if dtype else pd.Series(values, dtype=None if rows else object)
    return with_dates(pd.DataFrame(data, columns=list(columns)), wanted)


def field_dtypes(cls: type) -> dict[str, str]:
    """Column dtypes of a dataclass's fields, by their annotations (see :data:`ANNOTATION_DTYPES`)."""
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return {name: ANNOTATION_DTYPES[str(f.type)] for name, f in fields.items() if str(f.type) in ANNOTATION_DTYPES}


def typed(frame: pd.DataFrame, *, date_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Analysis rows made consistent: text columns ``string`` (``pd.NA`` when missing), dates as :func:`with_dates`.

    Columns already of a numeric, boolean or nullable dtype are left as they are.
    """
    wanted = list(date_columns)
    for column in frame.columns:
        if column in wanted:
            continue
        series = frame[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            frame[column] = pd.array([None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                                      for v in series], dtype="string")
    return with_dates(frame, wanted)
