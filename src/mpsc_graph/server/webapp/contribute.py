"""``/contribute``: a form that turns a case into the YAML template and the Turtle block ``add`` would make.

Why a form on a read-only server: a data steward should not need the command line to see whether a
case resolves and validates. The server writes nothing; it offers the two files for download, and
the steward submits them (or runs ``mpsc-graph add`` on the YAML). So that the form and ``add`` never
disagree, the form's fields become the template's YAML, that YAML is read back through the one
bounded YAML loader, and the case is built by :func:`mpsc_graph.contribute.build` with names resolved
by the one name resolver (over the ``entity_index`` query, run by a worker and kept per store). The
result is checked in a query worker, under the server's timeout and memory limit: the case's own
triples against the shapes of ``--root``, with the nodes it references looked up in the store
(:func:`mpsc_graph.contribcheck.check_case`). The body is read with the server's body limit and parsed
as ``/sparql`` parses a form. Without a project root the page says the form is off. No script: the
download buttons submit the same form again.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import Response

from ...api import resolver_of
from ...contribute import (
    MODES,
    ROUTES,
    STATUSES,
    Contribution,
    ContributionRefused,
    Origin,
    build,
    file_text,
)
from ...errors import MpscError
from ...project import Project
from ...resolve import Entity, Resolver
from ...results import Table
from ...safeyaml import load_yaml
from ..config import ServerConfig, config_of
from ..errors import BadRequestError
from ..messages import CaseCheck, Job
from ..protocol import form_fields, read_body
from ..responses import pool, run
from ..site import page, run_named, view
from ..workers import CHECK_COLUMNS
from .poolgraph import PoolGraph
from .words import MODE_WORDS, ROUTE_WORDS, STATUS_WORDS, contribute_words, words

#: the kinds of case by the template's ``art`` word, in the order the page offers them
KINDS = {"nachnutzung": "adoption", "angebot": "offer", "loesung": "solution"}
#: evidence rows the form offers (a case needs at least one)
EVIDENCE_ROWS = 3
#: the most entities the resolver is built from (the official directory has some 16,000 bodies)
RESOLVER_ROWS = 300_000
#: which field a finding's path concerns
PATH_FIELDS = {
    "mpsc:adopter": "nachnutzer",
    "mpsc:adoptedAsset": "loesung",
    "mpsc:origin": "herkunft",
    "mpsc:originUnknownReason": "herkunft_unbekannt_weil",
    "mpsc:adoptionMode": "nachnutzungsart",
    "mpsc:adoptionStatus": "status",
    "mpsc:startDate": "beginn",
    "mpsc:endDate": "ende",
    "rdfs:label": "bezeichnung",
    "prov:wasAttributedTo": "angegeben_von",
    "mpsc:reconfirmBy": "erneut_bestaetigen_bis",
    "mpsc:offeredBy": "anbieter",
    "mpsc:offeredAsset": "loesung",
    "mpsc:route": "weg",
    "mpsc:conditions": "bedingungen",
    "mpsc:originator": "urheber",
    "dct:license": "lizenz",
}

#: which field of an evidence row a finding about its source concerns
SOURCE_FIELDS = {
    "schema:url": "url",
    "dct:title": "titel",
    "rdfs:label": "titel",
    "dct:publisher": "herausgeber",
    "mpsc:accessedOn": "datum",
}


@dataclass(frozen=True)
class Field:
    """One input of the form: the template's key, the kind of input, whether it is required, its choices."""

    key: str
    input: str = "text"  # text, textarea, select, date
    required: bool = False
    options: tuple[tuple[str, tuple[str, str]], ...] = ()
    hint: str = ""  # the words key of the hint (default: ``{key}_hint`` when there is one)


def _choices(values: tuple[str, ...], names: dict[str, tuple[str, str]]) -> tuple[tuple[str, tuple[str, str]], ...]:
    return tuple((v, names.get(v, (v, v))) for v in values)


