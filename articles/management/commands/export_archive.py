from django.core.management.base import BaseCommand

from articles.archive_io import export_archive


class Command(BaseCommand):
    help = "Write the whole archive to DIR as JSON Lines, one file a kind of row (docs/archive.md)."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *, directory, **options):
        counts = export_archive(directory)
        for name, rows in counts.items():
            self.stdout.write(f"{name}: {rows}")
        self.stdout.write(f"{sum(counts.values())} rows in {len(counts)} files written to {directory}")
