"""Reading across languages and widths: English pages show quote translations beside the printed
Arabic and mark Arabic text as Arabic; Arabic lists use Arabic commas; speaker chips keep to the
quote's line; the charts read well with little data and offer only what occurs."""

import datetime
import re

import pytest
from django.core.cache import cache

from articles.charts import data as charts
from articles.models import Article, Quote
from tests.factories import (
    make_article,
    make_meeting,
    make_participant,
    make_place,
    make_public,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_english_report_pages_show_translations_beside_the_printed_arabic(client, linked_demo):
    quote = linked_demo.quotes.exclude(translation_en="").order_by("start").first()
    html = client.get(f"/en/articles/{linked_demo.pk}/").content.decode()
    assert quote.text in html  # the printed words stay
    block = html[html.index('class="quote-translations"') :]
    assert block.startswith('class="quote-translations" lang="en" dir="ltr"')
    assert f"“{quote.translation_en}”" in block
    assert html.count('class="quote-translations"') >= 3
    # not on the Arabic page, which shows the report as printed
    assert quote.translation_en not in client.get(f"/articles/{linked_demo.pk}/").content.decode()


def test_the_translation_sits_after_the_paragraph_its_quote_is_in(client, linked_demo):
    html = client.get(f"/en/articles/{linked_demo.pk}/").content.decode()
    first = linked_demo.quotes.exclude(translation_en="").order_by("start").first()
    paragraph_end = html.index("</p>", html.index(f'id="quote-{first.pk}"'))
    assert html.index(first.translation_en) > paragraph_end
    assert html.index(first.translation_en) < html.index('id="line-', paragraph_end)


def test_arabic_text_on_english_pages_is_marked_arabic(client):
    source = make_source(name_ar="الوقت", name_en="", slug="alwaqt")
    topic = make_topic(name_ar="الأزمة السورية", name_en="", slug="syria")
    article = make_article(title="لافروف يستقبل كيري", source=source)
    article.topics.add(topic)
    html = client.get("/en/articles/").content.decode()
    # the title is a right-to-left block, as its excerpt is
    assert re.search(r'<h3 class="report-title" lang="ar" dir="rtl">', html)
    assert '<p class="lede" lang="ar" dir="rtl">' in html
    # a source and a facet value known only by their Arabic names
    assert '<bdi lang="ar" dir="rtl">الوقت</bdi>' in html
    assert '<bdi lang="ar" dir="rtl">الأزمة السورية</bdi>' in html
    # the Arabic pages need no marking
    assert "<bdi" not in client.get("/articles/").content.decode().split('class="results"')[1].split("</ol>")[0]


def test_an_arabic_place_and_country_are_joined_by_an_arabic_comma(client):
    moscow = make_place(name_ar="موسكو", name_en="Moscow", slug="moscow", country="RU")
    make_public(make_meeting(slug="talks", place=moscow))  # public: a published report covers it
    arabic = client.get("/meetings/talks/").content.decode()
    assert re.search(r"موسكو</a>، روسيا", arabic)
    assert "موسكو</a>, " not in arabic
    assert re.search(r"Moscow</a>, Russia", client.get("/en/meetings/talks/").content.decode())


def test_the_speaker_chip_follows_the_closing_mark_and_its_punctuation(client):
    kerry = make_participant(slug="kerry", name_ar="جون كيري", name_en="John Kerry")
    article = make_article(body="قال كيري: “نعمل بجد”. ثم غادر.")
    start = article.body.index("“") + 1
    Quote.objects.create(article=article, start=start, end=start + 8, text="نعمل بجد", speaker=kerry)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert re.search(r'بجد</span>”\.<a class="speaker"', html)


def test_facets_come_first_with_a_switch_for_phones(client):
    make_article(title="تقرير", source=make_source(slug="reuters", name_en="Reuters"))
    html = client.get("/en/articles/").content.decode()
    assert html.index('class="facets"') < html.index('class="results"')
    assert '<input type="checkbox" id="facets-toggle" class="facets-toggle">' in html
    assert '<label for="facets-toggle" class="facets-toggle-label">Show the filters</label>' in html


def test_one_month_of_data_draws_a_readable_axis():
    make_article(published=datetime.date(2016, 3, 24))
    table = charts.activity_table(Article.objects.published(), "en")
    figure = charts.draw_activity(table, "en")
    top, bottom = figure.axes
    # no empty −0.04..0.04 axis: counts start at zero with room above the tallest
    assert bottom.get_ylim() == (0, 1.15) and top.get_ylim()[0] == 0 and top.get_ylim()[1] >= 1
    figure.canvas.draw()
    labels = [t.get_text() for t in bottom.get_xticklabels() if t.get_text()]
    assert "2016-03" in labels
    assert len(labels) == len(set(labels))  # each month labelled once


def test_ten_years_of_months_keep_a_dozen_labels_at_most():
    for year in range(2010, 2021):
        make_article(published=datetime.date(year, 6, 1))
    figure = charts.draw_activity(charts.activity_table(Article.objects.published(), "en"), "en")
    figure.canvas.draw()
    labels = [t.get_text() for t in figure.axes[1].get_xticklabels() if t.get_text()]
    assert 2 <= len(labels) <= 12 and len(labels) == len(set(labels))


def test_the_chart_filters_offer_occurring_countries_by_name(client):
    russia = make_participant(slug="russia", name_ar="روسيا", name_en="Russia", kind="state", country="RU")
    draft_only = make_participant(slug="cuba", name_ar="كوبا", name_en="Cuba", kind="state", country="CU")
    make_article().participants.add(russia)
    make_article(status=Article.Status.DRAFT).participants.add(draft_only)
    make_article().topics.add(make_topic(slug="syria", name_ar="سوريا", name_en=""))
    html = client.get("/en/charts/").content.decode()
    select = html[html.index('name="country"') : html.index("</select>", html.index('name="country"'))]
    assert re.findall(r'<option value="(\w+)"', select) == ["RU"]
    assert ">Russia</option>" in select
    topics = html[html.index('name="topic"') :]
    assert '<option value="syria" lang="ar" dir="rtl">سوريا</option>' in topics
    assert 'class="filter-form chart-filters"' in html
    # a code that does not occur still filters (to nothing), as a bookmarked address did
    assert client.get("/en/charts/?country=SY").status_code == 200


def test_participant_and_agreement_pages_show_their_timelines(client, demo):
    html = client.get("/en/participants/kerry/").content.decode()
    assert '<img src="/en/participants/kerry/timeline.png"' in html
    assert client.get("/en/participants/kerry/timeline.png")["Content-Type"] == "image/png"
    agreement = client.get("/agreements/geneva-direct-talks-2016-03-24/").content.decode()
    assert '<img src="/agreements/geneva-direct-talks-2016-03-24/timeline.png"' in agreement
