"""Each public page's query count is pinned, and does not grow with the page size or the number of
annotations."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection

from articles.duplicates import index_text
from articles.models import Article, Mention, Quote
from diplomacy.models import Participant, Participation
from tests.factories import make_article, make_meeting, make_participant, make_source, make_topic

pytestmark = pytest.mark.django_db

# The six facets (people and parties, countries, topics, sources, meetings, agreements) and the number
# of results are one statement, kept in the cache per data generation: a list or search page reads the
# generation (1) and the page of reports (2), and when its facets are not cached yet (cold: first
# request after a write) counts them (3), on PostgreSQL after asking the planner how many reports
# match (an estimate beyond a size, articles/filters.py).
LIST = 2


def cold_list():
    return LIST + 1 + (connection.vendor == "postgresql")


def rerank():
    """The ranking's queries (tests/test_search.py::test_queries_of_a_search_page): how many reports each
    word is in, the head of the matches, then its words: on PostgreSQL one read of the stored index
    entries, on SQLite its texts in 5 and the names kept whole by stemming."""
    return 3 if connection.vendor == "postgresql" else 8


@pytest.fixture
def archive(demo):
    kerry = Participant.objects.get(slug="kerry")
    source = make_source()
    topic = make_topic()
    for n in range(40):
        article = make_article(source=source, published=datetime.date(2016, 1 + n % 12, 1 + n % 28))
        article.topics.add(topic)
        Quote.objects.create(article=article, start=0, end=4, text=article.body[:4], speaker=kerry)
    return demo


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _text(n):
    """A text of its own for each n: 60 words drawn from 400 (two texts share few runs of 4 words)."""
    rng = random.Random(n)
    vocabulary = [a + b + c for a in LETTERS[:8] for b in LETTERS[8:18] for c in LETTERS[18:23]]
    return " ".join(rng.choice(vocabulary) for _ in range(60))


@pytest.fixture
def copies(demo):
    """45 texts, each printed by two outlets (90 reports), quoting Kerry: every list page has copies."""
    kerry = Participant.objects.get(slug="kerry")
    outlets = make_source(slug="outlet-one"), make_source(slug="outlet-two")
    for n in range(45):
        for k, outlet in enumerate(outlets):
            body = ("عاجل: " if k else "") + _text(n)
            article = make_article(title=f"خبر {n} {k}", body=body, source=outlet, published=datetime.date(2016, 1, 1))
            Quote.objects.create(article=article, start=0, end=4, text=body[:4], speaker=kerry)
            index_text(article, new=True)
    assert Article.objects.exclude(copy_group=None).count() == 90
    return outlets


def test_lists_collapsing_copies(client, copies, django_assert_num_queries):
    # warm (each address asked once before: the counts kept per data generation), the list and search
    # as below, and 1 more: the copies of the texts on the page, with their outlets
    for size in (5, 40):
        for every in ("", "&copies=all"):
            client.get(f"/articles/?page_size={size}{every}")
            with django_assert_num_queries(LIST + 1):
                response = client.get(f"/articles/?page_size={size}{every}")
            assert response.content.decode().count('class="report-item"') == size
            client.get(f"/en/search/?q=عاجل&page_size={size}{every}")
            with django_assert_num_queries(2 + rerank() + LIST + 1):
                client.get(f"/en/search/?q=عاجل&page_size={size}{every}")
        # an outlet's page, warm: 1 the outlet, 2 the data generation (its reports and texts counted are
        # kept until a write), 3 the page, 4 the copies
        client.get(f"/sources/outlet-two/?page_size={size}")
        with django_assert_num_queries(4):
            response = client.get(f"/sources/outlet-two/?page_size={size}")
        assert response.content.decode().count('class="report-item"') == size
    # a person's page, warm: as below (8), and 9 the copies of the texts listed
    client.get("/en/participants/kerry/")
    with django_assert_num_queries(9):
        html = client.get("/en/participants/kerry/").content.decode()
    assert "91 reports, 46 texts" in html


def test_article_list(client, archive, django_assert_num_queries):
    # 1 the data generation, 2 the page of reports with their sources; cold, also the facets with the
    # number of reports (and the planner's estimate of it on PostgreSQL)
    for size in (5, 40):
        cache.clear()
        with django_assert_num_queries(cold_list()):
            assert client.get(f"/articles/?page_size={size}").status_code == 200
        with django_assert_num_queries(LIST):
            assert client.get(f"/articles/?page_size={size}").status_code == 200


def test_article_list_with_filters(client, archive, django_assert_num_queries):
    # 1 the participant named, 2 the topic named (the filters check them), then as the plain list
    for size in (5, 40):
        cache.clear()
        with django_assert_num_queries(2 + cold_list()):
            client.get(f"/en/articles/?participant=kerry&topic=syria-war&page_size={size}")
        with django_assert_num_queries(2 + LIST):
            client.get(f"/en/articles/?participant=kerry&topic=syria-war&page_size={size}")


def test_search(client, archive, django_assert_num_queries):
    # 1 synonyms and 2 the names the query may spell (the search service reads the query), then the
    # ranking's (rerank() above), then as the list:
    # the generation, (cold) the facets with the number of results (the match is evaluated once for all
    # of them), the page of reports; snippets are cut in Python. Two different words, as the service
    # remembers the last query it read; asked again, the facets come from the cache.
    for size, word in ((5, "التقرير"), (40, "فقرة")):
        with django_assert_num_queries(2 + rerank() + cold_list()):
            response = client.get(f"/search/?q={word}&page_size={size}")
        assert response.content.decode().count('class="report-item"') == size
        with django_assert_num_queries(2 + rerank() + LIST):
            response = client.get(f"/search/?q={word}&page_size={size}")
        assert response.content.decode().count('class="report-item"') == size


def test_home(client, archive, django_assert_num_queries):
    # 1 the data generation, 2 latest reports with sources; cold (after a write), also 3 agreements
    # counted by status, 4 recent agreements, 5 reports counted, 6 recent visits and meetings with places
    with django_assert_num_queries(6):
        client.get("/")
    with django_assert_num_queries(2):
        client.get("/en/")
    for _ in range(10):
        make_meeting()
    with django_assert_num_queries(6):
        client.get("/en/")
    with django_assert_num_queries(2):
        client.get("/")


def test_report(client, demo, django_assert_num_queries):
    # 1 version (ETag / Last-Modified), 2 the report and its source, 3 quotes with speakers,
    # addressees and meetings, 4 mentions with their targets, 5 meetings with places, 6 agreements,
    # 7 topics, 8 people and parties
    with django_assert_num_queries(8):
        client.get(f"/articles/{demo.pk}/")
    obama = Participant.objects.get(slug="obama")
    for n in range(20):
        Mention.objects.create(article=demo, start=n, end=n + 1, text=demo.body[n], participant=obama)
    with django_assert_num_queries(8):
        client.get(f"/en/articles/{demo.pk}/")


def test_participant(client, archive, django_assert_num_queries):
    # 1 the participant, 2 offices, 3 aliases, 4 meetings taken part in with places, 5 quotes with their
    # reports, 6 agreements, 7 the data generation, 8 coverage listed; cold (after a write), also
    # 9 whom they met most and 10 coverage counted, kept until the next write
    with django_assert_num_queries(10):
        client.get("/participants/kerry/")
    with django_assert_num_queries(8):
        client.get("/en/participants/kerry/")
    kerry = Participant.objects.get(slug="kerry")
    for _ in range(10):
        meeting = make_meeting()
        Participation.objects.create(meeting=meeting, participant=kerry)
        Participation.objects.create(meeting=meeting, participant=make_participant())
    with django_assert_num_queries(10):
        client.get("/en/participants/kerry/")
    with django_assert_num_queries(8):
        client.get("/participants/kerry/")


def test_meeting(client, demo, django_assert_num_queries):
    # 1 the meeting with place and visit, 2 participations with participants, 3 their offices, 4 parts,
    # 5 agreements, 6 topics, 7 quotes said there, 8 coverage, 9 the data generation, 10 the evidence;
    # cold (after a write), also the outlet comparison, kept until the next write: 11 its reports with
    # outlets, 12 their quotes, 13 their mentions of people, 14 their text signatures
    with django_assert_num_queries(14):
        client.get("/meetings/kerry-putin-2016-03-24/")
    with django_assert_num_queries(10):
        client.get("/en/meetings/kerry-putin-2016-03-24/")
    meeting = demo.meetings.get(slug="kerry-putin-2016-03-24")
    for _ in range(5):
        Participation.objects.create(meeting=meeting, participant=make_participant())
    with django_assert_num_queries(14):
        client.get("/en/meetings/kerry-putin-2016-03-24/")
    with django_assert_num_queries(10):
        client.get("/meetings/kerry-putin-2016-03-24/")


def test_agreement(client, demo, django_assert_num_queries):
    # 1 the agreement, 2 parties, 3 meetings that negotiated it with places, 4 topics, 5 coverage, 6 evidence
    with django_assert_num_queries(6):
        client.get("/agreements/syria-cessation-of-hostilities-2016/")


def test_timeline_sources_feed_sitemap(client, archive, django_assert_num_queries):
    # 1 meeting years, 2 agreement years, 3 the year's meetings, 4 its agreements, 5 reports a month
    with django_assert_num_queries(5):
        client.get("/timeline/")
    # 1 the data generation, 2 (cold) sources with their counts of public reports, kept until a write
    with django_assert_num_queries(2):
        client.get("/sources/")
    with django_assert_num_queries(1):
        client.get("/en/sources/")
    make_source()
    with django_assert_num_queries(2):
        client.get("/sources/")
    source = Article.objects.exclude(pk=archive.pk).first().source
    # 1 the source, 2 the data generation, 3 (cold) its reports and texts counted, 4 the page
    with django_assert_num_queries(4):
        client.get(f"/sources/{source.slug}/?page_size=40")
    with django_assert_num_queries(3):  # the count kept until a write
        client.get(f"/sources/{source.slug}/?page_size=10")
    # 1 the newest reports with their sources
    with django_assert_num_queries(1):
        client.get("/feed/")
    # one query for each section: reports, participants, meetings, agreements, sources
    with django_assert_num_queries(5):
        client.get("/sitemap.xml")
