"""Background work: imports, suggestions for new reports, search index rebuilds.

(Chart pre-rendering, which belongs to the charts surface, is in
`articles/charts/tasks.py` and uses the helpers here.)

Every run is a `BackgroundJob` that editors follow in the admin. The tasks run on Celery
workers when `CELERY_BROKER_URL` is set and inline otherwise (diplomacy/celery.py). A task is
acknowledged only once it has finished, so a task whose worker died is delivered again; each
one is idempotent, and one that fails on the database (a deadlock, a restarted server, two
workers adding the same report at once) is retried with exponential backoff.

An import is split into one task per file, so several workers share it. A file is imported and
its `BackgroundJobItem` written in one transaction: a file whose task is delivered again after
its worker was killed is either wholly in, and recorded (the retry skips it), or not at all
(the retry imports it). Reports are unique by content hash, so two workers that meet the same
report in different files cannot add it twice either.
"""

import datetime

from celery import Task, shared_task
from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import actions, importing, workflow
from articles.models import Article, BackgroundJob, BackgroundJobItem
from articles.search import index as search_index
from articles.suggestions import suggest_for_article

Job = BackgroundJob

# Sent when the last file of an import job is done, with `job` and its `summary` (the charts
# surface draws its charts again; see articles/charts/tasks.py).
import_finished = Signal()


class JobTask(Task):
    """A task working for a `BackgroundJob` (its first argument): retried on database errors,
    and recorded as failed when it gives up."""

    autoretry_for = (DatabaseError,)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 6

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        fail(args[0] if args else kwargs["job_id"], f"{type(exc).__name__}: {exc}")


def queue(job, task, *args):
    """Send `task` for `job` once the transaction that created the job has committed."""
    transaction.on_commit(lambda: task.delay(job.pk, *args))
    return job


# A job that has not started this long after it was queued is not joined (its message may be lost).
JOIN_WITHIN = datetime.timedelta(minutes=10)


def queue_or_join(kind, task, ids, *, per_id=1, user=None):
    """Queue `task` for the reports `ids`, or add them to a job of this `kind` still waiting to start.

    For work that follows editors' changes (a report's PDF after it is published or corrected): a
    burst of changes makes one job, not one a change, and the job does the latest state of each
    report, whenever it runs. The job's row is locked while ids join it, and `claim` takes it under
    the same lock, so an id either joins before the job starts (and is done) or starts a new one.
    """
    ids = sorted(set(ids))
    with transaction.atomic():
        waiting = (
            Job.objects.select_for_update()
            .filter(kind=kind, status=Job.Status.QUEUED, created_at__gte=timezone.now() - JOIN_WITHIN)
            .order_by("pk")
            .first()
        )
        if waiting is not None:
            joined = sorted(set(waiting.parameters.get("ids", [])) | set(ids))
            waiting.parameters = {**waiting.parameters, "ids": joined}
            waiting.total = len(joined) * per_id
            waiting.description = reports_description(joined)
            waiting.save(update_fields=["parameters", "total", "description"])
            return waiting
        job = Job.objects.create(
            kind=kind,
            total=len(ids) * per_id,
            description=reports_description(ids),
            parameters={"ids": ids},
            requested_by=workflow.recorded(user),
        )
        return queue(job, task)


def reports_description(ids):
    shown = ", ".join(map(str, ids[:20]))
    return f"reports {shown}" + (f" … ({len(ids)})" if len(ids) > 20 else "")


