"""Synthetic reuse world around the real municipality directory, for the readiness and recommendation benchmark.

``generate.py --directory --triples N -o FILE`` writes this instead of the fully synthetic graph. What
it holds, streaming and deterministic per seed:

- the real 16 states, 294 districts, Gemeindeverbände and about 10,800 municipalities of
  ``data/directory.csv`` (label, AGS, district, state, Gemeindeverband, population, centre point,
  urbanisation), as the build states them, so recommendations compare real sizes and distances;
- synthetic solutions and modules (thematic fields, originators among the real municipalities),
  organisations with operator, maintainer, support and developer roles (some with an end date that
  has passed), offers (some closed, ended, or open to the bodies of one state), costs, licence
  statements, repositories, contact points, conformances to standards, development communities and
  alliances of real municipalities, and sources with publishers (some the maker's own);
- adoptions filling the triple budget: assets with Zipf-like skew, adopters weighted by population,
  statuses mixed (about half in production).

Every synthetic node says ``rdfs:comment "synthetic"``; sources are at ``https://example.org/synthetic/``.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import FIELDS, LICENCES, MODES, STATES, TYPE, Writer, ZipfPicker, _date, lit, typed

ID = "https://w3id.org/mpsc-graph/id/"
STATUSES = ("planned", "trial", "production", "ended", "unknown")
STANDARDS = (
    "oparl",
    "ogc-wms",
    "ogc-wfs",
    "ogc-sensorthings",
    "ngsi-ld",
    "lorawan",
    "citygml",
    "dcat-ap-de",
    "mowas",
    "gtfs",
    "bitv",
)
PUBLISHERS = (
    "Kommune21",
    "Behörden Spiegel",
    "eGovernment",
    "BBSR",
    "KTS",
    "Deutscher Städtetag",
    "Land Brandenburg",
    "urban-digital.de",
    "openCode",
    "Fraunhofer",
)
ROUTES = ("saas-contract", "shared-service", "membership", "self-hosting", "administrative-agreement")


def _iri(path: str) -> str:
    return f"<{ID}{path}>"


def read_directory(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def generate_directory_world(
    triples: int,
    seed: int,
    out: io.TextIOBase,
    directory_csv: Path,
    *,
    ntriples: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the real directory and a synthetic reuse world of about ``triples`` triples; return the count."""
    rng = random.Random(seed)
    per_million = triples / 1_000_000
    w = Writer(out, ntriples)
    w.header(seed, triples)
    syn = lit("synthetic")
    rows = read_directory(directory_csv)
    n_sources = max(20, round(5_000 * per_million))
    w.subject(
        "source:destatis-gv-2020q4",
        [
            (TYPE, "mpsc:Source"),
            ("dct:title", lit("Gemeindeverzeichnis", "de")),
            ("dct:publisher", lit("Statistisches Bundesamt (Destatis)")),
        ],
    )
    for i in range(n_sources):
        w.subject(
            f"source:syn-{i:06d}",
            [
                (TYPE, "mpsc:Source"),
                ("schema:url", f"<https://example.org/synthetic/source/{i}>"),
                ("dct:title", lit(f"Synthetische Quelle {i}", "de")),
                ("dct:publisher", lit(PUBLISHERS[i % len(PUBLISHERS)])),
                ("rdfs:comment", syn),
            ],
        )

    def cite() -> str:
        return f"source:syn-{rng.randrange(n_sources):06d}"

    for key, de, en in STATES:
        w.subject(
            f"state:{key}",
            [
                (TYPE, "mpsc:State"),
                ("rdfs:label", lit(de, "de")),
                ("rdfs:label", lit(en, "en")),
                ("mpsc:stateKey", lit(key)),
            ],
        )
    municipalities: list[str] = []
    weights: list[float] = []
    for row in rows:
        kind, key = row["kind"], row["key"]
        if kind == "district":
            w.subject(
                f"district:{key}",
                [
                    (TYPE, "mpsc:District"),
                    ("rdfs:label", lit(row["name_de"], "de")),
                    ("mpsc:districtKey", lit(key)),
                    ("mpsc:state", f"state:{row['state']}"),
                    ("dct:source", "source:destatis-gv-2020q4"),
                ],
            )
        elif kind == "association":
            w.subject(
                _iri(f"municipal-association/{key}"),
                [
                    (TYPE, "mpsc:MunicipalAssociation"),
                    ("rdfs:label", lit(row["name_de"], "de")),
                    ("mpsc:state", f"state:{row['state']}"),
                    ("dct:source", "source:destatis-gv-2020q4"),
                ],
            )
        elif kind == "municipality":
            iri = f"municipality:{key}"
            pairs = [
                (TYPE, "mpsc:Municipality"),
                ("rdfs:label", lit(row["name_de"], "de")),
                ("mpsc:ags", lit(key)),
                ("mpsc:state", f"state:{row['state']}"),
                ("dct:source", "source:destatis-gv-2020q4"),
            ]
            if row["district"]:
                pairs.append(("mpsc:district", f"district:{row['district']}"))
            if row["association"]:
                pairs.append(("mpsc:municipalAssociation", _iri(f"municipal-association/{row['association']}")))
            if row["population"]:
                pairs += [
                    ("mpsc:population", typed(row["population"], "integer")),
                    ("mpsc:populationDate", typed(row["population_date"], "date")),
                ]
            if row["urbanisation"]:
                pairs.append(("mpsc:urbanisation", _iri(f"concept/urbanisation/{row['urbanisation']}")))
            if row["centre"]:
                centre = f"<{ID}municipality/{key}#centre>"
                pairs.append(("<http://www.opengis.net/ont/geosparql#hasCentroid>", centre))
                w.subject(
                    centre,
                    [
                        (
                            "<http://www.opengis.net/ont/geosparql#asWKT>",
                            f'"{row["centre"]}"^^<http://www.opengis.net/ont/geosparql#wktLiteral>',
                        )
                    ],
                )
            w.subject(iri, pairs)
            municipalities.append(iri)
            weights.append(float(row["population"] or 1))
    # adopters and originators weighted by population: large towns reuse more
    order = sorted(range(len(municipalities)), key=lambda i: -weights[i])
    by_size = [municipalities[i] for i in order]
    pick_town = ZipfPicker(len(by_size), 0.5, rng)

    def town() -> str:
        return by_size[pick_town()]

    n_solutions = max(10, round(1_500 * per_million))
    n_modules = max(10, round(3_000 * per_million))
    n_orgs = max(5, round(1_000 * per_million))
    for o in range(n_orgs):
        w.subject(
            f"organisation:syn-{o:05d}",
            [
                (TYPE, "mpsc:Organisation"),
                ("rdfs:label", lit(f"{PUBLISHERS[o % len(PUBLISHERS)]} Betrieb {o}", "de")),
                ("mpsc:basedIn", town()),
                ("dct:source", cite()),
                ("rdfs:comment", syn),
            ],
        )
    for s in range(n_solutions):
        sol = f"solution:syn-{s:06d}"
        w.subject(
            sol,
            [
                (TYPE, "mpsc:Solution"),
                ("rdfs:label", lit(f"Synthetische Lösung {s}", "de")),
                ("mpsc:thematicField", f"field:{FIELDS[s % len(FIELDS)]}"),
                ("mpsc:originator", town()),
                ("dct:source", cite()),
                ("dct:source", cite()),
                ("rdfs:comment", syn),
            ],
        )
        if rng.random() < 0.7:
            w.subject(
                f"<{ID}licence/syn-{s}>",
                [
                    (TYPE, "mpsc:LicenceStatement"),
                    ("mpsc:licensedAsset", sol),
                    ("dct:license", f"spdx:{rng.choice(LICENCES)}"),
                    ("dct:source", cite()),
                ],
            )
        if rng.random() < 0.6:
            w.subject(
                f"<{ID}repository/syn-{s}>",
                [
                    (TYPE, "mpsc:Repository"),
                    ("schema:url", f"<https://example.org/synthetic/code/{s}>"),
                    ("dct:source", cite()),
                ],
            )
            w.subject(sol, [("mpsc:repository", f"<{ID}repository/syn-{s}>")])
        if rng.random() < 0.5:
            w.subject(
                f"<{ID}contact/syn-{s}>",
                [
                    (TYPE, "mpsc:ContactPoint"),
                    ("schema:url", f"<https://example.org/synthetic/contact/{s}>"),
                    ("dct:source", cite()),
                ],
            )
            w.subject(sol, [("schema:contactPoint", f"<{ID}contact/syn-{s}>")])
        for c in range(rng.choice((0, 0, 1, 2))):
            w.subject(
                f"<{ID}conformance/syn-{s}-{c}>",
                [
                    (TYPE, "mpsc:Conformance"),
                    ("mpsc:conformingAsset", sol),
                    ("dct:conformsTo", _iri(f"concept/standard/{rng.choice(STANDARDS)}")),
                    ("dct:source", cite()),
                ],
            )
        for r in range(rng.choice((0, 1, 1, 2, 3))):
            pairs = [
                (TYPE, "mpsc:Role"),
                ("mpsc:agent", f"organisation:syn-{rng.randrange(n_orgs):05d}"),
                ("mpsc:roleType", f"roletype:{rng.choice(('operator', 'maintainer', 'support', 'developer'))}"),
                ("mpsc:roleIn", sol),
                ("dct:source", cite()),
            ]
            if rng.random() < 0.3:
                pairs.append(("mpsc:endDate", typed(str(rng.randint(2022, 2029)), "gYear")))
            w.subject(f"role:syn-{s}-{r}", pairs)
        for f in range(rng.choice((0, 1, 1, 2))):
            offer = f"<{ID}offer/syn-{s}-{f}>"
            pairs = [
                (TYPE, "mpsc:Offer"),
                ("mpsc:offeredAsset", sol),
                ("mpsc:offeredBy", f"organisation:syn-{rng.randrange(n_orgs):05d}"),
                ("mpsc:route", _iri(f"concept/reuse-route/{rng.choice(ROUTES)}")),
                ("dct:source", cite()),
            ]
            roll = rng.random()
            if roll < 0.2:
                pairs.append(("mpsc:openToNewMembers", typed("false", "boolean")))
            elif roll < 0.5:
                pairs.append(("mpsc:openToNewMembers", typed("true", "boolean")))
            if rng.random() < 0.3:
                pairs.append(("mpsc:eligibleRegion", f"state:{rng.choice(STATES)[0]}"))
            if rng.random() < 0.1:
                pairs.append(("mpsc:endDate", typed(f"{rng.randint(2022, 2028)}-12-31", "date")))
            w.subject(offer, pairs)
            if rng.random() < 0.6:
                w.subject(
                    f"<{ID}cost/syn-{s}-{f}>",
                    [
                        (TYPE, "mpsc:Cost"),
                        ("mpsc:costOf", offer),
                        ("mpsc:amount", typed(f"{rng.randint(1, 500) * 100}.00", "decimal")),
                        ("mpsc:currency", lit("EUR")),
                        ("dct:source", cite()),
                    ],
                )
    module_of: list[int] = []
    for m in range(n_modules):
        s = rng.randrange(n_solutions)
        module_of.append(s)
        w.subject(
            f"module:syn-{m:06d}",
            [
                (TYPE, "mpsc:Module"),
                ("rdfs:label", lit(f"Synthetisches Modul {m}", "de")),
                ("mpsc:moduleOf", f"solution:syn-{s:06d}"),
                ("dct:source", cite()),
            ],
        )
    for c in range(max(3, round(300 * per_million))):
        members = sorted({town() for _ in range(rng.randint(2, 8))})
        w.subject(
            f"community:syn-{c:05d}",
            [
                (TYPE, "mpsc:DevelopmentCommunity"),
                ("rdfs:label", lit(f"Synthetische Gemeinschaft {c}", "de")),
                ("mpsc:develops", f"solution:syn-{c % n_solutions:06d}"),
                *(("mpsc:hasMember", m) for m in members),
                ("dct:source", cite()),
            ],
        )
    for a in range(max(2, round(100 * per_million))):
        members = sorted({town() for _ in range(rng.randint(2, 6))})
        w.subject(
            f"alliance:syn-{a:05d}",
            [
                (TYPE, "mpsc:Alliance"),
                ("rdfs:label", lit(f"Synthetische Kooperation {a}", "de")),
                *(("mpsc:hasMember", m) for m in members),
                ("dct:source", cite()),
            ],
        )
    pick_solution = ZipfPicker(n_solutions, 1.1, rng)
    a = 0
    while w.count < triples:
        s = pick_solution()
        asset = f"solution:syn-{s:06d}"
        if rng.random() < 0.2:
            m = rng.randrange(n_modules)
            asset = f"module:syn-{m:06d}"
        roll = rng.random()
        status = STATUSES[0 if roll < 0.1 else 1 if roll < 0.25 else 2 if roll < 0.75 else 3 if roll < 0.85 else 4]
        start, _year = _date(rng, rng.randint(2015, 2025))
        w.subject(
            f"adoption:syn-{a:08d}",
            [
                (TYPE, "mpsc:Adoption"),
                ("rdfs:label", lit(f"Synthetische Nachnutzung {a}", "de")),
                ("mpsc:adopter", town()),
                ("mpsc:adoptedAsset", asset),
                ("mpsc:adoptionStatus", f"status:{status}"),
                ("mpsc:adoptionMode", f"mode:{MODES[a % len(MODES)]}"),
                ("mpsc:startDate", start),
                ("dct:source", cite()),
            ],
        )
        a += 1
        if progress is not None and a % 100_000 == 0:
            progress(w.count)
    w.flush()
    return w.count
