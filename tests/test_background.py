"""Background jobs without a broker: tasks run inline, are idempotent, and editors see them in the admin.

The same tasks on a real worker and RabbitMQ: tests/test_worker.py.
"""

import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from articles import suggestions, tasks
from articles.models import Article, BackgroundJob, BackgroundJobItem
from diplomacy.models import Participant
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db


def write_reports(folder, count, start=0):
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"report-{n:03}.txt").write_text(f"تقرير رقم {n}\nفقرة عن المحادثات رقم {n}.\n", encoding="utf-8")
    return folder


def background_import(*paths):
    out = StringIO()
    call_command("import_articles", *map(str, paths), "--background", "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_background_import_records_each_file_and_a_summary(tmp_path, django_capture_on_commit_callbacks):
    folder = write_reports(tmp_path / "in", 3)
    (folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        answer = background_import(folder, SEED_TEXT)
    job = BackgroundJob.objects.get(pk=answer["job"])
    assert answer["files"] == 5
    assert job.kind == BackgroundJob.Kind.IMPORT and job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total) == (5, 5)
    assert job.result["files"] == 5 and job.result["created"] == 4 and job.result["errors"] == 1
    assert job.result["reports"] == Article.objects.count() == 4
    assert sorted(job.result["new_reports"]) == sorted(Article.objects.values_list("pk", flat=True))
    assert "broken.txt" in job.result["error_messages"][0] and "not UTF-8" in job.result["error_messages"][0]
    assert job.started_at and job.finished_at
    # the new reports' suggestions were queued as a job of their own, and ran
    follow_up = BackgroundJob.objects.get(kind=BackgroundJob.Kind.SUGGEST)
    assert follow_up.status == BackgroundJob.Status.DONE and follow_up.result["reports"] == 4


def test_a_file_delivered_again_goes_in_once(tmp_path, django_capture_on_commit_callbacks):
    folder = write_reports(tmp_path / "in", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_import([folder])
    first = Article.objects.count()
    path = job.parameters["files"][0]
    # a worker killed after the commit but before the acknowledgement: the broker sends the task again
    tasks.import_part.apply(args=(job.pk, path))
    assert Article.objects.count() == first == 2
    assert BackgroundJobItem.objects.filter(job=job, name=path).count() == 1
    job.refresh_from_db()
    assert job.done == job.total == 2 and job.result["created"] == 2


def test_a_file_whose_write_failed_is_retried_whole(tmp_path, django_capture_on_commit_callbacks):
    folder = write_reports(tmp_path / "in", 1)
    real = BackgroundJobItem.objects.create
    calls = []

    def flaky_record(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 1:  # the first attempt dies after the reports were written, before commit
            raise IntegrityError("simulated: another worker got there first")
        return real(**kwargs)

    with (
        mock.patch.object(BackgroundJobItem.objects, "create", side_effect=flaky_record),
        mock.patch.object(tasks.import_part, "retry_backoff", False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = tasks.start_import([folder])
    assert len(calls) == 2
    assert Article.objects.count() == 1  # the first attempt's report was rolled back with it
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.result["created"] == 1


def test_a_file_that_keeps_failing_is_an_error_of_the_job(tmp_path, django_capture_on_commit_callbacks):
    folder = write_reports(tmp_path / "in", 2)
    job = BackgroundJob.objects.create(kind=BackgroundJob.Kind.IMPORT, total=2, parameters={"status": "draft"})
    path = str(folder / "report-000.txt")
    tasks.ImportPartTask.on_failure(tasks.import_part, IntegrityError("gave up"), "id", (job.pk, path), {}, None)
    item = BackgroundJobItem.objects.get(job=job)
    assert item.outcome == "error" and "gave up" in item.error
    job.refresh_from_db()
    assert job.done == 1 and job.status == BackgroundJob.Status.QUEUED


def test_rebuild_search_index_in_the_background(demo, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search_index", "--background", stdout=out, stderr=StringIO())
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.REINDEX)
    assert f"Background job {job.pk}" in out.getvalue()
    assert job.status == BackgroundJob.Status.DONE and job.result["reports"] == 1
    assert job.progress_note == "indexed 1/1 reports"


def test_suggestions_come_from_the_shared_cache_until_something_they_depend_on_changes(demo):
    with mock.patch.object(suggestions, "suggest", wraps=suggestions.suggest) as computed:
        first = suggestions.suggest_for_article(demo)
        again = suggestions.suggest_for_article(demo)
        assert computed.call_count == 1 and again == first
        # an editor marks the first suggested mention: it is no longer suggested
        mark = first["mentions"][0]
        demo.mentions.create(
            participant=Participant.objects.get(slug=mark["participant"]),
            start=mark["start"],
            end=mark["end"],
            text=mark["text"],
        )
        changed = suggestions.suggest_for_article(demo)
        assert computed.call_count == 2 and changed != first


def test_editors_see_jobs_read_only(client, editor, tmp_path, django_capture_on_commit_callbacks):
    folder = write_reports(tmp_path / "in", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_import([folder], user=editor)
    client.force_login(editor)
    listing = client.get(reverse("admin:articles_backgroundjob_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "2/2" in page and "2 ملفات، 2 تقارير (2 جديدة)، 0 أخطاء" in page  # the admin speaks Arabic
    detail = client.get(reverse("admin:articles_backgroundjob_change", args=[job.pk]))
    assert detail.status_code == 200 and "report-001.txt" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:articles_backgroundjob_add")).status_code == 403
    assert (
        client.post(reverse("admin:articles_backgroundjob_delete", args=[job.pk]), {"post": "yes"}).status_code == 403
    )


def test_job_list_queries_do_not_grow_with_the_number_of_jobs(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    for n in range(3):
        BackgroundJob.objects.create(kind=BackgroundJob.Kind.REINDEX, requested_by=editor, description=f"{n}")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("admin:articles_backgroundjob_changelist"))
    for n in range(30):
        BackgroundJob.objects.create(kind=BackgroundJob.Kind.REINDEX, requested_by=editor, description=f"{n}")
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("admin:articles_backgroundjob_changelist"))
    assert len(small.captured_queries) == len(large.captured_queries)