def claim(job_id):
    """Start a job that others may join (`queue_or_join`): from now on nothing joins it. Its parameters."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        started(job_id)
        return job.parameters


def started(job_id):
    Job.objects.filter(pk=job_id, started_at=None).update(started_at=timezone.now())
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING)


def note(job_id, text, *, done=None):
    changes = {"progress_note": text[:200]}
    if done is not None:
        changes["done"] = done
    Job.objects.filter(pk=job_id).update(**changes)


def finish(job_id, result, *, status=Job.Status.DONE):
    Job.objects.filter(pk=job_id).exclude(status__in=[Job.Status.DONE, Job.Status.FAILED]).update(
        status=status, result=result, finished_at=timezone.now()
    )


def fail(job_id, error):
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return
    finish(job_id, {**job.result, "error": error}, status=Job.Status.FAILED)


class ProgressNote:
    """A file-like `progress` argument (as commands pass `self.stderr`) that notes each line on the job."""

    def __init__(self, job_id):
        self.job_id = job_id

    def write(self, text):
        if text.strip():
            note(self.job_id, text.strip())

    def flush(self):
        pass


# --- imports ------------------------------------------------------------------------------------------


def start_import(paths, *, status=Article.Status.DRAFT, default_source="", user=None, as_new=False):
    """Queue the import of `paths` (files, or folders of .txt/.jsonl files) as one job, a task a file.

    The workers must see the files at the same paths (a shared folder).
    """
    files = list(dict.fromkeys(str(path) for path in importing.expand_paths(paths)))
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        total=len(files),
        description=", ".join(map(str, paths))[:500],
        parameters={"files": files, "status": status, "source": default_source, "as_new": as_new},
        requested_by=workflow.recorded(user),
    )
    for path in files:
        queue(job, import_part, path)
    if not files:
        finish(job.pk, import_summary(job))
    return job


class ImportPartTask(JobTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id, path = args if args else (kwargs["job_id"], kwargs["path"])
        import_part_failed(job_id, path, f"{type(exc).__name__}: {exc}")


@shared_task(base=ImportPartTask, bind=True, name="articles.import_part")
def import_part(self, job_id, path):
    """Import one file of an import job, once."""
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    if not job.items.filter(name=path).exists():
        started(job_id)
        parameters = job.parameters
        with transaction.atomic():
            result = actions.import_file(
                path,
                status=parameters["status"],
                default_source=parameters["source"],
                user=job.requested_by or workflow.COMMAND,  # a job nobody signed for was asked for by a command
                as_new=parameters.get("as_new", False),
            )
            BackgroundJobItem.objects.create(
                job=job, name=path, outcome=result.status, ids=result.ids, error=result.error or ""
            )
    advance_import(job_id)


def import_part_failed(job_id, path, error):
    """A file whose task gave up is recorded as an error of the job, so the job still ends."""
    BackgroundJobItem.objects.get_or_create(
        job_id=job_id, name=path, defaults={"outcome": BackgroundJobItem.Outcome.ERROR, "error": f"{path}: {error}"}
    )
    advance_import(job_id)


def advance_import(job_id):
    """Count the files done; when all are, write the job's summary and queue suggestions for new reports."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            return
        job.done = min(job.items.count(), job.total)
        job.progress_note = f"{job.done}/{job.total}"
        job.save(update_fields=["done", "progress_note"])
        if job.done < job.total:
            return
        summary = import_summary(job)
        finish(job_id, summary)
        if summary["new_reports"]:
            start_suggestions(summary["new_reports"], user=job.requested_by)
        import_finished.send(sender=Job, job=job, summary=summary)


def import_summary(job):
    """Files by outcome, the reports the import holds, those it added, and each error."""
    items = list(job.items.order_by("pk"))
    by_outcome = {outcome: [item for item in items if item.outcome == outcome] for outcome in BackgroundJobItem.Outcome}
    reports = {pk for item in items for pk in item.ids}
    new = sorted({pk for item in by_outcome[BackgroundJobItem.Outcome.CREATED] for pk in item.ids})
    return {
        "files": len(items),
        "created": len(by_outcome[BackgroundJobItem.Outcome.CREATED]),
        "unchanged": len(by_outcome[BackgroundJobItem.Outcome.UNCHANGED]),
        "errors": len(by_outcome[BackgroundJobItem.Outcome.ERROR]),
        "reports": len(reports),
        "new_reports": new,
        "error_messages": [item.error for item in by_outcome[BackgroundJobItem.Outcome.ERROR]][:100],
    }


# --- suggestions ----------------------------------------------------------------------------------------


def start_suggestions(article_ids, *, user=None):
    """Work out the annotation suggestions of these reports ahead of the annotator (shared cache)."""
    ids = sorted(set(article_ids))
    job = Job.objects.create(
        kind=Job.Kind.SUGGEST,
        total=len(ids),
        description=f"{len(ids)} reports",
        parameters={"ids": ids},
        requested_by=workflow.recorded(user),
    )
    return queue(job, suggest_reports)


@shared_task(base=JobTask, bind=True, name="articles.suggest_reports")
def suggest_reports(self, job_id):
    job = Job.objects.get(pk=job_id)
    started(job_id)
    ids = job.parameters["ids"]
    counts = {"mentions": 0, "quotes": 0, "dates": 0}
    done = 0
    for article in Article.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=200):
        suggestions = suggest_for_article(article)  # cached: a retry redoes nothing
        for kind in counts:
            counts[kind] += len(suggestions[kind])
        done += 1
        if done % 20 == 0:
            note(job_id, f"{done}/{len(ids)}", done=done)
    finish(job_id, {"reports": done, **counts})
    Job.objects.filter(pk=job_id).update(done=min(done, job.total))


# --- the search index -----------------------------------------------------------------------------------


def start_reindex(*, batch_size=1000, user=None):
    job = Job.objects.create(
        kind=Job.Kind.REINDEX,
        description="rebuild_search_index",
        parameters={"batch_size": batch_size},
        requested_by=workflow.recorded(user),
    )
    return queue(job, rebuild_search_index)


@shared_task(base=JobTask, bind=True, name="articles.rebuild_search_index")
def rebuild_search_index(self, job_id):
    """Write the whole index again (entries are replaced, never emptied first, so a retry is harmless)."""
    job = Job.objects.get(pk=job_id)
    started(job_id)
    indexed = search_index.rebuild(batch_size=job.parameters["batch_size"], progress=ProgressNote(job_id))
    vacuumed = search_index.vacuum()
    finish(job_id, {"reports": indexed, "vacuumed": vacuumed})
