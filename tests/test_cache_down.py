"""While Redis cannot be reached the archive keeps answering: the default cache answers as an empty
one (`diplomacy.cache.ForgivingRedisCache`), pages are computed afresh, the API lets requests
through, an editor's save goes through; the `strict` cache still raises for the PDF job's retries."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from articles.models import Article
from diplomacy import cache as shared_cache
from diplomacy.cache import ForgivingRedisCache
from diplomacy.models import Participant

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
DOWN = "redis://127.0.0.1:1/0"
REDIS_DOWN = {
    "default": {"BACKEND": "diplomacy.cache.ForgivingRedisCache", "LOCATION": DOWN},
    "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DOWN},
}


@pytest.fixture
def redis_down(monkeypatch):
    monkeypatch.setattr(shared_cache, "_last_warning", float("-inf"))
    with override_settings(CACHES=REDIS_DOWN):
        yield


def test_every_operation_answers_as_an_empty_cache_and_says_so_once(redis_down, caplog):
    cache = ForgivingRedisCache(DOWN, {})
    with caplog.at_level(logging.WARNING, logger="diplomacy.cache"):
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set("key", 1) is None and cache.get("key") is None  # kept nowhere
        assert cache.add("lock", 1) is True  # whoever asks does the work itself
        assert cache.has_key("key") is False and cache.delete("key") is False
        with pytest.raises(ValueError, match="cannot be reached"):  # as a counter the cache does not hold
            cache.incr("counter")
    warnings = [r for r in caplog.records if r.name == "diplomacy.cache"]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0].getMessage()


def test_the_strict_cache_still_raises(redis_down):
    with pytest.raises(RedisConnectionError):
        caches["strict"].get("key")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/en/articles/",
        "/search/?q=كيري",
        "/quotes/?speaker=lavrov",
        "/participants/kerry/",
        "/meetings/kerry-lavrov-talks-2016-03-24/",
        "/sources/",
        "/charts/",
        "/charts/speakers.png",
        "/api/v1/articles/",
        "/api/v1/quotes/",
    ],
)
def test_pages_and_the_api_answer_while_redis_is_down(client, demo, redis_down, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def test_a_report_page_and_its_pdf_answer_while_redis_is_down(client, demo, redis_down):
    article = Article.objects.published().first()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/articles/{article.pk}/pdf/").status_code == 200


def test_the_api_throttle_lets_requests_through_while_redis_is_down(demo, redis_down):
    # (not pytest-django's `settings`: undone after `redis_down`, it would put the dead cache back)
    with override_settings(API_ANON_THROTTLE_RATE="2/minute"):
        api = APIClient()
        assert [api.get("/api/v1/topics/").status_code for _ in range(4)] == [200] * 4  # counted nowhere


def test_an_editors_save_goes_through_while_redis_is_down(redis_down):
    # a participant's save tells the suggestions' cache (articles/suggestions.py) that names changed
    person = Participant.objects.create(kind="person", name_ar="شخص", name_en="Someone", slug="someone")
    person.name_en = "Someone Else"
    person.save()
    assert Participant.objects.get(slug="someone").name_en == "Someone Else"
