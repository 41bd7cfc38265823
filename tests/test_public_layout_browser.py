"""The public pages laid out in Debian's headless Chromium at a desktop width (1366 px) and a phone
width (390 px), in both languages: nothing overflows, a speaker chip never ends up alone on a line,
the search box's hint fits, the facets fold on phones, Arabic titles on English pages read right to
left. With SCREENSHOTS=1 it also writes docs/screenshots/ux-<page>-<language>-<width>.png."""

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {1366: 900, 390: 844}
PAGES = {
    "home": "/",
    "list": "/articles/",
    "report": "/articles/{id}/",
    "place": "/places/moscow/",
    "charts": "/charts/",
}

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Debian's chromium is not installed; .ci/run should have installed it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see test_public_browser.py
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
def site(linked_demo, live_server):
    return live_server.url, linked_demo


def open_page(browser, width):
    return browser.new_page(viewport={"width": width, "height": WIDTHS[width]})


def visit(page, address):
    """Open `address` and wait until its images are in too (the charts' PNGs are drawn on request:
    one still being drawn when the test ends would hold the database the test is flushing)."""
    page.goto(address)
    page.wait_for_load_state("networkidle")


# Each speaker chip and the character printed just before it: the same line when their tops agree.
CHIPS_ON_THEIR_LINE = """() => [...document.querySelectorAll('.report-body .speaker')].map(chip => {
  const before = document.createRange();
  let node = chip.previousSibling;
  while (node && !(node.textContent || '').length) node = node.previousSibling;
  if (!node) return true;
  const text = node.nodeType === 3 ? node : document.createTreeWalker(node, NodeFilter.SHOW_TEXT).lastChild() ;
  const last = text || node;
  const length = (last.textContent || '').length;
  before.setStart(last, Math.max(0, length - 1));
  before.setEnd(last, length);
  const a = before.getClientRects(), b = chip.getClientRects();
  if (!a.length || !b.length) return true;
  return Math.abs(a[a.length - 1].bottom - b[0].bottom) < 12;
})"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_nothing_overflows(browser, site, width, prefix):
    url, demo = site
    page = open_page(browser, width)
    for path in PAGES.values():
        visit(page, url + prefix + path.format(id=demo.pk))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (prefix + path, width, overflow)
    page.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_speaker_chip_is_left_alone_on_a_line_at_phone_width(browser, site, prefix):
    url, demo = site
    page = open_page(browser, 390)
    page.goto(url + prefix + f"/articles/{demo.pk}/")
    placed = page.evaluate(CHIPS_ON_THEIR_LINE)
    assert len(placed) == 18 and all(placed), placed
    page.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_search_hint_fits_the_box_at_phone_width(browser, site, prefix):
    url, _ = site
    page = open_page(browser, 390)
    page.goto(url + prefix + "/")
    room, needed = page.evaluate(
        """() => { const box = document.querySelector('#home-q'); const s = getComputedStyle(box, '::placeholder');
        const c = document.createElement('canvas').getContext('2d'); c.font = `${s.fontSize} ${s.fontFamily}`;
        const pad = parseFloat(s.paddingInlineStart) + parseFloat(s.paddingInlineEnd);
        return [box.clientWidth - pad, c.measureText(box.placeholder).width]; }"""
    )
    assert needed <= room, (needed, room)
    page.close()


def test_facets_fold_on_phones_and_stay_open_on_desktops(browser, site):
    url, _ = site
    phone = open_page(browser, 390)
    phone.goto(url + "/en/articles/")
    facets, results = (phone.locator(s).bounding_box()["y"] for s in (".facets", ".results"))
    assert facets < results  # the panel comes first ...
    assert not phone.locator(".facets-body").is_visible()  # ... folded
    phone.click(".facets-toggle-label")
    assert phone.locator(".facets-body").is_visible()
    assert phone.locator(".facet a").first.is_visible()
    phone.close()
    desktop = open_page(browser, 1366)
    desktop.goto(url + "/en/articles/")
    assert desktop.locator(".facets-body").is_visible() and not desktop.locator(".facets-toggle-label").is_visible()
    facets, results = (desktop.locator(s).bounding_box() for s in (".facets", ".results"))
    assert facets["x"] + facets["width"] <= results["x"]  # beside the results, as a sidebar
    desktop.close()


def test_arabic_titles_on_english_pages_read_right_to_left(browser, site):
    url, _ = site
    page = open_page(browser, 1366)
    page.goto(url + "/en/articles/")
    title, lede = (
        page.evaluate(f"(() => {{ const e = document.querySelector('{s}'); return getComputedStyle(e).direction; }})()")
        for s in (".report-title", ".lede")
    )
    assert title == lede == "rtl"
    box = page.locator(".report-title a").bounding_box()
    item = page.locator(".report-item").bounding_box()
    # right-aligned like its excerpt: its end is at the item's right edge
    assert abs((box["x"] + box["width"]) - (item["x"] + item["width"])) < 30
    page.close()


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="writes docs/screenshots/ only with SCREENSHOTS=1")
@pytest.mark.parametrize("language", ["ar", "en"])
def test_screenshots(browser, site, language):
    url, demo = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "ar" else "/en"
    for width in WIDTHS:
        page = open_page(browser, width)
        for name, path in PAGES.items():
            visit(page, url + prefix + path.format(id=demo.pk))
            target = SCREENSHOTS / f"ux-{name}-{language}-{width}.png"
            page.screenshot(path=str(target))
            assert target.stat().st_size > 10_000
        page.close()
