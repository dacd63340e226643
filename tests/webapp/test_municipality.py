"""The municipality profile: every municipality of the graph has one; it lists what the municipality
developed, adopted, passed on and operates, its memberships, the adopters nearest to it and a hook for
a small map; its recommendations are a page of their own."""

from __future__ import annotations

import csv
import html
import re

import httpx

from support import REPO

HALLE, PADERBORN, FLENSBURG = "15002000", "05774032", "01001000"


def get(base: str, path: str) -> str:
    answer = httpx.get(base + path, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.text


def section(page: str, name: str) -> str:
    found = re.search(rf'<section id="{name}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def row_texts(part: str) -> list[str]:
    """Each table row's text, tags removed and spaces collapsed."""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr>(.*?)</tr>", part, re.S)
    ]


def test_halle_developed_hal_plan_and_paderborn_took_its_core_module(webapp_server: str) -> None:
    """data/hal-plan.ttl: Halle (Saale) made HAL-Plan; Paderborn develops its Core module jointly with Halle."""
    page = get(webapp_server, f"/municipality/{HALLE}")
    assert '<a href="/solution/hal-plan">HAL-Plan</a>' in section(page, "rel-developed")
    passed_on = row_texts(section(page, "rel-adopted-from"))
    assert "HAL-Plan Core-Modul Paderborn Gemeinsame Entwicklung Im Einsatz" in passed_on
    assert any(r.startswith("HAL-Plan Magdeburg Gemeinsamer Betrieb Im Einsatz") for r in passed_on)
    assert "Modellprojekt Smart Cities" in section(page, "memberships") and "2021" in section(page, "memberships")


def test_paderborn_lists_halle_as_the_origin_of_what_it_adopted(webapp_server: str) -> None:
    page = get(webapp_server, f"/municipality/{PADERBORN}")
    adopted = row_texts(section(page, "rel-adopted"))
    assert "HAL-Plan Core-Modul Halle (Saale) Gemeinsame Entwicklung Im Einsatz" in adopted
    assert 'href="/municipality/15002000"' in section(page, "rel-adopted")


def test_directory_only_municipality_renders_with_nearby_adopters(webapp_server: str) -> None:
    """Flensburg is in the official directory only; the nearest adopter to it is Kiel (data/directory.csv centre
    points: about 68 km apart), and the page carries its centre point for a map."""
    page = get(webapp_server, f"/municipality/{FLENSBURG}")
    assert "<h1>Flensburg</h1>" in page and "keine Quelle" in page
    assert not section(page, "rel-adopted") and not section(page, "memberships")
    nearby = row_texts(section(page, "nearby"))
    assert nearby[1].startswith("Kiel ") and 60 < float(nearby[1].split()[1].replace(",", ".")) < 75
    with open(REPO / "data" / "directory.csv", encoding="utf-8") as rows:
        centre = next(r["centre"] for r in csv.DictReader(rows) if r["key"] == FLENSBURG)
    lon, lat = centre.removeprefix("POINT(").rstrip(")").split()
    assert f'class="mini-map" id="mini-map" data-lat="{lat}" data-lon="{lon}"' in page
    assert f'href="/municipality/{FLENSBURG}/recommendations"' in page


def test_a_name_leads_to_the_key_and_an_unknown_key_is_not_found(webapp_server: str) -> None:
    answer = httpx.get(f"{webapp_server}/municipality/Paderborn", timeout=60)
    assert answer.status_code == 303 and answer.headers["location"].endswith(f"/municipality/{PADERBORN}")
    missing = httpx.get(f"{webapp_server}/municipality/99999999", timeout=60)
    assert missing.status_code == 404 and "99999999" in missing.text


def test_english_profile_is_english_only(webapp_server: str) -> None:
    page = get(webapp_server, f"/municipality/{PADERBORN}?lang=en")
    assert "Adopted" in page and "In production" in page and "Official municipality key" in page
    for german in ("Nachgenutzt", "Im Einsatz", "Einwohner", "Steckbrief", "Gemeinsame Entwicklung"):
        assert german not in page, german


def test_recommendations_page_names_reasons_and_sources(webapp_server: str) -> None:
    """Flensburg uses nothing yet; queries/readiness/recommend-weights.yaml weighs production use by towns of
    its size class, so the Smart Village App (in production in Mittelstädte such as Frankfurt (Oder)) is on
    its list with that reason and the sources behind it."""
    page = get(webapp_server, f"/municipality/{FLENSBURG}/recommendations")
    items = re.findall(r'<li><h2><a href="([^"]+)">', page)
    assert "/solution/smart-village-app" in items
    svs = page[page.index('href="/solution/smart-village-app"') :]
    svs = svs[: svs.index("</li>\n</ul>") if "</li>\n</ul>" in svs else len(svs)]
    assert "Mittelstadt" in svs and 'href="/doc/source/' in svs
