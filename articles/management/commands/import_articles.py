import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from articles.actions import import_file
from articles.importing import expand_paths
from articles.management import acting_user
from articles.models import Article
from articles.tasks import start_import


class Command(BaseCommand):
    help = (
        "Import reports from .txt and .jsonl files, or folders of them. Each file goes in whole "
        "or not at all; importing the same content again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
            help="Editorial status of new reports (default: draft).",
        )
        parser.add_argument("--source", default="", help="Source for files that name none.")
        parser.add_argument("--user", default=None, help="Username recorded as the importer.")
        parser.add_argument("--json", action="store_true", help="One JSON object a file on standard output.")
        parser.add_argument(
            "--as-new",
            action="store_true",
            help="Import a report even when one with the same title and source but another text is in the archive.",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the import for the workers, a task a file (CELERY_BROKER_URL; inline without one) "
            "and print the job's id; follow it in the admin (background jobs).",
        )

    @translation.override("en")  # the importers' messages are English; the models' follow them
    def handle(self, *, paths, status, source, user, json, as_new, background, **options):
        importer = acting_user(user)
        files = list(expand_paths(paths))
        if not files:
            raise CommandError("No .txt or .jsonl files found in the paths given.", returncode=1)
        if background:
            job = start_import(files, status=status, default_source=source, user=importer, as_new=as_new)
            job.refresh_from_db()
            if json:
                self.stdout.write(_dumps({"job": job.pk, "files": job.total, "status": job.status}))
            else:
                self.stdout.write(f"Background job {job.pk}: {job.total} file(s), {job.status}.")
            return
        failed = 0
        for number, path in enumerate(files, start=1):
            result = import_file(
                path,
                status=status,
                default_source=source,
                user=importer,
                as_new=as_new,
                progress=_progress(path, self.stderr) if options["verbosity"] else None,
            )
            failed += result.status == "error"
            if len(files) > 1:
                sys.stderr.write(f"[{number}/{len(files)}] {path}: {result.status}\n")
                sys.stderr.flush()
            if json:
                self.stdout.write(_dumps(result.as_json()))
                continue
            for warning in result.warnings:
                self.stderr.write(f"{path}: warning: {warning}")
            if result.status == "error":
                self.stderr.write(result.error)
            else:
                self.stdout.write(f"{path}: {result.status} ({_ids(result.ids)})")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be imported.", returncode=1)


PROGRESS_FROM = 1000  # a file with fewer reports is done before anyone would look


def _progress(path, stream):
    """A report of a long file's progress on `stream`, after each batch the import writes (written, indexed
    and grouped with its copies): "FILE: 12000/100000 reports (530/s)"."""
    started = time.perf_counter()

    def report(done, total):
        if total < PROGRESS_FROM:
            return
        rate = done / max(time.perf_counter() - started, 1e-6)
        stream.write(f"{path}: {done}/{total} reports ({rate:.0f}/s)")
        stream.flush()

    return report


SHOWN_IDS = 20  # a long file's ids are summed up on the terminal (all of them are in --json)


def _ids(ids):
    if len(ids) <= SHOWN_IDS:
        return f"id {', '.join(map(str, ids))}"
    return f"{len(ids):,} reports, ids {min(ids)} to {max(ids)}"


def _dumps(obj):
    return json.dumps(obj, ensure_ascii=False)
