"""The report list's facets: counts shown, combinable, kept in bookmarkable addresses, pages of up to 100."""

import datetime
import re

import pytest

from articles.models import Article
from tests.factories import make_article, make_source, make_topic

pytestmark = pytest.mark.django_db


def facet(html, name):
    """(value, count, selected) for each link in one facet of the page."""
    section = re.search(rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', html, re.S)
    if section is None:
        return []
    link = r'<a href="\?([^"]*)"( class="selected"[^>]*)?[^>]*>.*?<span class="count">(\d+)</span>'
    rows = re.findall(link, section.group(1), re.S)
    return [(query.replace("&amp;", "&"), int(count), bool(selected)) for query, selected, count in rows]


def demo_source(archive):
    return Article.objects.exclude(pk__in=[a.pk for a in archive]).get().source.slug


@pytest.fixture
def archive(demo):
    reuters = make_source(name_ar="رويترز", name_en="Reuters", slug="reuters")
    iran = make_topic(name_ar="إيران", name_en="Iran", slug="iran")
    others = [make_article(source=reuters, published=datetime.date(2017, 1, n + 1)) for n in range(3)]
    for article in others[:2]:
        article.topics.add(iran)
    others[0].meetings.add(demo.meetings.get(slug="kerry-putin-2016-03-24"))  # brings Kerry and Putin in
    return others


def test_facets_show_counts_of_the_current_results(client, archive):
    html = client.get("/en/articles/").content.decode()
    assert "4 reports" in html
    sources = facet(html, "source")
    assert ("source=reuters", 3, False) in sources
    assert (f"source={demo_source(archive)}", 1, False) in sources
    assert ("topic=iran", 2, False) in facet(html, "topic")
    assert ("participant=kerry", 2, False) in facet(html, "participant")
    assert ("country=US", 2, False) in facet(html, "country")


def test_facets_combine_and_stay_in_the_address(client, archive):
    html = client.get("/en/articles/?topic=iran").content.decode()
    assert "2 reports" in html
    # every link keeps the chosen topic and adds its own value
    participant = facet(html, "participant")
    assert ("topic=iran&participant=kerry", 1, False) in participant
    narrowed = client.get("/en/articles/?topic=iran&participant=kerry").content.decode()
    assert "1 report" in narrowed
    # a chosen value is marked, and its link is the same page without it
    assert ("topic=iran", 1, True) in facet(narrowed, "participant")
    assert 'class="chip" href="?topic=iran"' in narrowed


def test_dates_and_words_combine_with_facets(client, archive):
    html = client.get("/en/articles/?source=reuters&published_after=2017-01-02").content.decode()
    assert "2 reports" in html
    assert 'value="2017-01-02"' in html  # the form shows what was asked
    assert "from 2 January 2017" in html
    html = client.get(f"/en/search/?q=كيري&source={demo_source(archive)}").content.decode()
    assert "1 report" in html and "<mark>" in html


def test_page_size_up_to_100(client, archive):
    for _ in range(30):
        make_article(published=datetime.date(2018, 1, 1))
    total = Article.objects.published().count()
    html = client.get("/en/articles/?page_size=100").content.decode()
    assert html.count('class="report-item"') == total
    html = client.get("/en/articles/?page_size=10&page=2").content.decode()
    assert html.count('class="report-item"') == 10
    assert 'href="?page_size=10&amp;page=3"' in html and 'href="?page_size=10&amp;page=1"' in html
    assert client.get("/en/articles/?page_size=101").status_code == 400


def test_the_seed_is_found_by_facet_and_by_search(client, demo):
    for url in (
        "/articles/?participant=kerry",
        "/articles/?meeting=kerry-lavrov-talks-2016-03-24",
        "/articles/?agreement=syria-cessation-of-hostilities-2016",
        "/articles/?country=RU&topic=syria-war",
        "/search/?q=لافروف",
        "/search/?q=موسكو",
        "/en/search/?q=كيري&participant=lavrov",
    ):
        html = client.get(url).content.decode()
        assert f'href="{"/en" if url.startswith("/en") else ""}/articles/{demo.pk}/"' in html, url


def test_search_highlights_snippets_and_shows_facets(client, demo):
    html = client.get("/search/?q=لافروف").content.decode()
    assert '<p class="snippet"' in html and "<mark>" in html
    assert 'aria-labelledby="facet-participant"' in html
    empty = client.get("/search/").content.decode()
    assert 'class="report-item"' not in empty and 'name="q"' in empty
