"""Drawing the charts ahead of readers, on a worker (see articles/tasks.py for how jobs run).

After an import has finished, `prerender_charts` draws every chart of the charts page, unfiltered,
in each language, into the shared cache (`REDIS_URL`), where the web processes find it: the
first reader after an import no longer waits for matplotlib. The cache keys follow the data
(the data generation, `derived.generation`), so running the task again only reads the cache.
"""

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver
from django.utils import translation

from articles import tasks as jobs
from articles.charts import data as charts
from articles.models import BackgroundJob


def start_prerender(*, user=None):
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.CHARTS,
        total=len(charts.CHARTS) * len(settings.LANGUAGES),
        description=", ".join(charts.CHARTS),
        requested_by=user,
    )
    return jobs.queue(job, prerender_charts)


@shared_task(base=jobs.JobTask, bind=True, name="articles.charts.prerender_charts")
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


@receiver(jobs.import_finished, dispatch_uid="charts-after-import")
def charts_after_import(sender, job, summary, **kwargs):
    if summary["created"]:
        start_prerender(user=job.requested_by)
