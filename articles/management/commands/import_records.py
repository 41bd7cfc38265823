from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from articles.actions import load_records
from articles.management import acting_user
from articles.models import Article
from articles.records import RecordsError


class Command(BaseCommand):
    help = "Load records JSON (participants, places, topics, meetings, agreements, an annotated article)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.json")
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
            help="Editorial status of an article the file carries, when it is new (default: draft).",
        )
        parser.add_argument("--user", default=None, help="Username recorded as the one who loaded the records.")

    @translation.override("en")  # the importers' messages are English; the models' follow them
    def handle(self, *, files, status, user, **options):
        actor = acting_user(user)
        failed = 0
        for path in files:
            try:
                summary = load_records(path, status=status, user=actor)
            except RecordsError as exc:
                failed += 1
                for problem in exc.problems:
                    self.stderr.write(problem)
                continue
            except PermissionDenied as exc:
                failed += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            self.stdout.write(
                f"{path}: {summary['participants']} participants, {summary['places']} places, "
                f"{summary['topics']} topics, {summary['meetings']} meetings, {summary['agreements']} agreements, "
                f"{summary['quotes']} quotes; {summary['changed']} change(s)"
                + (f"; article {summary['article']}" if summary["article"] else "")
            )
        if failed:
            raise CommandError(
                f"{failed} of {len(files)} file(s) could not be loaded; nothing of them was written.", returncode=1
            )
