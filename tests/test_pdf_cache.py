"""Report PDFs in the shared cache, set ahead of readers by a background job (inline here: no broker).

A published report's PDF is cached under a digest of what it shows (articles/charts/pdf.py), so
a correction anywhere is a new PDF; publishing or correcting a report sets its PDFs on a job
(articles/charts/tasks.py); who may read the PDF is asked before the cache, so a withdrawn
report's cached copy is never served; an editor's preview of a draft is never cached. The same on a
real worker and RabbitMQ: tests/test_worker.py.
"""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from redis.exceptions import ConnectionError as RedisConnectionError

from articles import actions, workflow
from articles.charts import pdf, tasks
from articles.models import Article, BackgroundJob
from tests.factories import make_article, make_participant
from tests.test_pdf import logical, page_texts, read
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def own_cache(request):
    """A cache of this test's own (the suite's file cache is shared by every test process)."""
    location = f"pdf-cache-{request.node.name}"
    own = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}
    with override_settings(CACHES={"default": own, "strict": own}):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def after_changes():
    """As with a broker: publishing and corrections set PDFs and charts ahead, for this site's address."""
    with override_settings(RENDER_AFTER_CHANGES=True, SITE_URL=SITE):
        yield


def pdf_keys():
    return [key for key in cache._cache if ":pdf:" in key and not key.endswith(":setting")]


def no_rendering():
    """`set_pdf` that fails the test: what is served must come from the cache."""
    return mock.patch.object(pdf, "set_pdf", side_effect=AssertionError("set again instead of served from the cache"))


def text_of(response):
    return logical("\n".join(page_texts(read(response.content))))


def test_publishing_sets_the_pdfs_on_a_job_and_readers_get_them_from_the_cache(
    client, reviewer, after_changes, django_capture_on_commit_callbacks
):
    article = make_article(status=Article.Status.DRAFT, title="تقرير ينشر الآن")
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_article(article, to=Article.Status.PUBLISHED, user=reviewer)
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.PDF)
    assert job.status == BackgroundJob.Status.DONE and job.requested_by == reviewer
    assert job.parameters["ids"] == [article.pk] and (job.done, job.total) == (2, 2)
    assert job.result == {"reports": 1, "rendered": 2, "cached": 0, "preparing": 0, "not_public": 0}
    assert BackgroundJob.objects.filter(kind=BackgroundJob.Kind.CHARTS, status=BackgroundJob.Status.DONE).exists()
    assert len(pdf_keys()) == 2  # Arabic and English
    with no_rendering():
        arabic, english = client.get(f"/articles/{article.pk}/pdf/"), client.get(f"/en/articles/{article.pk}/pdf/")
    assert arabic.status_code == english.status_code == 200
    assert arabic["Content-Type"] == "application/pdf" and arabic.content != english.content
    assert "تقرير ينشر الآن" in text_of(arabic) and f"{SITE}/en/articles/{article.pk}/" in text_of(english)
    # the job again (a message delivered twice) finds both in the cache and sets nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.start_pdf_render([article.pk])
    again.refresh_from_db()
    assert again.result["cached"] == 2 and again.result["rendered"] == 0


def test_a_reader_sets_a_missing_pdf_once_and_makes_no_job(client):
    article = make_article()
    with mock.patch.object(pdf, "set_pdf", wraps=pdf.set_pdf) as setting:
        first = client.get(f"/articles/{article.pk}/pdf/")
        second = client.get(f"/articles/{article.pk}/pdf/")
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert setting.call_count == 1
    assert not BackgroundJob.objects.exists()  # a page view is not a job in the editors' list


def test_a_correction_of_the_text_is_a_new_pdf(client, reviewer, after_changes, django_capture_on_commit_callbacks):
    article = make_article(body="الفقرة كما طبعت أولا.")
    before = client.get(f"/articles/{article.pk}/pdf/")
    assert "الفقرة كما طبعت أولا" in text_of(before)
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_article(article, user=reviewer, values={"body": "الفقرة بعد التصحيح."})
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.PDF)
    assert job.result["rendered"] == 2  # the correction's PDFs, set on the job
    with no_rendering():
        after = client.get(f"/articles/{article.pk}/pdf/")
    assert "الفقرة بعد التصحيح" in text_of(after) and "كما طبعت أولا" not in text_of(after)


