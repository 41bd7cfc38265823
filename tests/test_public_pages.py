"""Every public page, in Arabic and in English: it answers, speaks the page's language, and shows
what a researcher came for."""

import datetime
import re

import pytest

from articles.models import Article
from diplomacy.models import Meeting, Participation
from tests.factories import make_article, make_meeting, make_participant, make_source
from tests.public_helpers import LANGUAGES, annotate_mentions, html_lang

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/articles/",
    "/articles/{id}/",
    "/search/",
    "/search/?q=لافروف",
    "/participants/kerry/",
    "/meetings/kerry-moscow-visit-2016/",
    "/meetings/kerry-lavrov-talks-2016-03-24/",
    "/agreements/geneva-direct-talks-2016-03-24/",
    "/timeline/",
    "/sources/",
    "/sources/{source}/",
]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_page_answers_in_both_languages(client, demo, prefix):
    for page in PAGES:
        check_page(client, demo, prefix, page)


def check_page(client, demo, prefix, page):
    url = prefix + page.format(id=demo.pk, source=demo.source.slug)
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    lang, direction = html_lang(html)
    assert (lang, direction) == (("en", "ltr") if prefix else ("ar", "rtl"))
    # the language switch links to the same page in the other language
    other = page.format(id=demo.pk, source=demo.source.slug).split("?")[0]
    assert f'href="{other if prefix else "/en" + other}' in html
    # landmarks and one h1
    assert "<main" in html and "<header" in html and "<footer" in html and "<nav" in html
    assert html.count("<h1") == 1
    # no script runs: the only script element is JSON-LD data
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []
    # interface strings are translated: Arabic pages carry no English navigation
    if prefix:
        assert ">Reports<" in html and ">Timeline<" in html, url
    else:
        assert ">التقارير<" in html and ">الخط الزمني<" in html, url
        assert ">Reports<" not in html, url


def test_headings_are_in_order(client, demo):
    for prefix in LANGUAGES:
        for page in PAGES:
            html = client.get(prefix + page.format(id=demo.pk, source=demo.source.slug)).content.decode()
            levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
            assert levels[0] == 1
            for before, after in zip(levels, levels[1:], strict=False):
                assert after <= before + 1, (page, levels)


def test_unknown_records_are_404(client, demo):
    for prefix in LANGUAGES:
        for url in (
            "/articles/999999/",
            "/participants/nobody/",
            "/meetings/nothing/",
            "/agreements/nothing/",
            "/sources/nothing/",
            "/articles/999999/cite.bib",
        ):
            assert client.get(prefix + url).status_code == 404, url


def test_report_as_printed_with_subheading_quotes_and_panel(client, demo):
    annotate_mentions(demo)
    html = client.get(f"/articles/{demo.pk}/").content.decode()
    # the short line without final punctuation is a subheading; the others paragraphs
    assert re.search(r'<h2 class="report-subheading"[^>]*>مؤتمر صحفي مشترك بين كيري ولافروف</h2>', html) or (
        '<h2 class="report-subheading"' in html and "مؤتمر صحفي مشترك بين" in html
    )
    assert html.count('<p id="line-') == len([line for line in demo.paragraphs if line.strip()]) - 1
    # every quote is highlighted where it stands, its speaker named and linked after it
    quotes = list(demo.quotes.select_related("speaker"))
    assert len(quotes) == 18
    for quote in quotes:
        assert f'id="quote-{quote.pk}"' in html
    assert html.count('class="speaker" href="/participants/kerry/"') == sum(
        1 for q in quotes if q.speaker.slug == "kerry"
    )
    # mentions link to the person's page; a name inside a quote nests inside it
    assert 'class="mention mention-participant" href="/participants/lavrov/"' in html
    # the text is the text as printed, typos included
    assert "تتشيط" in html
    # the panel "in this report"
    panel = html[html.index('class="in-report"') :]
    for url in (
        "/meetings/kerry-putin-2016-03-24/",
        "/agreements/geneva-direct-talks-2016-03-24/",
        "/participants/putin/",
        "/participants/russia/",
    ):
        assert url in panel
    assert "موسكو" in panel  # the place
    assert "?topic=syria-war" in panel


