"""Issue 18, item 12: export_archive → import_archive into an empty database gives back the same archive.

The proof compares, byte for byte, every public page (both languages), every
download and every API answer (anonymous and an editor's) before the export
and after the import, and the revision history row by row. It runs on SQLite
and on PostgreSQL (`DATABASE_URL=postgres://…`, as CI does).
"""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from articles import archive_io, workflow
from articles.models import Article, Mention, Note, Quote, Source
from articles.search.index import FTS_TABLE
from diplomacy.models import Agreement, Meeting, Office, Participant, Place, Topic
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHARTS = ("activity", "speakers", "network", "agreements")
API_LISTS = ("articles", "quotes", "mentions", "participants", "meetings", "agreements", "sources", "topics", "places")


@pytest.fixture
def archive(demo, editor, reviewer):
    """The demo, plus what the demo lacks: a draft, a report published then withdrawn (history of who
    did it), notes, a mention, an office, a source with its address."""
    kerry = Participant.objects.get(slug="kerry")
    Office.objects.create(participant=kerry, title_ar="وزير الخارجية", title_en="Secretary of State", country="US")
    Source.objects.filter(pk=demo.source_id).update(url="https://alwaght.net/")
    Note.objects.create(article=demo, start=0, end=3, text=demo.body[0:3], note="تحقق من التاريخ", author=editor)
    Mention.objects.create(article=demo, start=0, end=3, text=demo.body[0:3], participant=kerry)
    draft = make_article(title="مسودة لم تنشر", status=Article.Status.DRAFT, imported_by=editor)
    Note.objects.create(article=draft, start=0, end=4, text=draft.body[0:4], note="ملاحظة على المسودة", author=editor)
    withdrawn = make_article(title="تقرير سحب", status=Article.Status.IN_REVIEW, source=demo.source)
    workflow.publish(withdrawn, user=reviewer)
    workflow.withdraw(Article.objects.get(pk=withdrawn.pk), user=reviewer)
    republished = make_article(
        title="تقرير آخر عن لافروف", status=Article.Status.IN_REVIEW, url="https://example.org/r"
    )
    workflow.publish(republished, user=reviewer)
    return demo, draft, withdrawn


def _body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.get("Content-Type"), content


def answers(editor_username):
    """Every public page, download and API answer, keyed by address (anonymous, then an editor's)."""
    paths = ["/", "/articles/", "/articles/?page=2", "/timeline/", "/sources/", "/feed/", "/sitemap.xml"]
    paths += ["/robots.txt", "/charts/", "/search/?q=كيري", "/search/?q=لافروف", "/search/?q=Lavrov"]
    paths += [f"/charts/{name}.csv" for name in CHARTS]
    for pk in Article.objects.order_by("pk").values_list("pk", flat=True):
        paths += [f"/articles/{pk}/", f"/articles/{pk}/cite.bib", f"/articles/{pk}/cite.ris"]
    paths += [f"/participants/{slug}/" for slug in Participant.objects.values_list("slug", flat=True)]
    paths += [f"/meetings/{slug}/" for slug in Meeting.objects.values_list("slug", flat=True)]
    paths += [f"/agreements/{slug}/" for slug in Agreement.objects.values_list("slug", flat=True)]
    paths += [f"/sources/{slug}/" for slug in Source.objects.values_list("slug", flat=True)]
    urls = paths + ["/en" + path for path in paths]
    for name in API_LISTS:
        urls += [f"/api/v1/{name}/", f"/api/v1/{name}/?format=csv", f"/api/v1/{name}/?format=jsonl"]
    urls += ["/api/v1/articles/?q=كيري", "/api/v1/articles/?participant=kerry", "/api/v1/schema/"]
    for pk in Article.objects.order_by("pk").values_list("pk", flat=True):
        urls += [f"/api/v1/articles/{pk}/", f"/api/v1/articles/{pk}/annotations/"]
    urls += [f"/api/v1/quotes/{pk}/" for pk in Quote.objects.values_list("pk", flat=True)]
    urls += [f"/api/v1/participants/{slug}/" for slug in Participant.objects.values_list("slug", flat=True)]
    urls += [f"/api/v1/places/{slug}/" for slug in Place.objects.values_list("slug", flat=True)]
    urls += [f"/api/v1/topics/{slug}/" for slug in Topic.objects.values_list("slug", flat=True)]
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="ar")
    found = {("anonymous", url): _body(anonymous.get(url)) for url in urls}
    editor = Client(HTTP_ACCEPT_LANGUAGE="en")
    editor.force_login(get_user_model().objects.get(username=editor_username))
    for url in ["/api/v1/articles/", "/api/v1/notes/", "/api/v1/articles/?format=jsonl"] + [
        f"/api/v1/articles/{pk}/" for pk in Article.objects.values_list("pk", flat=True)
    ]:
        found[("editor", url)] = _body(editor.get(url))
    return found


