"""A report that prints no date is not lost to dates: an editor's approximate date, marked as such
everywhere it is shown, used by date filters, sorting, charts and citations, and suggested by the
toolkit from the events the report covers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from articles import citations, display
from articles.charts import pdf
from articles.charts.data import activity_table
from articles.models import Article
from articles.suggestions import suggest_approximate_date
from tests.factories import make_article, make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 3, 24)


def undated(**kwargs):
    return make_article(published=None, **kwargs)


def approximate(precision="day", **kwargs):
    return undated(
        approximate_date=DAY,
        approximate_precision=precision,
        approximate_basis="not before 24 March 2016, from the events reported",
        status=Article.Status.PUBLISHED,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("precision", "english", "arabic"),
    [
        ("day", "~24 March 2016", "حوالي 24 مارس/آذار 2016"),
        ("month", "~March 2016", "حوالي مارس/آذار 2016"),
        ("year", "[2016]", "[2016]"),
    ],
)
def test_an_approximate_date_reads_as_approximate(precision, english, arabic):
    article = approximate(precision)
    with translation.override("en"):
        assert display.format_article_date(article) == english
    with translation.override("ar"):
        assert display.format_article_date(article) == arabic


def test_a_printed_date_and_an_unknown_one_read_as_before():
    with translation.override("en"):
        assert display.format_article_date(make_article(published=DAY)) == "24 March 2016"
        assert display.format_article_date(undated()) == "date unknown"


def test_dated_is_the_printed_date_else_the_approximate_one():
    printed = make_article(published=datetime.date(2017, 1, 2))
    guessed = approximate()
    none = undated()
    dated = dict(Article.objects.values_list("pk", "dated"))
    assert dated == {printed.pk: printed.published, guessed.pk: DAY, none.pk: None}


def test_an_approximate_date_is_refused_beside_a_printed_one():
    article = make_article(published=DAY, approximate_date=DAY)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "approximate_date" in error.value.message_dict


def test_the_reference_says_nd_with_the_inferred_year_in_brackets(rf):
    article = approximate()
    request = rf.get("/")
    with translation.override("en"):
        assert "n.d. [2016]" in citations.reference(article, request)
        assert "year = {n.d. [2016]}" in citations.bibtex(article, request)
        assert "24 March 2016" not in citations.reference(article, request)
    with translation.override("ar"):
        assert "د.ت. [2016]" in citations.reference(article, request)
    # never in the machine-read tags: they would be taken for the printed date
    assert not any(name.endswith("date") for name, _ in citations.highwire(article, request))
    assert "datePublished" not in citations.json_ld(article, request)


def test_date_filters_and_the_default_order_use_the_approximate_date(client):
    guessed = approximate(title="تقرير بلا تاريخ")
    newer = make_article(published=datetime.date(2017, 5, 1), status="published", title="تقرير أحدث")
    unknown = undated(title="تقرير مجهول التاريخ")
    html = client.get("/en/articles/?published_after=2016-03-01&published_before=2016-03-31").content.decode()
    assert guessed.title in html and newer.title not in html and unknown.title not in html
    html = client.get("/en/articles/").content.decode()
    assert html.index(newer.title) < html.index(guessed.title) < html.index(unknown.title)
    assert "~24 March 2016" in html
    api = client.get("/api/v1/articles/?published_before=2016-12-31").json()
    assert [row["id"] for row in api["results"]] == [guessed.pk]


def test_the_report_page_and_the_feed_show_the_approximate_date_with_its_basis(client):
    article = approximate(title="تقرير بلا تاريخ")
    html = client.get(f"/en/articles/{article.pk}/").content.decode()
    assert '<time class="approximate" datetime="2016-03-24"' in html
    assert "~24 March 2016" in html and "from the events reported" in html
    assert "publication date unknown" not in html
    feed = client.get("/en/feed/").content.decode()
    assert "~24 March 2016" in feed


def test_charts_count_a_report_in_its_approximate_month():
    approximate()
    undated()
    table = activity_table(Article.objects.published(), "en")
    assert table.rows == [["2016-03", 1, 0]]
    assert any("1 published reports have no date" in note for note in table.notes)


def test_the_toolkit_suggests_the_last_day_of_the_events_a_report_covers():
    article = undated(body="التقى الوزيران في موسكو.")
    first = make_meeting(slug="first", start=datetime.date(2016, 3, 23))
    last = make_meeting(slug="last", start=datetime.date(2016, 3, 24), end=datetime.date(2016, 3, 25))
    article.meetings.add(first, last)
    with translation.override("en"):
        found = suggest_approximate_date(article)
    assert found == {
        "date": datetime.date(2016, 3, 25),
        "precision": "day",
        "basis": "not before 25 March 2016, from the events reported",
    }


def test_without_meetings_the_suggestion_comes_from_dates_in_the_text():
    article = undated(body="وكانت المحادثات قد بدأت في 19 شباط/فبراير 2016 واستؤنفت في 3 آذار 2016.")
    with translation.override("en"):
        found = suggest_approximate_date(article)
    assert found["date"] == datetime.date(2016, 3, 3)
    assert found["basis"] == "not before 3 March 2016, from the dates the report names"


def test_no_suggestion_for_a_printed_date_or_a_report_with_no_date_at_all():
    assert suggest_approximate_date(make_article(published=DAY, body="في 3 آذار 2016")) is None
    assert suggest_approximate_date(undated(body="لا تاريخ هنا")) is None


def test_the_demo_loads_with_its_approximate_date_and_linked_names(linked_demo):
    assert linked_demo.published is None
    assert (linked_demo.approximate_date, linked_demo.approximate_precision) == (DAY, "day")
    kinds = {("place" if m.place_id else "participant") for m in linked_demo.mentions.all()}
    assert kinds == {"place", "participant"}
    places = set(linked_demo.mentions.exclude(place=None).values_list("place__slug", flat=True))
    assert places == {"moscow", "geneva"}
    for mention in linked_demo.mentions.all():
        assert linked_demo.body[mention.start : mention.end] == mention.text


def test_the_editor_sees_the_suggested_date_in_the_admin(admin_client, demo):
    html = admin_client.get(f"/admin/articles/article/{demo.pk}/change/").content.decode()
    assert 'name="approximate_date"' in html
    assert "2016-03-24" in html


def test_the_pdf_gives_the_approximate_date_and_cites_it_as_nd():
    article = approximate(title="تقرير بلا تاريخ")
    with translation.override("en"):
        reference = pdf.citation(article, "http://testserver/articles/1/", "en", today=datetime.date(2026, 1, 1))
    assert "n.d. [2016]" in reference and "date unknown" not in reference
