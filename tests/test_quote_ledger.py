"""The quote ledger: `/quotes/` (Arabic and English) and the API's quotes with the same filters."""

import datetime
import re

import pytest

from articles import actions, derived
from articles.models import Article, Quote
from diplomacy.models import Participant
from tests.factories import make_article, make_source
from tests.public_helpers import LANGUAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated_demo(demo):
    demo.published = datetime.date(2016, 3, 24)
    demo.save()
    return demo


def ledger_ids(client, query=""):
    response = client.get(f"/api/v1/quotes/?page_size=100{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_ledger_lists_every_quote_with_the_speakers_office_on_the_day(client, dated_demo, prefix):
    response = client.get(f"{prefix}/quotes/?page_size=100")
    assert response.status_code == 200
    html = response.content.decode()
    for quote in Quote.objects.filter(article=dated_demo):
        assert f"/quotes/{quote.pk}/" in html
    office = "وزير الخارجية الأميركي" if prefix == "" else "United States Secretary of State"
    assert office in html
    assert html.count('class="ledger-item"') == Quote.objects.count()


def test_office_is_the_one_held_on_the_reports_date(client, dated_demo):
    dated_demo.published = datetime.date(2018, 1, 1)  # Kerry left office in January 2017
    dated_demo.save()
    html = client.get("/quotes/?speaker=kerry").content.decode()
    assert "وزير الخارجية الأميركي" not in html
    assert html.count('class="ledger-item"') == Quote.objects.filter(speaker__slug="kerry").count()


def test_filters_by_speaker_country_kind_and_addressee(client, demo):
    lavrov = set(Quote.objects.filter(speaker__slug="lavrov").values_list("pk", flat=True))
    russians = set(Quote.objects.filter(speaker__country="RU").values_list("pk", flat=True))
    partial = set(Quote.objects.filter(kind="partial").values_list("pk", flat=True))
    to_lavrov = set(Quote.objects.filter(addressee__slug="lavrov").values_list("pk", flat=True))
    assert lavrov and russians > lavrov and partial and to_lavrov
    assert ledger_ids(client, "&speaker=lavrov") == lavrov
    assert ledger_ids(client, "&country=RU") == russians
    assert ledger_ids(client, "&kind=partial") == partial
    assert ledger_ids(client, "&addressee=lavrov") == to_lavrov
    # the public page filters with the same FilterSet
    html = client.get("/quotes/?speaker=lavrov&page_size=100").content.decode()
    assert html.count('class="ledger-item"') == len(lavrov)


def test_filters_by_outlet_topic_and_dates(client, dated_demo):
    other = make_article(
        title="تقرير آخر", body="قال لافروف: «نص آخر للاختبار»", source=make_source(slug="other-outlet")
    )
    lavrov = Participant.objects.get(slug="lavrov")
    start = other.body.index("نص")
    quote = Quote.objects.create(
        article=other, start=start, end=start + len("نص آخر للاختبار"), text="نص آخر للاختبار", speaker=lavrov
    )
    other.published = datetime.date(2015, 1, 1)
    other.save()
    assert ledger_ids(client, "&source=other-outlet") == {quote.pk}
    demo_quotes = set(Quote.objects.filter(article=dated_demo).values_list("pk", flat=True))
    assert ledger_ids(client, "&topic=syria-war") == demo_quotes
    assert ledger_ids(client, "&published_before=2015-12-31") == {quote.pk}
    assert ledger_ids(client, "&published_after=2016-01-01") == demo_quotes


def test_words_are_searched_in_the_quote_not_the_whole_report(client, demo):
    with_syria = Quote.objects.get(text__startswith="الطريقة التي استطعنا")
    without = Quote.objects.get(text="نقاط التقاء")
    found = ledger_ids(client, "&q=سورية")  # the variant spelling finds سوريا
    assert with_syria.pk in found
    assert without.pk not in found
    for quote in Quote.objects.filter(pk__in=found):
        assert "سوري" in quote.text
    html = client.get("/quotes/?q=سورية").content.decode()
    assert f"/quotes/{with_syria.pk}/" in html
    assert f"/quotes/{without.pk}/" not in html


def test_facets_count_the_filtered_quotes(client, demo):
    html = client.get("/en/quotes/?country=RU").content.decode()
    lavrov = Quote.objects.filter(speaker__slug="lavrov").count()
    putin = Quote.objects.filter(speaker__slug="putin").count()
    assert f'Sergey Lavrov</span> <span class="count">{lavrov}</span>' in html
    assert f'Vladimir Putin</span> <span class="count">{putin}</span>' in html
    assert 'John Kerry</span> <span class="count">' not in html


def test_bad_input_is_a_clear_400(client, demo):
    assert client.get("/quotes/?page_size=1000").status_code == 400
    response = client.get("/quotes/?published_after=yesterday")
    assert response.status_code == 400
    assert client.get("/quotes/?speaker=nobody").status_code == 400
    assert client.get("/api/v1/quotes/?published_after=yesterday").status_code == 400
    assert client.get('/api/v1/quotes/?q="').status_code in (200, 400)


def test_drafts_do_not_leak_into_the_ledger(client, demo):
    kerry = Participant.objects.get(slug="kerry")
    for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.WITHDRAWN):
        body = f"قال كيري: «سر المسودة {status}»"
        article = make_article(title=f"مسودة {status}", body=body, status=status)
        start = body.index("سر")
        Quote.objects.create(article=article, start=start, end=len(body) - 1, text=body[start:-1], speaker=kerry)
    for prefix in LANGUAGES:
        html = client.get(f"{prefix}/quotes/?page_size=100&speaker=kerry").content.decode()
        assert "سر المسودة" not in html
    public = Quote.objects.filter(article__status="published", speaker=kerry).count()
    assert f'<span class="count">{public}</span>' in client.get("/quotes/").content.decode()
    assert ledger_ids(client, "&speaker=kerry") == set(
        Quote.objects.filter(article__status="published", speaker=kerry).values_list("pk", flat=True)
    )
    for quote in Quote.objects.exclude(article__status="published"):
        assert client.get(f"/quotes/{quote.pk}/").status_code == 404
    assert ledger_ids(client, "&q=المسودة") == set()


