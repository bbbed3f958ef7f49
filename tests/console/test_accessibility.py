"""Every console page against the national web accessibility standard
(GB/T 37668-2019, whose success criteria are WCAG 2.0's): axe-core finds no
serious or critical violation, at a desktop's width and a phone's, and every
control is reached by the keyboard alone."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import Console, District
from tests.console.test_journeys import admin_pages, pages

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).parent / "vendor"
AXE = VENDOR / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}
# Every control a user operates, as the page shows it now.
CONTROLS = """() => {
  const found = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter((el) => !el.disabled && el.type !== 'hidden' && el.tabIndex >= 0
      && el.checkVisibility({visibilityProperty: true, opacityProperty: false}));
  found.forEach((el, i) => { el.dataset.reach = String(i); });
  return found.length;
}"""
FOCUSED = "() => document.activeElement ? document.activeElement.dataset.reach : null"
NAMED = """() => [...document.querySelectorAll('[data-reach]')].map((el) =>
  el.dataset.reach + ' ' + el.tagName + ' ' + (el.innerText || el.name || ''))"""


DESKTOP = 1280


def organiser_pages(d: District) -> dict[str, str]:
    with d.client() as api:
        found = api.get("/v1/reports", params={"limit": 1}).json()["items"]
        report = found[0] if found else None
        if report is None:
            body = {"scope": "community", "scope_id": d.community, "year": 2026}
            report = api.post("/v1/reports", json=body).json()
    return pages(d) | {
        "rules": "/console/rules",
        "picker": "/console/members",
        "report": f"/console/reports/{report['id']}",
    }


MEMBER_PAGES = {
    "me": "/console/me",
    "me-statement": "/console/me/statement",
    "me-activities": "/console/me/activities",
    "me-rewards": "/console/me/rewards",
    "me-certificates": "/console/me/certificates",
    # Opened without a code (opened with one, it checks the member in).
    "checkin": "/console/checkin",
}


def test_axe_core_is_the_file_fetched_from_npm() -> None:
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (VENDOR / "SHA256SUMS").read_text().splitlines()
    )
    digest = hashlib.sha256(AXE.read_bytes()).hexdigest()
    assert sums["axe-core/axe.min.js"] == digest


def violations(page: Any) -> list[str]:
    """The serious and critical violations axe-core finds on the page."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:3])
        for v in found["violations"]
        if v["impact"] in SERIOUS
    ]


REACHED = """() => { window.reached = new Set();
  document.addEventListener('focusin', (e) => {
    const reach = e.target.dataset && e.target.dataset.reach;
    if (reach) window.reached.add(reach);
  }); }"""


def unreachable(page: Any) -> list[str]:
    """The controls that Tab, pressed from the top, never reaches."""
    count = page.evaluate(CONTROLS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(REACHED)
    # A date and time box takes a Tab for each of its parts; the presses go
    # in rounds, the focus followed in the page.
    pressed = 0
    while pressed < 4 * count + 10:
        for _ in range(count + 1):
            page.keyboard.press("Tab")
        pressed += count + 1
        if page.evaluate("() => window.reached.size") == count:
            break
    reached = set(page.evaluate("() => [...window.reached]"))
    return [
        name for name in page.evaluate(NAMED) if name.split(" ", 1)[0] not in reached
    ]


OPEN_ALL = """() => {
  const closed = [...document.querySelectorAll('main details:not([open])')];
  closed.forEach((d) => { d.open = true; });
  return closed.length; }"""


def opened_all(page: Any) -> None:
    """Opens every folded part of the page (a chooser, its tree's levels),
    each level read as a user opening it would read it."""
    for _ in range(4):
        if not page.evaluate(OPEN_ALL):
            return
        page.wait_for_function("() => !document.body.innerText.includes('正在读取…')")


def opened(browser: Any, served: District, width: int, role: str) -> Iterator[Console]:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN",
        bypass_csp=True,  # to inject axe-core; the pages run as served
    )
    console = Console(context.new_page(), served)
    console.page.set_default_timeout(15_000)
    console.sign_in(role, "/console/me" if role == "member" else "/console/")
    yield console
    context.close()
    assert not console.errors, console.errors


@pytest.mark.parametrize("width", [DESKTOP, 375])
@pytest.mark.parametrize("role", ["organizer", "admin", "member"])
def test_no_page_has_a_serious_violation_and_the_keyboard_reaches_every_control(
    browser: Any, served: District, width: int, role: str
) -> None:
    """axe-core at a desktop's width and a phone's; the walk with Tab at the
    desktop's, where a keyboard is used (the phone's layout hides no control
    and keeps the document's order)."""
    listed = MEMBER_PAGES if role == "member" else organiser_pages(served)
    if role == "admin":
        listed = listed | admin_pages(served)
    problems: dict[str, list[str]] = {}
    for console in opened(browser, served, width, role):
        for name, path in listed.items():
            page = console.open(path)
            page.locator("main h1").first.wait_for()
            opened_all(page)
            found = violations(page)
            if width == DESKTOP:
                found += [f"not reached by Tab: {c}" for c in unreachable(page)]
            if found:
                problems[name] = found
    assert problems == {}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_sign_in_page_has_no_serious_violation_and_is_keyboard_reachable(
    browser: Any, served: District, width: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    console = Console(context.new_page(), served)
    page = console.open("/console/signin")
    page.locator("main h1").first.wait_for()
    assert violations(page) + unreachable(page) == []
    page.get_by_text("使用令牌登录（管理员）").click()
    assert violations(page) + unreachable(page) == []
    context.close()
    assert not console.errors, console.errors


def test_the_check_finds_an_unlabelled_input_and_a_control_out_of_reach(
    browser: Any, served: District
) -> None:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(
        "<html lang='zh-CN'><title>测试</title><main><h1>表单</h1>"
        "<input name='phone'><a href='#'>链接</a>"
        "<div tabindex='0' style='display:none'>藏</div>"
        "<div tabindex='0'>可达</div></main></html>"
    )
    found = violations(page)
    assert any(v.startswith("label (critical)") for v in found), found
    assert unreachable(page) == []
    page.evaluate(
        "() => document.querySelector('div[tabindex]:not([style])')"
        ".addEventListener('focus', (e) => e.target.blur())"
    )
    assert [n.split(" ", 1)[1] for n in unreachable(page)] == ["DIV 可达"]
    context.close()
