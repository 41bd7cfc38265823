"""Issue 18, items 6 and 8: sign-in guards, the shared throttle, and no 500 from what a client sends.

Each test fails on the code before the fix: 200 wrong admin passwords were all
answered and the right one then worked; the token endpoint crashed on deep
JSON; a body over the limit got Django's HTML 400; a database that cannot be
reached gave an HTML 500; a 2 MB body broke the search index.
"""

import json
import random
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from articles import derived
from articles.validators import BODY_MAX_LENGTH
from tests.api_support import *  # noqa: F403  (the API fixtures: api, editor_api, throttle reset)
from tests.api_support import API
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"


def _admin_sign_in(client, password, username="editor"):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"})


@override_settings(AXES_FAILURE_LIMIT=5)
def test_admin_login_locks_an_account_after_repeated_wrong_passwords(editor):
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [_admin_sign_in(client, f"wrong-{i}").status_code for i in range(8)]
    assert answers[:4] == [200] * 4  # the form again, with its error
    assert answers[-1] == 429
    # The right password no longer works from this address …
    assert _admin_sign_in(client, "pw-editor-1").status_code == 429
    # … nor for this account from another address: the account itself is locked.
    assert _admin_sign_in(Client(REMOTE_ADDR="198.51.100.9"), "pw-editor-1").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=5)
def test_admin_lockout_page_is_translated_and_says_what_happened(editor):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(6):
        _admin_sign_in(client, f"wrong-{i}")
    page = _admin_sign_in(client, "wrong-again")
    assert page.status_code == 429
    assert "محاولات" in page.content.decode()  # Arabic, like the rest of the admin


@override_settings(AXES_FAILURE_LIMIT=5)
def test_one_address_guessing_many_accounts_is_locked_out(django_user_model):
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        django_user_model.objects.create_user(name, password="right-pw-123")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _admin_sign_in(client, "guess", username=name)
    assert _admin_sign_in(client, "right-pw-123", username="a6").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_right_password_before_the_limit_resets_the_count(editor):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(4):
        _admin_sign_in(client, f"wrong-{i}")
    assert _admin_sign_in(client, "pw-editor-1").status_code == 302
    client.logout()
    for i in range(4):
        assert _admin_sign_in(client, f"wrong-again-{i}").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=5)
def test_token_endpoint_locks_out_and_answers_in_the_api_error_shape(editor):
    client = APIClient(REMOTE_ADDR="203.0.113.11", HTTP_ACCEPT_LANGUAGE="en")
    url = f"{API}/auth/token/"
    answers = [client.post(url, {"username": "editor", "password": f"x{i}"}).status_code for i in range(30)]
    assert answers[:4] == [400] * 4
    assert set(answers[5:]) == {429}
    locked = client.post(url, {"username": "editor", "password": "pw-editor-1"})
    assert locked.status_code == 429
    body = locked.json()
    assert body["status"] == 429 and body["code"] == "locked_out" and "try again" in body["message"]
    assert int(locked["Retry-After"]) > 0
    assert "token" not in body


def test_anonymous_throttle_counts_in_the_shared_cache(settings, tmp_path):
    """The counters live in the cache every worker reads (Redis or files), never in one process.

    Two Django cache objects on one location stand for two worker processes: each starts with an
    empty memory of its own, so only a counter kept in the shared store can stop the second one.
    """
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    location = tmp_path / "cache"
    shared = {"BACKEND": "diplomacy.cache.SharedFileCache", "LOCATION": str(location)}
    with override_settings(CACHES={"default": shared}):
        caches["default"].clear()
        try:
            statuses = []
            for _worker in range(2):
                # A new handle on the cache, as a fresh worker process would open.
                del caches["default"]
                statuses += [APIClient().get(f"{API}/topics/").status_code for _ in range(2)]
            assert statuses == [200, 200, 200, 429]
        finally:
            caches["default"].clear()


def test_production_settings_share_the_cache_between_processes():
    """Without REDIS_URL the cache is files (shared by a machine's workers), never per-process memory."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {"DJANGO_SETTINGS_MODULE": "diplomacy.settings", "SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=str(django_settings.BASE_DIR),
    )
    assert run.stdout.strip() == "diplomacy.cache.SharedFileCache"
    run = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        check=True,
        cwd=str(django_settings.BASE_DIR),
    )
    assert run.stdout.strip() == "diplomacy.cache.ForgivingRedisCache"


COUNT_IN_A_PROCESS = """
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from articles.api.throttling import AnonymousClientThrottle

request = RequestFactory().get("/api/v1/topics/", REMOTE_ADDR="192.0.2.1")
request.user = AnonymousUser()
allowed = sum(AnonymousClientThrottle().allow_request(request, None) for _ in range(1500))
print(allowed)
"""


def test_concurrent_processes_never_share_out_more_than_the_limit(tmp_path):
    """Three processes, 1,500 requests each from one address, against 2,000 a minute: exactly 2,000 pass.

    DRF's own throttle reads a list of timestamps and writes it back, so processes running at once
    overwrite each other's counts (900 of 900 passed with Redis and three servers)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "diplomacy.settings",
        "DEBUG": "1",
        "CACHE_DIR": str(tmp_path / "cache"),
        "API_ANON_THROTTLE_RATE": "2000/minute",
        "PATH": "/usr/bin:/bin",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_IN_A_PROCESS],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(django_settings.BASE_DIR),
        )
        for _ in range(3)
    ]
    allowed = [int(worker.communicate(timeout=300)[0]) for worker in workers]
    assert sum(allowed) == 2000, allowed


