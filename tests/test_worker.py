"""Background work on real Celery workers and RabbitMQ.

1. An import: one worker killed mid-file, every report in once.

Two workers (`celery worker --pool=solo`) share an import of several files on a queue of
this test's own. The test holds, uncommitted, a report equal to one in the middle of the third
file, so the worker importing that file waits on it halfway through its transaction; the test
kills that worker (SIGKILL: no clean-up, no acknowledgement), rolls its own report back, and the
broker hands the file to the other worker. PostgreSQL only (the workers
read the test database); RabbitMQ must listen on 127.0.0.1:5672 (`.ci/run` starts it).

2. A report's PDF: published (and then corrected) by another process, set by a worker into the
shared cache (files here, as without Redis; the same code with `REDIS_URL`), and served from it to
a reader by a process that never sets it.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.test import override_settings
from kombu import Connection

from articles.charts import pdf
from articles.models import Article, BackgroundJob, BackgroundJobItem, content_hash
from tests.test_pdf import logical, page_texts, read

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
ROOT = Path(__file__).resolve().parents[1]
FILES, PER_FILE, STALLS_AT = 6, 30, 20

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def broker_listening():
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return True
    except OSError:
        return False


def database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER'] or 'postgres'}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def title(f, n):
    return f"تقرير {f}-{n}"


def body(f, n):
    return f"نص التقرير {n} من الملف {f}."


def write_files(folder):
    """FILES .jsonl files of PER_FILE reports each."""
    folder.mkdir()
    for f in range(FILES):
        lines = []
        for n in range(PER_FILE):
            report = {"title": title(f, n), "body": body(f, n), "published": "2016-03-24"}
            lines.append(json.dumps(report, ensure_ascii=False))
        (folder / f"file-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_import_survives_a_worker_killed_mid_file(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("workers share the test database, which SQLite keeps in memory")
    if not broker_listening():
        pytest.fail("RabbitMQ is not listening on 127.0.0.1:5672 (rabbitmq-server -detached; .ci/run starts it)")
    folder = write_files(tmp_path / "in")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy.test_settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
    }
    blocker = psycopg.connect(database_url().replace("postgres://", "postgresql://"))
    workers = {}
    try:
        # the third file will stop halfway: its report STALLS_AT waits for this transaction (unique content hash)
        blocker.execute(
            "INSERT INTO articles_article (title, body, language, url, byline, status, content_hash, "
            "approximate_precision, approximate_basis, version, created_at, updated_at) "
            "VALUES (%s, %s, 'ar', '', '', 'draft', %s, 'year', '', 1, now(), now())",
            [title(2, STALLS_AT), body(2, STALLS_AT), content_hash(title(2, STALLS_AT), body(2, STALLS_AT))],
        )
        for name in ("worker-1", "worker-2"):
            workers[name] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "diplomacy", "worker", "--pool=solo", "-Q", queue,
                 "-n", f"{name}-{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                cwd=ROOT, env={**environment, "PGAPPNAME": name},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        queued = subprocess.run(
            [sys.executable, "manage.py", "import_articles", str(folder), "--background", "--json"],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        job = BackgroundJob.objects.get(pk=json.loads(queued.stdout)["job"])
        assert job.total == FILES

        def stuck_worker():
            # on an autocommit connection: inside a transaction, pg_stat_activity is a snapshot
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT application_name FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    "AND application_name LIKE 'worker-%'"
                )
                row = cursor.fetchone()
            return row[0] if row else None

        stuck = wait_for(stuck_worker, 40, "a worker to wait on the held report mid-file")
        # the other worker goes on with the other files (the stuck one may hold one more, prefetched)
        wait_for(lambda: BackgroundJobItem.objects.filter(job=job).count() >= FILES - 2, 40, "the other files")
        assert Article.objects.filter(title__startswith="تقرير 2-").count() == 0  # nothing of the stuck file yet
        os.killpg(workers[stuck].pid, signal.SIGKILL)
        workers[stuck].wait(timeout=10)
        blocker.rollback()  # the held report goes; the file's task comes back from the broker to the other worker

        def finished():
            job.refresh_from_db()
            return job.status in (BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED)

        wait_for(finished, 40, "the import to finish on the remaining worker")
    finally:
        blocker.close()
        for process in workers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in workers.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with Connection(BROKER) as broker:  # the queue, with the follow-up tasks no worker is left to run
            broker.default_channel.queue_delete(queue)
    assert job.status == BackgroundJob.Status.DONE, job.result
    assert job.result["files"] == FILES and job.result["created"] == FILES and job.result["errors"] == 0
    assert Article.objects.count() == job.result["reports"] == FILES * PER_FILE
    titles = list(Article.objects.values_list("title", flat=True))
    assert len(set(titles)) == len(titles) == FILES * PER_FILE
    assert BackgroundJobItem.objects.filter(job=job).count() == FILES


def run_in_django(code, environment):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip


def test_a_worker_sets_a_published_reports_pdf_into_the_shared_cache(client, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which SQLite keeps in memory")
    if not broker_listening():
        pytest.fail("RabbitMQ is not listening on 127.0.0.1:5672 (rabbitmq-server -detached; .ci/run starts it)")
    article = Article.objects.create(title="تقرير يعده العامل", body="النص كما طبع أولا.", status="draft")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    shared_cache = tmp_path / "cache"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy.settings",  # not the test settings: their cache is per process
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        "CACHE_DIR": str(shared_cache),
        "SITE_URL": "http://testserver",
        "RENDER_AFTER_CHANGES": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "diplomacy", "worker", "--pool=solo", "-Q", queue,
         "-n", f"pdf-{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    files = {"BACKEND": "diplomacy.cache.SharedFileCache", "LOCATION": str(shared_cache)}
    served_by_the_cache = override_settings(CACHES={"default": files, "strict": files})
    never_set_here = mock.patch.object(pdf, "set_pdf", side_effect=AssertionError("set by the web process"))

    def pdf_jobs_done(count):
        done = BackgroundJob.objects.filter(kind=BackgroundJob.Kind.PDF, status=BackgroundJob.Status.DONE)
        return done.count() >= count

    try:
        run_in_django(
            "from articles import actions, workflow; from articles.models import Article; "
            f"actions.move_article(Article.objects.get(pk={article.pk}), to='published', user=workflow.COMMAND)",
            environment,
        )
        wait_for(lambda: pdf_jobs_done(1), 90, "the worker to set the PDFs")
        with served_by_the_cache, never_set_here:
            first = client.get(f"/articles/{article.pk}/pdf/")
        assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
        assert "النص كما طبع أولا" in logical("\n".join(page_texts(read(first.content))))
        run_in_django(
            "from articles import actions, workflow; from articles.models import Article; "
            f"actions.edit_article(Article.objects.get(pk={article.pk}), user=workflow.COMMAND, "
            "values={'body': 'النص بعد التصحيح.'})",
            environment,
        )
        wait_for(lambda: pdf_jobs_done(2), 90, "the worker to set the corrected PDFs")
        with served_by_the_cache, never_set_here:
            corrected = client.get(f"/articles/{article.pk}/pdf/")
        text = logical("\n".join(page_texts(read(corrected.content))))
        assert "النص بعد التصحيح" in text and "كما طبع أولا" not in text
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        with Connection(BROKER) as broker:
            broker.default_channel.queue_delete(queue)
    jobs = BackgroundJob.objects.filter(kind=BackgroundJob.Kind.PDF).order_by("pk")
    assert [job.result["rendered"] for job in jobs] == [2, 2]
