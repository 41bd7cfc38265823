"""The actions: one way to change the record, derived data once, the text as printed, no workflow bypass."""

import json
import os
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse
from rest_framework.test import APIClient

from articles import actions, derived, workflow
from articles.models import Article, Mention, Note, Quote, Source
from articles.search import index as search_index
from diplomacy.models import Meeting, Participation
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.conftest import SEED_TEXT
from tests.factories import make_article, make_meeting, make_participant, make_source

pytestmark = pytest.mark.django_db


def import_json(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_articles", *map(str, args), "--json", stdout=out, stderr=err)
    except CommandError as exc:
        code = exc.returncode
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


# Derived data once per action ---------------------------------------------------------------------


def test_load_demo_on_an_empty_database_is_a_few_dozen_queries(django_assert_max_num_queries):
    # Issue 12's target, with everything the demo has gained since (24 linked names, an approximate date, the
    # change log and the near-duplicate signature); about 800 before the actions.
    with django_assert_max_num_queries(60):
        call_command("load_demo", stdout=StringIO())  # the seed with its full annotation: the default
    article = Article.objects.get()
    assert article.quotes.count() == 18
    assert article.participants.count() > 0  # derived: refreshed once, at the end


def test_a_new_reports_one_history_row_lists_what_it_covers():
    call_command("load_demo", stdout=StringIO())
    article = Article.objects.get()
    [row] = article.history.all()
    assert row.history_type == "+"
    for name in ("meetings", "agreements", "topics"):
        recorded = {getattr(link, name.removesuffix("s")).pk for link in getattr(row, name).all()}
        assert recorded == set(getattr(article, name).values_list("pk", flat=True)) != set(), name


def test_load_demo_with_its_second_report_stays_a_batch(django_assert_max_num_queries):
    """The second demo report (issue 19) adds its records, quotes and evidence in the same batch."""
    with django_assert_max_num_queries(120):
        call_command("load_demo", "--with-second", stdout=StringIO())
    assert Article.objects.count() == 2


def test_load_demo_indexes_the_reports_once(monkeypatch):
    calls = []
    real = search_index.reindex
    monkeypatch.setattr(search_index, "reindex", lambda ids, *a, **k: calls.append(list(ids)) or real(ids, *a, **k))
    call_command("load_demo", "--with-second", stdout=StringIO())
    assert len(calls) == 1 and len(calls[0]) == 2


def test_a_batch_refreshes_each_report_once_at_its_end(monkeypatch):
    article = make_article()
    people = [make_participant() for _ in range(3)]
    refreshed = []
    monkeypatch.setattr(derived, "refresh_participants", lambda ids, **kwargs: refreshed.append(set(ids)))
    with derived.batch():
        for person in people:
            Mention.objects.create(article=article, start=0, end=4, text=article.body[:4], participant=person)
        assert refreshed == []
    assert refreshed == [{article.pk}]


# The text stays as printed ------------------------------------------------------------------------


def test_saving_the_demo_in_the_admin_with_a_browsers_crlf_changes_nothing(client, demo, reviewer):
    body, digest, version = demo.body, demo.content_hash, demo.version
    spans = list(Quote.objects.filter(article=demo).values_list("pk", "start", "end", "updated_at"))
    history = demo.history.count()
    client.force_login(reviewer)
    url = reverse("admin:articles_article_change", args=[demo.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        "title": demo.title,
        "body": demo.body.replace("\n", "\r\n"),  # as a browser sends a textarea back
        "status": demo.status,
        "source": demo.source_id,
        "published": "",
        "language": demo.language,
        "url": demo.url,
        "byline": demo.byline,
        "meetings": [m.pk for m in demo.meetings.all()],
        "agreements": [a.pk for a in demo.agreements.all()],
        "topics": [t.pk for t in demo.topics.all()],
        "loaded_version": form["loaded_version"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    demo.refresh_from_db()
    assert demo.body == body  # byte for byte
    assert demo.content_hash == digest and demo.version == version
    assert demo.history.count() == history
    assert list(Quote.objects.filter(article=demo).values_list("pk", "start", "end", "updated_at")) == spans
    code, [again] = import_json(SEED_TEXT)
    assert code == 0 and again["status"] == "unchanged" and again["ids"] == [demo.pk]


def test_line_ends_are_normalised_at_every_way_in(editor_api, tmp_path):
    answer = editor_api.post(
        "/api/v1/articles/", {"title": "عنوان", "body": "سطر أول\r\nسطر ثان\rسطر ثالث"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert Article.objects.get(pk=answer.json()["id"]).body == "سطر أول\nسطر ثان\nسطر ثالث"


def write(tmp_path, name, lines, newline="\n"):
    path = tmp_path / name
    path.write_text(newline.join(lines) + newline, encoding="utf-8")
    return path


TITLE = "لافروف يستقبل كيري في موسكو"
BODY = ["استقبل وزير الخارجية الروسي نظيره الأميركي.", "وبحث الجانبان الأزمة السورية."]


def test_a_marked_source_line_names_the_source(tmp_path):
    for marked in ("المصدر: رويترز", "Source - Reuters", "source / Reuters"):
        path = write(tmp_path, "r.txt", [TITLE + marked[:3], *BODY, marked])
        code, [result] = import_json(path)
        assert code == 0 and result["status"] == "created"
        article = Article.objects.get(pk=result["ids"][0])
        assert article.body == "\n".join(BODY)
        assert article.source is not None
        assert not [w for w in result.get("warnings", []) if "last line" in w]


def test_a_last_line_that_is_a_known_outlets_name_is_the_source(tmp_path):
    make_source(name_ar="الحياة", name_en="Al-Hayat", slug="al-hayat")
    code, [result] = import_json(write(tmp_path, "r.txt", [TITLE, *BODY, "الحياة"]))
    article = Article.objects.get(pk=result["ids"][0])
    assert article.source.slug == "al-hayat" and article.body == "\n".join(BODY)


@pytest.mark.parametrize("last", ["الحياة", "وأكد الطرفان استمرار التشاور بينهما في الأيام المقبلة."])
def test_an_unmarked_last_line_stays_in_the_body_with_a_warning(tmp_path, last):
    path = write(tmp_path, "r.txt", [TITLE, *BODY, last])
    code, [result] = import_json(path)
    assert code == 0 and result["status"] == "created"
    article = Article.objects.get(pk=result["ids"][0])
    assert article.source is None and article.body.endswith(last)
    [warning] = result["warnings"]
    assert "last line" in warning and last[:20] in warning
    err = StringIO()
    call_command("import_articles", str(write(tmp_path, "s.txt", [TITLE + " ٢", *BODY, last])), stderr=err)
    assert "s.txt: warning:" in err.getvalue()


def test_a_corrected_text_is_reported_as_a_probable_new_version(tmp_path):
    first = write(tmp_path, "first.txt", [TITLE, *BODY, "المصدر: رويترز"])
    code, [created] = import_json(first)
    corrected = write(tmp_path, "corrected.txt", [TITLE, BODY[0], BODY[1] + " (تصحيح)", "المصدر: رويترز"])
    code, [result] = import_json(corrected)
    assert code == 1 and result["status"] == "error"
    assert result["probable_version_of"] == created["ids"][0]
    assert "new version of report" in result["error"] and "--as-new" in result["error"]
    assert Article.objects.count() == 1
    code, [same] = import_json(first)
    assert same["status"] == "unchanged"
    code, [kept] = import_json(corrected, "--as-new")
    assert code == 0 and kept["status"] == "created" and Article.objects.count() == 2


# Imports go through the workflow ------------------------------------------------------------------


def test_imported_published_reports_are_published_through_the_workflow(tmp_path, reviewer, editor):
    path = write(tmp_path, "r.txt", [TITLE, *BODY])
    call_command("import_articles", str(path), "--status", "published", "--user", "reviewer", stdout=StringIO())
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.published_by == reviewer
    assert article.history.earliest().history_user == reviewer
    other = write(tmp_path, "o.txt", [TITLE + " أيضا", *BODY])
    code = 0
    try:
        call_command("import_articles", str(other), "--status", "published", "--user", "editor", stderr=StringIO())
    except CommandError as exc:
        code = exc.returncode
    assert code == 1 and Article.objects.count() == 1  # an editor may not publish, through a file or not


def test_import_records_never_republishes_a_withdrawn_report(demo, reviewer):
    workflow.withdraw(demo, user=reviewer)
    call_command("load_demo", stdout=StringIO())
    demo.refresh_from_db()
    assert demo.status == Article.Status.WITHDRAWN


def test_import_records_publishes_a_draft_through_the_workflow(tmp_path, reviewer):
    call_command("load_demo", "--seed-only", stdout=StringIO())
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT, published_by=None)
    records = SEED_TEXT.with_name("kerry-moscow-2016.annotations.json")
    call_command("import_records", str(records), "--status", "published", "--user", "reviewer", stdout=StringIO())
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_by == reviewer


# Robust imports -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, message",
    [
        ({"title": "ع" * 600, "body": "نص"}, "title"),
        ({"title": "عنوان", "body": "نص\u0000نص"}, "NUL"),
        ({"title": "عنوان", "body": "نص \ud800 نص"}, "surrogate"),
        ({"title": "عنوان", "body": "ن" * 500_001}, "body"),
        ({"title": "عنوان", "body": "نص", "url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_values_are_refused_naming_file_and_field_and_the_other_files_go_in(tmp_path, line, message):
    bad = tmp_path / "a-bad.jsonl"
    bad.write_text(json.dumps(line, ensure_ascii=True) + "\n", encoding="utf-8")
    good = write(tmp_path, "b-good.txt", [TITLE, *BODY])
    code, [refused, accepted] = import_json(bad, good)
    assert code == 1
    assert refused["status"] == "error" and "a-bad.jsonl" in refused["error"] and "line 1" in refused["error"]
    assert message in refused["error"]
    assert accepted["status"] == "created" and Article.objects.count() == 1


def test_deeply_nested_json_is_refused_not_a_traceback(tmp_path):
    bad = tmp_path / "deep.jsonl"
    bad.write_text('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    code, [refused] = import_json(bad)
    assert code == 1 and "nested too deeply" in refused["error"]


# Annotations change only as the workflow allows, on every surface ----------------------------------


@pytest.fixture
def published(demo):
    return demo


def test_editors_cannot_change_a_published_reports_annotations_through_the_api(editor_api, published):
    quote = published.quotes.order_by("pk").first()
    person = make_participant()
    assert editor_api.patch(f"/api/v1/quotes/{quote.pk}/", {"speaker": person.slug}, format="json").status_code == 403
    assert editor_api.delete(f"/api/v1/quotes/{quote.pk}/").status_code == 403
    mention = {"article": published.pk, "start": 0, "end": 4, "text": published.body[:4], "participant": person.slug}
    assert editor_api.post("/api/v1/mentions/", mention, format="json").status_code == 403
    note = {"article": published.pk, "start": 0, "end": 4, "text": published.body[:4], "note": "ملاحظة"}
    assert editor_api.post("/api/v1/notes/", note, format="json").status_code == 403
    quote.refresh_from_db()
    assert quote.speaker != person and Quote.objects.filter(pk=quote.pk).exists()


def test_editors_cannot_annotate_a_withdrawn_report(editor_api, published, reviewer):
    workflow.withdraw(published, user=reviewer)
    payload = {"article": published.pk, "start": 0, "end": 4, "text": published.body[:4]}
    assert editor_api.post("/api/v1/quotes/", payload, format="json").status_code == 403
    assert not Quote.objects.filter(article=published, start=0, end=4).exists()


def test_reviewers_may_change_published_annotations(reviewer_api, published):
    quote = published.quotes.order_by("pk").first()
    person = make_participant()
    answer = reviewer_api.patch(f"/api/v1/quotes/{quote.pk}/", {"speaker": person.slug}, format="json")
    assert answer.status_code == 200, answer.content
    quote.refresh_from_db()
    assert quote.speaker == person
    assert quote.history.latest().history_user.username == "reviewer"


def test_the_same_rule_holds_in_the_actions(published, editor):
    with pytest.raises(actions.PermissionDenied):
        actions.create_annotation("note", article=published, user=editor, start=0, end=4, note="ن")
    assert not Note.objects.exists()


# No lost update ---------------------------------------------------------------------------------


def test_a_patch_writes_only_the_fields_it_was_given(editor_api):
    article = make_article(status=Article.Status.DRAFT, byline="الكاتب الأول")
    read = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(byline="كاتب آخر")  # another client, meanwhile
    answer = editor_api.patch(f"/api/v1/articles/{read.pk}/", {"title": "عنوان جديد"}, format="json")
    assert answer.status_code == 200, answer.content
    article.refresh_from_db()
    assert article.title == "عنوان جديد" and article.byline == "كاتب آخر"


def test_a_stale_if_match_is_refused_after_another_write(editor_api):
    article = make_article(status=Article.Status.DRAFT)
    etag = editor_api.get(f"/api/v1/articles/{article.pk}/")["ETag"]
    first = editor_api.patch(f"/api/v1/articles/{article.pk}/", {"title": "أول"}, format="json", HTTP_IF_MATCH=etag)
    second = editor_api.patch(f"/api/v1/articles/{article.pk}/", {"byline": "ثان"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and second.status_code == 412
    article.refresh_from_db()
    assert article.title == "أول" and article.byline != "ثان"


def test_the_admin_refuses_a_save_from_an_outdated_page_and_names_the_change(client, editor, django_user_model):
    article = make_article(status=Article.Status.DRAFT, title="العنوان الأول", byline="")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    opened = client.get(url).context["adminform"].form["loaded_version"].value()
    actions.edit_article(article, user=editor, values={"title": "عنوان المحرر الآخر"})  # the other editor saves
    data = {
        "title": "العنوان الأول",
        "body": article.body,
        "status": article.status,
        "language": "ar",
        "byline": "كاتب جديد",
        "loaded_version": opened,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the reason
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "عنوان المحرر الآخر" in errors
    article.refresh_from_db()
    assert article.title == "عنوان المحرر الآخر" and article.byline == ""


def test_edit_article_refuses_an_older_version(editor):
    article = make_article(status=Article.Status.DRAFT)
    actions.edit_article(article, user=editor, values={"title": "جديد"})
    with pytest.raises(actions.StaleEdit) as refused:
        actions.edit_article(article, user=editor, values={"byline": "ب"}, expected_version=1)
    assert "title" in refused.value.changed


# Meetings and agreements: the roles are what the last writer listed, on every surface ---------------


def test_the_importer_replaces_a_meetings_participants_as_the_api_does(tmp_path, editor_api):
    make_participant(slug="kerry")
    putin = make_participant(slug="putin")
    records = {
        "participants": [],
        "meetings": [
            {
                "key": "talks",
                "kind": "talks",
                "title_ar": "محادثات",
                "start": "2016-03-24",
                "participants": [{"who": "kerry", "role": "guest"}, {"who": "putin", "role": "host"}],
            }
        ],
    }
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    call_command("import_records", str(path), stdout=StringIO())
    records["meetings"][0]["participants"] = [{"who": "kerry", "role": "guest"}]
    path.write_text(json.dumps(records), encoding="utf-8")
    call_command("import_records", str(path), stdout=StringIO())
    meeting = Meeting.objects.get(slug="talks")
    assert list(meeting.participations.values_list("participant__slug", flat=True)) == ["kerry"]
    answer = editor_api.patch(
        "/api/v1/meetings/talks/", {"participants": [{"participant": "putin", "role": "host"}]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert [(p.participant, p.role) for p in Participation.objects.filter(meeting=meeting)] == [(putin, "host")]


def test_changing_a_meetings_participants_updates_the_reports_that_cover_it(editor):
    meeting = make_meeting()
    article = make_article()
    article.meetings.add(meeting)
    person = make_participant()
    actions.set_meeting_participants(meeting, participants=[(person, "host")], user=editor)
    assert list(article.participants.all()) == [person]
    actions.set_meeting_participants(meeting, participants=[], user=editor)
    assert not article.participants.exists()


def test_a_body_edit_racing_an_annotation_answers_409_not_500(editor_api, monkeypatch):
    article = make_article(status=Article.Status.DRAFT)

    def racing(*args, **kwargs):
        raise actions.SpanConflict("articles_quote_text_matches_body")

    monkeypatch.setattr(actions, "create_annotation", racing)
    payload = {"article": article.pk, "start": 0, "end": 4, "text": article.body[:4]}
    answer = editor_api.post("/api/v1/quotes/", payload, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "conflict"


def test_sources_are_created_once_by_name(tmp_path):
    for name in ("a.txt", "b.txt"):
        import_json(write(tmp_path, name, [TITLE + name, *BODY, "المصدر: الجزيرة"]))
    assert Source.objects.filter(name_ar="الجزيرة").count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks are PostgreSQL's; SQLite writes one at a time anyway",
)
@pytest.mark.django_db(transaction=True)
def test_two_patches_at_once_with_the_same_if_match_never_both_succeed(django_user_model):
    """The If-Match check and the write hold the report's row lock together (two threads, two connections)."""
    editor = django_user_model.objects.create_superuser("writer", password="pw")  # no group: a flushing test
    article = make_article(status=Article.Status.DRAFT)
    url = f"/api/v1/articles/{article.pk}/"
    for round_ in range(5):
        reader = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        reader.force_authenticate(editor)
        etag = reader.get(url)["ETag"]
        barrier, codes = threading.Barrier(2), []

        def patch(field, value, etag=etag, barrier=barrier, codes=codes):
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(editor)
            barrier.wait()
            try:
                codes.append(client.patch(url, {field: value}, format="json", HTTP_IF_MATCH=etag).status_code)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=patch, args=("title", f"عنوان {round_}")),
            threading.Thread(target=patch, args=("byline", f"كاتب {round_}")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(codes) == [200, 412], codes


@pytest.mark.parametrize(
    "data, message",
    [
        ({"participants": [{"kind": "person", "key": "x", "name_ar": "س", "wikidata": "X1"}]}, "wikidata_id"),
        ({"participants": [{"kind": "person", "key": "x", "name_ar": "س" * 400}]}, "name_ar"),
        (
            {
                "participants": [
                    {
                        "kind": "person",
                        "key": "x",
                        "name_ar": "س",
                        "offices": [{"title_ar": "وزير", "start": "2016-01-01", "end": "2015-01-01"}],
                    }
                ]
            },
            "cannot end before it starts",
        ),
        ({"places": [{"key": "p", "name_ar": "مكان", "latitude": 123}]}, "latitude"),
        (
            {"meetings": [{"key": "m", "kind": "talks", "title_ar": "م", "start": "2016-03-24", "cameo": "12345"}]},
            "cameo",
        ),
        ({"participants": "not a list"}, "must be a list"),
        ({"participants": [["a list", "not an object"]]}, "must be an object"),
        ({"participants": [{"kind": "person", "key": "x", "name_ar": {"a": "dict"}}]}, "must be a string"),
    ],
)
def test_records_are_checked_by_the_models_rules_named_where_they_are(tmp_path, data, message):
    path = tmp_path / "records.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue() and "records.json" in err.getvalue()


def test_a_records_file_never_reads_outside_its_folder(tmp_path):
    (tmp_path / "inner").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("عنوان\nنص سري\n", encoding="utf-8")
    path = tmp_path / "inner" / "records.json"
    path.write_text(json.dumps({"article": {"file": "../secret.txt"}}), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(path), stdout=StringIO(), stderr=err)
    assert "outside" in err.getvalue() and not Article.objects.exists()


def test_a_note_is_changed_only_by_its_author_or_a_reviewer(editor, reviewer, django_user_model):
    from django.contrib.auth.models import Group

    article = make_article(status=Article.Status.DRAFT)
    other = django_user_model.objects.create_user("other-editor", password="pw", is_staff=True)
    other.groups.add(Group.objects.get(name="editors"))
    note = actions.create_annotation("note", article=article, user=editor, start=0, end=4, note="ملاحظتي")
    assert note.author == editor
    with pytest.raises(actions.PermissionDenied):
        actions.change_annotation(note, user=other, note="ملاحظة غيري")
    note.refresh_from_db()
    assert note.note == "ملاحظتي"
    actions.change_annotation(note, user=reviewer, note="صححها المراجع")
    note.refresh_from_db()
    assert note.note == "صححها المراجع" and note.author == editor
