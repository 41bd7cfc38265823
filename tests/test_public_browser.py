"""The public pages in headless Chromium (Debian's package): axe-core finds no serious or critical
accessibility problem, focus is visible, the filters work without JavaScript, and screenshots of the
main pages in both languages are taken (written to docs/screenshots/, shown in the README, only by
`make screenshots`)."""

import json
import os
import shutil
from pathlib import Path

import pytest

from articles.duplicates import index_text
from tests.factories import make_article, make_source
from tests.public_helpers import annotate_mentions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):  # CI installs it: a missing browser there is a failure, not a pass
        raise RuntimeError("Debian's chromium is not installed; .ci/run should have installed it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database calls are
    # still synchronous, so Django's guard against ORM use inside a loop is lifted for these tests.
    # It is put back afterwards: later tests (`check --deploy`) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(demo, live_server):
    annotate_mentions(demo)
    return live_server.url, demo


def axe_violations(page):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (package.json)"
    # Evaluated through the DevTools protocol: a <script> tag with axe's text inline would be
    # refused by the page's Content-Security-Policy, as any inline script should be.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def main_pages(demo):
    return [
        "/",
        "/articles/",
        f"/articles/{demo.pk}/",
        "/search/?q=لافروف",
        "/participants/kerry/",
        "/meetings/kerry-putin-2016-03-24/",
        "/agreements/syria-cessation-of-hostilities-2016/",
        "/timeline/",
        "/sources/",
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_serious_or_critical_accessibility_violations(browser, site, prefix):
    url, demo = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = {}
    for path in main_pages(demo):
        page.goto(url + prefix + path)
        violations = axe_violations(page)
        if violations:
            problems[prefix + path] = violations
    # axe is really running: a page with an unlabelled field fails it
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert "label" in [v["id"] for v in axe_violations(page)]
    page.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_pages_fit_a_360_pixel_screen(browser, site):
    url, demo = site
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for prefix in ("", "/en"):
        for path in main_pages(demo):
            page.goto(url + prefix + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (prefix + path, overflow)
    page.close()


def test_focus_is_visible(browser, site):
    url, _ = site
    page = browser.new_page()
    page.goto(url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.className, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "skip-link"
    assert focused[1] != "none" and focused[2] != "0px"
    page.close()


def test_filters_and_search_work_without_javascript(browser, site):
    url, demo = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/en/")
    page.fill("#home-q", "لافروف")
    page.click(".hero-search button")
    page.wait_for_load_state()
    assert "/en/search/?q=" in page.url
    assert page.locator(".report-item").count() == 1
    page.click("a[href*='participant=kerry']")
    page.wait_for_load_state()
    assert "participant=kerry" in page.url and "q=" in page.url
    page.click(f"a[href='/en/articles/{demo.pk}/']")
    page.wait_for_load_state()
    assert page.locator(".quote").count() >= 18
    page.click("a.speaker[href='/en/participants/kerry/']")
    page.wait_for_load_state()
    assert page.url.endswith("/en/participants/kerry/")
    context.close()


SHOTS = {"home": "/", "list": "/articles/", "report": "/articles/{id}/", "participant": "/participants/kerry/"}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_screenshots(browser, site, language, screenshots):
    url, demo = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    prefix = "" if language == "ar" else "/en"
    for name, path in SHOTS.items():
        page.goto(url + prefix + path.format(id=demo.pk))
        target = screenshots / f"public-{name}-{language}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    page.close()
    phone = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    phone.goto(url + prefix + f"/articles/{demo.pk}/")
    phone.screenshot(path=str(screenshots / f"public-report-{language}-360.png"))
    phone.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_copies_of_one_text_are_one_entry_that_opens_onto_the_others(browser, site, language, screenshots):
    """A wire copy of the seed from another outlet (made for this test, and titled so): the list shows
    the seed once, "1 other outlet carried this text" opens onto the copy (a <details>: no script); the
    page passes axe with the entry open; `?copies=all` lists both."""
    url, demo = site
    outlet = make_source(name_ar="وكالة للعرض", name_en="Demo wire", slug="demo-wire")
    copy = make_article(
        title="نسخة من الخبر نفسه (للعرض)", body="موسكو - " + demo.body, source=outlet, published=demo.published
    )
    index_text(copy, new=True)
    prefix = "" if language == "ar" else "/en"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + prefix + "/articles/")
    assert page.locator(".report-item").count() == 1
    copies = page.locator(".report-item details.copies")
    assert not page.locator(f".copy-list a[href='{prefix}/articles/{copy.pk}/']").is_visible()
    copies.locator("summary").click()
    link = page.locator(f".copy-list a[href='{prefix}/articles/{copy.pk}/']")
    assert link.is_visible()
    assert axe_violations(page) == []
    target = screenshots / f"public-copies-{language}.png"
    page.locator(".results").screenshot(path=str(target))
    assert target.stat().st_size > 5_000
    page.click("a[href*='copies=all']")
    page.wait_for_load_state()
    assert "copies=all" in page.url and page.locator(".report-item").count() == 2
    page.close()