def test_report_in_english_keeps_the_arabic_text_and_names_people_in_english(client, demo):
    html = client.get(f"/en/articles/{demo.pk}/").content.decode()
    assert '<div class="report-body" lang="ar" dir="rtl">' in html
    assert ">John Kerry</a>" in html
    assert 'href="/en/participants/kerry/"' in html
    assert "publication date unknown" in html


def test_pdf_and_charts_links_are_language_prefixed(client, demo):
    ar = client.get(f"/articles/{demo.pk}/").content.decode()
    en = client.get(f"/en/articles/{demo.pk}/").content.decode()
    assert f'href="/articles/{demo.pk}/pdf/"' in ar
    assert f'href="/en/articles/{demo.pk}/pdf/"' in en
    assert 'href="/charts/"' in ar
    assert 'href="/en/charts/"' in en


def test_dates_with_month_names_and_partial_dates(client, demo):
    make_article(title="تقرير مؤرخ", published=datetime.date(2016, 2, 27), source=demo.source)
    some_month = make_meeting(
        slug="some-month",
        title_ar="لقاء في شهر",
        title_en="A meeting some day in May",
        start=datetime.date(2016, 5, 1),
        date_precision="month",
    )
    some_year = make_meeting(
        slug="some-year",
        title_ar="لقاء في سنة",
        title_en="A meeting some time",
        start=datetime.date(2016, 1, 1),
        date_precision="year",
    )
    make_article(published=None).meetings.add(some_month, some_year)  # public once a published report covers them
    ar = client.get("/articles/").content.decode()
    assert "27 فبراير/شباط 2016" in ar
    assert "التاريخ غير معروف" in ar  # the seed has no publication date
    en = client.get("/en/articles/").content.decode()
    assert "27 February 2016" in en and "date unknown" in en
    # a meeting known to the month shows the month, never an invented day
    assert "مايو/أيار 2016" in client.get("/meetings/some-month/").content.decode()
    month_page = client.get("/en/meetings/some-month/").content.decode()
    assert "May 2016" in month_page and "1 May 2016" not in month_page
    year_page = client.get("/en/meetings/some-year/").content.decode()
    assert "1 January 2016" not in year_page and "January 2016" not in year_page
    # the visit lasting two days is written once
    assert "23–24 March 2016" in client.get("/en/meetings/kerry-moscow-visit-2016/").content.decode()


def test_timeline_month_by_month_with_undated_apart(client, demo):
    sometime = make_meeting(
        slug="sometime", title_en="Sometime in 2016", start=datetime.date(2016, 1, 1), date_precision="year"
    )
    make_article().meetings.add(sometime)  # public once a published report covers it
    html = client.get("/en/timeline/").content.decode()
    assert "<h2" in html and "February 2016" in html and "March 2016" in html
    assert html.index("March 2016") < html.index("2016, month unknown") and "Sometime in 2016" in html
    # the cessation of hostilities: announced and in effect in February
    february = html[html.index("February 2016") : html.index("March 2016")]
    assert "Cessation of hostilities in Syria" in february
    assert client.get("/en/timeline/?year=1900").status_code == 400
    assert client.get("/en/timeline/?year=abc").status_code == 400
    assert client.get("/en/timeline/?year=2016").status_code == 200


def test_participant_page(client, demo):
    lavrov_meeting = make_meeting(slug="lavrov-zarif", title_en="Lavrov meets Zarif", start=datetime.date(2017, 1, 5))
    zarif = make_participant(slug="zarif", name_en="Javad Zarif", name_ar="جواد ظريف")
    kerry = demo.participants.get(slug="kerry")
    Participation.objects.create(meeting=lavrov_meeting, participant=zarif)
    Participation.objects.create(meeting=lavrov_meeting, participant=kerry)
    make_article().meetings.add(lavrov_meeting)  # public once a published report covers it
    html = client.get("/en/participants/kerry/").content.decode()
    assert "United States Secretary of State" in html  # offices held
    assert "1 February 2013" in html and "20 January 2017" in html
    # meetings over time, newest year first
    assert html.index(">2017<") < html.index(">2016<")
    assert "Kerry meets Putin" in html and "Lavrov meets Zarif" in html
    # his quotes, linked to where they stand in the report
    assert html.count('class="quote-card"') == demo.quotes.filter(speaker=kerry).count()
    quote = demo.quotes.filter(speaker=kerry).first()
    assert f"/en/articles/{demo.pk}/#quote-{quote.pk}" in html
    # whom he met most: Lavrov in two meetings, Putin in one, Zarif in one
    met = html[html.index("Met most often") :]
    assert met.index("Sergey Lavrov") < met.index("Vladimir Putin")
    assert "2 meetings" in met
    assert "Javad Zarif" in met


