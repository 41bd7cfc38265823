import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.demo_snapshot import DemoSnapshot

SHARED = Path(__file__).resolve().parents[1] / "articles" / "demo"
SEED_TEXT = SHARED / "kerry-moscow-2016.txt"
SEED_RECORDS = SHARED / "kerry-moscow-2016.annotations.json"
SEED_TITLE = "ماذا حمل جون كيري في جعبته للقيادات السورية"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def screenshot_folder(environ, scratch):
    """Where browser tests write their screenshots: docs/screenshots/ (shown in the README) only under
    `make screenshots` (SCREENSHOTS=1); otherwise a scratch folder, so `make test` leaves tracked files alone."""
    return SCREENSHOTS if environ.get("SCREENSHOTS") == "1" else scratch


_captured = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database (one an xdist worker), and `load_demo`'s rows captured from it once,
    while it is as migrations left it; the database is left that way."""
    with django_db_blocker.unblock():
        _captured["demo"] = DemoSnapshot.capture()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts from an empty cache (test settings: local memory, which outlives a test in its
    process): what is kept per data generation must not meet another test's rows, rolled back to the
    same generation and the same ids."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo_snapshot(django_db_setup):
    """The demo's rows, to replay with `.replay()` (the `demo` fixture does)."""
    return _captured["demo"]


@pytest.fixture(autouse=True)
def _rewind_sequences_after_the_demo(django_db_blocker):
    """Before each test that follows one with the demo, before any fixture makes rows (the previous
    test's rows are rolled back by then): see `DemoSnapshot.rewind_sequences`."""
    snapshot = _captured.get("demo")
    if snapshot is not None and snapshot.replayed:
        snapshot.replayed = False
        with django_db_blocker.unblock():
            DemoSnapshot.rewind_sequences()


@pytest.fixture
def demo(db, demo_snapshot):
    """The seed report, published, with its reference annotation (what `manage.py load_demo` writes)."""
    from articles.models import Article

    demo_snapshot.replay()
    return Article.objects.get(title=SEED_TITLE)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """The folder for screenshots (see `screenshot_folder`); it exists."""
    folder = screenshot_folder(os.environ, tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def linked_demo(db):
    """The seed report as `make run` loads it: quotes, names of people and places linked, approximate date."""
    from articles.models import Article

    call_command("load_demo", "--seed-only", stdout=StringIO())
    return Article.objects.get(title=SEED_TITLE)


@pytest.fixture
def second_demo(demo):
    """The second demo report of the same talks (written for the demo), loaded after the seed by load_demo."""
    from articles.models import Article

    call_command("load_demo", "--with-second", stdout=StringIO())
    return Article.objects.get(source__name_en="Demo text")


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def reviewer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reviewer", password="pw-reviewer-1", is_staff=True)
    user.groups.add(Group.objects.get(name="reviewers"))
    return user


class _OneRequestAtATime(ThreadedWSGIServer):
    """The browser tests' live server: its threads share the test's database connection (SQLite's
    in-memory test database cannot be opened twice), so a page loading several images at once
    would run two queries on one connection from two threads and wait for ever. Requests are
    answered one at a time, each to its end; connections still get their own threads."""

    _lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self._lock:
                return list(application(environ, start_response))

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _live_server_answers_one_request_at_a_time():
    LiveServerThread.server_class = _OneRequestAtATime
