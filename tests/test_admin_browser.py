"""The annotator in a real browser: Debian's headless Chromium driven by Playwright.

These run wherever /usr/bin/chromium exists (CI installs it); without it they
fail rather than skip, so a missing browser is never mistaken for a pass.
"""

import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Quote

CHROMIUM = "/usr/bin/chromium"
SEED_TITLE = "ماذا حمل جون كيري في جعبته للقيادات السورية"
SEED_TEXT = Path(__file__).resolve().parents[1] / "articles" / "demo" / "kerry-moscow-2016.txt"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The editors' and reviewers' groups, as the migration makes them.

    A transactional test before this one may have flushed them away (the flush re-creates
    content types and permissions, not groups). Restoring them here rather than with
    serialized_rollback avoids reloading content types over the ones the flush re-created.
    """
    from django.contrib.auth.models import Group, Permission

    rules = importlib.import_module("articles.migrations.0002_database_rules")
    for name, codenames in (("editors", rules.EDITORS), ("reviewers", rules.REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are
    # ordinary synchronous ones made between browser steps, never from inside a coroutine.
    # (Set for these tests only: `check --deploy` rightly refuses it anywhere else.)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium chromium-driver"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def log_in(browser, live_server, username, password):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ar")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The Content-Security-Policy allows no inline script or style: anything it blocks is an error.
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page, errors


def type_in_open_autocomplete(page, term):
    """Type once the select2 dropdown is open with its search box focused (keys sent earlier are lost)."""
    page.wait_for_selector(".select2-container--open .select2-search__field:focus")
    page.keyboard.type(term)


def pick_highlighted(page, name):
    """Enter on the autocomplete's highlighted option once the answer for the typed term shows `name`."""
    page.wait_for_selector(f".select2-results__option--highlighted:has-text('{name}')")
    page.keyboard.press("Enter")


def choose(page, field_name, term, name):
    """Pick a value in one of the panel's autocomplete fields (Django admin's select2)."""
    page.click(f"select[name={field_name}] + .select2 .select2-selection")
    type_in_open_autocomplete(page, term)
    pick_highlighted(page, name)


def select_passage(page, text):
    """Select `text` in the drawn body with the mouse's own events (a DOM Range, then mouseup)."""
    page.evaluate(
        """(text) => {
            const box = document.getElementById("annotator-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(text);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + text.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
            throw new Error("not in the body: " + text);
        }""",
        text,
    )