# --- item 8: no 500 for anything a client sends ---------------------------------------------------


def test_deeply_nested_json_is_a_400_not_a_crash(editor_api):
    body = "[" * 100_000 + "]" * 100_000
    token = APIClient().post(f"{API}/auth/token/", body, content_type="application/json")
    assert token.status_code == 400 and token.json()["code"] == "parse_error"
    article = editor_api.post(f"{API}/articles/", body, content_type="application/json")
    assert article.status_code == 400 and article.json()["status"] == 400


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_an_oversized_body_is_a_413_in_the_api_error_shape(editor_api):
    huge = json.dumps({"title": "كبير", "body": "ن" * (10 * 1024 * 1024 // 2)})
    response = editor_api.post(f"{API}/articles/", huge, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "too_large" and "1048576" in response.json()["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_an_oversized_form_body_is_a_413_too(editor_api):
    form = "username=editor&password=" + "x" * (10 * 1024 * 1024)
    for client, url in ((APIClient(), f"{API}/auth/token/"), (editor_api, f"{API}/articles/")):
        response = client.generic("POST", url, form, content_type="application/x-www-form-urlencoded")
        assert response.status_code in (413, 415), (url, response.status_code)
        assert response["Content-Type"].startswith("application/json"), url


def test_a_body_longer_than_the_archive_keeps_is_refused_by_name(editor_api):
    response = editor_api.post(f"{API}/articles/", {"title": "تقرير طويل", "body": "word " * 120_000})
    assert response.status_code == 400, response.content[:300]
    assert "body" in response.json()["fields"]


def test_a_long_report_within_the_limit_is_stored_and_indexed(editor_api):
    body = "\n".join(f"فقرة رقم {i} عن المفاوضات بين الوفدين في موسكو." for i in range(4000))
    response = editor_api.post(f"{API}/articles/", {"title": "تقرير طويل", "body": body})
    assert response.status_code == 201, response.content[:300]


def test_the_longest_body_of_varied_words_is_indexed_not_refused_by_the_database(api):
    """PostgreSQL refuses a tsvector over 1 MiB: 2 MB of varied words made saving a report fail.
    The index now stops adding new words at its size budget (on SQLite this passes either way)."""
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    chooser = random.Random(18)
    words = ["".join(chooser.choice(letters) for _ in range(chooser.randint(4, 9))) for _ in range(80_000)]
    body = " ".join(words)[:BODY_MAX_LENGTH]
    article = make_article(title="تقرير بكلمات كثيرة", body=body)
    derived.refresh(participants=[article.pk])
    found = api.get(f"{API}/articles/", {"q": words[0]}).json()["results"]
    assert [row["id"] for row in found] == [article.pk]


def test_database_unavailable_is_a_503_in_the_api_error_shape(api):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("could not connect")
    ):
        response = api.get(f"{API}/articles/")
    assert response.status_code == 503
    assert response.json() == {
        "status": 503,
        "code": "unavailable",
        "message": "The archive's database cannot be reached; try again in a minute.",
        "fields": {},
    }
    assert response["Retry-After"] == "60"


DATABASE_DOWN = mock.patch(
    "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("could not connect")
)


@pytest.mark.parametrize(
    ("address", "heading"),
    [("/", "الأرشيف غير متاح للحظات"), ("/en/articles/", "The archive is unavailable for a moment")],
)
def test_database_unavailable_is_a_503_page_in_the_pages_language(address, heading):
    client = Client(raise_request_exception=False)
    with DATABASE_DOWN:
        response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("text/html")
    assert heading in response.content.decode()


def test_database_unavailable_before_the_view_is_still_a_503(editor):
    """A signed-in reader's session and user are read before any view runs: that failure is a 503 too,
    a page on the site and the error shape in the API."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    with DATABASE_DOWN:
        page, api_answer = client.get("/en/"), client.get(f"{API}/articles/")
    assert page.status_code == 503 and "unavailable" in page.content.decode()
    assert api_answer.status_code == 503
    assert api_answer.json()["code"] == "unavailable" and api_answer["Retry-After"] == "60"


def test_an_unexpected_failure_in_the_api_keeps_its_error_shape(monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("articles.security.PermissionsPolicyMiddleware.__call__", mock.Mock(side_effect=RuntimeError))
    api_answer, page = client.get(f"{API}/articles/"), client.get("/en/")
    assert api_answer.status_code == 500
    assert api_answer.json() == {
        "status": 500,
        "code": "error",
        "message": "تعذّر على الأرشيف الإجابة عن هذا الطلب.",
        "fields": {},
    }
    assert page.status_code == 500 and "Something went wrong" in page.content.decode()


def test_the_admin_login_still_works(editor):
    client = Client()
    assert _admin_sign_in(client, "pw-editor-1").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
