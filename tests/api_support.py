"""Shared builders for the API tests (tests/test_api_*.py)."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import make_article, make_participant, make_source

API = "/api/v1"

__all__ = ["API", "_fresh_throttle", "api", "editor_api", "make_articles", "reviewer_api", "walk"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The anonymous throttle counts in the cache; each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    # Messages follow Accept-Language (Arabic by default); the assertions read English ones.
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def editor_api(editor):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(editor)
    return client


@pytest.fixture
def reviewer_api(reviewer):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(reviewer)
    return client


def make_articles(n, **kwargs):
    """`n` published articles on distinct days (and a few with no date), each naming one person."""
    source = kwargs.pop("source", None) or make_source()
    made = []
    for i in range(n):
        published = None if i % 7 == 3 else datetime.date(2016, 1, 1) + datetime.timedelta(days=i // 2)
        article = make_article(source=source, published=published, **kwargs)
        person = make_participant()
        article.participants.add(person)
        made.append(article)
    return made


def walk(client, url, direction="next"):
    """Every row of a list, following `next` links; returns (rows, pages)."""
    rows, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        data = response.json()
        rows.extend(data["results"])
        pages += 1
        url = data[direction]
    return rows, pages
