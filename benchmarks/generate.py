"""Synthetic reuse graph for benchmarks: ``generate.py --triples N --seed S -o FILE``.

Why: the real dataset is a few thousand triples, the plan is 10–20 million (every local authority
of the EU). Benchmarks, the endpoint and the network analyses need a graph of that size that
follows the ontology and *conforms to the shapes*, so that a slow or wrong step shows up as such.

What it writes (Turtle, or N-Triples with ``--format nt``), streaming, deterministic per seed:

- the real 16 federal states (keys and names as in ``data/states.ttl``);
- districts and municipalities with keys that look valid (``^\\d{5}$`` / ``^\\d{8}$``) but sit in a
  range no real body uses (district key ``SS9KK`` with ``KK`` in 80–99, i.e. Regierungsbezirk 9
  and Kreis ≥ 80), IRIs with those keys, and ``rdfs:comment "synthetic"``;
- solutions, modules, operators (``mpsc:Organisation`` + ``mpsc:Role``), development communities,
  alliances, a funding programme with rounds and model projects;
- adoptions with mixed-precision dates (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``), modes,
  statuses, chains (an adopter later becomes the origin of another adoption) and Zipf-like skew
  (a few solutions adopted very widely, most rarely);
- sources at ``https://example.org/synthetic/...`` (reserved domain: obviously not real).

Every node except the states cites a synthetic ``mpsc:Source``. Adoptions fill the triple budget,
so the file holds ``N`` triples give or take one adoption. No Wikidata links are invented, so the
recommended shapes warn about every municipality and district: that is the honest gap marker.
"""

from __future__ import annotations

import argparse
import bisect
import io
import itertools
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MPSC = "https://w3id.org/mpsc-graph/ontology#"
ID = "https://w3id.org/mpsc-graph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

