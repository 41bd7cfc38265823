"""The replica router's rules, on any database (a real replica: tests/test_replicas.py)."""

import logging
import socket

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import RequestFactory

from diplomacy.routers import WROTE_COOKIE, ReplicaRouter, _reads_from, reads_primary, replicas
from tests.factories import make_article

GHOST = "ghost_replica"


@pytest.fixture(scope="module")
def ghost_alias():
    """A replica that cannot be reached: a PostgreSQL address where no server listens.

    Module-scoped, so that it exists when the test's database set-up reads its `databases`; a
    mirror used by transactional tests only, so that the set-up neither opens a transaction on
    it nor empties it.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens there once the socket is closed
    connections.settings[GHOST] = {
        **connections.settings[DEFAULT_DB_ALIAS],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "archive",
        "HOST": "127.0.0.1",
        "PORT": str(closed_port),
        "USER": "postgres",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_HEALTH_CHECKS": False,
        "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
    }
    yield GHOST
    connections[GHOST].close()
    del connections.settings[GHOST]


@pytest.fixture
def ghost(ghost_alias, settings):
    settings.DATABASE_REPLICAS = [ghost_alias]
    replicas.reset()
    yield ghost_alias
    replicas.reset()


def request(method="get", path="/articles/", user=None, **extra):
    made = getattr(RequestFactory(), method)(path, **extra)
    made.user = user or AnonymousUser()
    return made


def test_who_reads_from_the_primary(django_user_model, db):
    editor = django_user_model.objects.create_user("routing-editor", is_staff=True)
    assert not reads_primary(request())
    assert not reads_primary(request("head"))
    assert reads_primary(request("post"))
    assert reads_primary(request("patch", "/api/v1/articles/1/"))
    assert reads_primary(request(HTTP_AUTHORIZATION="Token abc"))
    assert reads_primary(request(path="/admin/articles/article/"))
    assert reads_primary(request(user=editor))
    wrote = request()
    wrote.COOKIES[WROTE_COOKIE] = "1"
    assert reads_primary(wrote)


def test_a_write_sends_the_rest_of_the_request_to_the_primary():
    router = ReplicaRouter()
    token = _reads_from.set("replica1")
    try:
        assert router.db_for_read(None) == "replica1"
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
        assert router.db_for_read(None) == DEFAULT_DB_ALIAS
    finally:
        _reads_from.reset(token)
    assert router.db_for_read(None) == DEFAULT_DB_ALIAS  # outside requests: the primary
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles") and not router.allow_migrate("replica1", "articles")


def test_without_replicas_nothing_changes(client, db):
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.status_code == 302 and WROTE_COOKIE not in answer.cookies


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, GHOST])
def test_an_unreachable_replica_is_skipped_logged_once_and_never_an_error(client, ghost, caplog):
    article = make_article(title="تقرير يقرأ من الأساس")
    with caplog.at_level(logging.WARNING, logger="diplomacy.replicas"):
        for _ in range(3):
            answer = client.get("/articles/")
            assert answer.status_code == 200 and article.title in answer.content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.name == "diplomacy.replicas"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Read replica {GHOST} cannot be reached")


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, GHOST])
def test_writes_mark_the_client_for_reading_its_writes(client, ghost, settings):
    settings.READ_YOUR_WRITES_SECONDS = 7
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.cookies[WROTE_COOKIE]["max-age"] == 7 and answer.cookies[WROTE_COOKIE]["httponly"]
    assert WROTE_COOKIE not in client.get("/articles/").cookies