def test_meeting_page_shows_offices_held_that_day(client, demo):
    html = client.get("/en/meetings/kerry-putin-2016-03-24/").content.decode()
    assert "President of Russia" in html and "United States Secretary of State" in html
    assert "host" in html and "guest" in html
    assert "Kerry&#x27;s visit to Moscow" in html or "Kerry's visit to Moscow" in html  # the visit it belongs to
    assert "Moscow" in html
    assert demo.title in html  # coverage
    visit = client.get("/en/meetings/kerry-moscow-visit-2016/").content.decode()
    for slug in ("kerry-putin-2016-03-24", "kerry-lavrov-talks-2016-03-24", "kerry-lavrov-press-2016-03-24"):
        assert f"/en/meetings/{slug}/" in visit
    talks = client.get("/en/meetings/kerry-lavrov-talks-2016-03-24/").content.decode()
    assert "/en/agreements/geneva-direct-talks-2016-03-24/" in talks


def test_agreement_page(client, demo):
    html = client.get("/en/agreements/syria-cessation-of-hostilities-2016/").content.decode()
    assert "in force" in html and "ceasefire" in html
    assert "22 February 2016" in html and "27 February 2016" in html
    assert "co-sponsor" in html and "/en/participants/russia/" in html
    assert demo.title in html
    ar = client.get("/agreements/syria-cessation-of-hostilities-2016/").content.decode()
    assert "سارٍ" in ar and "وقف إطلاق نار" in ar and "22 فبراير/شباط 2016" in ar
    geneva = client.get("/en/agreements/geneva-direct-talks-2016-03-24/").content.decode()
    assert "/en/meetings/kerry-lavrov-talks-2016-03-24/" in geneva  # negotiated at


def test_home_page(client, demo):
    html = client.get("/").content.decode()
    assert demo.title in html
    assert "زيارة كيري إلى موسكو" in html  # recent meetings (visits, not their parts)
    assert "لقاء كيري وبوتين" not in html
    assert html.index("متفق عليه") < html.index("سارٍ")  # agreements by status, in lifecycle order
    assert 'action="/search/"' in html


def test_sources(client, demo):
    make_article(source=make_source(name_ar="رويترز", name_en="Reuters", slug="reuters"))
    html = client.get("/en/sources/").content.decode()
    assert "Al-Waght" in html and "Reuters" in html
    page = client.get("/en/sources/reuters/").content.decode()
    assert "1 report" in page and demo.title not in page


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_bad_input_is_a_clear_400(client, demo, prefix):
    for query, message in (
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page=abc", ""),
        ("page=99", ""),
        ("participant=nobody", "participant"),
        ("country=XX", "country"),
        ("published_after=2016-02-30", "published_after"),
    ):
        response = client.get(f"{prefix}/articles/?{query}")
        assert response.status_code == 400, query
        assert 'role="alert"' in response.content.decode()
        assert message in response.content.decode()
    response = client.get(f"{prefix}/search/?q=" + "x" * 600)
    assert response.status_code == 400
    response = client.get(f"{prefix}/search/?q=a%00b")
    assert response.status_code == 400


def test_report_pages_are_never_cached_across_editorial_changes(client, demo):
    first = client.get(f"/articles/{demo.pk}/")
    Article.objects.filter(pk=demo.pk).update(title="عنوان جديد")
    demo.refresh_from_db()
    demo.save()
    second = client.get(f"/articles/{demo.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "عنوان جديد" in second.content.decode()


def test_only_published_visits_show_on_home(client, demo):
    assert Meeting.objects.filter(part_of=None).count() == 1


def test_the_address_decides_the_language_not_the_browser(client, demo):
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()) == ("ar", "rtl")
    assert html_lang(client.get("/en/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()) == ("en", "ltr")