def test_speaker_page_links_to_their_ledger(client, demo):
    html = client.get("/participants/lavrov/").content.decode()
    assert 'href="/quotes/?speaker=lavrov"' in html


def test_ledger_queries_do_not_grow_with_page_size(client, demo, django_assert_num_queries):
    for size in (2, 50):
        derived.bump_generation()  # as any write does: nothing kept
        # 1 the data generation, 2 the newest matching quotes' facet values (which also counts them),
        # 3 the names of the speakers and addressees counted, 4 of the outlets (the demo's quotes name
        # no meeting, so no query for meetings), 5 the page with speakers, addressees, meetings,
        # reports and sources, 6 the offices
        with django_assert_num_queries(6):
            assert client.get(f"/quotes/?page_size={size}").status_code == 200
        # the facets and the count are kept until the next write: the generation, the page, the offices
        with django_assert_num_queries(3):
            assert client.get(f"/quotes/?page_size={size}").status_code == 200


def test_ledger_counts_are_kept_until_a_write_and_never_an_editors(client, demo, editor):
    kerry = Participant.objects.get(slug="kerry")
    count = Quote.objects.filter(article__status="published", speaker=kerry).count()
    facet = 'John Kerry</span> <span class="count">{}</span>'
    assert facet.format(count) in client.get("/en/quotes/").content.decode()
    body = "قال كيري: «كلام جديد في تقرير جديد»"
    article = make_article(title="تقرير جديد", body=body)
    start = body.index("كلام")
    Quote.objects.create(article=article, start=start, end=len(body) - 1, text=body[start:-1], speaker=kerry)
    assert facet.format(count + 1) in client.get("/en/quotes/").content.decode()  # the write is seen
    draft = make_article(title="مسودة", body=body, status=Article.Status.DRAFT)
    Quote.objects.create(article=draft, start=start, end=len(body) - 1, text=body[start:-1], speaker=kerry)
    client.force_login(editor)
    assert editor.has_perm("articles.view_draft")
    assert facet.format(count + 2) in client.get("/en/quotes/").content.decode()  # an editor's preview, kept for nobody
    client.logout()
    assert facet.format(count + 1) in client.get("/en/quotes/").content.decode()


