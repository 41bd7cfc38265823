from django.core.management.base import BaseCommand, CommandError

from articles.archive_io import ArchiveError, import_archive


class Command(BaseCommand):
    help = "Load an export_archive folder into an empty database: same ids, statuses, history (docs/archive.md)."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *, directory, **options):
        try:
            counts = import_archive(directory)
        except ArchiveError as exc:
            raise CommandError(f"{directory}: {exc}; nothing was written.", returncode=1) from None
        self.stdout.write(f"{sum(counts.values())} rows from {len(counts)} files loaded from {directory}")
