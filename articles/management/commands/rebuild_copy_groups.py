import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.duplicates import rebuild_copy_groups


class Command(BaseCommand):
    help = (
        "Work out again which published reports are copies of one text (Article.copy_group), from their "
        "stored signatures: once after the migration that added the groups, or to repair them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="reports looked up at a time")

    def handle(self, *, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()
        with transaction.atomic():
            done = rebuild_copy_groups(batch_size=batch_size)
        took = time.perf_counter() - started
        self.stdout.write(f"Grouped the copies among {done} published reports in {took:.1f} s.")
