import time

from django.core.management.base import BaseCommand, CommandError

from articles.search.index import rebuild, vacuum
from articles.tasks import start_reindex


class Command(BaseCommand):
    help = (
        "Write the search index again from every report (after changing the stemming rules or many aliases). "
        "Progress goes to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="reports indexed per transaction")
        parser.add_argument(
            "--background", action="store_true", help="Queue the rebuild for a worker and print the job's id."
        )

    def handle(self, *, batch_size, background, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if background:
            job = start_reindex(batch_size=batch_size)
            job.refresh_from_db()
            self.stdout.write(f"Background job {job.pk}: {job.status}.")
            return
        started = time.perf_counter()
        done = rebuild(batch_size=batch_size, progress=self.stderr)
        if vacuum():
            self.stderr.write("vacuumed the index table (VACUUM ANALYZE)")
        seconds = time.perf_counter() - started
        rate = done / seconds if seconds else 0
        self.stdout.write(f"Indexed {done} reports in {seconds:.1f} s ({rate:.0f} reports/s).")
