"""Importing from the admin: report files at once with per-file results; saved web pages confirmed first."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db

PAGE = Path(__file__).parent / "pages" / "kerry-moscow-saved-page.html"
URL = "admin:articles_article_import"


def upload(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode("utf-8"))


def test_editors_upload_several_report_files_and_see_each_result(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"  # the admin in English, as an editor may choose
    jsonl = "\n".join(
        json.dumps({"title": f"عنوان {i}", "body": f"فقرة {i}.", "source": "رويترز"}, ensure_ascii=False)
        for i in range(3)
    )
    files = [upload("seed.txt", SEED_TEXT.read_bytes()), upload("wire.jsonl", jsonl), upload("broken.jsonl", "{no")]
    response = client.post(reverse(URL), {"step": "upload", "files": files, "status": "draft"})
    assert response.status_code == 200
    results = {r.path: r for r in response.context["results"]}
    assert results["seed.txt"].status == "created" and results["wire.jsonl"].status == "created"
    assert results["broken.jsonl"].status == "error" and "line 1" in results["broken.jsonl"].error
    assert Article.objects.filter(status=Article.Status.DRAFT, imported_by=editor).count() == 4
    again = client.post(
        reverse(URL), {"step": "upload", "files": [upload("seed.txt", SEED_TEXT.read_bytes())], "status": "draft"}
    )
    assert again.context["results"][0].status == "unchanged"
    assert "already in the archive" in again.content.decode()


def test_editors_may_not_import_straight_to_published(client, editor, reviewer):
    client.force_login(editor)
    response = client.post(
        reverse(URL), {"step": "upload", "files": [upload("s.txt", SEED_TEXT.read_bytes())], "status": "published"}
    )
    assert "status" in response.context["form"].errors and not Article.objects.exists()
    client.force_login(reviewer)
    response = client.post(
        reverse(URL), {"step": "upload", "files": [upload("s.txt", SEED_TEXT.read_bytes())], "status": "published"}
    )
    assert Article.objects.get().published_by == reviewer


def test_a_saved_page_is_read_shown_and_imported_only_when_confirmed(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(URL), {"step": "upload", "files": [upload(PAGE.name, PAGE.read_bytes())], "status": "draft"}
    )
    [page] = response.context["pages"]
    assert page.initial["title"] == "ماذا حمل جون كيري في جعبته للقيادات السورية"
    assert page.initial["source"] == "الوقت" and page.initial["byline"] == "محرر الشؤون الدولية"
    assert str(page.initial["published"]) == "2016-03-25"
    assert page.initial["url"].startswith("https://alwaght.net/")
    seed_lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()[1:-1]
    assert page.initial["body"] == "\n".join(line for line in seed_lines if line.strip())
    assert "الأكثر قراءة" not in page.initial["body"] and "جميع الحقوق" not in page.initial["body"]
    assert not Article.objects.exists()  # nothing saved before the editor confirms

    fields = {f"page-0-{name}": value for name, value in page.initial.items() if value is not None}
    fields["page-0-keep"] = "on"
    fields["page-0-byline"] = "قسم الشؤون الدولية"  # the editor corrects what the page said
    confirm = client.post(reverse(URL), {"step": "confirm", "pages": "1", "status": "draft", **fields})
    assert confirm.context["results"][0].status == "created"
    article = Article.objects.get()
    assert article.byline == "قسم الشؤون الدولية" and article.source.name_ar == "الوقت"
    assert str(article.published) == "2016-03-25" and article.imported_by == editor


def test_import_articles_reads_saved_pages_too(tmp_path):
    out = StringIO()
    call_command("import_articles", str(PAGE), "--json", stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue())
    assert result["status"] == "created"
    article = Article.objects.get(pk=result["ids"][0])
    assert article.title.startswith("ماذا حمل جون كيري") and article.source.name_ar == "الوقت"


def test_the_changelist_links_to_the_import_page(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse(URL) in page


def test_a_large_upload_becomes_a_background_job(
    client, editor, settings, tmp_path, django_capture_on_commit_callbacks
):
    from articles.models import BackgroundJob

    settings.ADMIN_BACKGROUND_IMPORT_BYTES = 10  # anything larger goes to the workers (inline here: no broker)
    settings.IMPORT_UPLOAD_DIR = tmp_path
    client.force_login(editor)
    jsonl = json.dumps({"title": "عنوان", "body": "فقرة.", "source": "رويترز"}, ensure_ascii=False)
    files = [upload("seed.txt", SEED_TEXT.read_bytes()), upload("w.jsonl", jsonl)]
    with django_capture_on_commit_callbacks(execute=True):  # the tasks are sent once the job's row commits
        response = client.post(reverse(URL), {"step": "upload", "files": files, "status": "draft"})
    job = response.context["job"]
    assert job is not None and job.total == 2 and job.requested_by == editor
    assert reverse("admin:articles_backgroundjob_change", args=[job.pk]) in response.content.decode()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert Article.objects.filter(imported_by=editor).count() == 2