STATES = (
    ("01", "Schleswig-Holstein", "Schleswig-Holstein"), ("02", "Hamburg", "Hamburg"),
    ("03", "Niedersachsen", "Lower Saxony"), ("04", "Bremen", "Bremen"),
    ("05", "Nordrhein-Westfalen", "North Rhine-Westphalia"), ("06", "Hessen", "Hesse"),
    ("07", "Rheinland-Pfalz", "Rhineland-Palatinate"), ("08", "Baden-Württemberg", "Baden-Württemberg"),
    ("09", "Bayern", "Bavaria"), ("10", "Saarland", "Saarland"), ("11", "Berlin", "Berlin"),
    ("12", "Brandenburg", "Brandenburg"), ("13", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"),
    ("14", "Sachsen", "Saxony"), ("15", "Sachsen-Anhalt", "Saxony-Anhalt"), ("16", "Thüringen", "Thuringia"),
)
MODES = ("joint-development", "code-reuse", "shared-operation", "fork", "trial", "concept-transfer")
STATUSES = ("planned", "trial", "production", "ended", "unknown")
ROLE_TYPES = ("operator", "maintainer", "developer")
FIELDS = ("city-app", "digital-twin", "urban-data-platform", "artificial-intelligence", "mobility", "geodata",
          "participation")
LICENCES = ("EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0-only")
ROUND_YEARS = (2019, 2020, 2021)
FIRST_YEAR, LAST_YEAR = 2012, 2025
DISTRICTS_PER_STATE = 20  # Kreis numbers 80..99 in Regierungsbezirk 9
MUNICIPALITIES_PER_DISTRICT = 1000  # GGG 000..999

PREFIXES = {
    "mpsc": MPSC, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": XSD, "dct": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/", "state": ID + "state/", "district": ID + "district/",
    "municipality": ID + "municipality/", "solution": ID + "solution/", "module": ID + "module/",
    "organisation": ID + "organisation/", "role": ID + "role/", "community": ID + "community/",
    "alliance": ID + "alliance/", "programme": ID + "programme/", "round": ID + "round/",
    "project": ID + "project/", "adoption": ID + "adoption/", "source": ID + "source/",
    "mode": ID + "concept/adoption-mode/", "status": ID + "concept/adoption-status/",
    "roletype": ID + "concept/role/", "field": ID + "concept/thematic-field/",
    "spdx": "http://spdx.org/licenses/",
}
TYPE = "a"


@dataclass(frozen=True)
class Plan:
    """How many nodes of each kind a graph of ``triples`` triples gets (adoptions fill the rest)."""

    triples: int
    municipalities: int
    districts: int
    solutions: int
    modules: int
    organisations: int
    roles: int
    communities: int
    alliances: int
    projects: int
    sources: int

    @classmethod
    def for_triples(cls, triples: int) -> Plan:
        if triples < 2000:
            raise ValueError("--triples must be at least 2000")
        per_million = triples / 1_000_000
        municipalities = max(50, round(14_600 * per_million))
        districts = min(16 * DISTRICTS_PER_STATE, max(16, municipalities // 60))
        if municipalities > districts * MUNICIPALITIES_PER_DISTRICT:
            raise ValueError(f"{triples} triples need more synthetic municipality keys than the reserved range holds")
        return cls(
            triples=triples,
            municipalities=municipalities,
            districts=districts,
            solutions=max(10, round(1_500 * per_million)),
            modules=max(10, round(7_300 * per_million)),
            organisations=max(5, round(1_000 * per_million)),
            roles=max(10, round(3_000 * per_million)),
            communities=max(3, round(300 * per_million)),
            alliances=max(2, round(100 * per_million)),
            projects=max(3, min(400, round(73 * per_million))),
            sources=max(10, round(5_000 * per_million)),
        )


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(text: str, datatype: str) -> str:
    return f'"{text}"^^xsd:{datatype}'


@dataclass
class Writer:
    """Streams subjects as Turtle blocks (or N-Triples lines) and counts triples."""

    out: io.TextIOBase
    ntriples: bool = False
    count: int = 0
    _buffer: list[str] = field(default_factory=list)

    def header(self, seed: int, triples: int) -> None:
        self._buffer.append(f"# Synthetic mpsc-graph benchmark data: benchmarks/generate.py --triples {triples} "
                            f"--seed {seed}. Not real facts.\n")
        if not self.ntriples:
            self._buffer.extend(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())

    def subject(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        self.count += len(pairs)
        if self.ntriples:
            s = _expand(subject)
            self._buffer.extend(f"{s} {_expand(p)} {_expand(o)} .\n" for p, o in pairs)
        else:
            body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
            self._buffer.append(f"{subject} {body} .\n")
        if len(self._buffer) > 4096:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self._buffer))
        self._buffer.clear()


def _expand(term: str) -> str:
    """A Turtle term of this module (prefixed name, literal, ``a``) as an N-Triples term."""
    if term == TYPE:
        return "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    if term.startswith('"'):
        head, sep, tail = term.rpartition('"^^xsd:')
        return f'{head}"^^<{XSD}{tail}>' if sep else term
    if term.startswith("<"):
        return term
    prefix, _, local = term.partition(":")
    return f"<{PREFIXES[prefix]}{local}>"


class ZipfPicker:
    """Picks indexes 0..n-1 with probability ∝ 1/(rank+1)^s: a few very popular, a long tail."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self._cum = list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(n)))
        self._rng = rng

    def __call__(self) -> int:
        return bisect.bisect_left(self._cum, self._rng.random() * self._cum[-1])


def _date(rng: random.Random, year: int) -> tuple[str, int]:
    """A start date in ``year`` with the precision a source might give: day 60 %, month 25 %, year 15 %."""
    roll = rng.random()
    month = rng.randint(1, 12)
    if roll < 0.60:
        return typed(f"{year}-{month:02d}-{rng.randint(1, 28):02d}", "date"), year
    if roll < 0.85:
        return typed(f"{year}-{month:02d}", "gYearMonth"), year
    return typed(f"{year}", "gYear"), year


def generate(triples: int, seed: int, out: io.TextIOBase, *, ntriples: bool = False,
             progress: Callable[[int], None] | None = None) -> int:
    """Write the synthetic graph to ``out``; return the number of triples written."""
    plan = Plan.for_triples(triples)
    rng = random.Random(seed)
    w = Writer(out, ntriples)
    w.header(seed, triples)
    src = "source:synthetic"
    syn = lit("synthetic")

    w.subject(src, [(TYPE, "mpsc:Source"), ("schema:url", "<https://example.org/synthetic/>"),
                    ("dct:title", lit(f"Synthetische Benchmarkdaten (Seed {seed})", "de")),
                    ("dct:title", lit(f"Synthetic benchmark data (seed {seed})", "en")),
                    ("mpsc:accessedOn", typed("2026-01-01", "date")), ("rdfs:comment", syn)])
    for i in range(plan.sources):
        w.subject(f"source:syn-{i:06d}", [
            (TYPE, "mpsc:Source"), ("schema:url", f"<https://example.org/synthetic/source/{i}>"),
            ("dct:title", lit(f"Synthetische Quelle {i}", "de")),
            ("mpsc:accessedOn", typed(f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date")),
            ("rdfs:comment", syn)])

    def cite() -> str:
        return f"source:syn-{rng.randrange(plan.sources):06d}"

    for key, de, en in STATES:
        w.subject(f"state:{key}", [(TYPE, "mpsc:State"), ("rdfs:label", lit(de, "de")), ("rdfs:label", lit(en, "en")),
                                   ("mpsc:stateKey", lit(key)), ("dct:source", src)])

    districts: list[str] = []
    for d in range(plan.districts):
        state_key = STATES[d % 16][0]
        key = f"{state_key}9{80 + d // 16:02d}"
        districts.append(key)
        w.subject(f"district:{key}", [
            (TYPE, "mpsc:District"), ("rdfs:label", lit(f"Synthetischer Kreis {key}", "de")),
            ("rdfs:label", lit(f"Synthetic district {key}", "en")), ("mpsc:districtKey", lit(key)),
            ("mpsc:state", f"state:{state_key}"), ("dct:source", src), ("rdfs:comment", syn)])

    municipalities: list[str] = []
    for m in range(plan.municipalities):
        district = districts[m % plan.districts]
        ags = f"{district}{m // plan.districts:03d}"
        municipalities.append(f"municipality:{ags}")
        w.subject(f"municipality:{ags}", [
            (TYPE, "mpsc:Municipality"), ("rdfs:label", lit(f"Synthetische Gemeinde {ags}", "de")),
            ("rdfs:label", lit(f"Synthetic municipality {ags}", "en")), ("mpsc:ags", lit(ags)),
            ("mpsc:state", f"state:{ags[:2]}"), ("mpsc:district", f"district:{district}"),
            ("dct:source", cite()), ("rdfs:comment", syn)])

    # Popular adopters and origins: large towns adopt more (mild skew), so paths form hubs.
    pick_municipality = ZipfPicker(plan.municipalities, 0.6, rng)

    w.subject("programme:syn", [
        (TYPE, "mpsc:FundingProgramme"), ("rdfs:label", lit("Synthetisches Förderprogramm", "de")),
        ("rdfs:label", lit("Synthetic funding programme", "en")), ("dct:source", src), ("rdfs:comment", syn)])
    for year in ROUND_YEARS:
        w.subject(f"round:syn-{year}", [
            (TYPE, "mpsc:FundingRound"), ("rdfs:label", lit(f"Synthetische Staffel {year}", "de")),
            ("mpsc:year", typed(str(year), "gYear")), ("mpsc:ofProgramme", "programme:syn"), ("dct:source", src)])

    # Solutions: originator a municipality; the first ones are funded model-project results.
    solution_origin: list[str] = []
    solution_year: list[int] = []  # adoptions of a funded solution start no earlier than its round
    projects: list[tuple[str, str, int]] = []
    for p in range(plan.projects):
        year = ROUND_YEARS[p % len(ROUND_YEARS)]
        member = municipalities[pick_municipality()]
        projects.append((f"project:syn-{p:04d}", member, year))
        w.subject(f"project:syn-{p:04d}", [
            (TYPE, "mpsc:ModelProject"), ("rdfs:label", lit(f"Synthetisches Modellprojekt {p}", "de")),
            ("mpsc:round", f"round:syn-{year}"), ("mpsc:hasMember", member), ("dct:source", cite())])
    for s in range(plan.solutions):
        pairs = [(TYPE, "mpsc:Solution"), ("rdfs:label", lit(f"Synthetische Lösung {s}", "de")),
                 ("rdfs:label", lit(f"Synthetic solution {s}", "en")),
                 ("mpsc:thematicField", f"field:{FIELDS[s % len(FIELDS)]}")]
        if s < plan.projects:
            project, origin, year = projects[s]
            pairs.append(("mpsc:fundedBy", project))
        else:
            origin, year = municipalities[pick_municipality()], FIRST_YEAR
        pairs.append(("mpsc:originator", origin))
        if rng.random() < 0.8:
            pairs.append(("dct:license", f"spdx:{rng.choice(LICENCES)}"))
        if s > 10 and rng.random() < 0.05:
            pairs.append(("mpsc:basedOn", f"solution:syn-{rng.randrange(s):06d}"))
        pairs += [("dct:source", cite()), ("rdfs:comment", syn)]
        solution_origin.append(origin)
        solution_year.append(year)
        w.subject(f"solution:syn-{s:06d}", pairs)

    module_solution: list[int] = []
    for m in range(plan.modules):
        s = m % plan.solutions if m < plan.solutions else rng.randrange(plan.solutions)
        module_solution.append(s)
        w.subject(f"module:syn-{m:06d}", [
            (TYPE, "mpsc:Module"), ("rdfs:label", lit(f"Synthetisches Modul {m}", "de")),
            ("mpsc:moduleOf", f"solution:syn-{s:06d}"), ("dct:source", cite()), ("rdfs:comment", syn)])
        w.subject(f"solution:syn-{s:06d}", [("mpsc:hasModule", f"module:syn-{m:06d}")])

    for o in range(plan.organisations):
        w.subject(f"organisation:syn-{o:05d}", [
            (TYPE, "mpsc:Organisation"), ("rdfs:label", lit(f"Synthetischer Betreiber {o} GmbH", "de")),
            ("schema:url", f"<https://example.org/synthetic/organisation/{o}>"),
            ("mpsc:basedIn", municipalities[pick_municipality()]), ("dct:source", cite()), ("rdfs:comment", syn)])
    for r in range(plan.roles):
        start, _ = _date(rng, rng.randint(FIRST_YEAR, LAST_YEAR))
        w.subject(f"role:syn-{r:06d}", [
            (TYPE, "mpsc:Role"), ("rdfs:label", lit(f"Synthetische Rolle {r}", "de")),
            ("mpsc:agent", f"organisation:syn-{rng.randrange(plan.organisations):05d}"),
            ("mpsc:roleType", f"roletype:{ROLE_TYPES[r % len(ROLE_TYPES)]}"),
            ("mpsc:roleIn", f"solution:syn-{rng.randrange(plan.solutions):06d}"),
            ("mpsc:forClient", municipalities[pick_municipality()]), ("mpsc:startDate", start),
            ("dct:source", cite())])
    for c in range(plan.communities):
        members = sorted({municipalities[pick_municipality()] for _ in range(rng.randint(2, 8))})
        w.subject(f"community:syn-{c:05d}", [
            (TYPE, "mpsc:DevelopmentCommunity"), ("rdfs:label", lit(f"Synthetische Gemeinschaft {c}", "de")),
            ("mpsc:develops", f"solution:syn-{c % plan.solutions:06d}"),
            *(("mpsc:hasMember", m) for m in members),
            ("mpsc:startDate", typed(str(rng.randint(FIRST_YEAR, LAST_YEAR)), "gYear")), ("dct:source", cite())])
    for a in range(plan.alliances):
        members = sorted({municipalities[pick_municipality()] for _ in range(rng.randint(2, 6))})
        w.subject(f"alliance:syn-{a:05d}", [
            (TYPE, "mpsc:Alliance"), ("rdfs:label", lit(f"Synthetische Kooperation {a}", "de")),
            *(("mpsc:hasMember", m) for m in members), ("dct:source", cite()), ("rdfs:comment", syn)])

    _adoptions(w, plan, rng, municipalities, solution_origin, solution_year, module_solution, cite, progress)
    w.flush()
    return w.count


def _adoptions(w: Writer, plan: Plan, rng: random.Random, municipalities: list[str], solution_origin: list[str],
               solution_year: list[int], module_solution: list[int], cite: Callable[[], str],
               progress: Callable[[int], None] | None) -> None:
    """Adoptions until the triple budget is spent: skewed assets, chains, mixed-precision dates."""
    pick_solution = ZipfPicker(plan.solutions, 1.1, rng)
    pick_municipality = ZipfPicker(plan.municipalities, 0.6, rng)
    # per solution: earlier adopters (adopter, year), the candidates for onward adoption (chains)
    adopters: dict[int, list[tuple[str, int]]] = {}
    a = 0
    while w.count < plan.triples:
        s = pick_solution()
        if rng.random() < 0.2 and plan.modules > plan.solutions:
            m = rng.randrange(plan.modules)
            s = module_solution[m]
            asset = f"module:syn-{m:06d}"
        else:
            asset = f"solution:syn-{s:06d}"
        earlier = adopters.setdefault(s, [])
        low = max(FIRST_YEAR, solution_year[s])
        if earlier and rng.random() < 0.3:
            origin, origin_year = earlier[rng.randrange(len(earlier))]
            low = max(low, origin_year + 1)
        else:
            origin = solution_origin[s]
        index = pick_municipality()
        adopter = municipalities[index]
        if adopter == origin:
            adopter = municipalities[(index + 1) % len(municipalities)]
        year = rng.randint(low, max(low, LAST_YEAR))
        roll = rng.random()
        status = STATUSES[0 if roll < 0.1 else 1 if roll < 0.25 else 2 if roll < 0.8 else 3 if roll < 0.92 else 4]
        pairs = [(TYPE, "mpsc:Adoption"), ("rdfs:label", lit(f"Synthetische Nachnutzung {a}", "de")),
                 ("mpsc:adopter", adopter), ("mpsc:adoptedAsset", asset), ("mpsc:adoptionStatus", f"status:{status}")]
        if rng.random() < 0.97:
            pairs.append(("mpsc:origin", origin))
        else:  # an honest gap is stated, never left silent
            pairs.append(("mpsc:originUnknownReason", lit("Die Quelle nennt keine abgebende Stelle.", "de")))
        if rng.random() < 0.95:
            pairs.append(("mpsc:adoptionMode", f"mode:{MODES[rng.randrange(len(MODES))]}"))
        if rng.random() < 0.9:
            start, _ = _date(rng, year)
            pairs.append(("mpsc:startDate", start))
            earlier.append((adopter, year))
            if status == "ended":
                pairs.append(("mpsc:endDate", typed(str(year + rng.randint(1, 4)), "gYear")))
        pairs.append(("dct:source", cite()))
        w.subject(f"adoption:syn-{a:08d}", pairs)
        a += 1
        if progress is not None and a % 100_000 == 0:
            progress(w.count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="Number of triples to write (about).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed; same seed, same bytes.")
    parser.add_argument("-o", "--output", required=True, help="Output file (.ttl or .nt); '-' for stdout.")
    parser.add_argument("--format", choices=["ttl", "nt"], default=None,
                        help="Turtle or N-Triples (default: from the file suffix, else Turtle).")
    parser.add_argument("--quiet", action="store_true", help="No progress on stderr.")
    parser.add_argument("--directory", action="store_true",
                        help="The real municipality directory (data/directory.csv) with a synthetic reuse world "
                             "around it (benchmarks/generate_directory.py), for readiness and recommendations.")
    args = parser.parse_args(argv)
    ntriples = args.format == "nt" or (args.format is None and args.output.endswith(".nt"))
    started = time.perf_counter()

    def progress(count: int) -> None:
        if not args.quiet:
            print(f"\r  {count:,}/{args.triples:,} triples ({time.perf_counter() - started:.0f} s)",
                  end="", file=sys.stderr, flush=True)

    try:
        Plan.for_triples(args.triples)
    except ValueError as exc:
        parser.error(str(exc))
    make: Callable[..., int] = generate
    if args.directory:
        from benchmarks.generate_directory import generate_directory_world

        directory_csv = Path(__file__).resolve().parents[1] / "data" / "directory.csv"

        def make(triples: int, seed: int, out: io.TextIOBase, *, ntriples: bool = False,
                 progress: Callable[[int], None] | None = None) -> int:
            return generate_directory_world(triples, seed, out, directory_csv, ntriples=ntriples, progress=progress)
    if args.output == "-":
        count = make(args.triples, args.seed, sys.stdout, ntriples=ntriples, progress=progress)
    else:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with temporary.open("w", encoding="utf-8", newline="\n") as out:
                count = make(args.triples, args.seed, out, ntriples=ntriples, progress=progress)
            temporary.replace(target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    if not args.quiet:
        print(f"\rwrote {count:,} triples to {args.output} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    return 0


def iter_plan(triples: int) -> Iterator[tuple[str, int]]:
    """The node counts of a plan (for reports)."""
    plan = Plan.for_triples(triples)
    yield from ((name, getattr(plan, name)) for name in plan.__dataclass_fields__)


def synthetic_project(root: Path, data_file: Path, repo: Path) -> Path:
    """A project root at ``root``: the repository's ontology/, shapes/ and queries/, and ``data_file`` as data/.

    The data file is linked, not copied (it may be gigabytes); its stem names its graph.
    """
    import shutil

    root.mkdir(parents=True, exist_ok=True)
    for part in ("ontology", "shapes", "queries"):
        shutil.rmtree(root / part, ignore_errors=True)
        shutil.copytree(repo / part, root / part)
    data = root / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    link = data / (data_file.stem + ".ttl")
    link.symlink_to(data_file.resolve())
    return root


if __name__ == "__main__":
    sys.exit(main())