def test_an_annotation_or_a_speakers_name_changed_elsewhere_is_a_new_pdf(client, reviewer):
    article = make_article(body="قال الوزير إن المحادثات بناءة.")
    speaker = make_participant(name_ar="الوزير الأول")
    plain = client.get(f"/articles/{article.pk}/pdf/").content
    actions.create_annotation("quote", article=article, user=reviewer, start=11, end=29, speaker=speaker)
    quoted = client.get(f"/articles/{article.pk}/pdf/")
    assert quoted.content != plain and "الوزير الأول" in text_of(quoted)
    # a renamed speaker touches no report (no change is logged), yet the PDF names them anew
    speaker.name_ar = "الوزير الثاني"
    speaker.save()
    renamed = client.get(f"/articles/{article.pk}/pdf/")
    assert "الوزير الثاني" in text_of(renamed) and "الوزير الأول" not in text_of(renamed)


@pytest.mark.parametrize("moves", [["withdrawn"], ["withdrawn", "draft"]])
def test_a_pdf_still_cached_is_not_served_once_the_report_is_not_public(client, reviewer, editor, moves):
    article = make_article(title="تقرير سيسحب")
    published = client.get(f"/articles/{article.pk}/pdf/")
    assert published.status_code == 200 and len(pdf_keys()) == 1
    for status in moves:
        actions.move_article(article, to=status, user=reviewer)
    assert cache.get(pdf_keys()[0].split(":", 2)[2]) == published.content  # the copy is still there
    with no_rendering():
        assert client.get(f"/articles/{article.pk}/pdf/").status_code == 404
        assert client.get(f"/en/articles/{article.pk}/pdf/").status_code == 404
    # an editor previews it, marked as not published: set anew, never the public copy, never cached
    client.force_login(editor)
    preview = client.get(f"/articles/{article.pk}/pdf/")
    assert preview.status_code == 200 and preview.content != published.content
    assert "private" in preview["Cache-Control"] and len(pdf_keys()) == 1


def test_an_editors_preview_of_a_draft_is_never_cached(client, editor):
    article = make_article(status=Article.Status.DRAFT, title="مسودة سرية")
    client.force_login(editor)
    assert client.get(f"/articles/{article.pk}/pdf/").status_code == 200
    assert client.get(f"/en/articles/{article.pk}/pdf/").status_code == 200
    assert pdf_keys() == []
    client.logout()
    assert client.get(f"/articles/{article.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("prefix, words", [("", "يجري إعداد ملف PDF"), ("/en", "The PDF is being prepared")])
def test_a_pdf_being_set_by_another_process_answers_a_page_that_reloads(client, prefix, words):
    article = make_article()
    found = pdf.reports_for_pdf().get(pk=article.pk)
    language = "en" if prefix else "ar"
    with translation.override(language):
        html = pdf.article_pdf_html(found, permalink=f"{SITE}{prefix}/articles/{article.pk}/")
    key = pdf.pdf_key(found, html, language)
    cache.add(f"{key}:setting", 1, 60)  # another process is setting this very PDF
    with no_rendering():
        waiting = client.get(f"{prefix}/articles/{article.pk}/pdf/")
    assert waiting.status_code == 202 and waiting["Retry-After"] == "2" and "no-store" in waiting["Cache-Control"]
    page = waiting.content.decode()
    assert words in page and '<meta http-equiv="refresh" content="2">' in page
    assert f'href="{prefix}/articles/{article.pk}/pdf/"' in page
    cache.delete(f"{key}:setting")  # it is done: the next request (the reload) gets the PDF
    assert client.get(f"{prefix}/articles/{article.pk}/pdf/").status_code == 200


def test_changes_in_a_burst_make_one_pdf_job(reviewer, after_changes):
    # no commit callbacks run here: the first job waits for its worker while the others join it
    articles = [make_article() for _ in range(3)]
    for article in articles:
        tasks.start_pdf_render([article.pk], user=reviewer)
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.PDF)
    assert job.parameters["ids"] == sorted(a.pk for a in articles) and job.total == 6
    assert "reports " in job.description
    # once it has started, a later change queues a job of its own
    tasks.render_pdfs.apply(args=(job.pk,))
    later = tasks.start_pdf_render([articles[0].pk])
    assert later.pk != job.pk and BackgroundJob.objects.filter(kind=BackgroundJob.Kind.PDF).count() == 2
    job.refresh_from_db()
    assert job.result["rendered"] == 6 and job.done == job.total == 6


