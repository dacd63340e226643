"""Keyboard use of every page type (WCAG 2.1.1, 2.4.3, 2.4.7): pressing Tab from the top of the page
reaches every link, button and form field (one radio button per group) in document order, and each
shows a visible focus indicator.

Headless Chromium against a real server on loopback with the real data; the pages are
:data:`browsing.PAGE_TYPES`, shared with the accessibility tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from browsing import BROWSER_NEEDED, PAGE_TYPES

pytestmark = BROWSER_NEEDED
pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")

#: number the controls a keyboard user must reach (rendered, enabled, not taken out of the tab order) in
#: document order, and record which of them receives focus, in order, with its focus indicator
PREPARE = """
const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, '
    + 'iframe, [tabindex], [contenteditable=""], [contenteditable=true]';
const controls = Array.from(document.querySelectorAll(selector)).filter(e =>
    !e.disabled && e.getAttribute('tabindex') !== '-1' && e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[inert]'))
  // of a group of radio buttons Tab visits one (the checked one, else the first); arrows move within
  .filter(e => !(e.type === 'radio' && e.name) || e === (
    document.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]:checked`)
    || document.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]`)));
controls.forEach((e, i) => e.setAttribute('data-control', String(i)));
// start at the top, wherever the page put the focus (a search field may have autofocus)
const top = document.createElement('span');
top.tabIndex = -1;
document.body.prepend(top);
top.focus();
window.__focused = [];
document.addEventListener('focusin', event => {
  const e = event.target, style = getComputedStyle(e);
  if (e === top) { return; }  // focus coming round again after the last control
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  window.__focused.push({index: e.getAttribute('data-control'), tag: e.tagName, ring: ring,
                         visible: e.matches(':focus-visible')});
}, true);
return controls.map(e => e.tagName + ' ' + (e.getAttribute('href') || e.id || e.name || '').slice(0, 60));
"""


def tab_through(driver: Any, times: int) -> list[dict[str, Any]]:
    """Press Tab ``times`` times from the top of the page; what received focus, in order."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    chain = ActionChains(driver)
    for _ in range(times):
        chain.send_keys(Keys.TAB)
    chain.perform()
    focused: list[dict[str, Any]] = driver.execute_script("return window.__focused")
    return focused


@pytest.mark.parametrize("path", list(PAGE_TYPES))
def test_tab_reaches_every_control_in_order_with_a_visible_focus(page: Any, webapp_server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(webapp_server + path)
    assert PAGE_TYPES[path] in page.find_element(By.TAG_NAME, "body").text
    controls = page.execute_script(PREPARE)
    assert controls, "a page without a single link"
    # twice as many presses as controls: a date field takes one per part; past the end focus starts over
    focused = tab_through(page, 2 * len(controls) + 10)
    reached = list(dict.fromkeys(entry["index"] for entry in focused))  # in order of first focus
    assert None not in reached, [entry["tag"] for entry in focused if entry["index"] is None]  # nothing unlisted
    missed = [controls[i] for i in range(len(controls)) if str(i) not in reached]
    assert not missed, f"{len(missed)} of {len(controls)} controls not reached by Tab: {missed[:10]}"
    assert reached == [str(i) for i in range(len(controls))], "Tab order differs from the document order"
    no_ring = [controls[int(entry["index"])] for entry in focused if not (entry["visible"] and entry["ring"])]
    assert not no_ring, f"focused without a visible focus indicator: {no_ring[:10]}"


def test_a_control_hidden_from_the_keyboard_is_caught(page: Any, webapp_server: str) -> None:
    """The check can fail: a link taken out of the tab order after it was listed is reported as not reached."""
    page.get(webapp_server + "/")
    controls = page.execute_script(PREPARE)
    hidden = page.execute_script(
        "const a = document.querySelector('main a[href]'); a.tabIndex = -1; return a.getAttribute('data-control')"
    )
    reached = {entry["index"] for entry in tab_through(page, len(controls))}
    assert hidden not in reached and len(reached) == len(controls) - 1
