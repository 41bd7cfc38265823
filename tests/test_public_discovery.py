"""Discovery: the Atom feed of newly published reports, sitemap.xml and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_lists_newly_published_reports_first(client, demo):
    older = make_article(title="تقرير أقدم", published_at=timezone.now() - datetime.timedelta(days=3))
    newer = make_article(title="تقرير أحدث", published_at=timezone.now())
    make_article(title="مسودة لا تظهر", status=Article.Status.DRAFT)
    for prefix, lang in (("", "ar"), ("/en", "en")):
        response = client.get(f"{prefix}/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert root.tag == f"{ATOM}feed"
        titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
        assert titles.index(newer.title) < titles.index(older.title)
        assert "مسودة لا تظهر" not in titles
        links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
        assert f"http://testserver{prefix}/articles/{newer.pk}/" in links
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert "Diplomacy Archive" in client.get("/en/feed/").content.decode()
    assert "أرشيف الدبلوماسية" in client.get("/feed/").content.decode()


def test_every_page_links_to_the_feed(client, demo):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feed/"' in html


def test_sitemap_lists_public_pages_in_both_languages(client, demo):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    locations = {url.find(f"{SITEMAP}loc").text for url in root.iter(f"{SITEMAP}url")}
    for path in (
        f"/articles/{demo.pk}/",
        "/participants/kerry/",
        "/meetings/kerry-putin-2016-03-24/",
        "/agreements/geneva-direct-talks-2016-03-24/",
        "/timeline/",
        f"/sources/{demo.source.slug}/",
    ):
        assert f"http://testserver{path}" in locations, path
        assert f"http://testserver/en{path}" in locations, path
    assert not any(f"/articles/{draft.pk}/" in loc for loc in locations)
    assert b'hreflang="en"' in response.content and b'hreflang="x-default"' in response.content


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
