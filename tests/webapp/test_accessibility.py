"""Every page type passes axe-core (WCAG 2.1 A and AA rules, as BITV 2.0 asks) with no violation of impact
serious or critical, in headless Chromium against a real server on loopback with the real data.

axe-core is vendored unmodified for the tests (``tests/vendor/axe-core-*``, see VENDORED.md) and injected
into each page by the driver; the server never serves it. The pages are :data:`browsing.PAGE_TYPES`
(one entry per page type, shared with the keyboard tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browsing import BROWSER_NEEDED, PAGE_TYPES

pytestmark = BROWSER_NEEDED
pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")

AXE = sorted((Path(__file__).resolve().parents[1] / "vendor").glob("axe-core-*/axe.min.js"))[-1]

#: WCAG 2.0 and 2.1, levels A and AA: what BITV 2.0 refers to
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                   resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """The axe-core violations of the page the browser shows."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(RUN_AXE)
    assert not isinstance(found, dict), found
    violations: list[dict[str, Any]] = found
    return violations


@pytest.mark.parametrize("path", list(PAGE_TYPES))
def test_no_serious_or_critical_accessibility_violation(page: Any, webapp_server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(webapp_server + path)
    assert PAGE_TYPES[path] in page.find_element(By.TAG_NAME, "body").text
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in serious
    )


def test_axe_finds_what_it_should(page: Any, webapp_server: str) -> None:
    """The check can fail: a page made inaccessible in the browser (an unlabelled field, no contrast) is caught."""
    page.get(webapp_server + "/")
    page.execute_script("""
        const input = document.createElement('input'); input.type = 'text';
        document.querySelector('main').append(input);
        const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#eee';
        document.querySelector('main').append(p);""")
    found = {v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")}
    assert {"label", "color-contrast"} <= found