def test_the_pdf_job_skips_reports_no_longer_public_and_retries_a_cache_that_failed(
    django_capture_on_commit_callbacks,
):
    public, draft = make_article(), make_article(status=Article.Status.DRAFT)
    real = pdf.cache.add
    failures = []

    def flaky_add(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise RedisConnectionError("simulated: Redis restarting")
        return real(*args, **kwargs)

    with (
        override_settings(SITE_URL=SITE),
        mock.patch.object(pdf.cache, "add", side_effect=flaky_add),
        mock.patch.object(tasks.render_pdfs, "retry_backoff", False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = tasks.start_pdf_render([public.pk, draft.pk])
    job.refresh_from_db()
    assert failures == [1] and job.status == BackgroundJob.Status.DONE
    assert job.result == {"reports": 1, "rendered": 2, "cached": 0, "preparing": 0, "not_public": 1}


def test_without_a_broker_publishing_sets_nothing_ahead(reviewer, django_capture_on_commit_callbacks):
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_article(article, to=Article.Status.PUBLISHED, user=reviewer)
    assert not BackgroundJob.objects.exists() and pdf_keys() == []


def test_reports_imported_published_queue_no_pdfs(tmp_path, after_changes, django_capture_on_commit_callbacks):
    (tmp_path / "a.txt").write_text("تقرير مستورد\nفقرة.\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        result = actions.import_file(tmp_path / "a.txt", status=Article.Status.PUBLISHED, user=workflow.COMMAND)
    assert result.status == "created", result.error
    assert not BackgroundJob.objects.filter(kind=BackgroundJob.Kind.PDF).exists()


def test_withdrawing_draws_the_charts_again_but_sets_no_pdf(
    reviewer, after_changes, django_capture_on_commit_callbacks
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        actions.move_article(article, to=Article.Status.WITHDRAWN, user=reviewer)
    assert BackgroundJob.objects.filter(kind=BackgroundJob.Kind.CHARTS, status=BackgroundJob.Status.DONE).count() == 1
    assert not BackgroundJob.objects.filter(kind=BackgroundJob.Kind.PDF).exists()


def test_every_process_listens_for_changes_not_only_workers():
    # The receivers live in the task modules workers load; a web process or a command (where an
    # inline import ends, or an editor publishes) must load them too.
    code = (
        "from articles.changes import public_change; from articles.tasks import import_finished; "
        "print(public_change.has_listeners(), import_finished.has_listeners())"
    )
    result = run_manage("shell", "-c", code, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "True"]


def test_a_reader_gets_the_pdf_while_the_shared_cache_is_down(client, caplog):
    article = make_article(title="تقرير والذاكرة معطلة")
    down = RedisConnectionError("simulated: Redis is down")
    with mock.patch.object(pdf.cache, "get", side_effect=down), mock.patch.object(pdf.cache, "add", side_effect=down):
        response = client.get(f"/articles/{article.pk}/pdf/")
    assert response.status_code == 200 and "تقرير والذاكرة معطلة" in text_of(response)
    assert "cannot be reached" in caplog.text and pdf_keys() == []
    with mock.patch.object(pdf.cache, "set", side_effect=down):  # down between reading and keeping
        assert client.get(f"/articles/{article.pk}/pdf/").status_code == 200