FIELDS: dict[str, tuple[Field, ...]] = {
    "adoption": (
        Field("nachnutzer", required=True),
        Field("loesung", required=True),
        Field("herkunft"),
        Field("herkunft_unbekannt_weil", "textarea"),
        Field("nachnutzungsart", "select", options=_choices(MODES, MODE_WORDS)),
        Field("status", "select", options=_choices(STATUSES, STATUS_WORDS)),
        Field("beginn", hint="date_hint"),
        Field("ende", hint="date_hint"),
        Field("bezeichnung"),
    ),
    "offer": (
        Field("anbieter", required=True),
        Field("loesung", required=True),
        Field("weg", "select", required=True, options=_choices(ROUTES, ROUTE_WORDS)),
        Field("bedingungen", "textarea"),
        Field("bezeichnung", hint="offer_name_hint"),
    ),
    "solution": (
        Field("bezeichnung", required=True, hint="solution_name_hint"),
        Field("urheber", required=True),
        Field("lizenz"),
    ),
}
ASSERTION = (Field("angegeben_von", required=True), Field("erneut_bestaetigen_bis", "date", required=True))
#: the fields of each evidence row (required in the first row)
EVIDENCE = (
    Field("url", "url", required=True),
    Field("titel", required=True),
    Field("herausgeber"),
    Field("datum", "date", required=True),
)
EVIDENCE_FIELDS = tuple(f.key for f in EVIDENCE)


class FormGraph(PoolGraph):
    """Names resolved by the server's resolver, named queries run by its workers (call from a thread)."""

    def __init__(self, request: Request, loop: asyncio.AbstractEventLoop, resolver: Resolver) -> None:
        super().__init__(request, loop)
        self.resolver = resolver

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity:
        return self.resolver.resolve(name, kinds)


def project_of(config: ServerConfig) -> Project | None:
    """The project the server was started with (``--root``), if it has shapes to check a case against."""
    if config.queries_dir is None:
        return None
    project = Project.at(config.queries_dir.parent)
    return project if project.shape_files() else None


async def resolver(request: Request) -> Resolver:
    """The name resolver over the served store, built once per store (a rebuilt store gets a new one)."""
    state = request.app.state
    generation = pool(request).generation
    cached = getattr(state, "contribute_resolver", None)
    if cached is None or cached[0] != generation:
        reply = await run_named(request, "entity_index", RESOLVER_ROWS)
        table = Table(tuple(reply.variables), tuple(tuple(row) for row in reply.rows))
        cached = (generation, resolver_of(table))
        state.contribute_resolver = cached
    found: Resolver = cached[1]
    return found


def case_of(fields: dict[str, str], kind: str) -> dict[str, Any]:
    """The case as the template has it (its keys in its order; empty fields empty, blank evidence rows left out)."""
    art = next(word for word, k in KINDS.items() if k == kind)
    case: dict[str, Any] = {"art": art}
    for f in FIELDS[kind]:
        case[f.key] = fields.get(f.key, "").strip() or None
    evidence = []
    for n in range(1, EVIDENCE_ROWS + 1):
        row = {k: fields.get(f"beleg{n}_{k}", "").strip() or None for k in EVIDENCE_FIELDS}
        if any(row.values()):
            evidence.append(row)
    case["belege"] = evidence
    for f in ASSERTION:
        case[f.key] = fields.get(f.key, "").strip() or None
    return case