def test_reviewer_selects_a_passage_in_the_seed_and_creates_a_quote(browser, live_server, reviewer, screenshots):
    call_command("load_demo", "--seed-only", stdout=StringIO())
    seed = Article.objects.get(title=SEED_TITLE)
    passage = "وبحث معه النزاع في سوريا وأيضاً الأزمة في اوكرانيا"
    assert passage in seed.body and not Quote.objects.filter(article=seed, text=passage).exists()
    page, errors = log_in(browser, live_server, "reviewer", "pw-reviewer-1")
    page.goto(f"{live_server.url}/admin/articles/article/{seed.pk}/change/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("#annotator-text mark.ann-quote").count() >= 18  # the seed's quotes, drawn

    select_passage(page, passage)
    page.wait_for_selector("#annotator-panel:not([hidden])")
    assert page.inner_text("#annotator-selection") == passage
    choose(page, "quote-speaker", "كيري", "جون كيري")
    choose(page, "quote-addressee", "لافروف", "سيرغي لافروف")
    page.select_option("select[name=quote-kind]", "indirect")
    page.click("form[data-kind=quote] button[type=submit]")

    new = page.locator("#annotator-text mark.ann-quote", has_text="وبحث معه")
    new.first.wait_for()
    quote = Quote.objects.get(article=seed, text=passage)
    assert seed.body[quote.start : quote.end] == passage
    assert (quote.speaker.slug, quote.addressee.slug, quote.kind) == ("kerry", "lavrov", "indirect")
    label = new.first.get_attribute("data-label")
    assert "جون كيري" in label and "سيرغي لافروف" in label
    new.first.focus()  # the speaker is named on focus as on hover
    page.wait_for_timeout(200)
    page.screenshot(path=str(screenshots / "admin-annotate.png"))
    assert errors == []


def test_editor_annotates_an_imported_report_from_the_keyboard_and_submits_it(browser, live_server, editor):
    """Import to submitted without typing an offset: find, annotate, accept suggestions, submit."""
    call_command("load_demo", "--seed-only", stdout=StringIO())  # the record: people, places, meetings
    call_command("import_articles", str(SEED_TEXT), "--source", "الوقت", stdout=StringIO())
    draft = Article.objects.get(title=SEED_TITLE)
    # load_demo's copy and the imported one are the same text: the import found it unchanged,
    # so take it back to draft for the editor (as a reviewer would after a withdrawal).
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    Quote.objects.filter(article=draft).delete()
    page, errors = log_in(browser, live_server, "editor", "pw-editor-1")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")

    # Find the passage from the keyboard, typed as one may (ه for ة): Shift+Enter puts the
    # focus in the panel.
    page.focus("#annotator-find-input")
    page.keyboard.type("الصعب للغايه")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector("#annotator-panel:not([hidden])")
    assert page.evaluate("document.activeElement.name") == "annotator-kind"
    page.keyboard.press("Tab")  # to the speaker field
    page.keyboard.press("Enter")  # open it
    type_in_open_autocomplete(page, "كيري")
    pick_highlighted(page, "جون كيري")
    page.locator("form[data-kind=quote] button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.locator("#annotator-text mark.ann-quote", has_text="الصعب للغاية").first.wait_for()
    quote = Quote.objects.get(article=draft)
    assert (quote.text, quote.speaker.slug) == ("الصعب للغاية", "kerry")

    # Take the machine's mentions, all at once.
    page.click("#annotator-suggest")
    page.click(".suggestion-group[data-kind=mentions] [data-action=accept-all]")
    page.wait_for_selector(".suggestion-group[data-kind=mentions]", state="detached")
    assert draft.mentions.count() > 10
    assert all(draft.body[m.start : m.end] == m.text for m in draft.mentions.all())

    # Submit for review through the form; publishing is not offered.
    options = page.locator("select[name=status] option").evaluate_all("(os) => os.map((o) => o.value)")
    assert options == ["draft", "in_review"]
    page.select_option("select[name=status]", "in_review")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by.username) == ("in_review", "editor")
    assert errors == []


@pytest.mark.parametrize("width, language", [(1366, "ar"), (390, "ar"), (1366, "en"), (390, "en")])
def test_the_suggestion_list_is_one_row_a_passage_and_works_from_the_keyboard(
    browser, live_server, editor, screenshots, width, language
):
    """Issue 16, items 10–11: one suggestion a passage, the alternative at hand, dates to use as, keys."""
    call_command("load_demo", stdout=StringIO())
    call_command("import_articles", str(SEED_TEXT), "--source", "الوقت", stdout=StringIO())
    draft = Article.objects.get(title=SEED_TITLE)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    Quote.objects.filter(article=draft).delete()
    page, errors = log_in(browser, live_server, "editor", "pw-editor-1")
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    page.click("#annotator-suggest")
    page.wait_for_selector("li.suggestion")

    rows = page.locator(".suggestion-group[data-kind=mentions] li.suggestion")
    spans = rows.evaluate_all("(lis) => lis.map((li) => li.dataset.key.split(':').slice(1, 3).join(':'))")
    assert len(spans) == len(set(spans)), "one suggestion a passage"
    moscow = page.locator(".suggestion-group[data-kind=mentions] li.suggestion", has_text="موسكو").first
    assert moscow.locator("select").count() == 1, "the other record the passage may name is offered"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"

    page.locator("#annotator-suggestions").screenshot(
        path=str(screenshots / f"admin-suggestions-{language}-{width}.png")
    )

    # From the keyboard: Enter accepts the focused suggestion and the next one takes the focus.
    before = draft.mentions.count()
    first = rows.first
    key = first.get_attribute("data-key")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f'li.suggestion[data-key="{key}"]', state="detached")
    assert draft.mentions.count() == before + 1
    assert page.evaluate("document.activeElement.classList.contains('suggestion')")
    # Delete dismisses it.
    dismissed = page.evaluate("document.activeElement.dataset.key")
    page.keyboard.press("Delete")
    page.wait_for_selector(f'li.suggestion[data-key="{dismissed}"]', state="detached")
    assert draft.mentions.count() == before + 1

    # A date may set the report's publication date.
    date_row = page.locator(".suggestion-group[data-kind=dates] li.suggestion").first
    if date_row.locator("select").count():
        date_row.locator("select").select_option("published")
        date_row.locator(".suggestion-tools .button").nth(1).click()
        date_row.wait_for(state="detached")
        draft.refresh_from_db()
        assert draft.published is not None
    assert errors == []
