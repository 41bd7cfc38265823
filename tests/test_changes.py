"""The public log of changes (`/api/v1/changes/`, `/changes/feed/`): what a mirror needs to stay in sync."""

import datetime
import json

import pytest
from django.utils import timezone

from articles.changes import record_change
from articles.models import Article, Change
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def changes(client, query=""):
    response = client.get(f"/api/v1/changes/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_mirror_follows_publication_correction_and_withdrawal(client, editor):
    mirror = {}

    def sync(since):
        url = "/api/v1/changes/?page_size=2" + (f"&since={since}" if since else "")
        while url:
            data = client.get(url).json()
            for change in data["results"]:
                if change["kind"] == "withdrawn":
                    mirror.pop(change["article"], None)
                else:
                    mirror[change["article"]] = client.get(change["article_url"]).json()["title"]
                since = change["at"]
            url = data["next"]
        return since

    first = make_article(title="الأول")
    second = make_article(title="الثاني")
    record_change(first, kind="published", user=editor, what={})
    record_change(second, kind="published", user=editor, what={})
    since = sync(None)
    assert mirror == {first.pk: "الأول", second.pk: "الثاني"}

    first.title = "الأول بعد التصحيح"
    first.save()
    record_change(first, kind="corrected", user=editor, what={"fields": ["title"]})
    second.status = Article.Status.WITHDRAWN
    second.save()
    record_change(second, kind="withdrawn", user=editor, what={})
    since = sync(since)
    assert mirror == {first.pk: "الأول بعد التصحيح"}
    assert sync(since) == since  # nothing new


def test_corrections_of_unpublished_reports_are_not_public(editor):
    draft = make_article(status=Article.Status.DRAFT)
    assert record_change(draft, kind="corrected", user=editor, what={"fields": ["body"]}) is None
    assert not Change.objects.exists()


def test_entries_say_what_changed_and_never_who(client, editor):
    article = make_article()
    record_change(article, kind="corrected", user=editor, what={"fields": ["body"], "quotes": {"moved": [4]}})
    (entry,) = changes(client)["results"]
    assert entry["kind"] == "corrected"
    assert entry["what"] == {"fields": ["body"], "quotes": {"moved": [4]}}
    assert entry["article_url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert "user" not in entry and "editor" not in str(entry)


def test_since_is_exclusive_and_checked(client, editor):
    article = make_article()
    old = record_change(article, kind="published", user=None, what={})
    old.at = timezone.now() - datetime.timedelta(days=2)
    old.save()
    new = record_change(article, kind="corrected", user=editor, what={"fields": ["title"]})
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert [c["id"] for c in changes(client, f"?since={since}")["results"]] == [new.pk]
    assert [c["id"] for c in changes(client, "?kind=published")["results"]] == [old.pk]
    bad = client.get("/api/v1/changes/?since=yesterday")
    assert bad.status_code == 400
    assert "since" in bad.json()["fields"]


def test_export_as_json_lines(client):
    article = make_article()
    record_change(article, kind="published", user=None, what={})
    response = client.get("/api/v1/changes/?format=jsonl")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["article"] for line in lines] == [article.pk]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_atom_feed_of_changes(client, prefix):
    article = make_article()
    entry = record_change(article, kind="withdrawn", user=None, what={})
    response = client.get(f"{prefix}/changes/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert f"urn:diplomacy-archive:change:{entry.pk}" in xml
    title = f"سُحب التقرير {article.pk}" if prefix == "" else f"Report {article.pk} withdrawn"
    assert title in xml


def test_change_list_queries_do_not_grow_with_page_size(client, django_assert_num_queries):
    article = make_article()
    for _ in range(30):
        record_change(article, kind="corrected", user=None, what={"fields": ["body"]})
    # 1 the page of changes
    with django_assert_num_queries(1):
        client.get("/api/v1/changes/?page_size=5")
    with django_assert_num_queries(1):
        client.get("/api/v1/changes/?page_size=30")
