"""One event across outlets: a meeting's reports side by side, copies of one text grouped."""

import datetime

import pytest

from articles.duplicates import index_text
from articles.models import Article, Quote
from diplomacy.models import Meeting
from tests.factories import make_article, make_source
from tests.public_helpers import LANGUAGES

pytestmark = pytest.mark.django_db

TALKS = "/meetings/kerry-lavrov-talks-2016-03-24/"


def section(html):
    start = html.index('id="outlets"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_meeting_page_sets_the_outlets_side_by_side(client, demo, second_demo, prefix):
    html = section(client.get(f"{prefix}{TALKS}").content.decode())
    assert html.count('class="comparison-column"') == 2
    seed_at, demo_at = html.index(f"/articles/{demo.pk}/"), html.index(f"/articles/{second_demo.pk}/")
    assert demo_at < seed_at  # dated first; the seed's date is unknown
    assert ("نص تجريبي للعرض" if prefix == "" else "Demo text") in html


def test_agreement_and_what_only_one_outlet_quotes(client, demo, second_demo):
    html = section(client.get(f"/en{TALKS}").content.decode())
    both = Quote.objects.get(article=second_demo, text__startswith="مثلما اتفقنا")
    only = Quote.objects.get(article=second_demo, text__startswith="وقف الأعمال العدائية صامد")
    echoed = Quote.objects.get(article=second_demo, text__startswith="هناك تراجعًا ضعيفًا")

    def item(quote):
        start = html.index(f'href="/en/quotes/{quote.pk}/"')
        return html[html.rindex("<li", 0, start) : html.index("</li>", start)]

    assert "also quoted by Al-Waght" in item(both)
    assert "also quoted by Al-Waght" in item(echoed)  # the same words, spelt with and without tanween
    assert "only this outlet" in item(only)
    assert "only this outlet" not in item(both)


def test_copies_of_one_text_are_one_column(client, demo, second_demo):
    meeting = Meeting.objects.get(slug="kerry-lavrov-talks-2016-03-24")
    wire = make_article(
        title="نسخة من البرقية",
        body="موسكو - " + second_demo.body,
        source=make_source(name_ar="وكالة أخرى", name_en="Another Agency", slug="another-agency"),
        published=datetime.date(2016, 3, 26),
    )
    wire.meetings.add(meeting)
    index_text(wire)
    html = section(client.get(f"/en{TALKS}").content.decode())
    assert html.count('class="comparison-column"') == 2
    assert "1 other outlet carried this text" in html
    assert f'href="/en/articles/{wire.pk}/">Another Agency</a>' in html


def test_drafts_are_not_compared(client, demo, second_demo):
    second_demo.status = Article.Status.DRAFT
    second_demo.save()
    html = client.get(TALKS).content.decode()
    assert "نص تجريبي للعرض" not in html
    assert 'class="comparison-column"' in html and "only-here" not in section(html)


def test_meeting_page_queries_do_not_grow_with_reports(client, demo, second_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as first:
        client.get(TALKS)
    meeting = Meeting.objects.get(slug="kerry-lavrov-talks-2016-03-24")
    for n in range(5):
        article = make_article(
            body=f"تقرير إضافي رقم {n} عن المحادثات في موسكو بين الوزيرين", source=make_source(slug=f"outlet-{n}")
        )
        article.meetings.add(meeting)
        index_text(article)
    with django_assert_max_num_queries(len(first)):
        client.get(TALKS)


def test_comparison_in_the_api_and_as_csv_and_json_lines(client, demo, second_demo):
    data = client.get(f"/api/v1/meetings/{TALKS.strip('/').split('/')[-1]}/comparison/").json()
    rows = data["results"]
    assert {row["article"] for row in rows} == {demo.pk, second_demo.pk}
    only = next(row for row in rows if row["text"].startswith("وقف الأعمال العدائية صامد"))
    assert only["only_here"] is True and only["also_in"] == [] and only["speaker"] == "kerry"
    both = next(row for row in rows if row["article"] == second_demo.pk and row["text"].startswith("مثلما اتفقنا"))
    assert both["also_in"] == [demo.pk]
    slug = TALKS.strip("/").split("/")[-1]
    csv = b"".join(client.get(f"/api/v1/meetings/{slug}/comparison/?format=csv").streaming_content).decode()
    assert csv.lstrip("\ufeff").startswith("article,source,published,copies,quote,speaker")
    assert len(csv.strip().splitlines()) == len(rows) + 1
    jsonl = b"".join(client.get(f"/api/v1/meetings/{slug}/comparison/?format=jsonl").streaming_content).decode()
    assert len(jsonl.strip().splitlines()) == len(rows)
    second_demo.status = Article.Status.DRAFT
    second_demo.save()
    rows = client.get(f"/api/v1/meetings/{slug}/comparison/").json()["results"]
    assert {row["article"] for row in rows} == {demo.pk}


def test_lists_say_how_many_other_outlets_carried_a_text(client, demo, second_demo, django_assert_num_queries):
    for n in range(2):
        wire = make_article(
            title=f"نسخة {n}",
            body=f"عاجل {n}: " + second_demo.body,
            source=make_source(slug=f"wire-{n}"),
            published=datetime.date(2016, 3, 26),
        )
        index_text(wire)
    draft = make_article(title="نسخة مسودة", body=second_demo.body + " .", status=Article.Status.DRAFT)
    index_text(draft)
    html = client.get("/en/articles/").content.decode()
    item = html[html.index(f'href="/en/articles/{second_demo.pk}/"') :]
    assert "2 other outlets carried this text" in item[: item.index("</li>")]
    seed = html[html.index(f'href="/en/articles/{demo.pk}/"') :]
    assert "carried this text" not in seed[: seed.index("</li>")]
