"""Lists and search results in the order a researcher asks for: newest, oldest, best match (search),
or by source, kept in the address like the filters."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from articles.models import Article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    zaman = make_source(name_ar="الزمان", name_en="Az-Zaman", slug="zaman")
    ahram = make_source(name_ar="الأهرام", name_en="Al-Ahram", slug="ahram")
    return {
        "old": make_article(title="لافروف في جنيف", published=datetime.date(2015, 1, 5), source=zaman),
        "mid": make_article(
            title="لقاء بلا تاريخ مطبوع",
            body="لافروف ولافروف ولافروف يلتقي كيري.",
            published=None,
            approximate_date=datetime.date(2016, 3, 24),
            source=ahram,
        ),
        "new": make_article(title="كيري يزور موسكو", published=datetime.date(2017, 7, 1), source=zaman),
        "none": make_article(title="تقرير مجهول التاريخ", published=None),
    }


def order(client, url, reports):
    html = client.get(url).content.decode()
    found = sorted((html.index(a.title), name) for name, a in reports.items() if a.title in html)
    return [name for _, name in found]


def test_newest_first_by_default_and_oldest_on_request(client, reports):
    assert order(client, "/en/articles/", reports) == ["new", "mid", "old", "none"]
    assert order(client, "/en/articles/?sort=newest", reports) == ["new", "mid", "old", "none"]
    # reports with no date at all come last either way
    assert order(client, "/en/articles/?sort=oldest", reports) == ["old", "mid", "new", "none"]


def test_by_source_in_the_readers_language(client, reports):
    # English: Al-Ahram before Az-Zaman; Arabic: الأهرام before الزمان; reports without a source last
    assert order(client, "/en/articles/?sort=source", reports) == ["mid", "new", "old", "none"]
    assert order(client, "/articles/?sort=source", reports) == ["mid", "new", "old", "none"]


def test_search_is_best_match_first_unless_asked_otherwise(client, reports):
    # the older report names him in its title: it ranks first, though the newer is newer
    assert order(client, "/en/search/?q=لافروف", reports) == ["old", "mid"]
    assert order(client, "/en/search/?q=لافروف&sort=newest", reports) == ["mid", "old"]
    assert order(client, "/en/search/?q=لافروف&sort=relevance", reports) == ["old", "mid"]


def test_the_sort_is_kept_in_page_links_and_filter_links(client, reports):
    html = client.get("/en/articles/?sort=oldest&page_size=1").content.decode()
    assert 'href="?sort=oldest&amp;page_size=1&amp;page=2"' in html
    assert '<option value="oldest" selected>' in html
    assert 'value="relevance"' not in html  # best match is for searches
    search = client.get("/en/search/?q=لافروف").content.decode()
    assert '<option value="relevance" selected>' in search


def test_an_unknown_sort_is_a_clear_400(client, reports):
    response = client.get("/en/articles/?sort=popularity")
    assert response.status_code == 400
    assert "cannot be sorted by “popularity”" in response.content.decode()


def test_sorting_adds_no_query(client, django_assert_num_queries, reports):
    for n in range(30):
        make_article(title=f"تقرير إضافي {n}", status=Article.Status.PUBLISHED)
    # 1 the data generation, 2 the page of reports; the facets and count (with the planner's estimate
    # on PostgreSQL) come from the cache after the first request (tests/test_public_queries.py)
    cold = 4 if connection.vendor == "postgresql" else 3
    for size in (5, 30):
        cache.clear()
        with django_assert_num_queries(cold):
            client.get(f"/en/articles/?sort=source&page_size={size}")
        with django_assert_num_queries(2):
            client.get(f"/en/articles/?sort=source&page_size={size}")
