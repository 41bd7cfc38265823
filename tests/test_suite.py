"""The suite's own machinery (tests/conftest.py): the demo loaded once a session and replayed into each
test that asks for it, an empty archive for the others, and screenshots only under `make screenshots`."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction

from articles.models import Article, Quote, SearchDocument
from articles.search import search
from diplomacy.models import Participant, ParticipantAlias
from tests.conftest import SCREENSHOTS, SEED_TITLE, screenshot_folder
from tests.demo_snapshot import DemoSnapshot, shadow_tables
from tests.factories import make_article, make_participant


def table_counts():
    """Rows a table, every table but SQLite's FTS5 shadow tables (their layout depends on the write history)."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        skipped = set().union(*(shadow_tables(name) for name in names))
        counts = {}
        for name in names:
            if name not in skipped:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
                counts[name] = cursor.fetchone()[0]
    return counts


def test_the_replayed_demo_has_every_row_a_fresh_load_demo_writes(db, demo_snapshot):
    empty = table_counts()
    with transaction.atomic():
        call_command("load_demo", "--seed-only", "--quotes-only", stdout=StringIO())
        fresh = table_counts()
        transaction.set_rollback(True)
    assert table_counts() == empty
    demo_snapshot.replay()
    assert table_counts() == fresh
    assert fresh["articles_article"] == 1 and fresh["articles_quote"] == 18


def test_load_demo_finds_the_replayed_demo_complete(demo):
    out = StringIO()
    call_command("load_demo", "--seed-only", "--quotes-only", stdout=out)
    assert "already loaded, nothing changed" in out.getvalue()
    assert f"article {demo.pk} with 18 quotes" in out.getvalue()


def test_search_finds_the_replayed_demo(demo):
    """The search index came with it: the tsvector rows on PostgreSQL, the FTS5 table on SQLite."""
    articles = Article.objects.all()
    assert list(search(articles, "لافروف")) == [demo]
    assert list(search(articles, "Lavrov")) == [demo]  # a participant's name, across scripts
    assert list(search(articles, '"جون كيري"')) == [demo]
    assert list(search(articles, "غوانتانامو")) == []
    if connection.vendor == "postgresql":
        assert SearchDocument.objects.filter(article=demo, vector__isnull=False).exists()


def test_the_demo_can_be_changed_and_searched_like_a_loaded_one(demo):
    # New rows get ids after the demo's (PostgreSQL's sequences were moved past them).
    person = make_participant(name_ar="سيرغي شويغو", slug="shoigu")
    assert person.pk > max(Participant.objects.exclude(pk=person.pk).values_list("pk", flat=True))
    other = make_article(title="شويغو في دمشق", body="زار وزير الدفاع الروسي دمشق.")
    assert other.pk > demo.pk
    lavrov = demo.participants.get(slug="lavrov")
    ParticipantAlias.objects.create(participant=lavrov, name="Лавров", language="en")
    assert list(search(Article.objects.all(), "Лавров")) == [demo]
    assert list(search(Article.objects.all(), "دمشق")) == [other]


def test_rows_made_before_the_demo_keep_their_ids_and_come_first(db, demo_snapshot):
    made = make_article(title="قبل العرض")
    person = make_participant()
    demo_snapshot.replay()
    demo = Article.objects.get(title=SEED_TITLE)
    assert made.pk < demo.pk and Article.objects.count() == 2
    assert person.pk < min(demo.participants.values_list("pk", flat=True))
    assert list(search(Article.objects.all(), "لافروف")) == [demo]


def test_without_the_demo_the_archive_is_empty_but_for_what_migrations_write(db):
    assert not Article.objects.exists() and not Quote.objects.exists() and not Participant.objects.exists()
    assert list(search(Article.objects.all(), "لافروف")) == []
    assert set(Group.objects.values_list("name", flat=True)) == {"editors", "reviewers"}


@pytest.mark.django_db(transaction=True)
def test_the_demo_in_a_transactional_test_is_committed_and_searchable(demo_snapshot):
    demo_snapshot.replay()
    demo = Article.objects.get()
    assert transaction.get_autocommit()
    assert list(search(Article.objects.all(), "لافروف")) == [demo]


def test_a_snapshot_refuses_what_it_could_not_replay(db, monkeypatch):
    """Capturing keeps only added rows; a load that changed rows already there is reported, not half-copied."""

    def renames_a_group(*args, **kwargs):
        Group.objects.filter(name="editors").update(name="writers")

    monkeypatch.setattr("tests.demo_snapshot.call_command", renames_a_group)
    with pytest.raises(RuntimeError, match="auth_group"):
        DemoSnapshot.capture()
    assert Group.objects.filter(name="editors").exists()


def test_screenshots_go_to_docs_only_when_asked(tmp_path):
    assert screenshot_folder({}, tmp_path) == tmp_path
    assert screenshot_folder({"SCREENSHOTS": "0"}, tmp_path) == tmp_path
    assert screenshot_folder({"SCREENSHOTS": "1"}, tmp_path) == SCREENSHOTS
    assert Path(__file__).resolve().parents[1] / "docs" / "screenshots" == SCREENSHOTS