def test_a_large_ledger_counts_its_newest_quotes_and_says_so(client, demo, monkeypatch):
    monkeypatch.setattr("articles.filters.LEDGER_WINDOW", 5)
    html = client.get("/en/quotes/?page_size=2").content.decode()
    assert "More than 5 quotes: the newest 5 are listed" in html
    assert "Page 1 of 3" in html
    counted = sum(
        int(n)
        for n in re.findall(
            r'<span class="count">(\d+)</span>', html.split('id="facet-speaker"')[1].split("</section>")[0]
        )
    )
    assert counted == 5
    assert client.get("/en/quotes/?page_size=2&page=4").status_code == 400
    html = client.get("/en/quotes/?speaker=putin").content.decode()  # fewer than the window: exact
    assert f"{Quote.objects.filter(speaker__slug='putin').count()} quotes" in html


def test_facets_keep_only_the_most_quoted_even_with_ties(client, demo):
    # more speakers than a facet shows, all quoted equally often, created so that their ids and
    # their order of appearance disagree: the names shown are exactly the ones counted
    body = " ".join(f"قال شخص{n}: «كلام {n}»." for n in range(15))
    article = make_article(title="كثيرون", body=body)
    people = [
        Participant.objects.create(kind="person", name_ar=f"متحدث {n}", name_en=f"Speaker {n}", slug=f"sp-{n}")
        for n in range(15)
    ]
    for n, person in enumerate(reversed(people)):
        start = body.index(f"كلام {n}»")
        Quote.objects.create(
            article=article, start=start, end=start + len(f"كلام {n}"), text=f"كلام {n}", speaker=person
        )
    response = client.get("/en/quotes/?published_after=2016-03-24&published_before=2016-03-24")
    assert response.status_code == 200
    speakers = response.content.decode().split('id="facet-speaker"')[1].split("</section>")[0]
    assert speakers.count("<li>") == 12


def test_each_quote_carries_its_reports_date_and_the_ledger_sorts_on_it(client, demo, reviewer):
    """`Quote.published` is derived (articles/derived.py): it follows the report's date through an edit,
    a new quote and a raw save alike, and the ledger's newest-first order (and its date filters) use it."""
    assert set(Quote.objects.filter(article=demo).values_list("published", flat=True)) == {demo.published}
    actions.edit_article(demo, user=reviewer, values={"published": datetime.date(2016, 3, 24)})
    assert set(Quote.objects.filter(article=demo).values_list("published", flat=True)) == {datetime.date(2016, 3, 24)}
    kerry = Participant.objects.get(slug="kerry")
    later = make_article(published=datetime.date(2017, 5, 1))
    newest = Quote.objects.create(article=later, start=0, end=4, text=later.body[:4], speaker=kerry)
    newest.refresh_from_db()
    assert newest.published == datetime.date(2017, 5, 1)
    later.published = datetime.date(2015, 1, 1)  # a save outside any action refreshes it too
    later.save()
    newest.refresh_from_db()
    assert newest.published == datetime.date(2015, 1, 1)
    html = client.get("/en/quotes/?speaker=kerry&page_size=100").content.decode()
    ids = [int(pk) for pk in re.findall(r'class="ledger-item"[^>]*>.*?/quotes/(\d+)/', html, re.S)]
    assert ids and ids[-1] == newest.pk  # the oldest report now: last
    assert ledger_ids(client, "&published_before=2015-12-31") == {newest.pk}
    # a report without a date: its quotes come after every dated one
    later.published = None
    later.save()
    Quote.objects.filter(pk=newest.pk).update(published=None)
    html = client.get("/en/quotes/?speaker=kerry&page_size=100").content.decode()
    assert [int(pk) for pk in re.findall(r'class="ledger-item"[^>]*>.*?/quotes/(\d+)/', html, re.S)][-1] == newest.pk
