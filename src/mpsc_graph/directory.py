"""The municipality directory: ``data/directory.csv`` derived from the Destatis Gemeindeverzeichnis.

Why a derived table rather than the official file itself: the official extract mixes record types
(states, Regierungsbezirke, districts, Gemeindeverbände, municipalities, uninhabited areas) and
writes numbers with a space as thousands separator and a decimal comma; the project's tables are
one row per body with plain values, mapped to RDF by a declaration in :mod:`mpsc_graph.tables`.
The derivation is a pure function of the official file, so ``python -m mpsc_graph.directory
SOURCE data/directory.csv`` reproduces the shipped table exactly (a test compares them).

What becomes a row (the record types are those of the official file's documentation):

- record type 60 with textkennzeichen 60-64 or 67: an inhabited municipality. 65 and 66 are
  gemeindefreie Gebiete (forests, lakes, military areas), not municipalities: no row.
- record type 40 with textkennzeichen 43 (Kreis), 44 (Landkreis), 45 (Regionalverband): a
  district. 41 and 42 (kreisfreie Stadt, Stadtkreis) are already municipalities: no district row,
  and their municipality gets ``kreisfrei`` and no district.
- record type 50 with textkennzeichen 51-56: a Gemeindeverband (Amt, Samtgemeinde,
  Verbandsgemeinde, Verwaltungsgemeinschaft, Kirchspielslandgemeinde, Verwaltungsverband) with
  its 9-digit key. 50 marks a verbandsfreie Gemeinde and 58 a Thuringian "erfüllende Gemeinde"
  (a municipality that administers its neighbours' affairs, not a body of its own): neither is a
  row, and their municipalities get no Gemeindeverband.

Labels: a municipality's label is its short name (the official name up to the first comma:
"Paderborn, Stadt" → "Paderborn"); the official name is kept in a column of its own. District
and Gemeindeverband labels carry their kind ("Kreis Paderborn", "Amt Süderbrarup") unless the
official name already says it ("Region Hannover", "Eifelkreis Bitburg-Prüm").
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .atomic import write_file
from .errors import InputError

#: The source node every row cites (defined in ``data/directory-source.ttl``).
SOURCE_SLUG = "destatis-gv-2020q4"
#: Reference date of the population figures of the 4th-quarter 2020 extract (the year-end before).
POPULATION_DATE = "2019-12-31"

COLUMNS = ("kind", "key", "name_de", "official_name", "state", "district", "association", "association_kind",
           "kreisfrei", "population", "population_date", "area_km2", "centre", "urbanisation", "sources")

MUNICIPALITY_CODES = {"60", "61", "62", "63", "64", "67"}
KREISFREI_CODES = {"61", "62"}
DISTRICT_KINDS = {"43": "Kreis", "44": "Landkreis", "45": "Regionalverband"}
ASSOCIATION_KINDS = {
    "51": ("amt", "Amt"),
    "52": ("samtgemeinde", "Samtgemeinde"),
    "53": ("verbandsgemeinde", "Verbandsgemeinde"),
    "54": ("verwaltungsgemeinschaft", "Verwaltungsgemeinschaft"),
    "55": ("kirchspielslandgemeinde", "Kirchspielslandgemeinde"),
    "56": ("verwaltungsverband", "Verwaltungsverband"),
}
URBANISATION = {"01": "dense", "02": "intermediate", "03": "thin"}
SOURCE_COLUMNS = ("satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde", "gemeindename", "flaeche",
                  "bevoelkerung", "laengengrad", "breitengrad", "verstaedterungschluessel")


def short_name(official: str) -> str:
    """The name without the official file's descriptors: "Halle (Saale), Stadt" → "Halle (Saale)"."""
    return official.split(", ", 1)[0].strip()