def case_yaml(case: dict[str, Any]) -> str:
    """The case as a filled template for ``mpsc-graph add``."""
    body = yaml.safe_dump(case, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"# mpsc-graph add {case['art']}.yaml\n{body}"


def _evidence_rows(fields: dict[str, str]) -> list[int]:
    """The form's evidence row numbers that were filled in, in order (the case's ``belege`` #1, #2, ...)."""
    return [
        n for n in range(1, EVIDENCE_ROWS + 1) if any(fields.get(f"beleg{n}_{k}", "").strip() for k in EVIDENCE_FIELDS)
    ]


def refusal_field(message: str, keys: set[str], rows: list[int]) -> str:
    """The field a refusal of :func:`mpsc_graph.contribute.build` concerns ('' when it concerns the whole case)."""
    evidence = re.search(r"'?belege'? #(\d+):?(.*)", message)
    if evidence and int(evidence.group(1)) <= len(rows):
        named = next((k for k in re.findall(r"\w+", evidence.group(2)) if k in EVIDENCE_FIELDS), "url")
        return f"beleg{rows[int(evidence.group(1)) - 1]}_{named}"
    return next((k for k in re.findall(r"'(\w+)'", message) if k in keys), "")


async def contribute(request: Request) -> Response:
    """``/contribute``: the empty form (GET), or the checked case with its downloads (POST)."""
    config = config_of(request)
    v = await view(request)
    w = {**words(v.lang), **contribute_words(v.lang)}
    project = project_of(config)
    fields: dict[str, str] = {}
    if request.method == "POST":
        body = await read_body(request.stream(), request.headers.get("content-length"), config.max_body)
        pairs = form_fields(request.headers.get("content-type", ""), body)
        for key, value in pairs:
            if key in fields:
                raise BadRequestError(f"the form field '{key}' is given more than once")
            fields[key] = value
    art = fields.get("art") or request.query_params.get("art") or "nachnutzung"
    if art not in KINDS:
        raise BadRequestError(f"'art' must be one of {', '.join(KINDS)}, got '{art}'")
    kind = KINDS[art]
    context: dict[str, Any] = {
        "v": v,
        "w": w,
        "art": art,
        "kind": kind,
        "kinds": KINDS,
        "fields": FIELDS[kind],
        "assertion": ASSERTION,
        "evidence_rows": range(1, EVIDENCE_ROWS + 1),
        "evidence_fields": EVIDENCE,
        "values": fields,
        "errors": {},
        "general": [],
        "warnings": [],
        "checked": False,
        "off": project is None,
    }
    if project is None:
        return page(request, "webapp/contribute.html", 403 if request.method == "POST" else 200, **context)
    if request.method != "POST":
        return page(request, "webapp/contribute.html", **context)
    outcome = await _check(request, project, fields, kind, v.lang)
    context.update(outcome)
    action = fields.get("aktion", "pruefen")
    if action in ("yaml", "turtle") and outcome["valid"]:
        name, text, media = (
            (f"{art}.yaml", outcome["yaml"], "application/yaml")
            if action == "yaml"
            else (outcome["turtle_name"], outcome["turtle"], "text/turtle")
        )
        return Response(
            text.encode("utf-8"),
            media_type=f"{media}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    status = 200 if outcome["valid"] else 422
    return page(request, "webapp/contribute.html", status, **context)


async def _check(request: Request, project: Project, fields: dict[str, str], kind: str, lang: str) -> dict[str, Any]:
    """Build the case from the form's fields and check it; what the page shows of it."""
    case = case_of(fields, kind)
    text = case_yaml(case)
    keys = {f.key for f in (*FIELDS[kind], *ASSERTION)}
    rows = _evidence_rows(fields)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    outcome: dict[str, Any] = {
        "checked": True,
        "valid": False,
        "yaml": text,
        "turtle": "",
        "turtle_name": "",
        "errors": errors,
        "general": general,
        "warnings": [],
    }
    origin = Origin("form")
    try:
        loaded, _node = load_yaml(text, "form")  # the one YAML loader, as ``add`` reads the downloaded file
        graph = FormGraph(request, asyncio.get_running_loop(), await resolver(request))
        contribution: Contribution = await asyncio.to_thread(build, loaded, graph, project, origin)
    except ContributionRefused as exc:
        message = str(exc).removeprefix(f"{origin}: ")
        errors.setdefault(refusal_field(message, keys, rows), []).append(message)
        return _split(outcome)
    except MpscError as exc:
        general.append(str(exc))
        return outcome
    turtle = file_text(contribution.target, contribution.block)
    job = Job("check", turtle, check=CaseCheck(str(project.root), contribution.subjects, lang))
    reply, _rest = await run(request, job)
    sources = dict(zip(contribution.subjects[1:], rows, strict=False))
    violations = False
    for row in reply.rows:
        finding = dict(zip(CHECK_COLUMNS, row, strict=True))
        if finding["severity"] != "Violation":
            outcome["warnings"].append(finding["message"])
            continue
        violations = True
        if finding["focus"] in sources:
            where = f"beleg{sources[finding['focus']]}_{SOURCE_FIELDS.get(finding['path'], 'url')}"
        else:
            where = PATH_FIELDS.get(finding["path"], "")
        errors.setdefault(where, []).append(finding["message"])
    outcome.update(turtle=turtle, turtle_name=contribution.target.name, valid=not violations)
    return _split(outcome)


def _split(outcome: dict[str, Any]) -> dict[str, Any]:
    """Errors without a field of their own go to the list above the form."""
    errors: dict[str, list[str]] = outcome["errors"]
    outcome["general"].extend(errors.pop("", []))
    return outcome