def history():
    """Every revision row of every tracked model, with who made it, as plain values."""
    rows = {}
    for model in archive_io.kinds():
        if model._meta.model_name.startswith("historical"):
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    rows["published_by"] = list(
        Article.objects.order_by("pk").values_list("pk", "status", "published_by__username", "published_at")
    )
    return rows


def empty_the_database():
    """What a freshly migrated database holds: no records, no accounts, no derived rows (raw deletes,
    so no signal writes history or derived data on the way)."""
    for model in [*archive_io.kinds(), *(apps.get_model(label) for label in archive_io.DERIVED)]:
        model._base_manager.all()._raw_delete(connection.alias)
    User = get_user_model()
    User.groups.through.objects.all()._raw_delete(connection.alias)
    User._base_manager.all()._raw_delete(connection.alias)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    cache.clear()
    assert archive_io.is_empty()


def test_export_then_import_into_an_empty_database_answers_exactly_as_before(archive, tmp_path):
    demo, draft, withdrawn = archive
    before, history_before = answers("editor"), history()
    assert before[("anonymous", f"/articles/{draft.pk}/")][0] == 404  # the comparison covers refusals too
    assert before[("editor", f"/api/v1/articles/{draft.pk}/")][0] == 200
    assert any(row["history_user_id"] for row in history_before["articles.HistoricalArticle"])

    call_command("export_archive", str(tmp_path), stdout=StringIO())
    empty_the_database()
    assert Client().get(f"/articles/{demo.pk}/").status_code == 404
    call_command("import_archive", str(tmp_path), stdout=StringIO())

    after = answers("editor")
    different = [key for key in before if before[key] != after[key]]
    assert different == [], different[:5]
    assert history() == history_before
    # The derived rows were rebuilt, not carried: the report's people and its search entry.
    assert set(Article.objects.get(pk=demo.pk).participants.values_list("slug", flat=True)) >= {"kerry", "lavrov"}
    # New rows continue after the imported ids (sequences reset on PostgreSQL).
    assert make_article(title="بعد الاستيراد").pk > max(demo.pk, draft.pk, withdrawn.pk)


def test_the_export_is_json_lines_one_file_a_kind_with_a_manifest(archive, tmp_path):
    counts = archive_io.export_archive(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == archive_io.FORMAT
    assert {entry["name"]: entry["rows"] for entry in manifest["files"]} == counts
    assert counts["articles.Article.jsonl"] == Article.objects.count()
    assert "articles.Article_participants.jsonl" not in counts  # derived: rebuilt on import
    users = [json.loads(line) for line in (tmp_path / "auth.User.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"editor", "reviewer"} <= {user["username"] for user in users}
    assert all("password" not in user for user in users)  # secrets never leave the database
    first = json.loads((tmp_path / "articles.Article.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"id", "status", "published_by_id", "updated_at", "url"} <= set(first)


def test_import_refuses_a_database_that_is_not_empty(archive, tmp_path):
    archive_io.export_archive(tmp_path)
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(tmp_path), stdout=StringIO())
    assert "empty" in str(error.value)


def test_import_names_a_broken_line_and_writes_nothing(archive, tmp_path):
    archive_io.export_archive(tmp_path)
    empty_the_database()
    path = tmp_path / "diplomacy.Topic.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + '{"id": 99, "colour": "red"}\n', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(tmp_path), stdout=StringIO())
    assert "diplomacy.Topic.jsonl" in str(error.value) and "colour" in str(error.value)
    assert archive_io.is_empty()


def test_imported_accounts_have_no_usable_password(archive, tmp_path):
    archive_io.export_archive(tmp_path)
    empty_the_database()
    archive_io.import_archive(tmp_path)
    editor = get_user_model().objects.get(username="editor")
    assert not editor.has_usable_password()
    assert list(editor.groups.values_list("name", flat=True)) == ["editors"]
