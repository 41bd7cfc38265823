"""Drawing the charts and setting reports' PDFs ahead of readers, on a worker (see articles/tasks.py
for how jobs run).

Charts: after an import has finished, and after a report is published, corrected or withdrawn,
`prerender_charts` draws every chart of the charts page, unfiltered, in each language, into the
shared cache (`REDIS_URL`), where the web processes find it: the first reader after a change no
longer waits for matplotlib. The cache keys follow the data (the data generation, `derived.generation`), so running the
task again only reads the cache. A chart job already waiting covers any change made before it
starts, so a burst of publishing draws the charts once.

PDFs: after a report is published or corrected, `render_pdfs` sets its PDF in each language into
the shared cache (`pdf.serve_pdf`, keyed by a digest of what the PDF shows, so a retry or a second
job sets nothing twice and a later correction is a new key). Reports changed while a PDF job waits
join it (`jobs.queue_or_join`): one job a burst of changes, listed in the admin with the reports it
set. A reader's request for a PDF not set yet sets it at once (see `pdf.serve_pdf`) and makes no
job: a job a page view would bury the editors' list. A withdrawn report needs nothing here: its PDF
is no longer served to anyone but editors, whatever the cache holds (the view asks
`Article.objects.visible_to` first).

All this follows `settings.RENDER_AFTER_CHANGES` (on with a broker) and, for PDFs, `SITE_URL`: the
permalink a PDF prints, which a worker cannot learn from a request.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils import timezone, translation

from articles import tasks as jobs
from articles import workflow
from articles.changes import public_change
from articles.charts import data as charts
from articles.charts.pdf import pdf_permalink, reports_for_pdf, serve_pdf
from articles.models import BackgroundJob, Change
from diplomacy.cache import CACHE_DOWN

log = logging.getLogger("articles.pdf")

# The database, and the shared cache (Redis, or the files of `diplomacy.cache`), may fail for a moment.
TRANSIENT = (DatabaseError, *CACHE_DOWN)


class RenderTask(jobs.JobTask):
    autoretry_for = TRANSIENT


def start_prerender(*, user=None):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.CHARTS,
        total=len(charts.CHARTS) * len(settings.LANGUAGES),
        description=", ".join(charts.CHARTS),
        requested_by=workflow.recorded(user),
    )
    return jobs.queue(job, prerender_charts)


def prerender_soon(*, user=None):
    """Draw the charts again, unless a chart job that has not started yet will (it reads the data then)."""
    waiting = BackgroundJob.objects.filter(
        kind=BackgroundJob.Kind.CHARTS,
        status=BackgroundJob.Status.QUEUED,
        created_at__gte=timezone.now() - jobs.JOIN_WITHIN,
    ).first()
    return waiting or start_prerender(user=user)


@shared_task(base=RenderTask, bind=True, name="articles.charts.prerender_charts")
def prerender_charts(self, job_id):
    jobs.started(job_id)
    done = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in charts.CHARTS:
                filterset = charts.bound_filter({})
                charts.chart_table(name, filterset, language)
                charts.chart_png(name, filterset, language)
                done += 1
                jobs.note(job_id, f"{name} ({language})", done=done)
    jobs.finish(job_id, {"charts": done})


def start_pdf_render(article_ids, *, user=None):
    """Set these reports' PDFs, in every language, into the shared cache (joining a PDF job still waiting)."""
    return jobs.queue_or_join(
        BackgroundJob.Kind.PDF, render_pdfs, article_ids, per_id=len(settings.LANGUAGES), user=user
    )


@shared_task(base=RenderTask, bind=True, name="articles.charts.render_pdfs")
def render_pdfs(self, job_id):
    """Set the public PDF of each report of the job in each language; what is already cached is left.

    A report that is no longer published when the job runs is skipped (nobody but editors may read
    it). A PDF another process is setting at that moment is left to it.
    """
    ids = jobs.claim(job_id)["ids"]
    counts = {"reports": 0, "rendered": 0, "cached": 0, "preparing": 0, "not_public": 0}
    found = {article.pk: article for article in reports_for_pdf(None).filter(pk__in=ids)}
    counts["not_public"] = len(set(ids) - set(found))
    done = counts["not_public"] * len(settings.LANGUAGES)
    for pk in sorted(found):
        article = found[pk]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                permalink = pdf_permalink(article, language=language)
                _content, how = serve_pdf(article, permalink=permalink, without_cache_if_down=False)
            counts[how] += 1
            done += 1
            jobs.note(job_id, f"report {pk} ({language}): {how}", done=done)
        counts["reports"] += 1
    jobs.finish(job_id, counts)


@receiver(jobs.import_finished, dispatch_uid="charts-after-import")
def charts_after_import(sender, job, summary, **kwargs):
    if summary["created"]:
        start_prerender(user=job.requested_by)


@receiver(public_change, dispatch_uid="render-after-public-change")
def render_after_public_change(sender, article_id, kind, new, user=None, **kwargs):
    """A report published, corrected or withdrawn: the charts again, and its PDFs unless it was withdrawn.

    Reports created already published (`new`: an import's, most of all) are left to the import's
    own chart job and to their first reader's PDF: a backfill of ten thousand reports must not
    queue ten thousand PDFs nobody asked for.
    """
    if new or not settings.RENDER_AFTER_CHANGES:
        return
    prerender_soon(user=user)
    if kind != Change.Kind.WITHDRAWN:
        if settings.SITE_URL:
            start_pdf_render([article_id], user=user)
        else:
            log.info("SITE_URL is not set: report %s's PDFs will be set by their first reader", article_id)
