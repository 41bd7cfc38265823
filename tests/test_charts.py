"""Charts: numbers from published reports only, filters validated, Arabic labels shaped, PNGs valid and cached."""

import datetime
import struct
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.utils import translation
from matplotlib.text import Text

from articles import derived
from articles.arabic.shaping import label
from articles.charts import data as charts
from articles.models import Article, Quote
from diplomacy.models import Agreement, Participation
from tests.factories import make_article, make_meeting, make_participant, make_topic
from tests.test_shaping import read_as_drawn_by_matplotlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def arabic():
    with translation.override("ar"):
        yield


def png_size(data):
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def figure_texts(fig):
    return {t.get_text() for t in fig.findobj(Text) if t.get_text()}


def quote(article, speaker, n=1):
    """`n` one-letter quotes by `speaker`, after the quotes the report already has."""
    taken = article.quotes.count()
    for i in range(taken, taken + n):
        Quote.objects.create(article=article, start=i, end=i + 1, text=article.body[i], speaker=speaker)


def table(name, params=None, language="ar"):
    with translation.override(language):
        return charts.chart_table(name, charts.bound_filter(QueryDict(urlencode(params or {}, doseq=True))))


@pytest.fixture
def record(db):
    """Two speakers quoted in published reports, one quoted only in a draft; meetings and an agreement."""
    kerry = make_participant(name_ar="جون كيري", name_en="John Kerry", slug="kerry", country="US")
    lavrov = make_participant(name_ar="سيرغي لافروف", name_en="Sergey Lavrov", slug="lavrov", country="RU")
    hidden = make_participant(name_ar="مسؤول سري", name_en="Secret official", slug="hidden", country="SY")
    syria = make_topic(name_ar="الأزمة السورية", name_en="Syrian war", slug="syria-war")
    march = make_article(published=datetime.date(2016, 3, 24))
    april = make_article(published=datetime.date(2016, 4, 2))
    draft = make_article(published=datetime.date(2016, 4, 3), status=Article.Status.DRAFT)
    march.topics.add(syria)
    quote(march, kerry, 3)
    quote(april, kerry, 1)
    quote(april, lavrov, 2)
    quote(draft, hidden, 5)
    talks = make_meeting(title_ar="محادثات كيري ولافروف", start=datetime.date(2016, 3, 24))
    secret = make_meeting(title_ar="لقاء سري", start=datetime.date(2016, 4, 3))
    for meeting, people in ((talks, (kerry, lavrov)), (secret, (kerry, hidden))):
        for person in people:
            Participation.objects.create(meeting=meeting, participant=person)
    march.meetings.add(talks)
    draft.meetings.add(secret)
    deal = Agreement.objects.create(
        kind="understanding", status="agreed", title_ar="تفاهم", slug="deal", announced=datetime.date(2016, 3, 24)
    )
    shelved = Agreement.objects.create(kind="memorandum", status="proposed", title_ar="مذكرة", slug="shelved")
    march.agreements.add(deal)
    draft.agreements.add(shelved)
    for article in (march, april, draft):
        derived.refresh_participants([article.pk])
    return {"kerry": kerry, "lavrov": lavrov, "march": march, "april": april, "draft": draft}


def test_activity_counts_published_reports_and_covered_meetings_per_month(record):
    rows = table("activity").rows
    assert rows == [["2016-03", 1, 1], ["2016-04", 1, 0]]


def test_speakers_counts_quotes_of_published_reports_only(record):
    rows = table("speakers").rows
    assert rows == [["جون كيري", 4], ["سيرغي لافروف", 2]]
    assert table("speakers", language="en").rows[0][0] == "John Kerry"


def test_who_meets_whom_joins_participants_of_covered_meetings(record):
    rows = table("network").rows
    assert rows == [["جون كيري", "سيرغي لافروف", 1]] or rows == [["سيرغي لافروف", "جون كيري", 1]]


def test_agreements_by_status_leave_out_those_only_drafts_cover(record):
    t = table("agreements", language="en")
    assert t.columns == ["Month", "agreed"]
    assert t.rows == [["2016-03", 1]]


def test_filters_apply_to_every_chart(record):
    by_topic = {"topic": "syria-war"}
    assert table("speakers", by_topic).rows == [["جون كيري", 3]]
    assert table("activity", by_topic).rows == [["2016-03", 1, 1]]
    in_april = {"published_after": "2016-04-01", "published_before": "2016-04-30"}
    assert table("activity", in_april).rows == [["2016-04", 1, 0]]
    assert table("network", in_april).rows == []
    by_country = {"country": "RU"}
    assert table("speakers", by_country).rows == [["جون كيري", 4], ["سيرغي لافروف", 2]]
    assert table("speakers", {"country": "SY"}).rows == []


@pytest.mark.parametrize(
    "params",
    [
        {"published_after": "not-a-date"},
        {"published_after": "2017-01-01", "published_before": "2016-01-01"},
        {"country": "XX"},
        {"topic": "no-such-topic"},
    ],
)
def test_bad_filters_are_refused_with_400(client, record, params):
    for url in ("/charts/activity.png", "/charts/speakers.csv", "/charts/"):
        response = client.get(url, params)
        assert response.status_code == 400, url


def test_bad_filters_show_the_form_with_its_errors(client, record):
    response = client.get("/en/charts/", {"published_after": "2017-01-01", "published_before": "2016-01-01"})
    assert response.status_code == 400
    assert "The start of the date range is after its end." in response.content.decode()


