from pathlib import Path

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.records import load_records

DEMO = Path(__file__).resolve().parents[2] / "demo" / "kerry-moscow-2016.annotations.json"


class Command(BaseCommand):
    help = "Load the demo data: the seed report, published, with its full reference annotation. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quotes-only",
            action="store_true",
            help="The report and its quotes only: names not linked, no approximate date (before any suggestion).",
        )

    def handle(self, **options):
        summary = load_records(DEMO, status=Article.Status.PUBLISHED, quotes_only=options["quotes_only"])
        verb = "loaded" if summary["changed"] else "already loaded, nothing changed"
        self.stdout.write(f"Demo data {verb}: article {summary['article']} with {summary['quotes']} quotes.")