def kind_label(kind_word: str, official: str) -> str:
    """``official`` prefixed with its kind unless the name already says what it is."""
    folded = official.casefold()
    if kind_word.casefold() in folded or "kreis" in folded or folded.startswith(("region ", "städteregion ")):
        return official
    return f"{kind_word} {official}"


def _number(text: str) -> str:
    """"151 633" → "151633"; "20.06" stays; empty stays empty."""
    return text.replace(" ", "").replace("\u00a0", "")


def _decimal_comma(text: str) -> str:
    return text.strip().replace(",", ".")


def derive_rows(records: Iterable[dict[str, str]], source: str = "") -> Iterator[dict[str, str]]:
    """The directory's rows, in the official file's order (district, its Gemeindeverbände, municipalities)."""
    records = list(records)
    associations: dict[str, str] = {}  # 9-digit key -> textkennzeichen of its record type 50 row
    districts: set[str] = set()
    for record in records:
        if record["satzart"] == "50":
            associations[record["land"] + record["rb"] + record["kreis"] + record["vb"]] = record["textkennzeichen"]
        elif record["satzart"] == "40" and record["textkennzeichen"] in DISTRICT_KINDS:
            districts.add(record["land"] + record["rb"] + record["kreis"])
    for line, record in enumerate(records, 2):
        kind, code = record["satzart"], record["textkennzeichen"]
        district_key = record["land"] + record["rb"] + record["kreis"]
        row = dict.fromkeys(COLUMNS, "")
        row.update(state=record["land"], official_name=record["gemeindename"].strip(), sources=SOURCE_SLUG)
        if kind == "40" and code in DISTRICT_KINDS:
            row.update(kind="district", key=district_key,
                       name_de=kind_label(DISTRICT_KINDS[code], row["official_name"]))
        elif kind == "50" and code in ASSOCIATION_KINDS:
            slug, word = ASSOCIATION_KINDS[code]
            row.update(kind="association", key=district_key + record["vb"], association_kind=slug,
                       name_de=kind_label(word, row["official_name"]))
        elif kind == "60" and code in MUNICIPALITY_CODES:
            association = district_key + record["vb"]
            urbanisation = record["verstaedterungschluessel"].strip()
            if urbanisation and urbanisation not in URBANISATION:
                raise InputError(f"unknown degree of urbanisation '{urbanisation}'", path=source, line=line)
            longitude, latitude = _decimal_comma(record["laengengrad"]), _decimal_comma(record["breitengrad"])
            population = _number(record["bevoelkerung"])
            row.update(
                kind="municipality", key=district_key + record["gemeinde"], name_de=short_name(row["official_name"]),
                district=district_key if district_key in districts else "",
                association=association if associations.get(association) in ASSOCIATION_KINDS else "",
                kreisfrei="true" if code in KREISFREI_CODES else "",
                population=population, population_date=POPULATION_DATE if population else "",
                area_km2=_number(record["flaeche"]),
                centre=f"POINT({longitude} {latitude})" if longitude and latitude else "",
                urbanisation=URBANISATION.get(urbanisation, ""),
            )
        else:
            continue
        if row["kind"] == "municipality" and code not in KREISFREI_CODES and not row["district"]:
            raise InputError(f"municipality {row['key']} is not kreisfrei but its district {district_key} is not "
                             "in the file", path=source, line=line)
        yield row


def read_official(path: Path) -> list[dict[str, str]]:
    """The official extract's records (UTF-8 with byte-order mark, comma-separated)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in SOURCE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"not the Gemeindeverzeichnis extract: missing column(s) {', '.join(missing)}",
                                 path=path, line=1)
            return list(reader)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc


def derive_table(source: Path) -> str:
    """The text of ``data/directory.csv`` derived from the official extract at ``source``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(derive_rows(read_official(source), str(source)))
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m mpsc_graph.directory DESTATIS_EXTRACT.csv data/directory.csv", file=sys.stderr)
        return 2
    try:
        write_file(Path(argv[1]), derive_table(Path(argv[0])).encode("utf-8"))
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