def test_unknown_chart_is_not_found(client, db):
    assert client.get("/charts/pie.png").status_code == 404
    assert client.get("/charts/pie.csv").status_code == 404


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_every_chart_is_a_png_with_shaped_arabic_labels(client, record, name):
    response = client.get(f"/charts/{name}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    width, height = png_size(response.content)
    assert width == 800 and 150 <= height <= 700


def test_chart_labels_are_shaped_before_matplotlib_draws_them(record, arabic):
    t = table("speakers")
    texts = figure_texts(charts.draw_speakers(t, "ar"))
    assert label("جون كيري") in texts and label("سيرغي لافروف") in texts
    assert label(t.title) in texts
    assert "جون كيري" not in texts  # never the unshaped, logical-order string

    network = figure_texts(charts.draw_network(table("network"), "ar"))
    assert {label("جون كيري"), label("سيرغي لافروف")} <= network


def test_chart_labels_read_right_to_left_as_matplotlib_lays_them_out(record, arabic):
    fig = charts.draw_speakers(table("speakers"), "ar")
    names = [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    assert {read_as_drawn_by_matplotlib(name) for name in names} == {"جون كيري", "سيرغي لافروف"}
    title = fig.axes[0].get_title(loc="right")
    assert read_as_drawn_by_matplotlib(title) == table("speakers").title


def test_english_charts_carry_english_labels(record):
    with translation.override("en"):
        t = table("speakers", language="en")
        texts = figure_texts(charts.draw_speakers(t, "en"))
        assert {"Most-quoted speakers", "John Kerry", "Sergey Lavrov", "Quotes"} <= texts
        activity = figure_texts(charts.draw_activity(table("activity", language="en"), "en"))
        assert {"Reports and meetings per month", "Reports", "Meetings"} <= activity
        agreements = figure_texts(charts.draw_agreements(table("agreements", language="en"), "en"))
        assert {"Agreements by status over time", "agreed"} <= agreements


def test_a_chart_with_nothing_to_show_says_so(db):
    with translation.override("en"):
        t = table("speakers", language="en")
        assert t.rows == []
        assert "Nothing to show for these filters." in figure_texts(charts.draw_speakers(t, "en"))


def test_the_page_shows_each_chart_with_its_table_and_csv_link(client, record):
    response = client.get("/charts/", {"topic": "syria-war"})
    assert response.status_code == 200
    html = response.content.decode()
    for name in charts.CHARTS:
        assert f"/charts/{name}.png?topic=syria-war" in html
        assert f"/charts/{name}.csv?topic=syria-war" in html
    assert '<th scope="row">جون كيري</th>' in html
    english = client.get("/en/charts/").content.decode()
    assert "/en/charts/speakers.png" in english and "Most-quoted speakers" in english


def test_csv_has_a_byte_order_mark_and_the_table(client, record):
    response = client.get("/en/charts/speakers.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Speaker,Quotes"
    assert lines[1] == "John Kerry,4"


def test_a_change_in_the_data_redraws_the_chart(client, record):
    before = client.get("/charts/speakers.png").content
    assert client.get("/charts/speakers.png").content == before  # cached, same bytes
    first = table("speakers").rows
    quote(record["march"], record["lavrov"], 3)
    assert table("speakers").rows != first
    assert client.get("/charts/speakers.png").content != before
    # Publishing the draft brings its quotes in.
    draft = record["draft"]
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "مسؤول سري" in [row[0] for row in table("speakers").rows]


def test_a_removed_link_raises_the_data_generation(record):
    version = derived.generation()
    record["march"].meetings.clear()
    assert derived.generation() != version
    assert table("network").rows == []


def _more_reports(n, speaker):
    for i in range(n):
        article = make_article(published=datetime.date(2015, 1 + i % 12, 1))
        quote(article, speaker, 2)


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_queries_do_not_grow_with_the_data(client, record, django_assert_num_queries, name):
    # 1 the data generation (the cache key). Then the chart: activity 2 reports by month, 3 meetings
    # by month, 4 undated reports; speakers 2 top speakers, 3 their names; network 2 pairs, 3 their
    # names; agreements 2 by month and status, 3 undated ones.
    expected = {"activity": 4, "speakers": 3, "network": 3, "agreements": 3}[name]
    with django_assert_num_queries(expected):
        client.get(f"/charts/{name}.png")
    _more_reports(30, record["lavrov"])
    cache.clear()
    with django_assert_num_queries(expected):
        client.get(f"/charts/{name}.png")
    # Cached: only the generation is read, however large the archive.
    with django_assert_num_queries(1):
        client.get(f"/charts/{name}.png")
    # A filter adds the topic lookup.
    with django_assert_num_queries(expected + 1):
        client.get(f"/charts/{name}.png", {"topic": "syria-war"})


def test_participant_timeline(client, record):
    response = client.get("/participants/kerry/timeline.png")
    assert response.status_code == 200
    width, height = png_size(response.content)
    assert (width, height) == (640, 220)
    assert client.get("/participants/nobody/timeline.png").status_code == 404
    with translation.override("ar"):
        texts = figure_texts(charts.participant_timeline_figure(record["kerry"], "ar"))
    assert label("جون كيري") in texts


def test_agreement_timeline(client, record):
    response = client.get("/en/agreements/deal/timeline.png")
    assert response.status_code == 200
    png_size(response.content)
    assert client.get("/agreements/none/timeline.png").status_code == 404
    with translation.override("en"):
        texts = figure_texts(charts.agreement_timeline_figure(Agreement.objects.get(slug="deal"), "en"))
    assert "announced 2016-03-24" in texts
    assert label("تفاهم") in texts


def test_the_seed_charts(client, demo):
    rows = table("speakers", language="en").rows
    assert rows[0][0] == "John Kerry"
    assert rows[0][1] == Quote.objects.filter(article=demo, speaker__slug="kerry").count()
    for name in charts.CHARTS:
        assert client.get(f"/charts/{name}.png").status_code == 200
